from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "healthgap.web.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from healthgap.web.accounts.authorization import Permission
        from healthgap.web.navigation import NavItem, register

        register(NavItem("Audit log", "audit:log", permission=Permission.VIEW_AUDIT_LOG))
