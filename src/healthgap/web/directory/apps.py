from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DirectoryConfig(AppConfig):
    name = "healthgap.web.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from healthgap.web.directory.seeding import seed
        from healthgap.web.navigation import NavItem, register

        register(NavItem("Organisations", "directory:organisation-list", order=10))
        register(NavItem("Champions", "directory:champion-list", order=15))
        # Seed the vocabularies after migrate and after flush (which test databases use).
        post_migrate.connect(seed, sender=self, dispatch_uid="directory-seed-vocabularies")
