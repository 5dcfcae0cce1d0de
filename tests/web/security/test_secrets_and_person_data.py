"""Secrets and person-level data never leak: no key, password, token or raw NHS number in any log
line or console output (population import, sign-in, API calls, errors), and no person-level field
in any API schema, API response or export."""

from __future__ import annotations

import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse

from healthgap.disclosure.pseudonymise import PseudonymKey
from healthgap.population.importer import import_population
from healthgap.population.problems import PopulationImportError
from healthgap.web.audit.models import AuditEvent
from healthgap.web.tokens.actions import create_token
from tests.web.access import collect
from tests.web.factories import PASSWORD, TEST_JOB

SECRET = b"security-tests-key-never-logged-0123456789"
RAW_NUMBERS = ["9434765919", "4010232137"]  # valid (tests/disclosure/test_nhs_number.py)
#: Person-level columns of healthgap.population.schema that identify or single out a person.
PERSON_FIELDS = {
    "person_id", "nhs_number", "pseudonym", "birth_month", "date_of_birth",
    "registration_start", "registration_end",
}  # fmt: skip
# (A postcode is in the directory, but of an organisation's address, not of a person.)
EXPECTED = collect()


@pytest.fixture
def everything_logged(caplog):
    """Every logger at DEBUG, captured."""
    caplog.set_level(logging.DEBUG)
    return caplog


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


def test_population_import_never_logs_the_key_or_raw_nhs_numbers(
    tmp_path, everything_logged, capfd
):
    key = PseudonymKey(SECRET, "tests")
    header = "nhs_number,sex,age,birth_month,ethnicity,lsoa21,gp_practice,registration_start"
    good = tmp_path / "good.csv"
    good.write_text(
        f"{header},registration_end\n"
        f"{RAW_NUMBERS[0]},M,42,,A,E01000001,M85001,2010-01-01,\n"
        f"{RAW_NUMBERS[1]},F,30,,B,E01000002,M85002,2011-01-01,\n",
        encoding="utf-8",
    )
    import_population(good, tmp_path / "out", key=key, today=None)
    bad = tmp_path / "bad.csv"  # a duplicate and a wrong check digit: problems quote the rows
    bad.write_text(
        f"{header},registration_end\n"
        f"{RAW_NUMBERS[0]},M,42,,A,E01000001,M85001,2010-01-01,\n"
        f"{RAW_NUMBERS[0]},F,30,,B,E01000002,M85002,2011-01-01,\n"
        "9434765918,F,30,,B,E01000002,M85002,2011-01-01,\n",
        encoding="utf-8",
    )
    with pytest.raises(PopulationImportError) as caught:
        import_population(bad, tmp_path / "out2", key=key)
    output = capfd.readouterr()
    secrets = [SECRET.decode(), SECRET.hex(), *RAW_NUMBERS, "9434765918"]
    assert not _leaks(everything_logged.text, secrets)
    assert not _leaks(output.out + output.err, secrets)
    report = str(caught.value) + caught.value.to_frame().to_csv()
    assert not _leaks(report, secrets)
    assert "943*****19" in report  # the masked form is what a problem report shows


@pytest.mark.django_db
def test_web_requests_never_log_passwords_tokens_or_the_secret_key(
    client, role_users, everything_logged, capfd
):
    _, token = create_token(by=TEST_JOB, user=role_users["analyst"], name="log check")
    client.post("/accounts/login/", {"username": "partner", "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "partner", "password": PASSWORD + "x"})
    for url in (reverse("api:me"), reverse("api:need-indicators"), "/no-such-page/"):
        client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}x")  # a wrong token: 401
    output = capfd.readouterr()
    secrets = [PASSWORD, token, settings.SECRET_KEY]
    assert "Not Found: /no-such-page/" in everything_logged.text  # the capture sees requests
    assert not _leaks(everything_logged.text, secrets)
    assert not _leaks(output.out + output.err, secrets)
    audit = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert not _leaks(audit, secrets)


def _property_names(node) -> set[str]:
    """Every key under any "properties" object in a JSON schema, recursively."""
    names: set[str] = set()
    if isinstance(node, dict):
        names |= (
            set(node.get("properties", {})) if isinstance(node.get("properties"), dict) else set()
        )
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def _keys(node) -> set[str]:
    """Every object key in a JSON document."""
    if isinstance(node, dict):
        return set(node) | set().union(*(_keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_keys(v) for v in node)) if node else set()
    return set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("schema_url", "at_least"), [("/api/openapi.json", 50), ("/oruk/openapi.json", 5)]
)
def test_no_person_level_field_in_the_api_schemas(client, schema_url, at_least):
    response = client.get(schema_url)
    assert response.status_code == 200
    names = _property_names(response.json())
    assert len(names) >= at_least  # the walk sees the schemas' fields
    assert not names & PERSON_FIELDS


@pytest.mark.django_db
def test_no_person_level_field_in_any_api_response_or_export(client, role_users):
    """Every GET of the API, the ORUK API and the exports, as an analyst (the widest view)."""
    client.force_login(role_users["analyst"])
    seen = 0
    for name, cases in EXPECTED.items():
        if not name.startswith(("api:", "oruk:")) and "export" not in name:
            continue
        for case in cases:
            if case.method != "get":
                continue
            response = client.get(reverse(name, kwargs=case.kwargs(role_users)))
            if response.status_code != 200:
                continue
            seen += 1
            kind = response.get("Content-Type", "")
            body = b"".join(response) if response.streaming else response.content
            if kind.startswith("application/json"):
                fields = _keys(json.loads(body))
            else:  # CSV exports: the header row
                fields = set(body.decode("utf-8-sig").splitlines()[0].split(",")) if body else set()
            assert not fields & PERSON_FIELDS, f"{name}: {sorted(fields & PERSON_FIELDS)}"
    assert seen > 20
