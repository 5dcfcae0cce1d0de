"""Factories for need records (plain functions; real LSOA/MSOA codes of NHS Black Country)."""

from __future__ import annotations

import itertools
from typing import Any

from healthgap.web.need.models import Area, AreaType, Indicator, Introduction, Priority
from tests.web.factories import make_organisation

_counter = itertools.count(1)


def make_area(**fields: Any) -> Area:
    """An LSOA (Walsall 020A, E01010001 unless given)."""
    defaults = {"code": "E01010001", "name": "Walsall 020A", "area_type": AreaType.LSOA}
    area, _ = Area.objects.get_or_create(code=fields.pop("code", defaults["code"]),
                                         defaults={**defaults, **fields})  # fmt: skip
    return area


def make_indicator(**fields: Any) -> Indicator:
    defaults = {"name": "Flu vaccination", "method": "proportion", "polarity": "higher_is_better",
                "multiplier": 100}  # fmt: skip
    indicator, _ = Indicator.objects.get_or_create(
        id=fields.pop("id", "flu_vaccination_65_plus"), defaults={**defaults, **fields}
    )
    return indicator


def make_priority(**fields: Any) -> Priority:
    defaults: dict[str, Any] = {
        "rank": next(_counter), "period": "2024/25", "category_type": "all", "category": "All",
        "numerator": 40, "denominator": 100, "value": 40.0, "headroom": 35.0,
    }  # fmt: skip
    fields.setdefault("indicator", make_indicator())
    fields.setdefault("area", make_area())
    return Priority.objects.create(**{**defaults, **fields})


def make_introduction(**fields: Any) -> Introduction:
    defaults: dict[str, Any] = {
        "indicator_id": "flu_vaccination_65_plus", "indicator_name": "Flu vaccination",
        "period": "2024/25", "area_code": "E01010001", "area_name": "Walsall 020A",
        "category_type": "all", "category": "All",
    }  # fmt: skip
    fields.setdefault("to_organisation", make_organisation())
    return Introduction.objects.create(**{**defaults, **fields})
