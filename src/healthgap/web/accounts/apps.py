from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "healthgap.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from healthgap.web.accounts import signals  # noqa: F401  (connects the login audit)
