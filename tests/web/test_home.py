"""The home page and base layout for every role."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "shows", "hides"),
    [
        ("public", ["Sign in", "Organisations"], ["Audit log", "Sign out"]),
        ("administrator", ["signed in as administrator", "Audit log", "Sign out"], ["Sign in<"]),
        ("analyst", ["signed in as analyst", "Organisations"], ["Audit log"]),
        ("partner", ["signed in as partner", "Partner org"], ["Audit log"]),
        ("champion", ["signed in as community champion", "Champion org"], ["Audit log"]),
    ],
)
def test_home_page_per_role(client_for, role, shows, hides):
    response = client_for(role).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in shows:
        assert text in page
    for text in hides:
        assert text not in page


def test_base_layout_is_accessible_and_uses_vendored_assets(client):
    page = client.get("/").content.decode()
    assert '<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">' in page
    assert '<main class="nhsuk-main-wrapper" id="maincontent" role="main">' in page
    assert '<span class="nhsuk-header__service-name">healthgap</span>' in page
    assert 'role="contentinfo"' in page and '<html lang="en-GB">' in page
    assert "/static/vendor/nhsuk/nhsuk-frontend.min.css" in page
    assert "https://" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "<script>" not in page  # no inline scripts: the CSP would block them


def test_not_found_page_uses_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
