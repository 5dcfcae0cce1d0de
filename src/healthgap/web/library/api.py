"""The learning library API under /api/library/: case studies (published ones are public,
drafts only for those who may edit them), paginated; creating needs a signed-in editor."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from healthgap.web.core.api import (
    READ_AUTH,
    WRITE_AUTH,
    Input,
    Problem,
    caller,
    paged,
)
from healthgap.web.directory.models import Organisation
from healthgap.web.library import actions
from healthgap.web.library.forms import parse_tags
from healthgap.web.library.models import CaseStudy
from healthgap.web.library.permissions import can_create, readable

router = Router(tags=["library"])


class CaseStudyOut(Schema):
    id: int
    title: str
    programme_id: int | None
    summary: str
    what_worked: str
    evidence: str
    evidence_indicators: list[str]
    contact_ids: list[int]
    tags: list[str]
    published: bool
    organisation_id: int | None
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_contact_ids(obj: CaseStudy) -> list[int]:
        return sorted(o.pk for o in obj.contacts.all())

    @staticmethod
    def resolve_url(obj: CaseStudy) -> str:
        return obj.get_absolute_url()


class CaseStudyIn(Input):
    title: str
    programme_id: int | None = None
    summary: str
    what_worked: str
    evidence: str = ""
    evidence_indicators: list[str] = []
    contact_ids: list[int] = []
    tags: list[str] = []
    published: bool = False


def _case_studies(request: HttpRequest) -> Any:
    return readable(caller(request)).prefetch_related("contacts")


@router.get(
    "/case-studies", response=list[CaseStudyOut], url_name="library-case-studies", auth=READ_AUTH
)
@paged
def list_case_studies(request: HttpRequest, tag: str | None = None) -> Any:
    """Published case studies, and the drafts you may edit; `tag` keeps those with that tag."""
    case_studies = _case_studies(request)
    if tag:
        wanted = tag.strip().lower()
        return [cs for cs in case_studies if wanted in cs.tags]
    return case_studies


@router.post(
    "/case-studies",
    response={201: CaseStudyOut, 422: Problem},
    url_name="library-case-studies",
    auth=WRITE_AUTH,
)
def create_case_study(request: HttpRequest, payload: CaseStudyIn) -> Any:
    user = caller(request)
    if not can_create(user):
        raise HttpError(403, "You may not write case studies.")
    contacts = list(Organisation.objects.filter(pk__in=payload.contact_ids))
    if len(contacts) != len(set(payload.contact_ids)):
        raise ValidationError({"contact_ids": ["Some of these organisations do not exist."]})
    fields = payload.dict(exclude={"contact_ids"}) | {"tags": parse_tags(",".join(payload.tags))}
    case_study = actions.create_case_study(by=user, contacts=contacts, **fields)
    return Status(201, case_study)


@router.get(
    "/case-studies/{pk}", response=CaseStudyOut, url_name="library-case-study", auth=READ_AUTH
)
def get_case_study(request: HttpRequest, pk: int) -> CaseStudy:
    """A published case study, or a draft you may edit (404 otherwise)."""
    try:
        return _case_studies(request).get(pk=pk)
    except CaseStudy.DoesNotExist as missing:
        raise Http404("No such case study.") from missing
