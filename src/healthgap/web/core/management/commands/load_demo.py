"""`python -m healthgap.web load_demo`: demo organisations and accounts (idempotent).

Each healthgap app may provide `healthgap.web.<app>.demo.load(stdout)`; this command calls them
in INSTALLED_APPS order (directory before accounts, so accounts can join organisations), each in
its own transaction. The demo accounts have fixed, published passwords: never load the demo
into a deployment that holds real data.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo organisations and accounts (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        for app in apps.get_app_configs():
            module_name = f"{app.name}.demo"
            if not app.name.startswith("healthgap.web."):
                continue
            if importlib.util.find_spec(module_name) is None:
                continue
            with transaction.atomic():
                importlib.import_module(module_name).load(stdout=self.stdout)
