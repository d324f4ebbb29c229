from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "motcua.supervision"
    label = "supervision"
    verbose_name = "Báo cáo, giám sát (giao diện)"
