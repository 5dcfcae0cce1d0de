"""Actions write the change and its audit event in one transaction; the audit log page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from healthgap.web.audit import record as audit_record
from healthgap.web.audit.models import Action, AuditEvent
from healthgap.web.audit.record import SystemActor
from healthgap.web.audit.views import PAGE_SIZE
from healthgap.web.directory import actions
from healthgap.web.directory.models import Organisation, OrganisationKind
from tests.web.factories import TEST_JOB, make_organisation, make_user


@pytest.mark.django_db
def test_create_organisation_is_audited():
    admin = make_user("administrator")
    organisation = actions.create_organisation(
        by=admin, name="Food Bank", kind=OrganisationKind.VOLUNTARY, lsoa21="E01000001"
    )
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_username, event.action) == (admin, admin.username, "create")
    assert (event.object_type, event.object_id) == ("directory.organisation", str(organisation.pk))
    assert event.changes == {"name": "Food Bank", "kind": "voluntary", "lsoa21": "E01000001"}


@pytest.mark.django_db
def test_update_records_old_and_new_values_of_changed_fields_only():
    organisation = make_organisation(name="Old name", website="")
    admin = make_user("administrator")
    actions.update_organisation(
        by=admin, organisation=organisation, name="New name", kind=organisation.kind
    )
    event = AuditEvent.objects.get()
    assert event.action == Action.CHANGE
    assert event.changes == {"name": ["Old name", "New name"]}
    assert Organisation.objects.get().name == "New name"


@pytest.mark.django_db
def test_delete_is_audited():
    organisation = make_organisation(name="Gone")
    actions.delete_organisation(by=make_user("administrator"), organisation=organisation)
    assert not Organisation.objects.exists()
    assert AuditEvent.objects.get().summary == "Deleted organisation Gone"


@pytest.mark.django_db
def test_invalid_fields_write_nothing():
    with pytest.raises(ValidationError, match="E01 followed by six digits"):
        actions.create_organisation(by=TEST_JOB, name="X", kind="voluntary", lsoa21="E02000001")
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("by", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_a_change_without_a_typed_actor_is_refused_and_writes_nothing(by):
    with pytest.raises(TypeError, match="signed-in user or a SystemActor"):
        actions.create_organisation(by=by, name="Food Bank", kind="voluntary")
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_system_job_is_stored_by_name_without_a_user():
    actions.create_organisation(by=SystemActor("load_demo"), name="Food Bank", kind="voluntary")
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_username) == (None, "system:load_demo")


def test_a_system_actor_needs_a_name():
    with pytest.raises(ValueError, match="needs a name"):
        SystemActor(" ")


@pytest.mark.django_db(transaction=True)
def test_no_change_is_left_when_the_audit_write_fails(monkeypatch):
    admin = make_user("administrator")

    def broken_create(**kwargs):
        raise IntegrityError("audit table unavailable")

    monkeypatch.setattr(audit_record.AuditEvent.objects, "create", broken_create)
    with pytest.raises(IntegrityError, match="audit table unavailable"):
        actions.create_organisation(by=admin, name="Food Bank", kind="voluntary")
    assert not Organisation.objects.exists()

    organisation = make_organisation(name="Kept")
    with pytest.raises(IntegrityError):
        actions.update_organisation(by=admin, organisation=organisation, name="Changed")
    with pytest.raises(IntegrityError):
        actions.delete_organisation(by=admin, organisation=organisation)
    assert Organisation.objects.get().name == "Kept"


@pytest.mark.django_db
def test_audit_log_lists_filters_and_pages(client_for, role_users):
    admin, partner = role_users["administrator"], role_users["partner"]
    for n in range(PAGE_SIZE + 1):
        actions.create_organisation(by=partner, name=f"Org {n}", kind="voluntary")
    actions.create_organisation(by=admin, name="Admin's org", kind="council")
    client = client_for("administrator")  # force_login records one LOGIN event

    page = client.get("/audit/").content.decode()
    assert f"({PAGE_SIZE + 3} in all)" in page
    assert "Next" in page and "Admin&#x27;s org" in page

    assert f"({PAGE_SIZE + 1} in all)" in client.get("/audit/?user=PARTNER").content.decode()
    assert "(1 in all)" in client.get("/audit/?action=login").content.decode()
    last = client.get("/audit/?user=partner&page=2").content.decode()
    assert "(51 in all)" in last and "Previous" in last and "Org 0" in last


@pytest.mark.parametrize("role", ["analyst", "partner", "champion"])
@pytest.mark.django_db
def test_audit_log_is_for_administrators_only(client_for, role):
    assert client_for(role).get("/audit/").status_code == 403
