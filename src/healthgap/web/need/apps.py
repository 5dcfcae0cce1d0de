from django.apps import AppConfig


class NeedConfig(AppConfig):
    name = "healthgap.web.need"
    label = "need"
    verbose_name = "Need and brokering"

    def ready(self) -> None:
        from healthgap.web.accounts.authorization import Permission
        from healthgap.web.navigation import NavItem, register

        register(NavItem("Atlas", "need:atlas", order=20))
        register(NavItem("Priorities", "need:priority-list", order=22))
        register(
            NavItem(
                "Introductions",
                "need:introduction-list",
                permission=Permission.BROKER_INTRODUCTIONS,
                order=24,
            )
        )
