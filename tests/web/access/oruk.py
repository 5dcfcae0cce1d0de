"""Expected access: the Open Referral UK API is public and anonymous (ORUK requires it)."""

from tests.web.access import everyone
from tests.web.directory.factories import link, make_location, make_service
from tests.web.factories import make_organisation


def _service(users):
    return {"id": str(make_service().uuid)}


def _service_at_location(users):
    service = make_service()
    return {"id": str(link(service, make_location(service.organisation)).uuid)}


def _taxonomy(users):
    from healthgap.web.directory.vocabularies import taxonomy_uuid

    return {"id": str(taxonomy_uuid())}


def _term(users):
    from healthgap.web.directory.vocabularies import term_uuid

    return {"id": str(term_uuid("vaccination"))}


EXPECTED = {
    "oruk:root": everyone(200),
    "oruk:openapi": everyone(200),
    "oruk:services": everyone(200),
    "oruk:service": [everyone(200, kwargs=_service), everyone(404, kwargs=lambda u: {"id": "x"})],
    "oruk:service-at-locations": everyone(200),
    "oruk:service-at-location": everyone(200, kwargs=_service_at_location),
    "oruk:taxonomies": everyone(200),
    "oruk:taxonomy": everyone(200, kwargs=_taxonomy),
    "oruk:taxonomy-terms": everyone(200),
    "oruk:taxonomy-term": everyone(200, kwargs=_term),
    "oruk:organizations": everyone(200),
    "oruk:organization": everyone(200, kwargs=lambda u: {"id": str(make_organisation().uuid)}),
    "oruk:not-found": everyone(404, kwargs=lambda u: {"rest": "no-such-endpoint"}),
}
