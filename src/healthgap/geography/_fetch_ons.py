"""ONS Open Geography Portal: lookups and boundaries from ArcGIS feature services and files.

A feature service (`<ons host>/<service>/FeatureServer/0/query`) answers at most its
`maxRecordCount` features per request (2,000 for most ONS lookups, fewer for some boundary
layers), so a layer is read in pages: first a count (`returnCountOnly=true`), then requests with
`resultOffset=N&resultRecordCount=2000`, moving on by the number of features received, for as
long as the answer says `exceededTransferLimit`. The features read must add up to the count.
Tables use `f=json` without geometry (numbers kept as the published text); boundaries use
`f=geojson` in WGS84 (`outSR=4326`). Older products are single files (an ArcGIS item's CSV, an
Open Data hub CSV or GeoJSON) read in one request. Reference: Esri, ArcGIS REST API, "Query
(Feature Service/Layer)".

Field names are ONS's (`LSOA21CD`, `SICBL24CDH`, ...), mapped to the mirror's columns by
`pick_columns`. Boundaries keep English areas only, with properties `<geo>_code`, `<geo>_name`,
MultiPolygon geometries and coordinates rounded to 6 decimal places, as in the mirror.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from healthgap.errors import DataSourceError
from healthgap.geography._fetch_base import (
    Columns,
    Context,
    Recipe,
    frame_from_csv,
    frame_from_records,
    pick_columns,
)
from healthgap.geography._read import read_csv, read_geojson

PUBLISHER = "ONS Open Geography Portal"
PAGE_ROWS = 2000
DECIMALS = 6

# RUC 2011 (LSOA level), by the letter of the code: (Urban/Rural, the mirror's classification)
_RUC11 = {
    "A": ("Urban", "Urban conurbation"),
    "B": ("Urban", "Urban conurbation"),
    "C": ("Urban", "Urban city and town"),
    "D": ("Rural", "Rural town and fringe"),
    "E": ("Rural", "Rural village"),
    "F": ("Rural", "Rural hamlet and isolated dwellings"),
}


def table(
    host: str,
    path: str,
    columns: Columns,
    *,
    derive: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    written: tuple[str, ...] | None = None,
) -> Recipe:
    """A lookup table: a feature service (`host` "ons", `path` the service) or a CSV/GeoJSON file.

    `derive` adds columns computed from the picked ones (`written`: the columns then written).
    Duplicate rows are dropped (as the mirror's lookups were built).
    """

    def build(ctx: Context) -> pd.DataFrame:
        what = f"{PUBLISHER} {host}:{path}"
        if host == "arcgis" or path.endswith(".csv"):
            frame = frame_from_csv(ctx.get(ctx.url(host, path)), what)
            ctx.advance(len(frame), total=len(frame))
        else:
            params = {"where": "1=1", "outFields": "*", "returnGeometry": "false", "f": "json"}
            features = _features(ctx, host, path, params, text=True)
            frame = frame_from_records([_properties(f) for f in features], what)
        picked = pick_columns(frame, columns, what)
        return (derive(picked) if derive else picked).drop_duplicates(ignore_index=True)

    return Recipe(PUBLISHER, f"{host}:{path}", build, columns=written or tuple(columns))


def ruc11(picked: pd.DataFrame) -> pd.DataFrame:
    """Add `ruc` (Urban/Rural) and the mirror's `classification` from the RUC 2011 code."""
    letters = picked["ruc11_code"].str[:1]
    unknown = sorted(set(letters) - set(_RUC11))
    if unknown:
        raise DataSourceError(f"Unknown Rural-Urban Classification 2011 codes: {unknown}.")
    return picked.assign(
        ruc=letters.map({k: v[0] for k, v in _RUC11.items()}),
        classification=letters.map({k: v[1] for k, v in _RUC11.items()}),
    )


def layer(host: str, path: str, geo: str, code: tuple[str, ...], name: tuple[str, ...]) -> Recipe:
    """A boundary layer: English features with properties `<geo>_code`, `<geo>_name`."""
    columns = {f"{geo}_code": code, f"{geo}_name": name}

    def build(ctx: Context) -> list[dict[str, Any]]:
        what = f"{PUBLISHER} {host}:{path}"
        params = {"where": "1=1", "outFields": "*", "outSR": "4326", "f": "geojson"}
        features = _features(ctx, host, path, params, text=False)
        properties = frame_from_records([_properties(f) for f in features], what)
        picked = pick_columns(properties, columns, what)
        english = picked[f"{geo}_code"].str.startswith("E").to_numpy()
        return [
            {"type": "Feature", "properties": props, "geometry": multipolygon(feature, what)}
            for feature, props, keep in zip(
                features, picked.to_dict("records"), english, strict=True
            )
            if keep
        ]

    return Recipe(PUBLISHER, f"{host}:{path}", build, columns=tuple(columns))


def multipolygon(feature: dict[str, Any], what: str) -> dict[str, Any]:
    """The feature's Polygon or MultiPolygon as a MultiPolygon, rounded to 6 decimal places."""
    geometry = feature.get("geometry") or {}
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise DataSourceError(f"{what} has a {kind or 'missing'} geometry; polygons expected.")
    polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
    rounded = [
        [np.round(np.asarray(ring, dtype=float), DECIMALS).tolist() for ring in polygon]
        for polygon in polygons
    ]
    return {"type": "MultiPolygon", "coordinates": rounded}


def west_midlands(parent: str, geo: str, links: str, lad: str) -> Recipe:
    """Features of boundary source `parent` whose LSOA lies in a West Midlands LAD.

    The region's LADs come from `lad24_region24`; LSOAs are placed in LADs by source `links`
    (its `<geo>_code` and `lad` columns). This reproduces the mirror's subsets exactly.
    """
    needs = (parent, "lad24_region24", links)

    def build(ctx: Context) -> list[dict[str, Any]]:
        regions = read_csv(ctx.dependency("lad24_region24"), ["ltla24_code", "region24_name"])
        lads = regions.loc[regions["region24_name"] == "West Midlands", "ltla24_code"]
        lookup = read_csv(ctx.dependency(links), [f"{geo}_code", lad])
        codes = set(lookup.loc[lookup[lad].isin(lads), f"{geo}_code"])
        features = read_geojson(ctx.dependency(parent))
        return [f for f in features if f["properties"][f"{geo}_code"] in codes]

    columns = (f"{geo}_code", f"{geo}_name")
    return Recipe(PUBLISHER, f"derived from {parent}", build, needs=needs, columns=columns)


ENGLAND_LSOA11 = ("LSOA11CD", "LSOA11NM", "MSOA11CD", "MSOA11NM", "LAD17CD", "LAD17NM",
                  "RGN11CD", "RGN11NM")  # fmt: skip


def england_lsoas(parent: str) -> Recipe:
    """One row per English LSOA 2011 (first occurrence) of the output-area lookup `parent`."""

    def build(ctx: Context) -> pd.DataFrame:
        lookup = read_csv(ctx.dependency(parent), [*ENGLAND_LSOA11, "CTRY11CD"])
        england = lookup.loc[lookup["CTRY11CD"] == "E92000001", list(ENGLAND_LSOA11)]
        return england.drop_duplicates("LSOA11CD", ignore_index=True)

    return Recipe(
        PUBLISHER, f"derived from {parent}", build, needs=(parent,), columns=ENGLAND_LSOA11
    )


def _features(
    ctx: Context, host: str, path: str, params: dict[str, str], *, text: bool
) -> list[dict[str, Any]]:
    """Every feature of a feature-service layer (paged) or of a single JSON/GeoJSON file.

    text: keep numbers as the published text (tables); False parses them (coordinates).
    """
    if host != "ons":
        url = ctx.url(host, path)
        features = _list(_payload(ctx.get(url), url, text), url)
        ctx.advance(len(features), total=len(features))
        return features
    query = f"{path}/FeatureServer/0/query"
    ctx.first_url = ctx.first_url or ctx.url("ons", query, params)
    count_url = ctx.url("ons", query, {"where": "1=1", "returnCountOnly": "true", "f": "json"})
    count = _payload(ctx.get(count_url), count_url, text=False).get("count")
    if not isinstance(count, int):
        raise DataSourceError(f"{count_url} did not give a feature count.")
    ctx.advance(0, total=count)
    features: list[dict[str, Any]] = []
    while True:
        paging = {"resultOffset": len(features), "resultRecordCount": PAGE_ROWS}
        url = ctx.url("ons", query, {**params, **paging})
        payload = _payload(ctx.get(url), url, text)
        page = _list(payload, url)
        features.extend(page)
        ctx.advance(len(page))
        if not page or not _exceeded(payload):
            break
    if len(features) != count:
        raise DataSourceError(
            f"{ctx.url('ons', query)} reported {count:,} features but its pages held"
            f" {len(features):,}; the layer may have changed while it was read: try again."
        )
    return features


def _payload(body: bytes, url: str, text: bool) -> dict[str, Any]:
    as_text = {"parse_float": str, "parse_int": str} if text else {}
    try:
        payload = json.loads(body, **as_text)
    except ValueError:
        raise DataSourceError(f"{url} did not answer JSON (it began {body[:80]!r}).") from None
    if not isinstance(payload, dict):
        raise DataSourceError(f"{url} did not answer a JSON object.")
    if "error" in payload:
        error = payload["error"] if isinstance(payload["error"], dict) else {}
        details = "; ".join(str(d) for d in error.get("details") or [])
        raise DataSourceError(
            f"{url} answered ArcGIS error {error.get('code')}: {error.get('message')}"
            + (f" ({details})" if details else "")
        )
    return payload


def _list(payload: dict[str, Any], url: str) -> list[dict[str, Any]]:
    features = payload.get("features", [])
    if not isinstance(features, list):
        raise DataSourceError(f"{url} answered without a list of features.")
    return features


def _exceeded(payload: dict[str, Any]) -> bool:
    """True when the server holds more features (`f=json`: top level; GeoJSON: properties)."""
    properties = payload.get("properties")
    nested = isinstance(properties, dict) and properties.get("exceededTransferLimit")
    return bool(payload.get("exceededTransferLimit") or nested)


def _properties(feature: dict[str, Any]) -> dict[str, Any]:
    """A feature's fields: `attributes` (f=json) or `properties` (GeoJSON)."""
    fields = feature.get("attributes", feature.get("properties"))
    return fields if isinstance(fields, dict) else {}
