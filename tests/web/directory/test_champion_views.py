"""Community Champions: anonymous counts for everyone (small numbers suppressed), names only
for those who may see them, consent recorded on adding and withdrawable."""

from __future__ import annotations

import pytest

from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.directory.models import CommunityChampion
from tests.web.directory.factories import WALSALL_LSOA, WALSALL_MSOA, community, make_champion
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def champions(role_users):
    own = make_champion(role_users["partner"].organisation, name="Rahima Own", languages=["bn"])
    other = make_champion(make_organisation(), name="Gurpreet Other", languages=["pa"])
    independent = make_champion(None, name="Ionela Independent", languages=["ro"])
    mine = make_champion(
        role_users["champion"].organisation, name="Amina Myself", user=role_users["champion"]
    )
    for n in range(7):
        make_champion(
            None, name=f"Punjabi speaker {n}", languages=["pa"], neighbourhoods=[WALSALL_LSOA]
        )
    return {"own": own, "other": other, "independent": independent, "mine": mine}


def listed(response):
    return {c.name for c in response.context["page"]}


def test_the_public_sees_only_suppressed_counts(client_for, champions):
    response = client_for("public").get("/directory/champions/")
    page = response.content.decode()
    assert listed(response) == set()
    assert "Rahima" not in page and "Amina" not in page
    counts = dict(response.context["counts"]["language"])
    assert counts == {"Bengali": "*", "Punjabi": 8, "Romanian": "*"}  # 8 is above the threshold
    assert dict(response.context["counts"]["total"]) == {"All champions": 11}
    assert dict(response.context["counts"]["area"]) == {f"{WALSALL_LSOA} Walsall 006D": "*"}


def test_analysts_see_every_count_and_every_name(client_for, champions):
    response = client_for("analyst").get("/directory/champions/")
    assert dict(response.context["counts"]["language"])["Bengali"] == 1
    assert {"Rahima Own", "Gurpreet Other", "Ionela Independent", "Amina Myself"} <= listed(
        response
    )


def test_partners_see_their_own_organisation_s_champions(client_for, champions):
    assert listed(client_for("partner").get("/directory/champions/")) == {"Rahima Own"}
    response = client_for("champion").get("/directory/champions/")
    assert listed(response) == {"Amina Myself"}
    assert response.context["own_record"] == champions["mine"]
    assert "Your champion record" in response.content.decode()


def test_detail_shows_contact_details_to_those_allowed(client_for, champions):
    own = champions["own"]
    page = client_for("partner").get(f"/directory/champions/{own.pk}/").content.decode()
    assert own.email in page and "Withdraw consent" not in page
    assert (
        client_for("partner").get(f"/directory/champions/{champions['other'].pk}/").status_code
        == 403
    )
    admin_page = client_for("administrator").get(f"/directory/champions/{own.pk}/").content.decode()
    assert "Withdraw consent" in admin_page


def champion_form(**changes):
    data = {
        "name": "Hodan Ali",
        "email": "hodan@example.org",
        "phone": "01632 960106",
        "languages": [community("so").pk],
        "communities": [community("african").pk],
        "neighbourhoods": f"{WALSALL_LSOA}, {WALSALL_MSOA}",
        "consent": "on",
        "consent_given_on": "2026-02-01",
    }
    return {**data, **changes}


def test_partner_adds_a_champion_to_their_own_organisation_with_consent(client_for, role_users):
    partner = role_users["partner"]
    other = make_organisation()
    response = client_for("partner").post(
        "/directory/champions/new/", champion_form(organisation=other.pk)
    )
    champion = CommunityChampion.objects.get()
    assert response["Location"] == f"/directory/champions/{champion.pk}/"
    assert champion.organisation == partner.organisation  # not the one posted
    assert (champion.consent_version, str(champion.consent_given_on)) == ("1.0", "2026-02-01")
    assert champion.consent_recorded_by == partner
    assert sorted(champion.neighbourhoods.values_list("code", flat=True)) == [
        WALSALL_LSOA,
        WALSALL_MSOA,
    ]
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert "Hodan" not in str(event.changes) and "Hodan" not in event.summary


def test_consent_must_be_given_to_add_a_champion(client_for):
    response = client_for("partner").post("/directory/champions/new/", champion_form(consent=""))
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not CommunityChampion.objects.exists()


def test_administrator_adds_an_independent_champion(client_for):
    client_for("administrator").post("/directory/champions/new/", champion_form(organisation=""))
    assert CommunityChampion.objects.get().organisation is None


def test_champion_edits_their_own_record(client_for, champions):
    mine = champions["mine"]
    form = champion_form(name="Amina H", neighbourhoods="")
    response = client_for("champion").post(f"/directory/champions/{mine.pk}/edit/", form)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "Amina H" and mine.user is not None


def test_champion_withdraws_their_own_consent(client_for, champions, role_users):
    mine = champions["mine"]
    client = client_for("champion")
    assert (
        "Withdraw your consent"
        in client.get(f"/directory/champions/{mine.pk}/withdraw/").content.decode()
    )
    response = client.post(f"/directory/champions/{mine.pk}/withdraw/", {})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(
        f"/directory/champions/{mine.pk}/withdraw/", {"confirm": "on"}, follow=True
    )
    assert "Your consent has been withdrawn" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.name, mine.email, mine.phone, mine.user) == ("", "", "", None)
    assert mine.withdrawn and mine.withdrawal_recorded_by is None
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.actor == role_users["champion"] and "Amina" not in event.summary
    # The anonymous record still counts, and no-one can open or change it but administrators.
    counts = client_for("public").get("/directory/champions/").context["counts"]
    assert dict(counts["total"]) == {"All champions": 11}
    assert client_for("champion").get(f"/directory/champions/{mine.pk}/").status_code == 403
    admin = client_for("administrator")
    assert (
        "Consent was withdrawn on" in admin.get(f"/directory/champions/{mine.pk}/").content.decode()
    )
    assert admin.get(f"/directory/champions/{mine.pk}/edit/").status_code == 403
    assert (
        admin.post(f"/directory/champions/{mine.pk}/withdraw/", {"confirm": "on"}).status_code
        == 403
    )


def test_administrator_records_a_withdrawal_and_partners_cannot(client_for, champions):
    own = champions["own"]
    assert (
        client_for("partner")
        .post(f"/directory/champions/{own.pk}/withdraw/", {"confirm": "on"})
        .status_code
        == 403
    )
    assert CommunityChampion.objects.get(pk=own.pk).name == "Rahima Own"
    client_for("administrator").post(f"/directory/champions/{own.pk}/withdraw/", {"confirm": "on"})
    own.refresh_from_db()
    assert own.withdrawn and own.name == ""
    assert "Recorded withdrawal of consent" in AuditEvent.objects.get(action=Action.CHANGE).summary
