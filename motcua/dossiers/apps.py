from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        # The feedback app (a lower layer) learns about dossiers through this hook.
        from motcua.feedback.ports import provide_dossier_facts

        from .feedback import dossier_facts

        provide_dossier_facts(dossier_facts)
