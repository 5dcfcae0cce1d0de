"""Expected access: equality assurance, every role written out for every URL.

- administrator: reads and changes every organisation's records;
- analyst: reads every organisation's records (`view_equality`), changes none (403);
- equality lead: reads and changes its own organisation's records; another organisation's
  records answer 404 (`healthgap.web.equality.permissions`), so each record URL is walked twice:
  with a record of another organisation and with one of the lead's own;
- partner, champion: 403 (no equality permission), the public a login redirect (302);
- a published EDS summary and its PDF are public (200 for everyone); an unpublished one is 404
  to everyone who may not read it.
"""

from itertools import count

from tests.web.access import Expect
from tests.web.equality.factories import make_eds, make_ehia, make_maturity, make_wres


def _statuses(public, administrator, analyst, partner, champion, equality_lead):
    """Every role's status, in the column order of the table below."""
    return {
        "public": public,
        "administrator": administrator,
        "analyst": analyst,
        "partner": partner,
        "champion": champion,
        "equality_lead": equality_lead,
    }


#                      public admin analyst partner champion lead
READ_PAGE = _statuses(302, 200, 200, 403, 403, 200)  # no record: home, reviews due
CREATE_PAGE = _statuses(302, 200, 403, 403, 403, 200)  # upload, start an EDS/EHIA/assessment
READ_OTHER = _statuses(302, 200, 200, 403, 403, 404)  # read a record of another organisation
READ_OWN = _statuses(302, 200, 200, 403, 403, 200)  # ... of the lead's own organisation
CHANGE_OTHER = _statuses(302, 200, 403, 403, 403, 404)  # change form, another organisation
CHANGE_OWN = _statuses(302, 200, 403, 403, 403, 200)  # ... the lead's own organisation
POST_OTHER = _statuses(302, 302, 403, 403, 403, 404)  # a POST-only write, another organisation
POST_OWN = _statuses(302, 302, 403, 403, 403, 302)  # ... the lead's own organisation
GET_ON_POST_ONLY = _statuses(405, 405, 405, 405, 405, 405)
PUBLISHED = _statuses(200, 200, 200, 200, 200, 200)
UNPUBLISHED_OTHER = _statuses(404, 200, 200, 404, 404, 404)
UNPUBLISHED_OWN = _statuses(404, 200, 200, 404, 404, 200)


def _other(factory, **extra):
    """Path parameters of a new record of an organisation no walking user belongs to."""
    return lambda users: {"pk": factory().pk, **extra}


def _own(factory, **extra):
    """Path parameters of a new record of the equality lead's own organisation."""
    return lambda users: {"pk": factory(users["equality_lead"].organisation).pk, **extra}


_years = count(2030)


def make_eds_of_a_new_year(organisation=None):
    """An EDS for a year not used before (one organisation has one EDS a year)."""
    year = next(_years)
    return make_eds(organisation, year=f"{year}/{(year + 1) % 100:02d}")


def _published(users):
    eds = make_eds()
    eds.published = True
    eds.save()
    return {"pk": eds.pk}


def _record(factory, other, own, **options):
    """The two cases of a record URL: another organisation's record, and the lead's own."""
    extra = options.pop("extra", {})
    return [
        Expect(other, kwargs=_other(factory, **extra), **options),
        Expect(own, kwargs=_own(factory, **extra), **options),
    ]


def _post_only(factory, data):
    """A POST-only write: GET answers 405 to everyone; POST per role, fresh record each."""
    return [
        Expect(GET_ON_POST_ONLY, kwargs=_other(factory)),
        *_record(factory, POST_OTHER, POST_OWN, method="post", fresh=True, data=data),
    ]


MOVE = {"direction": "return", "stage": "prepare", "note": "walk"}

EXPECTED = {
    "equality:home": Expect(READ_PAGE),
    "equality:reviews-due": Expect(READ_PAGE),
    "equality:wres-upload": Expect(CREATE_PAGE),
    "equality:wres-detail": _record(make_wres, READ_OTHER, READ_OWN),
    "equality:wres-narrative": _record(make_wres, CHANGE_OTHER, CHANGE_OWN),
    "equality:wres-action-add": _record(make_wres, CHANGE_OTHER, CHANGE_OWN),
    "equality:wres-report": _record(make_wres, READ_OTHER, READ_OWN),
    "equality:eds-create": Expect(CREATE_PAGE),
    "equality:eds-detail": _record(make_eds_of_a_new_year, READ_OTHER, READ_OWN),
    "equality:eds-service-add": _record(make_eds_of_a_new_year, CHANGE_OTHER, CHANGE_OWN),
    "equality:eds-outcome": _record(
        make_eds_of_a_new_year, CHANGE_OTHER, CHANGE_OWN, extra={"code": "2A"}
    ),
    "equality:eds-action-add": _record(make_eds_of_a_new_year, CHANGE_OTHER, CHANGE_OWN),
    "equality:eds-publish": _post_only(make_eds_of_a_new_year, {"published": "yes"}),
    "equality:eds-summary": [
        Expect(PUBLISHED, kwargs=_published),
        *_record(make_eds_of_a_new_year, UNPUBLISHED_OTHER, UNPUBLISHED_OWN),
    ],
    "equality:eds-report": Expect(PUBLISHED, kwargs=_published),
    "equality:maturity-create": Expect(CREATE_PAGE),
    "equality:maturity-detail": _record(make_maturity, READ_OTHER, READ_OWN),
    # make_maturity's assessor is another lead, so the walking lead may moderate its own.
    "equality:maturity-moderate": _record(make_maturity, CHANGE_OTHER, CHANGE_OWN),
    "equality:ehia-create": Expect(CREATE_PAGE),
    "equality:ehia-detail": _record(make_ehia, READ_OTHER, READ_OWN),
    "equality:ehia-profile": _post_only(make_ehia, {}),
    "equality:ehia-action-add": _post_only(make_ehia, {}),
    "equality:ehia-move": _post_only(make_ehia, MOVE),
    "equality:ehia-export": _record(make_ehia, READ_OTHER, READ_OWN),
}
