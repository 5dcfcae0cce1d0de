from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "healthgap.web.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from healthgap.web.navigation import NavItem, register

        register(NavItem("Organisations", "directory:organisation-list"))
