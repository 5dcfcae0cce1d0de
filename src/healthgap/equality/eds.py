"""Equality Delivery System 2022 (EDS 2022): 3 domains, 11 outcomes, graded with stakeholders.

Each outcome gets a stakeholder-agreed grade: 0 Undeveloped, 1 Developing, 2 Achieving,
3 Excelling, with its evidence and the stakeholders who agreed it. Domain 1 (commissioned or
provided services) is graded service by service (typically three services); each of outcomes
1A-1D then takes the median of its service grades (the middle service, as standards.md records
from an excerpt of awp.nhs.uk, unverified against the technical guidance; with an even number
of services, the lower of the two middle grades, our choice). Domains 2 and 3 are graded once
for the organisation. The organisation's score is the sum of the 11 outcome scores (at most
33) and is rated by the EDS Rating and Score Card: under 8 Undeveloped, 8-21 Developing, 22-32
Achieving, 33 Excelling (`ScoreCard`). The 8 and 21 boundaries are confirmed by Leeds Teaching
Hospitals' published rating (leedsth.nhs.uk, 2023/24: 21 is Developing); 22-32 and 33 are
unverified (the same page's 2024/25 text says 22-30): docs/equality.md, "Sources".
Domain ratings apply the same thresholds pro rata to the domain's number of outcomes
(threshold x outcomes / 11), our reading, since the score card rates the total.

`EDSAssessment.summary()` gives a plain dict for the report engine, `markdown()` the published
summary, and `compare(previous, current)` the year-on-year table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from healthgap.equality.errors import AssessmentError

DOMAINS = {
    1: "Commissioned or provided services",
    2: "Workforce health and well-being",
    3: "Inclusive leadership",
}
OUTCOMES = {
    "1A": "Patients (service users) have required levels of access to the service",
    "1B": "Individual patients' (service users') health needs are met",
    "1C": "When patients (service users) use the service, they are free from harm",
    "1D": "Patients (service users) report positive experiences of the service",
    "2A": "When at work, staff are provided with support to manage obesity, diabetes, asthma, "
    "COPD and mental health conditions",
    "2B": "When at work, staff are free from abuse, harassment, bullying and physical violence "
    "from any source",
    "2C": "Staff have access to independent support and advice when suffering from stress, "
    "abuse, bullying, harassment and physical violence from any source",
    "2D": "Staff recommend the organisation as a place to work and receive treatment",
    "3A": "Board members, system and senior leaders (Band 9 and VSM) routinely demonstrate "
    "their understanding of, and commitment to, equality and health inequalities",
    "3B": "Board/committee papers (including minutes) identify equality and health "
    "inequalities related impacts and risks and how they will be mitigated and managed",
    "3C": "Board members and system leaders (Band 9 and VSM) ensure levers are in place to "
    "manage performance and monitor progress with staff and patients",
}
GRADES = {0: "Undeveloped", 1: "Developing", 2: "Achieving", 3: "Excelling"}
SERVICE_OUTCOMES = ("1A", "1B", "1C", "1D")
ORGANISATION_OUTCOMES = tuple(code for code in OUTCOMES if code[0] != "1")


def domain_of(code: str) -> int:
    """The domain (1-3) of an outcome code such as "2B"."""
    return int(code[0])


def _check_grade(grade: object, where: str) -> int:
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADES:
        raise AssessmentError(f"{where}: the grade must be 0, 1, 2 or 3, not {grade!r}.")
    return grade


@dataclass(frozen=True)
class ScoreCard:
    """Overall rating thresholds on the summed score of all 11 outcomes (0-33).

    Defaults: the EDS 2022 Rating and Score Card as standards.md records it (under 8
    Undeveloped, 8-21 Developing, 22-32 Achieving, 33 Excelling). 8 and 21 are confirmed by a
    trust's published rating; the top bands (22-32, 33) are unverified against the official
    score card; `ScoreCard(excelling_from=31)` gives the "22 to 30 Achieving" reading.
    """

    developing_from: int = 8
    achieving_from: int = 22
    excelling_from: int = 33

    def __post_init__(self) -> None:
        if not 0 < self.developing_from < self.achieving_from < self.excelling_from <= 33:
            raise AssessmentError(
                "Score card thresholds must rise: 0 < developing < achieving < excelling <= 33."
            )

    def rating(self, score: float, outcomes: int = len(OUTCOMES)) -> str:
        """The rating of `score` summed over `outcomes` outcomes (thresholds x outcomes / 11)."""
        scale = outcomes / len(OUTCOMES)
        for label, threshold in (
            ("Excelling", self.excelling_from),
            ("Achieving", self.achieving_from),
            ("Developing", self.developing_from),
        ):
            if score >= threshold * scale - 1e-9:
                return label
        return "Undeveloped"


@dataclass(frozen=True)
class OutcomeGrade:
    """The stakeholder-agreed grade (0-3) of one outcome for the whole organisation (2A-3C)."""

    code: str
    grade: int
    evidence: tuple[str, ...] = ()
    stakeholders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceGrades:
    """One service assessed under domain 1: a grade (0-3) for each of 1A-1D."""

    service: str
    grades: Mapping[str, int]
    evidence: tuple[str, ...] = ()
    stakeholders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    """One line of the EDS action plan."""

    outcome: str
    action: str
    owner: str
    due: date
    done: bool = False


def _median_low(values: Sequence[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class EDSAssessment:
    """One year's EDS 2022 assessment of an organisation.

    Raises `AssessmentError` naming every missing or invalid outcome grade.
    """

    organisation: str
    year: str
    services: tuple[ServiceGrades, ...]
    outcomes: tuple[OutcomeGrade, ...]
    actions: tuple[Action, ...] = ()
    score_card: ScoreCard = field(default_factory=ScoreCard)

    def __post_init__(self) -> None:
        problems = []
        if not self.services:
            problems.append("domain 1 needs at least one assessed service (typically three)")
        for svc in self.services:
            missing = [c for c in SERVICE_OUTCOMES if c not in svc.grades]
            extra = [c for c in svc.grades if c not in SERVICE_OUTCOMES]
            if missing or extra:
                problems.append(
                    f"service {svc.service!r} needs grades for exactly 1A-1D "
                    f"(missing {missing}, unexpected {extra})"
                )
            for code, grade in svc.grades.items():
                try:
                    _check_grade(grade, f"service {svc.service!r}, outcome {code}")
                except AssessmentError as exc:
                    problems.append(str(exc).rstrip("."))
        codes = [o.code for o in self.outcomes]
        for code in ORGANISATION_OUTCOMES:
            if codes.count(code) != 1:
                problems.append(f"outcome {code} must be graded once (found {codes.count(code)})")
        for o in self.outcomes:
            if o.code not in ORGANISATION_OUTCOMES:
                problems.append(f"{o.code!r} is not an outcome graded for the organisation (2A-3C)")
            else:
                try:
                    _check_grade(o.grade, f"outcome {o.code}")
                except AssessmentError as exc:
                    problems.append(str(exc).rstrip("."))
        for a in self.actions:
            if a.outcome not in OUTCOMES:
                problems.append(f"action {a.action!r} names no EDS outcome ({a.outcome!r})")
        if problems:
            raise AssessmentError(
                f"The EDS assessment of {self.organisation} for {self.year} is incomplete: "
                + "; ".join(problems)
                + "."
            )

    def outcome_scores(self) -> dict[str, int]:
        """Score per outcome: domain 1 by the median-service rule, others as graded."""
        scores = {c: _median_low([s.grades[c] for s in self.services]) for c in SERVICE_OUTCOMES}
        scores |= {o.code: o.grade for o in self.outcomes}
        return {code: scores[code] for code in OUTCOMES}

    def domain_scores(self) -> dict[int, int]:
        """Sum of the outcome scores in each domain."""
        totals = dict.fromkeys(DOMAINS, 0)
        for code, score in self.outcome_scores().items():
            totals[domain_of(code)] += score
        return totals

    def total(self) -> int:
        """The organisation's score: the sum over all 11 outcomes (0-33)."""
        return sum(self.outcome_scores().values())

    def rating(self) -> str:
        """The overall rating by the score card."""
        return self.score_card.rating(self.total())

    def domain_ratings(self) -> dict[int, str]:
        """Each domain's rating by the score card, pro rata to its number of outcomes."""
        counts = {d: sum(domain_of(c) == d for c in OUTCOMES) for d in DOMAINS}
        return {d: self.score_card.rating(s, counts[d]) for d, s in self.domain_scores().items()}

    def summary(self) -> dict:
        """The published summary as plain data (for the report engine)."""
        scores = self.outcome_scores()
        evidence = {o.code: o for o in self.outcomes}
        outcomes = []
        for code, title in OUTCOMES.items():
            graded = evidence.get(code)
            outcomes.append(
                {
                    "code": code,
                    "domain": domain_of(code),
                    "title": title,
                    "score": scores[code],
                    "grade": GRADES[scores[code]],
                    "evidence": list(graded.evidence) if graded else [],
                    "stakeholders": list(graded.stakeholders) if graded else [],
                }
            )
        ratings = self.domain_ratings()
        return {
            "organisation": self.organisation,
            "year": self.year,
            "services": [
                {
                    "service": s.service,
                    "grades": dict(s.grades),
                    "evidence": list(s.evidence),
                    "stakeholders": list(s.stakeholders),
                }
                for s in self.services
            ],
            "outcomes": outcomes,
            "domains": [
                {"domain": d, "title": t, "score": self.domain_scores()[d], "rating": ratings[d]}
                for d, t in DOMAINS.items()
            ],
            "total": self.total(),
            "maximum": 3 * len(OUTCOMES),
            "rating": self.rating(),
            "actions": [
                {
                    "outcome": a.outcome,
                    "action": a.action,
                    "owner": a.owner,
                    "due": a.due.isoformat(),
                    "done": a.done,
                }
                for a in self.actions
            ],
        }

    def markdown(self) -> str:
        """The published summary report as Markdown."""
        s = self.summary()
        lines = [
            f"# EDS 2022 summary: {s['organisation']}, {s['year']}",
            "",
            f"Overall: **{s['rating']}** ({s['total']} of {s['maximum']}).",
            "",
            f"Domain 1 was graded on {len(s['services'])} services: "
            + ", ".join(x["service"] for x in s["services"])
            + " (each outcome takes the median service grade).",
            "",
            "| Outcome | Score | Grade | Evidence | Stakeholders |",
            "| --- | --- | --- | --- | --- |",
        ]
        for o in s["outcomes"]:
            lines.append(
                f"| {o['code']} {o['title']} | {o['score']} | {o['grade']} | "
                f"{'; '.join(o['evidence'])} | {'; '.join(o['stakeholders'])} |"
            )
        lines += ["", "| Domain | Score | Rating |", "| --- | --- | --- |"]
        lines += [
            f"| {d['domain']} {d['title']} | {d['score']} | {d['rating']} |" for d in s["domains"]
        ]
        if s["actions"]:
            lines += ["", "## Action plan", "", "| Outcome | Action | Owner | Due | Done |",
                      "| --- | --- | --- | --- | --- |"]  # fmt: skip
            lines += [
                f"| {a['outcome']} | {a['action']} | {a['owner']} | {a['due']} | "
                f"{'yes' if a['done'] else 'no'} |"
                for a in s["actions"]
            ]
        return "\n".join(lines) + "\n"


def compare(previous: EDSAssessment, current: EDSAssessment) -> pd.DataFrame:
    """Year-on-year comparison: one row per outcome, per domain and overall, with `previous`,
    `current` and `change` scores and the two ratings (grades for outcomes)."""
    rows = []
    before, after = previous.outcome_scores(), current.outcome_scores()
    for code in OUTCOMES:
        rows.append(
            {"item": code, "previous": before[code], "current": after[code],
             "previous_rating": GRADES[before[code]], "current_rating": GRADES[after[code]]}
        )  # fmt: skip
    b_dom, a_dom = previous.domain_scores(), current.domain_scores()
    b_rat, a_rat = previous.domain_ratings(), current.domain_ratings()
    for d in DOMAINS:
        rows.append(
            {"item": f"Domain {d}", "previous": b_dom[d], "current": a_dom[d],
             "previous_rating": b_rat[d], "current_rating": a_rat[d]}
        )  # fmt: skip
    rows.append(
        {"item": "Overall", "previous": previous.total(), "current": current.total(),
         "previous_rating": previous.rating(), "current_rating": current.rating()}
    )  # fmt: skip
    out = pd.DataFrame(rows)
    out["change"] = out["current"] - out["previous"]
    out.attrs["years"] = (previous.year, current.year)
    return out


__all__ = [
    "DOMAINS",
    "GRADES",
    "OUTCOMES",
    "Action",
    "EDSAssessment",
    "OutcomeGrade",
    "ScoreCard",
    "ServiceGrades",
    "compare",
    "domain_of",
]
