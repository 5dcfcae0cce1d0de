"""`python -m healthgap.web load_demo`: the demo data (idempotent), from `healthgap.web.demo`.

Runs the demo's steps in their fixed order (directory, accounts, action, library, need), each in
its own transaction. The demo accounts have fixed, published passwords: never load the demo
into a deployment that holds real data.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from healthgap.web.demo.runner import run


class Command(BaseCommand):
    help = "Load the demo organisations, accounts and data (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        run(self.stdout)
