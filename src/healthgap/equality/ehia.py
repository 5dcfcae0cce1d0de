"""Equality and health inequalities impact assessment (EHIA) as a guided workflow.

The stages follow OHID's Health Equity Assessment Tool (HEAT): prepare, assess, refine and
apply, review, then closed. An EHIA moves forward one stage at a time and only when the current
stage is complete (`missing()` says what is still needed); it may go back to an earlier stage
(for rework or a new cycle) with a note. Every move is kept in `history`.

| stage | needs before moving on |
| --- | --- |
| prepare | title, owner, scope, at least one group considered |
| assess | an equity profile (`healthgap.equality.equity`) and answers to the assess questions |
| refine and apply | an action (owner, due date), how it will be monitored, a review date |
| review | the review's outcome and lessons |

`due_reviews(ehias, today)` lists reminders for owners: open actions due or due for review,
and EHIAs whose review date has come. `export()` gives plain data, `markdown()` a document.
The questions are our summaries of HEAT's prompts, not its wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from healthgap.equality.equity import EquityProfile
from healthgap.equality.errors import AssessmentError


class Stage(StrEnum):
    """The EHIA stages in order."""

    PREPARE = "prepare"
    ASSESS = "assess"
    REFINE = "refine and apply"
    REVIEW = "review"
    CLOSED = "closed"


ORDER = list(Stage)
ASSESS_QUESTIONS = {
    "inequalities": "Which inequalities in access, experience or outcomes exist, and for whom?",
    "drivers": "What drives them (including the wider determinants)?",
    "impact": "How could this work widen or narrow them?",
    "protected_characteristics": "How does it meet the needs of people with protected "
    "characteristics and inclusion health groups?",
}
REFINE_QUESTIONS = {
    "opportunities": "What are the main opportunities to reduce inequalities?",
    "monitoring": "How will the actions be monitored and evaluated?",
}
REVIEW_QUESTIONS = {
    "outcome": "What happened to inequalities after the change?",
    "lessons": "What was learned, and what changes next time?",
}


@dataclass(frozen=True)
class EHIAAction:
    """One action with its owner, due date and (optionally) a date to review its effect."""

    description: str
    owner: str
    due: date
    review_on: date | None = None
    done: bool = False


@dataclass(frozen=True)
class Transition:
    """One move between stages: from, to, when, who, why."""

    from_stage: Stage
    to_stage: Stage
    on: date
    by: str
    note: str = ""


@dataclass(frozen=True)
class Reminder:
    """A reminder for an owner: an action or a review that is due (or overdue) on `today`."""

    ehia_id: str
    title: str
    owner: str
    kind: str  # "action due", "action review", "EHIA review"
    what: str
    due: date
    days_overdue: int


@dataclass(frozen=True)
class EHIA:
    """One impact assessment of a programme or service change."""

    id: str
    title: str
    owner: str
    scope: str = ""
    groups_considered: tuple[str, ...] = ()
    stage: Stage = Stage.PREPARE
    answers: Mapping[str, str] = field(default_factory=dict)
    profile: EquityProfile | None = None
    actions: tuple[EHIAAction, ...] = ()
    review_date: date | None = None
    history: tuple[Transition, ...] = ()

    def missing(self) -> list[str]:
        """What the current stage still needs before `advance` (empty when complete)."""
        needs: list[str] = []
        if self.stage == Stage.PREPARE:
            needs += [f for f in ("title", "owner", "scope") if not getattr(self, f).strip()]
            if not self.groups_considered:
                needs.append("groups_considered")
        elif self.stage == Stage.ASSESS:
            if self.profile is None:
                needs.append("profile")
            needs += self._unanswered(ASSESS_QUESTIONS)
        elif self.stage == Stage.REFINE:
            if not self.actions:
                needs.append("actions")
            needs += self._unanswered(REFINE_QUESTIONS)
            if self.review_date is None:
                needs.append("review_date")
        elif self.stage == Stage.REVIEW:
            needs += self._unanswered(REVIEW_QUESTIONS)
        return needs

    def _unanswered(self, questions: Mapping[str, str]) -> list[str]:
        return [key for key in questions if not self.answers.get(key, "").strip()]

    def _move(self, to: Stage, by: str, on: date, note: str) -> EHIA:
        if not by.strip():
            raise AssessmentError("Say who moves the EHIA between stages.")
        step = Transition(self.stage, to, on, by.strip(), note)
        return replace(self, stage=to, history=(*self.history, step))

    def advance(self, by: str, on: date, note: str = "") -> EHIA:
        """The EHIA at the next stage; AssessmentError naming what is missing if incomplete."""
        if self.stage == Stage.CLOSED:
            raise AssessmentError(f"EHIA {self.id} is closed; go back to a stage to reopen it.")
        needs = self.missing()
        if needs:
            raise AssessmentError(
                f"EHIA {self.id} cannot leave the {self.stage.value} stage yet: it still needs "
                f"{', '.join(needs)}."
            )
        return self._move(ORDER[ORDER.index(self.stage) + 1], by, on, note)

    def return_to(self, stage: Stage, by: str, on: date, note: str) -> EHIA:
        """The EHIA back at an earlier `stage` (rework, or a new cycle after closing)."""
        if ORDER.index(stage) >= ORDER.index(self.stage):
            raise AssessmentError(
                f"EHIA {self.id} can only go back: {stage.value} is not before {self.stage.value}."
            )
        if not note.strip():
            raise AssessmentError("Give a reason for going back a stage.")
        return self._move(stage, by, on, note)

    def update(self, **changes: object) -> EHIA:
        """The EHIA with fields changed (not `stage` or `history`; not once closed)."""
        if self.stage == Stage.CLOSED:
            raise AssessmentError(f"EHIA {self.id} is closed; go back to a stage to edit it.")
        locked = {"stage", "history", "id"} & set(changes)
        if locked:
            raise AssessmentError(f"{', '.join(sorted(locked))} cannot be edited directly.")
        if "answers" in changes:
            known = ASSESS_QUESTIONS | REFINE_QUESTIONS | REVIEW_QUESTIONS
            unknown = sorted(set(changes["answers"]) - set(known))  # type: ignore[arg-type]
            if unknown:
                raise AssessmentError(f"Unknown question(s): {', '.join(unknown)}.")
            changes["answers"] = {**self.answers, **changes["answers"]}  # type: ignore[dict-item]
        return replace(self, **changes)  # type: ignore[arg-type]

    def add_action(self, action: EHIAAction) -> EHIA:
        """The EHIA with one more action (which needs a description and an owner)."""
        if not action.description.strip() or not action.owner.strip():
            raise AssessmentError("An action needs a description and an owner.")
        return self.update(actions=(*self.actions, action))

    def due_reviews(self, today: date) -> list[Reminder]:
        """Reminders due on or before `today` for this EHIA."""
        out = []
        for a in self.actions:
            if a.done:
                continue
            for kind, when in (("action due", a.due), ("action review", a.review_on)):
                if when is not None and when <= today:
                    out.append(Reminder(self.id, self.title, a.owner, kind, a.description,
                                        when, (today - when).days))  # fmt: skip
        if (
            self.review_date is not None
            and self.review_date <= today
            and self.stage != Stage.CLOSED
        ):
            out.append(Reminder(self.id, self.title, self.owner, "EHIA review",
                                "Review the impact assessment", self.review_date,
                                (today - self.review_date).days))  # fmt: skip
        return out

    def export(self) -> dict:
        """The whole assessment as plain data."""
        questions = ASSESS_QUESTIONS | REFINE_QUESTIONS | REVIEW_QUESTIONS
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "scope": self.scope,
            "groups_considered": list(self.groups_considered),
            "stage": self.stage.value,
            "answers": [
                {"question": questions[k], "key": k, "answer": self.answers.get(k, "")}
                for k in questions
            ],
            "profile": None if self.profile is None else self.profile.to_dict(),
            "actions": [
                {"description": a.description, "owner": a.owner, "due": a.due.isoformat(),
                 "review_on": a.review_on.isoformat() if a.review_on else None, "done": a.done}
                for a in self.actions
            ],
            "review_date": self.review_date.isoformat() if self.review_date else None,
            "history": [
                {"from": t.from_stage.value, "to": t.to_stage.value, "on": t.on.isoformat(),
                 "by": t.by, "note": t.note}
                for t in self.history
            ],
        }  # fmt: skip

    def markdown(self) -> str:
        """The assessment as a Markdown document."""
        data = self.export()
        lines = [f"# EHIA {data['id']}: {data['title']}", "",
                 f"Owner: {data['owner']}. Stage: {data['stage']}. "
                 f"Review date: {data['review_date'] or 'not set'}.", "",
                 f"Scope: {data['scope']}", "",
                 f"Groups considered: {', '.join(data['groups_considered'])}", ""]  # fmt: skip
        for item in data["answers"]:
            lines += [f"**{item['question']}**", "", item["answer"] or "_Not answered yet._", ""]
        if self.profile is not None:
            lines += ["## Equity profile", ""]
            lines += [f"- {note}" for note in self.profile.notes]
            core = self.profile.core20
            for row in core.itertuples():
                worse = {True: "worse", False: "not worse", None: "no judgement"}[row.core20_worse]
                lines.append(f"- {row.indicator_id} ({row.period}): Core20 {row.core20_value:.1f} "
                             f"against {row.rest_value:.1f} elsewhere ({worse}).")  # fmt: skip
            lines.append("")
        if data["actions"]:
            lines += ["## Actions", "", "| Action | Owner | Due | Review | Done |",
                      "| --- | --- | --- | --- | --- |"]  # fmt: skip
            lines += [f"| {a['description']} | {a['owner']} | {a['due']} | {a['review_on'] or ''} "
                      f"| {'yes' if a['done'] else 'no'} |" for a in data["actions"]]  # fmt: skip
        return "\n".join(lines) + "\n"


def due_reviews(ehias: Iterable[EHIA], today: date) -> list[Reminder]:
    """Every reminder due on or before `today`, most overdue first, then by owner."""
    found = [r for e in ehias for r in e.due_reviews(today)]
    return sorted(found, key=lambda r: (-r.days_overdue, r.owner, r.ehia_id, r.kind))
