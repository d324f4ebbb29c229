from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = "Báo cáo, thống kê"

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_index_weights

        checks.register(check_index_weights)
