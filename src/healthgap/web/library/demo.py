"""Demo case studies for the learning library (called by `load_demo` after the action demo).

Two are published; one is a draft of the demo partner's organisation, so the partner account
sees a draft the public does not. Idempotent (by title).
"""

from __future__ import annotations

from typing import Any

from healthgap.web.action.demo import GURDWARA, SMETHWICK_PCN, WALSALL_TRUST
from healthgap.web.action.models import Programme
from healthgap.web.directory.demo import DEMO_CHAMPION_ORGANISATION, DEMO_PARTNER_ORGANISATION
from healthgap.web.directory.models import Organisation
from healthgap.web.library.actions import create_case_study
from healthgap.web.library.models import CaseStudy

CASE_STUDIES: list[dict[str, Any]] = [
    {
        "title": "A Saturday vaccine clinic with a Roma health mediator",
        "programme": "Vaccine ambassadors in Sandwell",
        "summary": "Roma families in West Bromwich rarely came to weekday clinics. A "
        "co-production meeting asked for a Saturday clinic and a mediator who speaks Romanian "
        "and Slovak.",
        "what_worked": "Holding the clinic in the community centre families already use; a "
        "Roma health mediator at the door; leaflets in Romanian and Slovak; walk-ins without "
        "an NHS number.",
        "evidence": "The first Saturday clinic saw more Roma children than the previous six "
        "months of weekday clinics. MMR uptake in the neighbourhood is tracked monthly.",
        "evidence_indicators": ["mmr2_by_age_5"],
        "contacts": [SMETHWICK_PCN, DEMO_PARTNER_ORGANISATION],
        "tags": ["vaccination", "roma", "co-production"],
        "published": True,
        "owner": SMETHWICK_PCN,
    },
    {
        "title": "Health checks after Friday prayers and langar",
        "programme": "Community health checks in Wolverhampton mosques and gurdwaras",
        "summary": "Volunteers from a mosque and a gurdwara ran NHS Health Checks where people "
        "already gather, with the local GP practice taking referrals the same week.",
        "what_worked": "Checks by members of the congregation; women-only sessions with female "
        "health care assistants; results by text message rather than letter; diet advice that "
        "talks about the food people actually eat.",
        "evidence": "Hundreds of checks in the first months, most for people who had never had "
        "one; raised blood pressure found in about one in five and referred.",
        "evidence_indicators": ["nhs_health_check_uptake", "hypertension_recorded_prevalence"],
        "contacts": [DEMO_CHAMPION_ORGANISATION, GURDWARA],
        "tags": ["health checks", "faith settings", "hypertension"],
        "published": True,
        "owner": DEMO_CHAMPION_ORGANISATION,
    },
    {
        "title": "Doulas who speak the mother's language (draft)",
        "programme": "Punjabi- and Urdu-speaking doulas in Walsall",
        "summary": "Doulas speaking Punjabi and Urdu supported women through pregnancy and "
        "birth, introduced by the midwife at booking.",
        "what_worked": "Introduction at the booking appointment; voice notes in Urdu before "
        "each appointment; morning antenatal classes.",
        "evidence": "To be added when the first year's feedback is in.",
        "evidence_indicators": [],
        "contacts": [DEMO_PARTNER_ORGANISATION, WALSALL_TRUST],
        "tags": ["maternity", "language"],
        "published": False,
        "owner": DEMO_PARTNER_ORGANISATION,
    },
]


def load(stdout: Any) -> None:
    created = 0
    for spec in CASE_STUDIES:
        if CaseStudy.objects.filter(title=spec["title"]).exists():
            continue
        programme = Programme.objects.filter(name=spec["programme"]).first()
        create_case_study(
            by=None,
            title=spec["title"],
            programme=programme,
            summary=spec["summary"],
            what_worked=spec["what_worked"],
            evidence=spec["evidence"],
            evidence_indicators=spec["evidence_indicators"],
            contacts=Organisation.objects.filter(name__in=spec["contacts"]),
            tags=spec["tags"],
            published=spec["published"],
            organisation=Organisation.objects.filter(name=spec["owner"]).first(),
        )
        created += 1
    stdout.write(f"Demo case studies: {created} created, {len(CASE_STUDIES) - created} existed.")
