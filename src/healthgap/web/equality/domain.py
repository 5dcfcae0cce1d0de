"""Stored records -> `healthgap.equality` objects, and uploads -> validated tables.

Nothing here writes to the database; `actions` does. The library does the arithmetic: the WRES
indicators are recomputed from the stored counts on every view (`wres_results`), the EDS
ratings from the stored grades (`eds_assessment`), and so on.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

import pandas as pd

from healthgap.equality.eds import Action, EDSAssessment, OutcomeGrade, ServiceGrades
from healthgap.equality.ehia import EHIA, EHIAAction, Stage, Transition
from healthgap.equality.equity import EquityProfile
from healthgap.equality.errors import AssessmentError, ExtractError, Problem
from healthgap.equality.maturity import Assessment, Framework, Moderation, Rating
from healthgap.equality.maturity import shipped_frameworks as _shipped
from healthgap.equality.wres import (
    counts_from_extracts,
    read_counts,
    read_recruitment,
    read_survey,
    read_workforce,
    trends,
    wres_indicators,
)
from healthgap.web.equality.models import EDSReturn, ImpactAssessment, MaturityAssessment


def read_upload(upload: object, kind: str) -> pd.DataFrame:
    """An uploaded CSV as an all-text frame; an unreadable file is an `ExtractError`."""
    name = getattr(upload, "name", "upload")
    try:
        raw = upload.read()  # type: ignore[attr-defined]
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else str(raw)
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        message = f"The file cannot be read as a UTF-8 CSV ({exc})."
        raise ExtractError(f"{kind} {name}", [Problem(None, "<file>", message)]) from None


def _single_year(frame: pd.DataFrame, year: str, kind: str) -> pd.DataFrame:
    """Drop a `year` column that is blank or `year` on every row; other years are problems."""
    if "year" not in frame.columns:
        return frame
    problems = [
        Problem(i, "year", f"{value!r} is not the year of this return ({year}).")
        for i, value in enumerate(frame["year"].str.strip(), start=1)
        if value not in ("", year)
    ]
    if problems:
        raise ExtractError(kind, problems)
    return frame.drop(columns="year")


def validated_counts(
    year: str,
    counts: pd.DataFrame | None = None,
    workforce: pd.DataFrame | None = None,
    recruitment: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
) -> tuple[str, str]:
    """(counts CSV, survey CSV) text to store, after the library's checks (ExtractError,
    with every problem, when any input breaks a rule). The indicators are computed once here
    too, so a return that cannot be computed is never stored."""
    if counts is not None:
        table = read_counts(_single_year(counts, year, "counts file"))
    else:
        staff = read_workforce(workforce)
        applications = None if recruitment is None else read_recruitment(recruitment)
        table = counts_from_extracts(staff, applications, year="")
    table = table.drop(columns="year")
    survey_table = None
    if survey is not None:
        survey_table = read_survey(_single_year(survey, year, "survey file")).drop(columns="year")
    wres_indicators(
        table.assign(year=year), None if survey_table is None else survey_table.assign(year=year)
    )
    survey_csv = "" if survey_table is None else survey_table.to_csv(index=False)
    return table.to_csv(index=False), survey_csv


def _stored(text: str, year: str) -> pd.DataFrame | None:
    if not text.strip():
        return None
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return frame.assign(year=year)


def wres_results(returns: Iterable) -> pd.DataFrame:
    """The indicators of every return given (one organisation), years together."""
    returns = list(returns)
    counts = [f for r in returns if (f := _stored(r.counts_csv, r.year)) is not None]
    surveys = [f for r in returns if (f := _stored(r.survey_csv, r.year)) is not None]
    return wres_indicators(
        pd.concat(counts, ignore_index=True) if counts else None,
        pd.concat(surveys, ignore_index=True) if surveys else None,
    )


def wres_trends(results: pd.DataFrame) -> pd.DataFrame:
    """`healthgap.equality.wres.trends` of a results table."""
    return trends(results)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def eds_assessment(eds: EDSReturn) -> EDSAssessment:
    """The library's assessment; `AssessmentError` names what is still missing."""
    services = tuple(
        ServiceGrades(s.service, s.grades(), _lines(s.evidence), _lines(s.stakeholders))
        for s in eds.services.all()
    )
    outcomes = tuple(
        OutcomeGrade(o.code, o.grade, _lines(o.evidence), _lines(o.stakeholders))
        for o in eds.outcomes.all()
    )
    actions = tuple(Action(a.outcome, a.action, a.owner, a.due, a.done) for a in eds.actions.all())
    return EDSAssessment(eds.organisation.name, eds.year, services, outcomes, actions)


def eds_or_problem(eds: EDSReturn) -> tuple[EDSAssessment | None, str]:
    """(assessment, "") when complete, else (None, what is missing)."""
    try:
        return eds_assessment(eds), ""
    except AssessmentError as error:
        return None, str(error)


def shipped_frameworks() -> dict[str, Framework]:
    """The shipped maturity frameworks by id."""
    return _shipped()


def maturity_assessment(record: MaturityAssessment) -> Assessment:
    """The library's assessment (with its moderation) of a stored record."""
    framework = shipped_frameworks()[record.framework]
    ratings = tuple(
        Rating(
            dim.id, int(record.ratings[dim.id]["level"]), tuple(record.ratings[dim.id]["evidence"])
        )
        for dim in framework.dimensions
        if dim.id in record.ratings
    )
    moderation = None
    if record.moderated_levels is not None and record.moderator is not None:
        moderation = Moderation(
            record.moderator.get_username(),
            record.moderated_on or record.assessed_on,
            {k: int(v) for k, v in record.moderated_levels.items()},
            record.moderation_notes,
        )
    return Assessment(
        framework,
        record.organisation.name,
        record.assessor.get_username(),
        record.assessed_on,
        ratings,
        moderation,
    )


def _profile(data: dict | None) -> EquityProfile | None:
    if data is None:
        return None
    tables = ("imd_quintile", "ethnicity", "imd_by_ethnicity", "core20", "need_vs_uptake")
    frames = {name: pd.DataFrame(data.get(name, [])) for name in tables}
    core = frames["core20"]
    if core.empty:
        frames["core20"] = pd.DataFrame(
            columns=["indicator_id", "period", "core20_value", "rest_value", "core20_worse"]
        )
    return EquityProfile(**frames, notes=tuple(data.get("notes", ())))


def ehia_of(record: ImpactAssessment) -> EHIA:
    """The library's EHIA for a stored record (actions, history and profile included)."""
    actions = tuple(
        EHIAAction(a.description, a.owner.get_username(), a.due, a.review_on, a.done)
        for a in record.actions.all()
    )
    history = tuple(
        Transition(
            Stage(h["from"]),
            Stage(h["to"]),
            date.fromisoformat(h["on"]),
            h["by"],
            h.get("note", ""),
        )
        for h in record.history
    )
    return EHIA(
        id=str(record.pk),
        title=record.title,
        owner=record.owner.get_username(),
        scope=record.scope,
        groups_considered=tuple(record.groups_considered),
        stage=Stage(record.stage),
        answers=dict(record.answers),
        profile=_profile(record.profile),
        actions=actions,
        review_date=record.review_date,
        history=history,
    )
