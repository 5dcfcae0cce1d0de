"""`python -m healthgap.web import_oruk FILE`: import Open Referral UK JSON or CSV.

FILE is a `.json` file, a `.zip` of CSV tables or a folder of CSV tables. The whole file is
checked first; with any error nothing is loaded, every problem is printed and the command
exits with status 1. The import is audited (as the user given with --user, else the system).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.audit.record import SystemActor
from healthgap.web.oruk.actions import import_directory
from healthgap.web.oruk.exchange import read_path


class Command(BaseCommand):
    help = "Import organisations, services, locations and taxonomies from Open Referral UK."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="a .json file, a .zip of CSVs or a folder")
        parser.add_argument("--user", help="username to record in the audit log")

    def handle(self, *args: Any, path: Path, user: str | None, **options: Any) -> None:
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        by: Any = SystemActor("import_oruk")
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None or not has_permission(by, Permission.IMPORT_DATA):
                raise CommandError(f"{user!r} is not a user allowed to import data.")
        report = import_directory(by=by, bundle=read_path(path), source=path.name)
        for problem in report.problems:
            self.stdout.write(str(problem))
        if not report.ok:
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s) in {path.name}.")
        self.stdout.write(f"Imported {path.name}: {report.summary()}.")
