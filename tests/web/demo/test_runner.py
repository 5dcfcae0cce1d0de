"""The demo runner: loads the known demo from an empty database, in its own order of steps
(not INSTALLED_APPS'), as the system, and adds nothing when run again."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from healthgap.web.accounts.models import User
from healthgap.web.action.models import Activity, Insight, Programme
from healthgap.web.audit.models import AuditEvent
from healthgap.web.demo.runner import STEPS, run
from healthgap.web.directory.models import CommunityChampion, Organisation, Service
from healthgap.web.library.models import CaseStudy

# reset_sequences: ids start at 1 on PostgreSQL too (its sequences ignore rollbacks).
pytestmark = [pytest.mark.django_db(reset_sequences=True), pytest.mark.shared_data]


class Lines:
    """Collects what the runner writes, one line per call (like a command's stdout)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, msg: str) -> None:
        self.lines.append(msg)


def _assert_known_demo() -> None:
    """The facts of the demo as published (docs/web.md, screenshots), written out by hand."""
    assert Organisation.objects.count() == 14
    assert Service.objects.count() == 16
    assert CommunityChampion.objects.count() == 6
    assert (Programme.objects.count(), Activity.objects.count()) == (4 + 2, 20)
    assert Insight.objects.count() == 30
    assert CaseStudy.objects.count() == 3
    users = {u.username: (u.role, u.organisation.name if u.organisation else None)
             for u in User.objects.select_related("organisation")}  # fmt: skip
    assert users == {
        "admin": ("administrator", None),
        "analyst": ("analyst", None),
        "partner": ("partner", "Palfrey Community Voices"),
        "champion": ("champion", "Al-Noor Mosque Health Circle"),
    }
    assert CommunityChampion.objects.get(user__username="champion").name == "Amina Hussain"
    # /action/activities/5/: the family fun day, reach 27 + 19 + 42 + 3 = 91.
    fifth = Activity.objects.get(pk=5)
    assert fifth.programme.name == "Vaccine ambassadors in Sandwell"
    assert fifth.place.startswith("Family fun day in the park, ")
    assert fifth.date == date.today() - timedelta(days=120)
    assert {(r.group_type, r.group): r.count for r in fifth.reach.all()} == {
        ("ethnicity", "African"): 27,
        ("ethnicity", "Caribbean"): 19,
        ("ethnicity", "English, Welsh, Scottish, Northern Irish or British"): 42,
        ("ethnicity", "Pakistani"): 3,
    }
    assert sum(r.count for r in fifth.reach.all()) == 91


def test_the_runner_loads_the_known_demo_once_as_the_system(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # no results store: the need step says so
    first = Lines()
    run(first)
    _assert_known_demo()
    events = AuditEvent.objects.count()
    assert set(AuditEvent.objects.values_list("actor_username", flat=True)) == {"system:load_demo"}
    assert not AuditEvent.objects.filter(actor__isnull=False).exists()
    again = Lines()
    run(again)
    _assert_known_demo()
    assert AuditEvent.objects.count() == events  # nothing written the second time
    assert [line for line in first.lines if line.startswith("Demo step")] == [
        "Demo step 1 of 5: directory",
        "Demo step 2 of 5: accounts",
        "Demo step 3 of 5: action",
        "Demo step 4 of 5: library",
        "Demo step 5 of 5: need",
    ]
    assert "Demo programmes: 0 created with 0 activities and 0 insights (6 existed)." in again.lines


def test_the_order_of_steps_is_the_runners_not_installed_apps(settings, tmp_path):
    assert [step.name for step in STEPS] == ["directory", "accounts", "action", "library", "need"]
    settings.VAR_DIR = tmp_path
    settings.INSTALLED_APPS = list(reversed(settings.INSTALLED_APPS))  # need, ..., directory
    names = [config.name for config in apps.get_app_configs()]
    assert names.index("healthgap.web.need") < names.index("healthgap.web.directory")
    call_command("load_demo", stdout=StringIO())
    _assert_known_demo()
