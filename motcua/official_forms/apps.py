from django.apps import AppConfig


class OfficialFormsConfig(AppConfig):
    name = "motcua.official_forms"
    label = "official_forms"
    verbose_name = "Biểu mẫu"
