"""Small-number suppression for the web: 1–7 -> "*", 0 shown, analysts see everything."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from healthgap.web.disclosure import (
    SUPPRESSED,
    SUPPRESSION_THRESHOLD,
    is_small,
    policy_for,
    shown,
    suppress,
)

NON_ANALYSTS = ["administrator", "partner", "champion"]


def user(role: str):
    return SimpleNamespace(is_authenticated=True, is_active=True, role=role, organisation_id=None)


def test_threshold_is_nhs_digital_seven():
    assert SUPPRESSION_THRESHOLD == 7


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, "*"), (5, "*"), (7, "*"), (7.0, "*"), (8, 8), (1234, 1234), (None, None)],
)
def test_counts_are_suppressed_for_everyone_but_analysts(count, shown):
    for viewer in [AnonymousUser(), *map(user, NON_ANALYSTS)]:
        assert suppress(count, viewer) == shown
    assert suppress(count, user("analyst")) == count


def test_derived_values_follow_their_counts():
    public = AnonymousUser()
    # 3 of 40 people = 7.5%: the numerator is small, so the percentage is hidden too.
    assert suppress(7.5, public, counts=[3, 40]) == SUPPRESSED
    # 12 of 5 is impossible but shows the denominator is checked as well.
    assert suppress(240.0, public, counts=[12, 5]) == SUPPRESSED
    # 0 of 40: nobody is revealed, 0% is shown.
    assert suppress(0.0, public, counts=[0, 40]) == 0.0
    assert suppress(30.0, public, counts=[12, 40]) == 30.0
    assert suppress(7.5, user("analyst"), counts=[3, 40]) == 7.5


def test_missing_values_are_not_small():
    assert not is_small(math.nan)
    assert not is_small("n/a")
    assert not is_small(True)
    assert is_small("3")


def test_template_filter_and_tag():
    template = Template(
        "{% load healthgap %}{{ small|suppress:request.user }} {{ big|suppress:request.user }} "
        "{% disclose rate numerator denominator %}"
    )
    request = RequestFactory().get("/")
    for role, expected in [(None, "* 120 *"), ("analyst", "3 120 7.5")]:
        request.user = AnonymousUser() if role is None else user(role)
        context = Context(
            {
                "request": request,
                "small": 3,
                "big": 120,
                "rate": 7.5,
                "numerator": 3,
                "denominator": 40,
            }
        )
        assert template.render(context) == expected


@pytest.mark.parametrize(
    ("role", "policy"),
    [("analyst", "none"), ("administrator", "public"), ("partner", "public"),
     ("champion", "public")],
)  # fmt: skip
def test_analysts_read_policy_none_and_everyone_else_public(role, policy):
    assert policy_for(user(role)) == policy
    assert policy_for(AnonymousUser()) == "public"


@pytest.mark.parametrize(
    ("published", "text"), [(float("nan"), "*"), (None, "*"), (0.0, 0), (10.0, 10), (1235.0, 1235)]
)
def test_a_protected_cell_shows_as_its_published_count_or_a_star(published, text):
    assert shown(published) == text
