"""Validators for what programmes, activities, insights and case studies refer to: catalogue
indicator ids, ONS area codes and population groups, and the sanity limits on what people type
(docs/action.md "Sanity limits"). Each raises Django's ValidationError with a message that
names the offending values and the rule."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from healthgap.geography.codes import is_code
from healthgap.indicators import load_catalogue
from healthgap.web.action.vocab import split_group_key

#: The area-code kinds a programme may target (neighbourhoods up to local authorities).
TARGET_AREA_KINDS = ("lsoa", "msoa", "lad")
#: The area-code kinds an insight's neighbourhood may be.
NEIGHBOURHOOD_KINDS = ("lsoa", "msoa")
#: Most people of one group one activity (a session or event) can reach: a large festival.
#: Longer campaigns are recorded as one activity per session.
MAX_PEOPLE_PER_ACTIVITY = 10_000
#: How far ahead a planned date (a programme's start) may be: one year (366 days).
PLANNING_HORIZON = timedelta(days=366)


@functools.cache
def indicator_names() -> dict[str, str]:
    """Catalogue indicator id -> name (the shipped catalogue, read once per process)."""
    return {ident: indicator.name for ident, indicator in load_catalogue().items()}


def validate_indicator_ids(values: object) -> None:
    unknown = [value for value in _strings(values) if value not in indicator_names()]
    if unknown:
        raise ValidationError(
            "Unknown indicator id: %(ids)s. Use ids from the indicator catalogue.",
            code="unknown_indicator",
            params={"ids": ", ".join(map(str, unknown))},
        )


def area_kind(code: str, kinds: Iterable[str]) -> str | None:
    """The first of `kinds` that `code` is a valid code of (None when it is none of them)."""
    return next((kind for kind in kinds if is_code(code, kind)), None)


def _validate_codes(values: Iterable[str], kinds: tuple[str, ...], what: str) -> None:
    bad = [value for value in values if area_kind(value, kinds) is None]
    if bad:
        raise ValidationError(
            "Not %(what)s code: %(codes)s. Use 2021 ONS codes, e.g. E01010000 (LSOA), "
            "E02002000 (MSOA) or E08000028 (local authority).",
            code="bad_area_code",
            params={"what": what, "codes": ", ".join(map(str, bad))},
        )


def validate_target_areas(values: object) -> None:
    _validate_codes(_strings(values), TARGET_AREA_KINDS, "an LSOA, MSOA or local authority")


def validate_neighbourhood(value: str) -> None:
    _validate_codes([value], NEIGHBOURHOOD_KINDS, "an LSOA or MSOA")


def validate_lsoa(value: str) -> None:
    _validate_codes([value], ("lsoa",), "an LSOA")


def validate_people_reached(value: int) -> None:
    """At most `MAX_PEOPLE_PER_ACTIVITY` people of one group in one activity."""
    if value > MAX_PEOPLE_PER_ACTIVITY:
        raise ValidationError(
            "%(value)s people is more than one activity can reach: an activity is one session "
            "or event, and even a large festival reaches at most %(cap)s people of one group. "
            "Record a longer campaign as one activity per session.",
            code="too_many_people",
            params={"value": f"{value:,}", "cap": f"{MAX_PEOPLE_PER_ACTIVITY:,}"},
        )


def validate_not_future(value: date, *, today: date | None = None) -> None:
    """A date of something that has happened (an activity, an insight): today or earlier."""
    today = today or date.today()
    if value > today:
        raise ValidationError(
            "The date %(value)s is in the future. Record activities and insights once they "
            "have happened (today, %(today)s, at the latest).",
            code="future_date",
            params={"value": f"{value:%d %B %Y}", "today": f"{today:%d %B %Y}"},
        )


def validate_planned(value: date, *, today: date | None = None) -> None:
    """A planned date (a programme's start): at most `PLANNING_HORIZON` (a year) ahead."""
    latest = (today or date.today()) + PLANNING_HORIZON
    if value > latest:
        raise ValidationError(
            "The date %(value)s is more than a year ahead. Plan programmes starting by "
            "%(latest)s at the latest; add later ones when their start is within a year.",
            code="far_future_date",
            params={"value": f"{value:%d %B %Y}", "latest": f"{latest:%d %B %Y}"},
        )


def validate_within_areas(lsoa: str, targets: Iterable[str], containing: set[str]) -> None:
    """`lsoa` (with `containing`, the LSOA and the MSOA and local authority that hold it) lies
    in one of the programme's target areas; no targets means anywhere."""
    targets = list(targets)
    if targets and not containing & set(targets):
        raise ValidationError(
            "Neighbourhood %(lsoa)s is outside the programme's areas (%(targets)s). Choose a "
            "neighbourhood inside them, or add its area to the programme first.",
            code="outside_programme",
            params={"lsoa": lsoa, "targets": ", ".join(targets)},
        )


def check_fields(checks: Iterable[tuple[str, Callable[[], None] | object]]) -> None:
    """Run each (field, check) whose check is callable (anything else, e.g. an empty value
    from `value and (lambda: ...)`, is skipped) and raise one ValidationError with every
    failing check's messages under its field (for a model's `clean`)."""
    errors: dict[str, list[str]] = {}
    for field, check in checks:
        try:
            if callable(check):
                check()
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def validate_group_keys(values: object) -> None:
    bad = []
    for value in _strings(values):
        try:
            split_group_key(value)
        except ValueError:
            bad.append(value)
    if bad:
        raise ValidationError(
            "Unknown group: %(groups)s.",
            code="unknown_group",
            params={"groups": ", ".join(map(str, bad))},
        )


def _strings(value: object) -> list[str]:
    """`value` if it is a list of strings (what the JSON list fields hold), else an error."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Enter a list of text values.", code="not_a_list")
    return value
