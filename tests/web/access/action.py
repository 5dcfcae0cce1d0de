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


#: API writes: the same roles as the pages get 201; the others 403; the public 401.
def _api_write(*roles, data):
    return only(*roles, ok=201, anonymous=401, method="post", data=data, json=True)


def _new_programme(users):
    return {
        "name": "Walk programme",
        "kind": "other",
        "aims": "Check permissions.",
        "start_date": "2026-01-01",
        # Administrators name the lead; for everyone else it is their own organisation.
        "lead_organisation_id": users["partner"].organisation_id,
    }


def _new_activity(users):
    programme = make_programme(partners=(users["partner"].organisation,))
    return {"programme_id": programme.pk, "kind": "outreach", "date": "2026-02-01", "place": "Hall"}


NEW_INSIGHT = {"theme": "language", "summary": "Leaflets only in English.", "date": "2026-02-01"}

EXPECTED = {
    "action:programme-list": everyone(200),
    "action:programme-detail": everyone(200, kwargs=_programme),
    "action:programme-report": everyone(200, kwargs=_programme),
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
            {
                "public": 302,
                "administrator": 404,
                "analyst": 404,
                "partner": 403,
                "champion": 403,
                "equality_lead": 403,
            },
            kwargs=lambda users: {"what": "people"},
        )
    ],
    "api:action-programmes": [everyone(200), _api_write(*EDITORS, data=_new_programme)],
    "api:action-programme": everyone(200, kwargs=_programme),
    "api:action-activities": [
        everyone(200),
        _api_write("administrator", "partner", data=_new_activity),
    ],
    "api:action-activity": everyone(200, kwargs=_activity),
    "api:action-insights": [
        only("administrator", "analyst", "partner", "champion", anonymous=401),
        _api_write(*EDITORS, data=NEW_INSIGHT),
    ],
    "api:action-insight-aggregates": everyone(200),
}
