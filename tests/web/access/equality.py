"""Expected access: equality assurance (administrators and analysts read every organisation's
records; only administrators among these roles change them; partners, champions and the
public see nothing but a published EDS summary). The equality lead role is walked in
tests/web/equality/test_access.py (own organisation against another)."""

from tests.web.access import Expect, everyone, only
from tests.web.equality.factories import make_eds, make_ehia, make_maturity, make_wres

READERS = ("administrator", "analyst")


def _pk(factory):
    return lambda users: {"pk": factory().pk}


def _unpublished(users):
    return {"pk": make_eds().pk}


def _published(users):
    eds = make_eds()
    eds.published = True
    eds.save()
    return {"pk": eds.pk}


UNPUBLISHED = {"public": 404, "administrator": 200, "analyst": 200, "partner": 404, "champion": 404}

EXPECTED = {
    "equality:home": only(*READERS),
    "equality:reviews-due": only(*READERS),
    "equality:wres-upload": only("administrator"),
    "equality:wres-detail": only(*READERS, kwargs=_pk(make_wres)),
    "equality:wres-narrative": only("administrator", kwargs=_pk(make_wres)),
    "equality:wres-action-add": only("administrator", kwargs=_pk(make_wres)),
    "equality:wres-report": only(*READERS, kwargs=_pk(make_wres)),
    "equality:eds-create": only("administrator"),
    "equality:eds-detail": only(*READERS, kwargs=_pk(make_eds)),
    "equality:eds-service-add": only("administrator", kwargs=_pk(make_eds)),
    "equality:eds-outcome": only(
        "administrator", kwargs=lambda users: {"pk": make_eds().pk, "code": "2A"}
    ),
    "equality:eds-action-add": only("administrator", kwargs=_pk(make_eds)),
    "equality:eds-publish": [
        everyone(405, kwargs=_pk(make_eds)),
        only(
            "administrator",
            ok=302,
            method="post",
            fresh=True,
            kwargs=_pk(make_eds),
            data={"published": "yes"},
        ),
    ],
    "equality:eds-summary": [
        everyone(200, kwargs=_published),
        Expect(UNPUBLISHED, kwargs=_unpublished),
    ],
    "equality:eds-report": everyone(200, kwargs=_published),
    "equality:maturity-create": only("administrator"),
    "equality:maturity-detail": only(*READERS, kwargs=_pk(make_maturity)),
    "equality:maturity-moderate": only("administrator", kwargs=_pk(make_maturity)),
    "equality:ehia-create": only("administrator"),
    "equality:ehia-detail": only(*READERS, kwargs=_pk(make_ehia)),
    "equality:ehia-profile": everyone(405, kwargs=_pk(make_ehia)),
    "equality:ehia-action-add": everyone(405, kwargs=_pk(make_ehia)),
    "equality:ehia-move": everyone(405, kwargs=_pk(make_ehia)),
    "equality:ehia-export": only(*READERS, kwargs=_pk(make_ehia)),
}
