from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "healthgap.web.library"
    label = "library"
    verbose_name = "Learning library"

    def ready(self) -> None:
        from healthgap.web.navigation import NavItem, register

        register(NavItem("Learning library", "library:case-study-list", order=50))
