"""Expected access: programmes, activities, insights and exports (action app), and its API."""

from tests.web.access import Expect, everyone, only
from tests.web.action.factories import make_activity, make_programme

EDITORS = ("administrator", "partner", "champion")


def _programme(users):
    return {"pk": make_programme().pk}


def _partners_programme(users):
    return {"pk": make_programme(lead=users["partner"].organisation).pk}


def _programme_with_partner(users):
    """A programme the partner's organisation partners (but does not lead)."""
    return {"programme_pk": make_programme(partners=(users["partner"].organisation,)).pk}


def _activity(users):
    return {"pk": make_activity().pk}


def _champions_activity(users):
    return {"pk": make_activity(organisation=users["champion"].organisation).pk}


EXPECTED = {
    "action:programme-list": everyone(200),
    "action:programme-detail": everyone(200, kwargs=_programme),
    "action:programme-create": only(*EDITORS),
    "action:programme-edit": [
        only("administrator", "partner", kwargs=_partners_programme),
        only("administrator", kwargs=_programme),
    ],
    "action:activity-create": [
        only("administrator", "partner", kwargs=_programme_with_partner),
        only("administrator", kwargs=lambda users: {"programme_pk": make_programme().pk}),
    ],
    "action:activity-detail": everyone(200, kwargs=_activity),
    "action:activity-edit": [
        only("administrator", "champion", kwargs=_champions_activity),
        only("administrator", kwargs=_activity),
    ],
    "action:reach-row": only(*EDITORS),
    "action:insight-summary": everyone(200),
    "action:insight-list": only("administrator", "analyst", "partner", "champion"),
    "action:insight-create": only(*EDITORS),
    "action:export": [
        only("administrator", "analyst", kwargs=lambda users, what=what: {"what": what})
        for what in ("activities", "reach", "insights")
    ]
    + [
        Expect(
            {"public": 302, "administrator": 404, "analyst": 404, "partner": 403, "champion": 403},
            kwargs=lambda users: {"what": "people"},
        )
    ],
    "api:action-programmes": everyone(200),
    "api:action-programme": everyone(200, kwargs=_programme),
    "api:action-activities": everyone(200),
    "api:action-activity": everyone(200, kwargs=_activity),
    "api:action-insights": only("administrator", "analyst", "partner", "champion", anonymous=401),
    "api:action-insight-aggregates": everyone(200),
}
