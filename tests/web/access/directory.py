"""Expected access: the directory is public to read; partners and champions change only their
own organisation's records, administrators any; champions' personal details are for
administrators, analysts, their own organisation and themselves; only the champion or an
administrator withdraws consent; imports are for administrators, exports also for analysts."""

from healthgap.web.directory.models import CommunityChampion
from tests.web.access import Expect, everyone, only
from tests.web.directory.factories import make_champion, make_location, make_service
from tests.web.factories import make_organisation

EDITORS = ("administrator", "partner")  # for records of the partner's own organisation
PATCH = {"method": "patch", "json": True, "data": {"capacity_notes": "Two sessions a week."}}
SIGNED_IN = ("administrator", "analyst", "partner", "champion", "equality_lead")


def _own_org(users):
    return {"pk": users["partner"].organisation_id}


def _other_org(users):
    return {"pk": make_organisation().pk}


def _own_service(users):
    return {"pk": make_service(users["partner"].organisation).pk}


def _other_service(users):
    return {"pk": make_service().pk}


def _own_location(users):
    return {"pk": make_location(users["partner"].organisation).pk}


def _other_location(users):
    return {"pk": make_location().pk}


def _partners_champion(users):
    return {"pk": make_champion(users["partner"].organisation).pk}


def _independent_champion(users):
    return {"pk": make_champion(None).pk}


def _champions_own_record(users):
    champion = users["champion"]
    return {"pk": make_champion(champion.organisation, user=champion).pk}


def _champions_live_record(users):
    """The champion user's own record, consent not withdrawn (a new one after a withdrawal)."""
    champion = users["champion"]
    record = CommunityChampion.objects.filter(user=champion, withdrawn_at__isnull=True).first()
    return {"pk": (record or make_champion(champion.organisation, user=champion)).pk}


def _by_org(**options):
    """Own organisation (administrator and partner) and another one (administrator only)."""
    return [
        only(*EDITORS, kwargs=_own_org, **options),
        only("administrator", kwargs=_other_org, **options),
    ]


EXPECTED = {
    "directory:organisation-list": everyone(200),
    "directory:organisation-create": only("administrator"),
    "directory:organisation-detail": [
        everyone(200, kwargs=_other_org),
        # Inactive organisations are hidden from everyone who cannot edit them.
        Expect(
            {
                "public": 404,
                "administrator": 200,
                "analyst": 404,
                "partner": 404,
                "champion": 404,
                "equality_lead": 404,
            },
            kwargs=lambda users: {"pk": make_organisation(active=False).pk},
        ),
    ],
    "directory:organisation-edit": _by_org(),
    "directory:service-create": _by_org(),
    "directory:location-create": _by_org(),
    "directory:service-detail": everyone(200, kwargs=_other_service),
    "directory:service-edit": [
        only(*EDITORS, kwargs=_own_service),
        only("administrator", kwargs=_other_service),
    ],
    "directory:service-delete": [
        only(*EDITORS, kwargs=_own_service),
        only("administrator", kwargs=_other_service),
    ],
    "directory:location-edit": [
        only(*EDITORS, kwargs=_own_location),
        only("administrator", kwargs=_other_location),
    ],
    "directory:location-delete": [
        only(*EDITORS, kwargs=_own_location),
        only("administrator", kwargs=_other_location),
    ],
    "directory:champion-list": everyone(200),
    "directory:champion-create": only("administrator", "partner", "champion"),
    "directory:champion-detail": [
        only("administrator", "analyst", "partner", kwargs=_partners_champion),
        only("administrator", "analyst", kwargs=_independent_champion),
        only("administrator", "analyst", "champion", kwargs=_champions_own_record),
    ],
    "directory:champion-edit": [
        only(*EDITORS, kwargs=_partners_champion),
        only("administrator", kwargs=_independent_champion),
        only("administrator", "champion", kwargs=_champions_own_record),
    ],
    "directory:champion-withdraw": [
        only("administrator", kwargs=_partners_champion),
        only("administrator", "champion", kwargs=_champions_own_record),
    ],
    "directory:import": only("administrator"),
    "directory:export": only("administrator", "analyst"),
    # The /api/directory/ endpoints (payload validation is tested in tests/web/directory/).
    "api:directory-organisations": everyone(200),
    "api:directory-organisation": [
        everyone(200, kwargs=_own_org),
        only(*EDITORS, anonymous=401, kwargs=_own_org, **PATCH),
        only("administrator", anonymous=401, kwargs=_other_org, **PATCH),
    ],
    "api:directory-services": everyone(200),
    "api:directory-service": everyone(200, kwargs=_other_service),
    "api:directory-champion-counts": everyone(200),
    "api:directory-champions": only(*SIGNED_IN, anonymous=401),
    "api:directory-champion": [
        only("administrator", "analyst", "partner", anonymous=401, kwargs=_partners_champion),
        only("administrator", "analyst", "champion", anonymous=401, kwargs=_champions_own_record),
    ],
    "api:directory-champion-withdraw": [
        everyone(405, kwargs=_partners_champion),  # POST only
        only("administrator", anonymous=401, kwargs=_partners_champion, method="post", fresh=True),
        only(
            "administrator",
            "champion",
            anonymous=401,
            kwargs=_champions_live_record,
            method="post",
            fresh=True,
        ),
    ],
}
