from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_index_weights

        checks.register(check_index_weights)
