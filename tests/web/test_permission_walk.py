"""Walk every URL in the URLconf as every role and compare with tests/web/access/."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.web.access import ROLE_KEYS, collect

EXPECTED = collect()


def url_names(patterns=None, namespace: str = "") -> list[str]:
    """The full name ("ns:name") of every pattern; unnamed patterns are listed as their route."""
    names: list[str] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>")
    return names


def test_every_url_is_named_and_has_an_expectation():
    names = set(url_names())
    unnamed = sorted(n for n in names if n.startswith("<unnamed"))
    missing = sorted(names - set(EXPECTED) - set(unnamed))
    stale = sorted(set(EXPECTED) - names)
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    assert not missing, f"add these URLs to tests/web/access/<app>.py: {missing}"
    assert not stale, f"tests/web/access/ lists URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_status(name, client, role_users):
    failures = []
    for case_number, expect in enumerate(EXPECTED[name]):
        url = reverse(name, kwargs=expect.kwargs(role_users))
        for role in ROLE_KEYS:
            client.logout()
            if role != "public":
                client.force_login(role_users[role])
            response = getattr(client, expect.method)(url, data=dict(expect.data))
            if response.status_code != expect.statuses[role]:
                failures.append(
                    f"case {case_number} {expect.method.upper()} {url} as {role}: "
                    f"{response.status_code}, expected {expect.statuses[role]}"
                )
    assert not failures, "\n".join(failures)
