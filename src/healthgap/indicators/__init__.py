"""Indicators: a declarative YAML catalogue compiled to Ibis and run on DuckDB, PostgreSQL or Spark.

Pipeline (docs/indicators.md): `loading` (YAML -> the frozen dataclasses of `definitions`) ->
`compile` (-> one Ibis expression for many indicators) -> `backends` (connect and register
tables) -> `run` (execute and publish). `reference` is a plain pandas engine the others are
checked against.
"""

from __future__ import annotations

from healthgap.indicators.definitions import Indicator, IndicatorDefinitionError
from healthgap.indicators.loading import load_catalogue, load_indicator

__all__ = ["Indicator", "IndicatorDefinitionError", "load_catalogue", "load_indicator"]
