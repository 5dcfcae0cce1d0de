"""axe-core (vendored from npm by scripts/build_frontend.sh) finds no serious or critical
accessibility violation on the main pages, for the roles that see them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from healthgap.web.library.actions import create_case_study
from healthgap.web.need.models import Priority
from tests.web.action.factories import make_activity, make_insight, make_programme
from tests.web.browser.conftest import sign_in
from tests.web.factories import make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "vendor/axe/axe.min.js"
BLOCKING = {"serious", "critical"}


def _organisation_detail(seed):
    return reverse("directory:organisation-detail", args=[seed["organisation"].pk])


def _priority_detail(seed):
    return reverse("need:priority-detail", args=[Priority.objects.get(rank=1).pk])


#: (role, page): the pages of issue 5's list, plus the forms people fill in most.
PAGES = [
    ("public", lambda seed: reverse("core:home")),
    ("public", lambda seed: reverse("directory:organisation-list")),
    ("public", _organisation_detail),
    ("public", lambda seed: reverse("action:programme-list")),
    ("public", lambda seed: reverse("action:insight-summary")),
    ("public", lambda seed: reverse("need:atlas")),
    ("analyst", lambda seed: reverse("need:atlas") + "?layer=priority"),
    ("public", lambda seed: reverse("need:area", args=["E01000002"])),
    ("public", lambda seed: reverse("need:priority-list")),
    ("analyst", _priority_detail),
    ("public", lambda seed: reverse("need:cold-spots")),
    ("public", lambda seed: reverse("library:case-study-list")),
    ("public", lambda seed: reverse("accounts:login")),
    ("partner", lambda seed: reverse("action:activity-create", args=[seed["programme"].pk])),
    ("partner", lambda seed: reverse("tokens:account")),
    ("administrator", lambda seed: reverse("tokens:manage")),
]


@pytest.fixture
def seed(results):
    organisation = make_organisation(name="Alpha Community Voices", lsoa21="E01000002")
    for role in ("administrator", "analyst"):
        make_user(role, username=role)
    partner = make_user("partner", username="partner", organisation=organisation)
    programme = make_programme(lead=organisation, name="Flu jabs in Alpha")
    make_activity(programme, reach={"ethnicity:Roma": 4, "ethnicity:Indian": 20})
    make_insight()
    create_case_study(
        by=partner,
        title="Coffee mornings",
        summary="Flu jabs at coffee mornings.",
        what_worked="Trusted hosts.",
        published=True,
    )
    return {"organisation": organisation, "programme": programme}


def test_axe_is_vendored():
    assert (Path(settings.BASE_DIR) / "static" / AXE).is_file(), (
        "run scripts/build_frontend.sh to vendor axe-core"
    )


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(PAGES)])
def test_no_serious_accessibility_violations(page, seed, role, url):
    if role != "public":
        sign_in(page, role)
    response = page.goto(url(seed))
    assert response.ok, f"{response.status} for {response.url}"
    page.wait_for_load_state("networkidle")  # the atlas draws its map from a second request
    # Same origin, so the Content-Security-Policy ('self' only) allows it.
    page.add_script_tag(url=static(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert result["passes"], "axe-core checked nothing"
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"{page.url}:\n" + "\n".join(blocking)


def _blocking_violations(page) -> list[str]:
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return sorted(v["id"] for v in result["violations"] if v["impact"] in BLOCKING)


def test_the_check_finds_violations_on_a_broken_page(page, live_server):
    """The harness itself: an unlabelled input and an image without alt text are caught."""
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head>'
        '<body><main><img src="x.png"><input type="text"></main></body></html>'
    )
    page.add_script_tag(url=live_server.url + static(AXE))
    assert _blocking_violations(page) == ["image-alt", "label"]
