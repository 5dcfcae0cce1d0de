from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "healthgap.web.tokens"
    label = "tokens"
    verbose_name = "API tokens"

    def ready(self) -> None:
        from healthgap.web.accounts.authorization import Permission
        from healthgap.web.navigation import NavItem, register

        register(
            NavItem("API tokens", "tokens:manage", permission=Permission.MANAGE_USERS, order=95)
        )
