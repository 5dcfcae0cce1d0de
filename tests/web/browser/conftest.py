"""Fixtures for the browser tests: Debian's chromium driven by Playwright against pytest-django's
live server (a thread of this process on a free localhost port, with the test database).

Never `playwright install`: the tests use /usr/bin/chromium (Debian's package) and skip, with a
loud reason, where it is missing. Playwright's sync API keeps an event loop in the test thread,
so Django's guard against ORM calls from async code is relaxed (DJANGO_ALLOW_ASYNC_UNSAFE) for
this package only; the ORM is still called from one thread at a time.

Data: a tiny hand-made results store (tests/web/need/stores.py) over the geography fixture
mirror (tests/geography/mirror_fixture.py), loaded with the need app's loader, plus records made
with the project's factories and actions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from healthgap.geography import DataConfig
from healthgap.web.need.actions import load_results
from tests.geography.mirror_fixture import write_mirror
from tests.web.factories import PASSWORD, TEST_JOB
from tests.web.need.stores import write_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The store's ICB and areas (see tests/web/need/stores.py).
ICB = "E54000001"


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(
            f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's chromium "
            "(apt-get install chromium) to run the Playwright journeys and axe-core checks."
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="BROWSER TESTS SKIPPED: the playwright package is missing."
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Any]:
    """A fresh browser context on the live server; fails on any console error (a CSP
    violation, a script error, a failed fetch)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"errors in the browser console: {errors}"


@pytest.fixture(scope="package")
def geo_config(tmp_path_factory) -> DataConfig:
    root = tmp_path_factory.mktemp("browser-geo")
    return DataConfig(mirror=write_mirror(root / "mirror"), var=root / "var", verify=False)


@pytest.fixture
def results(transactional_db, monkeypatch, geo_config, tmp_path):
    """The hand-made store loaded; the geography fixture mirror stands in for the open-data
    mirror everywhere (the live server runs in this process)."""
    monkeypatch.setattr(DataConfig, "from_env", classmethod(lambda cls, **kw: geo_config))
    return load_results(by=TEST_JOB, root=write_store(tmp_path / "results").root, config=geo_config)


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login page, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=re.compile(rf"^{re.escape(username)} \(")).wait_for()


#: A phone's viewport (CSS px), the width issue 12 asks pages to fit.
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(page):
    """The browser page at a phone's width."""
    page.set_viewport_size(PHONE)
    return page


def open_as(page: Any, role: str, address: str, screenshot: Any) -> None:
    """Open `address` as `role` ("public": signed out), wait for the network to settle and
    keep a full-page screenshot at `screenshot` to look at when a check fails."""
    if role != "public":
        sign_in(page, role)
    response = page.goto(address)
    assert response.ok, f"{response.status} for {response.url}"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshot, full_page=True)


def follow_menu(page: Any, label: str) -> None:
    """Click a header menu entry, opening the "More" menu first if NHS.UK's header has moved
    the entry there (it does when the entries do not fit on one line)."""
    link = page.get_by_role("navigation", name="Menu").get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        page.get_by_role("button", name=re.compile("More")).click()
    link.click()
