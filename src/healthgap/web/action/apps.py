from django.apps import AppConfig


class ActionConfig(AppConfig):
    name = "healthgap.web.action"
    label = "action"
    verbose_name = "Action"

    def ready(self) -> None:
        from healthgap.web.navigation import NavItem, register

        register(NavItem("Programmes", "action:programme-list", order=40))
        register(NavItem("Insights", "action:insight-summary", order=45))
