"""Expected access: the learning library (published case studies public, drafts for editors)."""

from tests.web.access import Expect, everyone, only
from tests.web.action.factories import make_case_study


def _draft_of_partner(users):
    return {"pk": make_case_study(organisation=users["partner"].organisation, published=False).pk}


def _published(users):
    return {"pk": make_case_study().pk}


DRAFT = {
    "public": 404,
    "administrator": 200,
    "analyst": 404,
    "partner": 200,
    "champion": 404,
    "equality_lead": 404,
}

EXPECTED = {
    "library:case-study-list": everyone(200),
    "library:case-study-detail": [
        everyone(200, kwargs=_published),
        Expect(DRAFT, kwargs=_draft_of_partner),
    ],
    "library:case-study-create": only("administrator", "partner", "champion"),
    "library:case-study-edit": [
        only(
            "administrator",
            "partner",
            kwargs=lambda users: {
                "pk": make_case_study(organisation=users["partner"].organisation).pk
            },
        ),
        only("administrator", kwargs=_published),
    ],
    "api:library-case-studies": [
        everyone(200),
        only(
            "administrator",
            "partner",
            "champion",
            ok=201,
            anonymous=401,
            method="post",
            json=True,
            data={"title": "Walk", "summary": "What we did.", "what_worked": "Listening."},
        ),
    ],
    "api:library-case-study": [
        everyone(200, kwargs=_published),
        Expect(DRAFT, kwargs=_draft_of_partner),
    ],
}
