"""The EHIA's equity profile from the loaded results (need.Result, as web/need reads them).

Counts of 1 to 7 are hidden before the library sees them (`healthgap.web.disclosure.is_small`:
the numerator, denominator, value and limits of such a row become blank), because the profile
is stored in the EHIA and exported with it.
"""

from __future__ import annotations

import pandas as pd

from healthgap.equality.equity import equity_profile
from healthgap.web.disclosure import is_small
from healthgap.web.need.models import Area, Indicator, Result

COLUMNS = [
    "indicator_id",
    "period",
    "area_code",
    "category_type",
    "category",
    "numerator",
    "denominator",
    "value",
    "lowercl",
    "uppercl",
    "polarity",
]


def choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(areas, indicators) that have results loaded, for the profile form."""
    areas = [(a.code, str(a)) for a in Area.objects.filter(results__isnull=False).distinct()]
    indicators = [(i.id, i.name) for i in Indicator.objects.all()]
    return areas, indicators


def results_frame(indicators: list[str], area_code: str) -> pd.DataFrame:
    """Loaded results of `indicators` in one area, small counts hidden."""
    rows = Result.objects.filter(indicator_id__in=indicators, area_id=area_code).values_list(
        "indicator_id",
        "period",
        "area_id",
        "category_type",
        "category",
        "numerator",
        "denominator",
        "value",
        "lowercl",
        "uppercl",
        "indicator__polarity",
    )
    frame = pd.DataFrame(list(rows), columns=COLUMNS)
    small = frame["numerator"].map(is_small) | frame["denominator"].map(is_small)
    frame.loc[small, ["numerator", "denominator", "value", "lowercl", "uppercl"]] = None
    return frame


def equity_for(indicators: list[str], area_code: str, need: str = "", uptake: str = "") -> dict:
    """The equity profile (`EquityProfile.to_dict()`) for the EHIA."""
    frame = results_frame(list({*indicators, *(i for i in (need, uptake) if i)}), area_code)
    return equity_profile(
        frame, indicators, area_code=area_code, need=need or None, uptake=uptake or None
    ).to_dict()
