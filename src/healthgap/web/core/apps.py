from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "healthgap.web.core"
    label = "core"
    verbose_name = "Core"
