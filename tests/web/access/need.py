"""Expected access: the atlas, area profiles, priorities and cold spots are public (figures
suppressed); who can reach a priority and introductions are for brokers (administrator,
analyst)."""

from tests.web.access import Expect, everyone, only
from tests.web.need.factories import make_area, make_introduction, make_priority

BROKERS = ("administrator", "analyst")


def _area(users):
    return {"code": make_area().code}


def _priority(users):
    return {"pk": make_priority().pk}


def _introduction(users):
    return {"pk": make_introduction().pk}


EXPECTED = {
    "need:atlas": everyone(200),
    "need:atlas-data": everyone(200),
    "need:area": everyone(200, kwargs=_area),
    "need:area-children": everyone(200, kwargs=_area),
    # Public, no sign-in; 404 for everyone here because no results are loaded (the PDF itself:
    # tests/web/need/test_report.py).
    "need:area-report": everyone(404, kwargs=_area),
    "need:priority-list": everyone(200),
    "need:priority-detail": everyone(200, kwargs=_priority),
    # An empty form is refused (400) for brokers; the happy path is in tests/web/need.
    "need:introduction-create": only(*BROKERS, ok=400, kwargs=_priority, method="post"),
    "need:cold-spots": everyone(200),
    "need:introduction-list": only(*BROKERS),
    "need:introduction-detail": only(*BROKERS, kwargs=_introduction),
    # Brokers are sent back to the list after the change (the first moves it on, the second
    # asks for the status it already has); GET is not allowed.
    "need:introduction-status": [
        only(*BROKERS, ok=302, kwargs=_introduction, method="post", data={"status": "contacted"}),
        Expect(
            {
                "public": 302,
                "administrator": 405,
                "analyst": 405,
                "partner": 403,
                "champion": 403,
                "equality_lead": 403,
            },
            kwargs=_introduction,
        ),
    ],
    "api:need-indicators": everyone(200),
    "api:need-area": everyone(200, kwargs=_area),
    "api:need-area-results": everyone(200, kwargs=_area),
    "api:need-priorities": everyone(200),
    "api:need-cold-spots": everyone(200),
    "api:need-introductions": only(*BROKERS, anonymous=401),
}
