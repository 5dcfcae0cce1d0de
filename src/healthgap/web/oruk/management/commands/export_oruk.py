"""`python -m healthgap.web export_oruk OUT [--format json|csv]`: export the public directory
as Open Referral UK JSON, or CSV tables (OUT a `.zip` file or a folder). Audited."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from healthgap.web.accounts.authorization import Permission, has_permission
from healthgap.web.audit.record import SystemActor
from healthgap.web.oruk.actions import export_directory


class Command(BaseCommand):
    help = "Export the public directory as Open Referral UK JSON or CSV."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("out", type=Path, help="output file (.json, .zip) or folder (CSV)")
        parser.add_argument("--format", choices=["json", "csv"], default=None)
        parser.add_argument("--user", help="username to record in the audit log")

    def handle(
        self, *args: Any, out: Path, format: str | None, user: str | None, **options: Any
    ) -> None:
        fmt = format or ("json" if out.suffix.lower() == ".json" else "csv")
        by: Any = SystemActor("export_oruk")
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None or not has_permission(by, Permission.EXPORT_DATA):
                raise CommandError(f"{user!r} is not a user allowed to export data.")
        export = export_directory(by=by, fmt=fmt)
        if fmt == "csv" and out.suffix.lower() != ".zip":
            out.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
                archive.extractall(out)
        else:
            out.write_bytes(export.content)
        self.stdout.write(f"Exported the directory to {out} ({fmt}).")
