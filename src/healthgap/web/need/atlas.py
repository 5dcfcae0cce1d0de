"""The atlas: neighbourhoods (LSOAs or MSOAs) of the loaded ICB coloured by an indicator, by
priority (headroom) or by IMD 2025 decile, with the legend; the same rows feed the map's GeoJSON
and the server-rendered table (the map's no-JavaScript fallback).

Classes (docs/need.md): an indicator's values and priorities' headroom are cut into five
quantile classes of the values the viewer may see (suppressed values are left out of the
breaks, so the legend cannot reveal them); colours are ColorBrewer sequential schemes (Blues
for indicators, darker = worse where the indicator has a polarity; Oranges for headroom) and
viridis for the ten IMD deciles (darkest = most deprived), all readable with colour-blindness.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from healthgap.web.need.cache import TIMEOUT, cache_key, per_load, per_load_and_policy
from healthgap.web.need.figures import Figure, count, figure, number
from healthgap.web.need.models import (
    Area,
    AreaType,
    Boundary,
    Indicator,
    Polarity,
    Priority,
    Result,
    ResultsLoad,
)
from healthgap.web.need.priority_list import columns_for

LEVELS = {AreaType.LSOA: "LSOAs (about 1,500 residents each)",
          AreaType.MSOA: "MSOAs (about 8,000 residents each)"}  # fmt: skip
LAYERS = {
    "indicator": "An indicator's value",
    "priority": "Priority: people who would benefit (headroom)",
    "imd": "Deprivation: IMD 2025 decile",
}
BLUES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
ORANGES = ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603")
VIRIDIS = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e",
           "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725")  # fmt: skip
NO_DATA = "#d8dde0"
NO_GAP = "#ffffff"
CLASSES = 5


@dataclass(frozen=True)
class Choice:
    """What the map shows: level, layer, and for indicator/priority layers the indicator,
    period and (priority layer) group as (category_type, category)."""

    level: str = AreaType.LSOA
    layer: str = "indicator"
    indicator: Indicator | None = None
    period: str = ""
    group: tuple[str, str] | None = None

    def query(self) -> dict[str, str]:
        """The choice as query parameters (for links and the data endpoint)."""
        params = {"level": self.level, "layer": self.layer}
        if self.indicator is not None:
            params |= {"indicator": self.indicator.id, "period": self.period}
        if self.group is not None:
            params["group"] = ":".join(self.group)
        return params


@dataclass(frozen=True)
class Options:
    """The choices the select control offers for the current choice."""

    levels: list[tuple[str, str]]
    layers: list[tuple[str, str]]
    indicators: list[tuple[str, str]]
    periods: list[str]
    groups: list[tuple[str, str]]


@dataclass(frozen=True)
class MapArea:
    """One neighbourhood on the map and in the table."""

    code: str
    name: str
    url: str
    figure: Figure | None
    text: str
    colour: str
    suppressed: bool = False
    extra: str = ""


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


@dataclass
class AtlasData:
    choice: Choice
    title: str
    areas: list[MapArea] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    note: str = ""

    def geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of the areas with their values (null when suppressed
        or missing, with `suppressed` true for the former), legend, title and bounding box."""
        shapes = dict(
            Boundary.objects.filter(area__area_type=self.choice.level).values_list(
                "area_id", "geometry"
            )
        )
        features = [
            {
                "type": "Feature",
                "id": index,
                "properties": {
                    "code": a.code,
                    "name": a.name,
                    "value": a.figure.value if a.figure and a.figure.available else None,
                    "lowercl": a.figure.lowercl if a.figure and a.figure.available else None,
                    "uppercl": a.figure.uppercl if a.figure and a.figure.available else None,
                    "suppressed": a.suppressed,
                    "text": a.text,
                    "colour": a.colour,
                    "url": a.url,
                },
                "geometry": shapes[a.code],
            }
            for index, a in enumerate(self.areas)
            if a.code in shapes
        ]
        return {
            "type": "FeatureCollection",
            "title": self.title,
            "note": self.note,
            "legend": [{"colour": e.colour, "label": e.label} for e in self.legend],
            "bbox": _bbox(shapes.values()),
            "features": features,
        }


def choose(params: Mapping[str, str], load: ResultsLoad | None = None) -> tuple[Choice, Options]:
    """The map choice from query parameters (unknown values fall back to the defaults:
    LSOAs, the first indicator, its latest period, the whole population).

    The indicators, periods and groups on offer depend on the results load only, so they are
    cached per `load` (`cache.per_load`); without one they are read each time."""
    level = params.get("level", "")
    level = level if level in LEVELS else AreaType.LSOA
    layer = params.get("layer", "")
    layer = layer if layer in LAYERS else "indicator"
    indicators = per_load(load, "atlas-indicators", [], lambda: list(Indicator.objects.all()))
    indicator = next((i for i in indicators if i.id == params.get("indicator")), None)
    indicator = indicator or (indicators[0] if indicators else None)
    periods, groups = [], []
    period, group = "", None
    if indicator is not None and layer != "imd":
        source = Priority if layer == "priority" else Result
        rows = source.objects.filter(indicator=indicator, area__area_type=level)
        # DISTINCT in the database: an LSOA layer has ~16,000 rows per indicator (by group).
        periods = per_load(
            load,
            "atlas-periods",
            [level, layer, indicator.id],
            lambda: sorted(
                rows.order_by().values_list("period", flat=True).distinct(), reverse=True
            ),
        )
        period = params.get("period", "") if params.get("period") in periods else ""
        period = period or (periods[0] if periods else "")
        if layer == "priority":
            found = per_load(
                load,
                "atlas-groups",
                [level, indicator.id, period],
                lambda: list(
                    rows.filter(period=period)
                    .order_by()
                    .values_list("category_type", "category")
                    .distinct()
                ),
            )
            groups = sorted(set(found), key=lambda g: (g[0] != "all", g))
            wanted = tuple(params.get("group", "").split(":", 1))
            group = wanted if wanted in groups else (groups[0] if groups else None)
    choice = Choice(level, layer, indicator if layer != "imd" else None, period, group)
    options = Options(
        levels=list(LEVELS.items()),
        layers=list(LAYERS.items()),
        indicators=[(i.id, i.name) for i in indicators],
        periods=periods,
        groups=[(":".join(g), _group_label(g)) for g in groups],
    )
    return choice, options


def atlas_geojson(choice: Choice, user: Any, load: ResultsLoad | None) -> bytes:
    """`atlas_data(choice, user).geojson()` encoded as JSON (what the map fetches), cached per
    `load`, `user`'s disclosure policy and `choice`: reading and encoding the boundaries was
    most of the data request's time."""

    def encoded() -> bytes:
        data = atlas_data.uncached(choice, user)  # type: ignore[attr-defined]
        return json.dumps(data.geojson(), cls=DjangoJSONEncoder).encode()

    if load is None:
        return encoded()
    entry = cache_key("atlas-geojson", load, user, choice.query())
    return cache.get_or_set(entry, encoded, TIMEOUT)


def table_cache_key(choice: Choice, user: Any, load: ResultsLoad | None) -> str:
    """The key of the atlas page's rendered table (`{% cache %}` in need/atlas.html): the same
    parts as the data's, so a new load or another policy never reuses it ("" without a load,
    and the template then renders the table each time)."""
    return cache_key("atlas-table", load, user, choice.query()) if load is not None else ""


@per_load_and_policy("atlas", key=lambda choice: choice.query())
def atlas_data(choice: Choice, user: Any) -> AtlasData:
    """The areas of `choice.level` with their value, text and colour as `user` may see them."""
    areas = list(Area.objects.filter(area_type=choice.level).order_by("code"))
    if choice.layer == "imd":
        return _imd(choice, areas)
    if choice.indicator is None:
        return AtlasData(choice, "No results have been loaded", note=_NO_RESULTS)
    if choice.layer == "priority":
        return _priority(choice, areas, user)
    return _indicator(choice, areas, user)


_NO_RESULTS = "Load a results store with `python -m healthgap.web load_results`."


def _imd(choice: Choice, areas: list[Area]) -> AtlasData:
    data = AtlasData(choice, "Index of Multiple Deprivation 2025, national decile")
    for area in areas:
        decile = area.imd_decile
        colour = VIRIDIS[decile - 1] if decile else NO_DATA
        text = f"Decile {decile}" if decile else "No decile"
        extra = "Core20" if area.core20 else ""
        data.areas.append(
            MapArea(area.code, area.name, _url(area), None, text, colour, False, extra)
        )
    labels = {1: "1 (most deprived 10% in England)", 10: "10 (least deprived 10%)"}
    data.legend = [LegendEntry(VIRIDIS[d - 1], labels.get(d, str(d))) for d in range(1, 11)]
    if choice.level == AreaType.MSOA:
        data.note = (
            "MSOA deciles rank the population-weighted mean IMD score of each MSOA's LSOAs "
            "among all English MSOAs (not an official statistic)."
        )
    return data


def _indicator(choice: Choice, areas: list[Area], user: Any) -> AtlasData:
    indicator = choice.indicator
    assert indicator is not None
    rows = {
        r.area_id: r
        for r in Result.objects.filter(
            indicator=indicator,
            period=choice.period,
            area__area_type=choice.level,
            category_type="all",
        )
    }
    figures = {code: figure(row, user, unit=indicator.unit) for code, row in rows.items()}
    data = AtlasData(choice, f"{indicator.name}, {choice.period}")
    values = {c: f.value for c, f in figures.items() if f is not None and f.available}
    classes, bounds = _classify(values)
    flip = indicator.polarity == Polarity.HIGHER_IS_BETTER
    for area in areas:
        fig = figures.get(area.code)
        k = classes.get(area.code)
        colour = NO_DATA if k is None else BLUES[CLASSES - 1 - k if flip else k]
        text = _figure_text(fig)
        data.areas.append(
            MapArea(
                area.code, area.name, _url(area), fig, text, colour, bool(fig and fig.suppressed)
            )
        )
    labels = legend_labels(bounds, lambda v: number(v, indicator.unit))
    data.legend = [
        LegendEntry(BLUES[CLASSES - 1 - k if flip else k], labels[k]) for k in sorted(bounds)
    ] + [LegendEntry(NO_DATA, "No value, or suppressed (based on 1 to 7 people)")]
    if indicator.polarity == Polarity.NO_JUDGEMENT:
        data.note = "Five classes with equal numbers of areas; darker is higher."
    else:
        data.note = (
            f"Five classes with equal numbers of areas; darker is worse "
            f"({indicator.get_polarity_display().lower()})."
        )
    return data


def _priority(choice: Choice, areas: list[Area], user: Any) -> AtlasData:
    indicator = choice.indicator
    assert indicator is not None
    group = choice.group or ("all", "All")
    rows = {
        p.area_id: p
        for p in Priority.objects.filter(
            indicator=indicator,
            period=choice.period,
            area__area_type=choice.level,
            category_type=group[0],
            category=group[1],
        )
    }
    figures = {code: figure(row, user) for code, row in rows.items()}
    title = f"Priority: {indicator.name}, {_group_label(group)}, {choice.period}"
    data = AtlasData(choice, title)
    headroom = {
        code: rows[code].headroom
        for code, fig in figures.items()
        if fig is not None and not fig.suppressed and rows[code].headroom is not None
    }
    gaps = {code: h for code, h in headroom.items() if h > 0}
    classes, bounds = _classify(gaps)
    for area in areas:
        fig = figures.get(area.code)
        row = rows.get(area.code)
        if area.code in classes:
            colour = ORANGES[classes[area.code]]
            rank = getattr(row, columns_for(user).rank)
            text = f"{count(headroom[area.code])} {row.unit or 'people'} (rank {rank})"
        elif area.code in headroom:
            colour, text = NO_GAP, "No gap to the benchmark"
        else:
            colour, text = NO_DATA, "*" if fig is not None and fig.suppressed else "No priority"
        suppressed = bool(fig and fig.suppressed)
        data.areas.append(MapArea(area.code, area.name, _url(area), fig, text, colour, suppressed))
    unit = next((r.unit for r in rows.values() if r.unit), "people")
    labels = legend_labels(bounds, count)
    data.legend = [LegendEntry(ORANGES[k], f"{labels[k]} {unit}") for k in sorted(bounds)] + [
        LegendEntry(NO_GAP, "No gap to the benchmark"),
        LegendEntry(NO_DATA, "No priority, or suppressed (based on 1 to 7 people)"),
    ]
    data.note = (
        "Headroom: people who would be reached (or events avoided) if this group matched the "
        "benchmark. Five classes with equal numbers of areas; darker is a bigger gap."
    )
    return data


def _classify(values: dict[str, float]) -> tuple[dict[str, int], dict[int, tuple[float, float]]]:
    """Quantile classes of `values` (code -> value): class k (0..4) holds the values from the
    k-th to the (k+1)-th quintile of the values (a value equal to a quintile goes up); also
    each non-empty class's (lowest, highest) value."""
    if not values:
        return {}, {}
    codes = list(values)
    array = np.array([values[c] for c in codes], dtype=float)
    breaks = np.quantile(array, np.linspace(0, 1, CLASSES + 1)[1:-1])
    classes = np.searchsorted(breaks, array, side="right")
    bounds = {
        int(k): (float(array[classes == k].min()), float(array[classes == k].max()))
        for k in np.unique(classes)
    }
    return dict(zip(codes, classes.tolist(), strict=True)), bounds


def _figure_text(fig: Figure | None) -> str:
    if fig is None:
        return "No value"
    if fig.suppressed or fig.value is None:
        return (
            fig.text if fig.suppressed else f"No value ({fig.reason})" if fig.reason else "No value"
        )
    return f"{fig.text} ({fig.interval})" if fig.interval else fig.text


def legend_labels(
    bounds: Mapping[int, tuple[float, float]], shown: Callable[[float], str]
) -> dict[int, str]:
    """Class -> a label that no other class's label overlaps, as the values are shown: the
    first class "10.0% to 12.5%", each later one "over 12.5% to 14.0%", starting where the
    class before it ends as shown (rounding made "10.0% to 12.5%" and "12.5% to 14.0%" claim
    12.5% twice)."""
    labels: dict[int, str] = {}
    previous: str | None = None
    for k in sorted(bounds):
        lo, hi = bounds[k]
        end = shown(hi)
        if previous is None:
            labels[k] = end if shown(lo) == end else f"{shown(lo)} to {end}"
        else:
            labels[k] = f"over {previous}" if end == previous else f"over {previous} to {end}"
        previous = end
    return labels


def _group_label(group: tuple[str, str]) -> str:
    return "everyone" if group[0] == "all" else group[1]


def _url(area: Area) -> str:
    return reverse("need:area", args=[area.code])


def _bbox(geometries: Any) -> list[float] | None:
    """[west, south, east, north] of GeoJSON Polygon/MultiPolygon geometries."""
    points = [
        np.asarray(ring, dtype=float)
        for geometry in geometries
        for polygon in (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for ring in polygon
    ]
    if not points:
        return None
    stacked = np.concatenate(points)
    return [*stacked.min(axis=0).tolist(), *stacked.max(axis=0).tolist()]
