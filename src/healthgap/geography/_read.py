"""Readers for the mirror's file formats: CSV/CSV.GZ (pyarrow) and GeoJSON (stdlib json).

A file that lacks an expected column or is not valid JSON raises DataSourceError naming the
file, so a damaged or re-laid-out copy fails with a clear message rather than a KeyError.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from healthgap.errors import DataSourceError


def read_csv(
    path: Path, columns: Mapping[str, str] | Iterable[str], *, text: bool | Iterable[str] = True
) -> pd.DataFrame:
    """Read `columns` of a CSV or gzipped CSV (a mapping renames: file column -> new name).

    `text=True` reads every column as a string (area codes stay "E01000001", never numbers);
    an iterable reads just those (file) columns as strings and lets pyarrow type the rest.
    """
    if not isinstance(columns, Mapping):
        columns = {name: name for name in columns}
    as_text = list(columns) if text is True else list(text or ())
    options = pacsv.ConvertOptions(
        include_columns=list(columns), column_types={name: pa.string() for name in as_text}
    )
    try:
        table = pacsv.read_csv(path, convert_options=options)
    except (pa.ArrowException, OSError) as exc:
        raise DataSourceError(f"Could not read {path}: {exc}") from exc
    return table.rename_columns([columns[name] for name in table.column_names]).to_pandas()


def read_geojson(path: Path) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection."""
    try:
        with path.open(encoding="utf-8") as handle:
            collection = json.load(handle)
        features = collection["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataSourceError(f"{path} is not a readable GeoJSON FeatureCollection: {exc}") from exc
    return features


def geojson_properties(path: Path, columns: Mapping[str, str]) -> pd.DataFrame:
    """The `columns` (property -> new name) of every feature of a GeoJSON file, as a frame."""
    features = read_geojson(path)
    try:
        rows = [[feature["properties"][name] for name in columns] for feature in features]
    except (KeyError, TypeError) as exc:
        raise DataSourceError(f"{path}: a feature lacks the property {exc}") from exc
    return pd.DataFrame(rows, columns=list(columns.values()), dtype="str")
