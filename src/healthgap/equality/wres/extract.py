"""Pseudonymised workforce and recruitment extracts -> the WRES counts table.

Workforce extract (CSV, one row per staff member or board member at 31 March), columns:
`staff_id` (a pseudonym), `ethnic_category` (NHS code, e.g. A, H, Z, 99), `band` (AfC band
1-9 with 8a-8d, `VSM`, or a medical and dental grade: `Consultant`, `Non-consultant career
grade`, `Trainee grade`, `Other medical`; a "Band " prefix is allowed), `staff_group`
(`clinical` or `non-clinical`), `board_member` (blank, `voting` or `non-voting`),
`disciplinary` (yes/no: entered a formal disciplinary investigation in the year) and
`non_mandatory_training` (yes/no: accessed non-mandatory training or CPD in the year). A board
member with a blank band is a non-executive (on the board, not in the workforce); anyone else
needs a band.

Recruitment extract (CSV, one row per application in the year): `application_id`,
`ethnic_category`, `shortlisted` (yes/no), `appointed` (yes/no).

Every problem (unknown ethnic codes, missing or unknown bands, duplicate staff or applications,
appointed without being shortlisted, values that are not yes/no, missing columns) is collected
and the extract is rejected whole with `ExtractError`, whose `problems` lists them all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.equality.errors import ExtractError, Problem
from healthgap.equality.wres.ethnicity import GROUPS, wres_group

AFC_BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM")
MEDICAL_GRADES = ("Consultant", "Non-consultant career grade", "Trainee grade", "Other medical")
BANDS = AFC_BANDS + MEDICAL_GRADES
STAFF_GROUPS = ("clinical", "non-clinical")
WORKFORCE_COLUMNS = (
    "staff_id", "ethnic_category", "band", "staff_group", "board_member", "disciplinary",
    "non_mandatory_training",
)  # fmt: skip
RECRUITMENT_COLUMNS = ("application_id", "ethnic_category", "shortlisted", "appointed")
COUNTS_COLUMNS = (
    "year", "indicator", "band", "staff_group", "ethnicity", "numerator", "denominator",
)  # fmt: skip
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
_BAND_LOOKUP = {b.lower(): b for b in BANDS}


def normalise_band(text: str) -> str | None:
    """The canonical band label ("8a", "VSM", "Consultant") or None when not a known band."""
    key = text.strip().lower()
    key = key.removeprefix("band").strip()
    return _BAND_LOOKUP.get(key)


def _yes_no(value: str) -> bool | None:
    key = value.strip().lower()
    return True if key in _YES else False if key in _NO else None


def read_table(
    source: str | Path | pd.DataFrame, columns: tuple[str, ...], kind: str
) -> tuple[pd.DataFrame, str]:
    """A CSV (all text, blanks kept) or a frame's copy as text, with its required `columns`
    checked; returns the frame and a name for messages ("<kind> <path>"). Shared by the
    extract and counts readers."""
    if isinstance(source, pd.DataFrame):
        frame, what = source.astype(str).copy(), kind
    else:
        what = f"{kind} {source}"
        try:
            frame = pd.read_csv(source, dtype=str, keep_default_na=False)
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ExtractError(what, [Problem(None, "<file>", f"{exc}.")]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems = [Problem(None, c, "This required column is missing.") for c in missing]
        raise ExtractError(what, problems)
    return frame.reset_index(drop=True), what


def _check_codes(frame: pd.DataFrame, problems: list[Problem]) -> list[str | None]:
    groups = []
    for i, code in enumerate(frame["ethnic_category"], start=1):
        group = wres_group(code)
        if group is None:
            problems.append(
                Problem(
                    i,
                    "ethnic_category",
                    f"{code!r} is not an NHS ethnic category code (A-S, Z not stated, 99 not "
                    "known).",
                )
            )
        groups.append(group)
    return groups


def _check_duplicates(frame: pd.DataFrame, column: str, problems: list[Problem]) -> None:
    first: dict[str, int] = {}
    for i, key in enumerate(frame[column], start=1):
        if not key.strip():
            problems.append(Problem(i, column, "The identifier is blank."))
        elif key in first:
            problems.append(Problem(i, column, f"{key!r} repeats row {first[key]}."))
        else:
            first[key] = i


def _flags(frame: pd.DataFrame, column: str, problems: list[Problem]) -> list[bool | None]:
    out = []
    for i, value in enumerate(frame[column], start=1):
        flag = _yes_no(value)
        if flag is None:
            problems.append(Problem(i, column, f"{value!r} is not yes or no."))
        out.append(flag)
    return out


def read_workforce(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Validate a workforce extract; returns one row per person with `group` (White/BME/
    Unknown), canonical `band` (None for non-executives), `staff_group`, `board_member`,
    `disciplinary` and `non_mandatory_training` (bools). Raises `ExtractError` listing every
    problem."""
    frame, what = read_table(source, WORKFORCE_COLUMNS, "workforce extract")
    problems: list[Problem] = []
    _check_duplicates(frame, "staff_id", problems)
    groups = _check_codes(frame, problems)
    boards = [v.strip().lower() for v in frame["board_member"]]
    bands: list[str | None] = []
    for i, (raw, board) in enumerate(zip(frame["band"], boards, strict=True), start=1):
        if board not in ("", "voting", "non-voting"):
            problems.append(
                Problem(i, "board_member", f"{board!r} is not blank, voting or non-voting.")
            )
        band = normalise_band(raw)
        if not raw.strip() and board in ("voting", "non-voting"):
            bands.append(None)  # a non-executive board member: not in the workforce
            continue
        if not raw.strip():
            problems.append(Problem(i, "band", "The band is missing (give an AfC band or VSM)."))
        elif band is None:
            problems.append(
                Problem(i, "band", f"{raw!r} is not an AfC band, VSM or medical grade.")
            )
        bands.append(band)
    staff_groups = [v.strip().lower() for v in frame["staff_group"]]
    for i, (group, band) in enumerate(zip(staff_groups, bands, strict=True), start=1):
        if band is None:
            continue
        if group not in STAFF_GROUPS:
            problems.append(
                Problem(i, "staff_group", f"{group!r} is not clinical or non-clinical.")
            )
        elif band in MEDICAL_GRADES and group != "clinical":
            problems.append(Problem(i, "staff_group", f"A {band} grade must be clinical."))
    disciplinary = _flags(frame, "disciplinary", problems)
    training = _flags(frame, "non_mandatory_training", problems)
    if problems:
        raise ExtractError(what, problems)
    return pd.DataFrame(
        {
            "staff_id": frame["staff_id"],
            "group": groups,
            "band": bands,
            "staff_group": staff_groups,
            "board_member": boards,
            "disciplinary": disciplinary,
            "non_mandatory_training": training,
        }
    )


def read_recruitment(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Validate a recruitment extract; returns `group`, `shortlisted`, `appointed` per
    application. Raises `ExtractError` listing every problem (including anyone appointed who
    was not shortlisted)."""
    frame, what = read_table(source, RECRUITMENT_COLUMNS, "recruitment extract")
    problems: list[Problem] = []
    _check_duplicates(frame, "application_id", problems)
    groups = _check_codes(frame, problems)
    shortlisted = _flags(frame, "shortlisted", problems)
    appointed = _flags(frame, "appointed", problems)
    for i, (s, a) in enumerate(zip(shortlisted, appointed, strict=True), start=1):
        if a is True and s is False:
            problems.append(Problem(i, "appointed", "Appointed but not shortlisted."))
    if problems:
        raise ExtractError(what, problems)
    return pd.DataFrame(
        {"application_id": frame["application_id"], "group": groups,
         "shortlisted": shortlisted, "appointed": appointed}
    )  # fmt: skip


def _by_group(flags: pd.Series, groups: pd.Series) -> dict[str, tuple[int, int]]:
    return {g: (int(flags[groups == g].sum()), int((groups == g).sum())) for g in GROUPS}


def counts_from_extracts(
    workforce: pd.DataFrame, recruitment: pd.DataFrame | None = None, year: str = ""
) -> pd.DataFrame:
    """The counts table (columns `COUNTS_COLUMNS`) from validated extracts.

    Indicator 1: per staff group and band, headcount of each WRES group (numerator) over the
    band's headcount (denominator). 2: appointed over shortlisted (needs `recruitment`).
    3: entered a formal disciplinary investigation over headcount. 4: accessed non-mandatory
    training over headcount. 9: board members of each group over board members, for voting
    members (`staff_group` "voting") and the whole board ("all").
    """
    rows: list[dict[str, object]] = []

    def add(indicator: str, band: str, staff_group: str, counts: dict) -> None:
        for group, (x, n) in counts.items():
            rows.append(
                {"year": year, "indicator": indicator, "band": band, "staff_group": staff_group,
                 "ethnicity": group, "numerator": x, "denominator": n}
            )  # fmt: skip

    staff = workforce[workforce["band"].notna()]
    for (staff_group, band), cell in staff.groupby(["staff_group", "band"], sort=False):
        counts = {g: (int((cell["group"] == g).sum()), len(cell)) for g in GROUPS}
        add("1", str(band), str(staff_group), counts)
    if recruitment is not None:
        shortlisted = recruitment[recruitment["shortlisted"]]
        add("2", "", "", _by_group(shortlisted["appointed"], shortlisted["group"]))
    add("3", "", "", _by_group(staff["disciplinary"], staff["group"]))
    add("4", "", "", _by_group(staff["non_mandatory_training"], staff["group"]))
    board = workforce[workforce["board_member"] != ""]
    groups = (
        ("voting", board[board["board_member"] == "voting"]),
        ("executive", board[board["band"].notna()]),  # board members on the payroll
        ("all", board),
    )
    for label, members in groups:
        add("9", "", label, {g: (int((members["group"] == g).sum()), len(members)) for g in GROUPS})
    out = pd.DataFrame(rows, columns=list(COUNTS_COLUMNS))
    order = {b: i for i, b in enumerate(BANDS)}
    out["_order"] = out["band"].map(lambda b: order.get(b, -1))
    out = out.sort_values(["indicator", "staff_group", "_order"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)
