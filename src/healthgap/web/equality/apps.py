from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "healthgap.web.equality"
    label = "equality"
    verbose_name = "Equality assurance"

    def ready(self) -> None:
        from healthgap.web.accounts.authorization import Permission
        from healthgap.web.navigation import NavItem, register

        register(
            NavItem("Equality", "equality:home", permission=Permission.VIEW_EQUALITY, order=60)
        )
