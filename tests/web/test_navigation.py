"""The header menu marks one item at most as the current page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from healthgap.web.navigation import navigation


def _current(path: str) -> list[str]:
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return [label for label, _, current in navigation(request)["nav_items"] if current]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        # "/directory/" (Organisations) also prefixes "/directory/champions/": only the longer
        # match is current (both were highlighted before).
        ("/directory/champions/", ["Champions"]),
        ("/directory/", ["Organisations"]),
        ("/directory/organisations/12/", ["Organisations"]),
        ("/need/priorities/", ["Priorities"]),
        ("/need/cold-spots/", []),
    ],
)
def test_one_menu_item_is_current(path, current):
    assert _current(path) == current
