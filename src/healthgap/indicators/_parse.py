"""YAML -> `Indicator`: the field-by-field reading of a catalogue file (docs/indicators.md).

Every check raises `IndicatorDefinitionError` through `Node.fail`, so the message names the
file, line and dotted field. `loading.load_indicator` is the entry point.
"""

from __future__ import annotations

import re

from healthgap.indicators._dates import DateRef, parse_date_ref
from healthgap.indicators._yaml import Node
from healthgap.indicators.definitions import (
    AREA_BREAKDOWNS,
    DEFAULT_BREAKDOWNS,
    METHODS,
    PERSON_BREAKDOWNS,
    POLARITIES,
    SEXES,
    STANDARD_POPULATIONS,
    AgeBand,
    AgeRule,
    Code,
    Cohort,
    Criterion,
    FollowedBy,
    Indicator,
    Numerator,
    Period,
    Registration,
    Source,
    Target,
    Window,
)
from healthgap.stats.dsr import ESP2013

_ID = re.compile(r"[a-z][a-z0-9_]{2,63}")
_TOP_REQUIRED = (
    "id", "name", "source", "owner", "checked_by", "reviewed", "next_review", "why_it_matters",
    "method", "multiplier", "polarity", "periods", "cohort", "numerator",
)  # fmt: skip
_TOP_OPTIONAL = (
    "target", "breakdowns", "age_bands", "standard_population", "notes", "denominator",
)  # fmt: skip
_CRITERION = ("event_type", "codes", "codes_from")
_CRITERION_OPTIONAL = ("window", "min_count", "resolved_by", "followed_by")


def _date_ref(node: Node, *, birth_ok: bool = True) -> DateRef:
    try:
        ref = parse_date_ref(node.value)
    except ValueError as exc:
        raise node.fail(f"{exc}.") from None
    if ref.is_birth and not birth_ok:
        raise node.fail("cannot be relative to birth here; use period_start, period_end or a date.")
    return ref


def _codes(node: Node) -> tuple[Code, ...]:
    codes = []
    if not isinstance(node.value, dict):
        raise node.fail("must be a mapping of code: description (quote codes with leading zeros).")
    for code, description in node.items():
        if not re.fullmatch(r"\S{1,64}", code):
            raise description.fail(f"code {code!r} must be 1-64 characters without spaces.")
        codes.append(Code(code, description.text()))
    if not codes:
        raise node.fail("must list at least one code.")
    return tuple(codes)


def _window(node: Node, default: Window) -> Window:
    if node.value is None:
        return default
    if node.value == "period":
        return Window(parse_date_ref("period_start"), parse_date_ref("period_end"))
    node.mapping((), ("from", "to", "before", "last"))
    if node.has("to") == node.has("before"):
        raise node.fail("needs exactly one of 'to' (inclusive) or 'before' (exclusive).")
    end_node = node["to"] if node.has("to") else node["before"]
    end = _date_ref(end_node)
    if end.is_birth and node.has("to"):
        raise end_node.fail("a birth-relative end must use 'before' (birth is known to the month).")
    start = None
    if node.has("last"):
        if node.has("from"):
            raise node["last"].fail("cannot be given together with 'from'.")
        match = re.fullmatch(r"\s*(\d+)\s*(day|month|year)s?\s*", str(node["last"].value))
        if match is None or end.is_birth:
            raise node["last"].fail(
                "must be a length such as '36 months' or '5 years', before a period date."
            )
        amount, unit = int(match.group(1)), match.group(2)
        months = amount * {"day": 0, "month": 1, "year": 12}[unit]
        days = amount if unit == "day" else 0
        # The last 36 months up to and including `to` start the day after (to - 36 months).
        start = DateRef(
            end.anchor, end.fixed, end.months - months, end.days - days + int(node.has("to"))
        )
    elif node.has("from") and node["from"].value != "ever":
        start = _date_ref(node["from"])
    return Window(start, end, end_inclusive=node.has("to"))


def _followed_by(node: Node) -> FollowedBy:
    """`followed_by: {event_type, codes, codes_from, days: {from: 1, to: 29}}`."""
    node.mapping((*_CRITERION, "days"))
    days = node["days"].mapping(("from", "to"))
    first, last = days["from"].integer(minimum=0), days["to"].integer(minimum=0)
    if last < first:
        raise days["to"].fail(f"must not be below from ({first}); got {last}.")
    return FollowedBy(
        event_type=node["event_type"].text(),
        codes=_codes(node["codes"]),
        codes_from=node["codes_from"].text(),
        from_days=first,
        to_days=last,
    )


def _criterion(node: Node, default_window: Window, *, followed_ok: bool = False) -> Criterion:
    node.mapping(_CRITERION, _CRITERION_OPTIONAL)
    if node.has("followed_by") and not followed_ok:
        raise node["followed_by"].fail(
            "is only allowed in a numerator that counts events (count: events)."
        )
    resolved: tuple[Code, ...] = ()
    resolved_type = None
    if node.has("resolved_by"):
        sub = node["resolved_by"].mapping(("codes",), ("event_type", "codes_from"))
        resolved = _codes(sub["codes"])
        resolved_type = sub["event_type"].text() if sub.has("event_type") else None
    criterion = Criterion(
        event_type=node["event_type"].text(),
        codes=_codes(node["codes"]),
        codes_from=node["codes_from"].text(),
        window=_window(node["window"], default_window),
        min_count=node["min_count"].integer(minimum=1) if node.has("min_count") else 1,
        resolved_by=resolved,
        resolved_event_type=resolved_type,
        followed_by=_followed_by(node["followed_by"]) if node.has("followed_by") else None,
    )
    if criterion.followed_by is not None and any(
        ref is not None and ref.is_birth for ref in (criterion.window.start, criterion.window.end)
    ):
        raise node["window"].fail("must be calendar dates (not birth) with 'followed_by'.")
    return criterion


_PERIOD_WINDOW = Window(DateRef("period_start"), DateRef("period_end"))
_HISTORY_WINDOW = Window(None, DateRef("period_end"))


def _criteria(node: Node, default_window: Window) -> tuple[Criterion, ...]:
    if node.value is None:
        return ()
    return tuple(_criterion(n, default_window) for n in node.sequence(allow_single=True))


def _cohort(node: Node) -> Cohort:
    node.mapping(("age",), ("sex", "registration", "require", "exclude"))
    age = node["age"].mapping((), ("min", "max", "at"))
    low = age["min"].integer(minimum=0) if age.has("min") else None
    high = age["max"].integer(minimum=0) if age.has("max") else None
    if low is not None and high is not None and high < low:
        raise age["max"].fail(f"must not be below min ({low}); got {high}.")
    at = _date_ref(age["at"], birth_ok=False) if age.has("at") else DateRef("period_end")
    sex_node = node["sex"]
    if sex_node.value is None or isinstance(sex_node.value, str):
        sex = SEXES[sex_node.choice(tuple(SEXES))] if sex_node.value is not None else None
    else:
        sex = tuple(n.choice(("1", "2", "9", "0")) for n in sex_node.sequence())
    return Cohort(
        age=AgeRule(low, high, at),
        sex=sex,
        registration=_registration(node["registration"]),
        require=_criteria(node["require"], _HISTORY_WINDOW),
        exclude=_criteria(node["exclude"], _HISTORY_WINDOW),
    )


def _registration(node: Node) -> Registration | None:
    if node.value is None:
        return Registration(DateRef("period_end"), DateRef("period_end"))
    if node.value == "none":
        return None
    node.mapping((), ("on", "from", "to"))
    if node.has("on"):
        if node.has("from") or node.has("to"):
            raise node.fail("give either 'on' or 'from' and 'to', not both.")
        on = _date_ref(node["on"], birth_ok=False)
        return Registration(on, on)
    if not (node.has("from") and node.has("to")):
        raise node.fail("needs 'on', or both 'from' and 'to' (or write registration: none).")
    return Registration(
        _date_ref(node["from"], birth_ok=False), _date_ref(node["to"], birth_ok=False)
    )


def _numerator(node: Node, method: str, per_event: bool = False) -> Numerator:
    """The numerator; `per_event`: the indicator has a `denominator` (counts events)."""
    node.mapping((), ("all_of", "count", *_CRITERION, *_CRITERION_OPTIONAL))
    count = node["count"].choice(("people", "events")) if node.has("count") else "people"
    if node.has("all_of"):
        if any(node.has(k) for k in (*_CRITERION, *_CRITERION_OPTIONAL)):
            raise node.fail("give either 'all_of' (a list of criteria) or one criterion, not both.")
        criteria = _criteria(node["all_of"], _PERIOD_WINDOW)
    else:
        sub = {k: v for k, v in node.value.items() if k != "count"}
        criteria = (
            _criterion(
                Node(_with_lines(sub, node), node.file, node.field, node.line),
                _PERIOD_WINDOW,
                followed_ok=count == "events",
            ),
        )
    if per_event and count != "events":
        raise node.fail("must have 'count: events' when the indicator has a 'denominator'.")
    if method == "proportion" and count != "people" and not per_event:
        raise node["count"].fail(
            "must be 'people' for a proportion (a person counts once), unless the indicator "
            "has a 'denominator' of events."
        )
    if method != "proportion" and count == "events" and len(criteria) > 1:
        raise node["count"].fail("counting events needs a single criterion, not 'all_of'.")
    return Numerator(criteria, count)


def _denominator(node: Node, method: str, numerator: Numerator) -> Criterion:
    """A denominator of events: the numerator must count a subset of the same events (same
    event type and window, codes among the denominator's), so it cannot exceed it."""
    if method != "proportion":
        raise node.fail(f"is only used by method: proportion; this indicator is {method}.")
    criterion = _criterion(node, _PERIOD_WINDOW)
    if criterion.min_count != 1 or criterion.resolved_by:
        raise node.fail("counts events, so it takes no 'min_count' or 'resolved_by'.")
    counted = numerator.all_of[0]
    if (
        counted.event_type != criterion.event_type
        or counted.window != criterion.window
        or counted.min_count != 1
        or counted.resolved_by
        or not set(counted.code_values) <= set(criterion.code_values)
    ):
        raise node.fail(
            "the numerator must count some of the denominator's events: the same event_type "
            "and window, codes among the denominator's, no min_count or resolved_by."
        )
    return criterion


def _with_lines(sub: dict, node: Node) -> object:
    """A copy of `node`'s mapping without some keys, keeping the line numbers."""
    copy = type(node.value)(sub)
    copy.line, copy.key_lines = node.value.line, {k: node.value.key_lines[k] for k in sub}
    return copy


def _age_bands(node: Node, method: str, stdpop: str | None, age: AgeRule) -> tuple[AgeBand, ...]:
    """Bands from first ages; other than for a DSR, clipped to the cohort's age range."""
    low, high = age.minimum or 0, age.maximum
    if method == "dsr":
        assert stdpop is not None
        starts = [b.start for b in STANDARD_POPULATIONS[stdpop]]
        if node.value is not None and [n.integer() for n in node.sequence()] != starts:
            raise node.fail(f"must be the {stdpop} bands {starts} for a DSR (or be left out).")
        if low not in starts or (high is not None and high + 1 not in starts):
            raise node.fail(
                f"the cohort's ages must cover whole {stdpop} bands for a DSR (bands start at "
                f"{starts}); got ages {low} to {'any' if high is None else high}."
            )
        bands = _bands(starts)
        return tuple(b for b in bands if b.start >= low and (high is None or b.start <= high))
    starts = (
        [b.start for b in ESP2013]
        if node.value is None
        else [n.integer(minimum=0) for n in node.sequence()]
    )
    if starts != sorted(set(starts)):
        raise node.fail("must be first ages in increasing order, e.g. [65, 70, 75, 80, 85, 90].")
    if starts[0] > low:
        raise node.fail(
            f"must start at or below the cohort's minimum age {low}; starts at {starts[0]}."
        )
    kept = [
        b
        for b in _bands(starts)
        if (b.end is None or b.end >= low) and (high is None or b.start <= high)
    ]
    first, last = kept[0], kept[-1]
    kept[0] = _band(max(first.start, low), first.end)
    if high is not None:
        kept[-1] = _band(kept[-1].start, high if last.end is None else min(last.end, high))
    return tuple(kept)


def _band(start: int, end: int | None) -> AgeBand:
    label = f"{start}+" if end is None else str(start) if end == start else f"{start}-{end}"
    return AgeBand(label, start, end)


def _bands(starts: list[int]) -> list[AgeBand]:
    return [
        _band(a, None if b is None else b - 1)
        for a, b in zip(starts, [*starts[1:], None], strict=True)
    ]


def _periods(node: Node) -> tuple[Period, ...]:
    periods = []
    for item in node.sequence():
        item.mapping(("label", "start", "end"))
        start, end = item["start"].day(), item["end"].day()
        if end < start:
            raise item["end"].fail(f"must not be before start ({start}); got {end}.")
        label = item["label"].text()
        if any(p.label == label for p in periods):
            raise item["label"].fail(f"period label {label!r} is used twice.")
        periods.append(Period(label, start, end))
    return tuple(periods)


def _source(node: Node) -> Source:
    node.mapping(("publisher", "title", "url"), ("indicator_id", "notes"))
    url = node["url"].text()
    if not url.startswith(("https://", "http://")):
        raise node["url"].fail(f"must be a web address starting https://; got {url!r}.")
    return Source(
        publisher=node["publisher"].text(),
        title=node["title"].text(),
        url=url,
        indicator_id=node["indicator_id"].text() if node.has("indicator_id") else None,
        notes=node["notes"].text() if node.has("notes") else None,
    )


def parse_indicator(top: Node, expected_id: str | None = None) -> Indicator:
    """Build an Indicator from a parsed YAML mapping (`expected_id`: the file's stem)."""
    top.mapping(_TOP_REQUIRED, _TOP_OPTIONAL)
    ident = top["id"].text()
    if not _ID.fullmatch(ident):
        raise top["id"].fail(
            f"must be lower_snake_case (3-64 characters, a letter first); got {ident!r}."
        )
    if expected_id is not None and ident != expected_id:
        raise top["id"].fail(f"must match the file name {expected_id!r}; got {ident!r}.")
    method = top["method"].choice(METHODS)
    stdpop = None
    if top.has("standard_population"):
        stdpop = top["standard_population"].choice(tuple(STANDARD_POPULATIONS))
    if method == "dsr" and stdpop is None:
        raise top["method"].fail("is dsr, so the file needs a 'standard_population' (ESP2013).")
    if method != "dsr" and stdpop is not None:
        raise top["standard_population"].fail("is only used by method: dsr.")
    reviewed, next_review = top["reviewed"].day(), top["next_review"].day()
    if next_review <= reviewed:
        raise top["next_review"].fail(f"must be after reviewed ({reviewed}); got {next_review}.")
    breakdowns = DEFAULT_BREAKDOWNS
    if top.has("breakdowns"):
        known = (*PERSON_BREAKDOWNS, *AREA_BREAKDOWNS)
        breakdowns = tuple(n.choice(known) for n in top["breakdowns"].sequence())
    target = None
    if top.has("target"):
        t = top["target"].mapping(("value", "source"))
        target = Target(t["value"].number(), t["source"].text())
    cohort = _cohort(top["cohort"])
    numerator = _numerator(top["numerator"], method, per_event=top.has("denominator"))
    denominator = (
        _denominator(top["denominator"], method, numerator) if top.has("denominator") else None
    )
    return Indicator(
        id=ident,
        name=top["name"].text(),
        source=_source(top["source"]),
        owner=top["owner"].text(),
        checked_by=top["checked_by"].text(),
        reviewed=reviewed,
        next_review=next_review,
        why_it_matters=top["why_it_matters"].text(),
        method=method,
        multiplier=top["multiplier"].number(positive=True),
        polarity=top["polarity"].choice(POLARITIES),
        periods=_periods(top["periods"]),
        cohort=cohort,
        numerator=numerator,
        age_bands=_age_bands(top["age_bands"], method, stdpop, cohort.age),
        breakdowns=breakdowns,
        standard_population=stdpop,
        target=target,
        notes=top["notes"].text() if top.has("notes") else None,
        file=top.file,
        denominator=denominator,
    )
