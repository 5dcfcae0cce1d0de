"""Library step: case studies (two published; one a draft of the demo partner's organisation,
so the partner account sees a draft the public does not). A case study that exists (by title)
is left alone."""

from __future__ import annotations

from healthgap.web.action.models import Programme
from healthgap.web.audit.record import SystemActor
from healthgap.web.demo import data as records
from healthgap.web.directory.models import Organisation
from healthgap.web.library.actions import create_case_study
from healthgap.web.library.models import CaseStudy


def load(data: records.DemoData, by: SystemActor) -> list[str]:
    """Create the case studies that do not exist yet."""
    existing = set(CaseStudy.objects.values_list("title", flat=True))
    new = [spec for spec in data.case_studies if spec.title not in existing]
    for spec in new:
        create_case_study(
            by=by,
            title=spec.title,
            programme=Programme.objects.filter(name=spec.programme).first(),
            summary=spec.summary,
            what_worked=spec.what_worked,
            evidence=spec.evidence,
            evidence_indicators=list(spec.evidence_indicators),
            contacts=Organisation.objects.filter(name__in=spec.contacts),
            tags=list(spec.tags),
            published=spec.published,
            organisation=Organisation.objects.filter(name=spec.owner).first(),
        )
    return [f"Demo case studies: {len(new)} created, {len(data.case_studies) - len(new)} existed."]
