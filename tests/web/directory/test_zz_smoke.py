import pytest, json
from tests.web.directory.factories import *
from healthgap.web.directory.models import *

@pytest.mark.django_db
def test_smoke(client_for, role_users):
    org = role_users["partner"].organisation
    s = make_service(org, description="x", minimum_age=10)
    loc = make_location(org, latitude=52.58, longitude=-1.98, postcode="WS1 1TP", address_1="1 High St", city="Walsall")
    link(s, loc)
    s.taxonomy_terms.add(term("vaccination")); s.languages.add(community("pa"))
    c = client_for("public")
    for url in ["/directory/", f"/directory/organisations/{org.pk}/", f"/directory/services/{s.pk}/", "/directory/champions/", "/oruk/", "/oruk/services", f"/oruk/services/{s.uuid}", "/oruk/service_at_locations?postcode=WS1 1TP&proximity=1000", "/oruk/taxonomies", "/oruk/taxonomy_terms", "/oruk/organizations", f"/oruk/organizations/{org.uuid}", "/oruk/openapi.json"]:
        r = c.get(url)
        print(url, r.status_code, r.get("Access-Control-Allow-Origin"))
        assert r.status_code == 200, r.content[:2000]
        if url.startswith("/oruk/services/"): print(json.dumps(r.json(), indent=1)[:3000])
    c = client_for("partner")
    for url in [f"/directory/organisations/{org.pk}/edit/", f"/directory/organisations/{org.pk}/services/new/", f"/directory/services/{s.pk}/edit/", f"/directory/organisations/{org.pk}/locations/new/", "/directory/champions/new/"]:
        r = c.get(url); print(url, r.status_code); assert r.status_code == 200, r.content[:3000]
