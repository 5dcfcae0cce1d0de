"""`python -m healthgap.web <command>`: Django's manage.py for healthgap."""

import os
import sys


def main() -> None:
    """Run a Django management command with healthgap's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["python -m healthgap.web", *sys.argv[1:]])


if __name__ == "__main__":
    main()
