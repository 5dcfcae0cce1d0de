"""`python -m healthgap.web load_results --results DIR [--icb E54000062] [--by USERNAME]`.

Loads the live version of a results store (docs/results.md) into the web app, replacing the
previous load in one transaction (nothing changes if anything fails), and records an IMPORT
audit event by the named administrator (`--by`, who needs the import_data permission) or by
the system.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthgap.errors import HealthgapError
from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.audit.record import SystemActor
from healthgap.web.need.actions import load_results


class Command(BaseCommand):
    help = "Load a published results store (results, inequalities, priorities) for one ICB."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--results", required=True, help="The results store folder.")
        parser.add_argument(
            "--icb", help="ICB code (GSS, e.g. E54000062, or ODS); default: the store's only ICB."
        )
        parser.add_argument("--by", help="Username of the administrator loading the results.")

    def handle(self, *args: Any, **options: Any) -> None:
        by: Any = SystemActor("load_results")
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None or not has_permission(by, Permission.IMPORT_DATA):
                raise CommandError(
                    f"{options['by']!r} is not a user with the import_data permission."
                )
        try:
            load = load_results(by=by, root=options["results"], icb=options["icb"])
        except HealthgapError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{n} {what}" for what, n in load.counts.items())
        self.stdout.write(f"Loaded results {load.version} for {load.icb_code}: {counts}.")
