"""Argument and input checks shared by the statistics functions.

The rules follow PHEindicatormethods 2.1.0 (see docs/methods.md, "Conventions"): confidence may
be given as a fraction (0.95) or a percentage (95); at most two levels for the count-based
statistics, and then only 95% and 99.8%; CI columns are `lowercl`/`uppercl` for one level and
`lower95_0cl`/`upper95_0cl`/`lower99_8cl`/`upper99_8cl` for two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from healthgap.errors import ArgumentError, InputDataError


@dataclass(frozen=True)
class Confidence:
    """Parsed confidence levels (fractions, e.g. (0.95, 0.998))."""

    levels: tuple[float, ...]

    @property
    def label(self) -> str:
        """R's `paste0(c*100, "%")`: "95%", "99.8%", "95%, 99.8%"."""
        return ", ".join(f"{_fmt_percent(c)}%" for c in self.levels)

    def names(self, prefix: str = "", *, always_suffix: bool = False) -> list[tuple[str, str]]:
        """(lower, upper) column names per level.

        One level gives `lowercl`/`uppercl` unless `always_suffix` (SII's rule); otherwise the
        level is written with one decimal and "_" for ".": 95 -> `lower95_0cl`.
        """
        if len(self.levels) == 1 and not always_suffix:
            return [(f"{prefix}lowercl", f"{prefix}uppercl")]
        return [
            (f"{prefix}lower{_suffix(c)}cl", f"{prefix}upper{_suffix(c)}cl") for c in self.levels
        ]


def _fmt_percent(c: float) -> str:
    text = f"{c * 100:.10f}".rstrip("0").rstrip(".")
    return text


def _suffix(c: float) -> str:
    return f"{c * 100:.1f}".replace(".", "_")


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile: z = Φ⁻¹(c + (1 − c)/2); 1.959963985 for c = 0.95."""
    return float(sps.norm.ppf(confidence + (1 - confidence) / 2))


def parse_confidence(
    confidence: float | Sequence[float], function: str, *, any_levels: bool = False
) -> Confidence:
    """Validate and normalise `confidence` (0.95, 95, or a sequence of such).

    Values >= 90 are read as percentages. Each level must lie in [0.9, 1]. Unless `any_levels`
    (SII, life expectancy), at most two levels, and two only as 95% and 99.8%.
    """
    if confidence is None:
        raise ArgumentError(
            f"{function}: confidence must be given (e.g. 0.95, 95 or (0.95, 0.998))"
        )
    raw = [confidence] if np.isscalar(confidence) else list(confidence)  # type: ignore[arg-type]
    if not raw:
        raise ArgumentError(f"{function}: confidence must be given")
    levels: list[float] = []
    for value in raw:
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ArgumentError(f"{function}: confidence must be numeric, got {value!r}")
        c = float(value) / 100 if value >= 90 else float(value)
        if not 0.9 <= c <= 1:
            raise ArgumentError(
                f"{function}: confidence level must be between 90 and 100 or between 0.9 and 1"
                f" (got {value!r})"
            )
        levels.append(round(c, 10))
    if not any_levels:
        if len(levels) > 2:
            raise ArgumentError(f"{function}: a maximum of two confidence levels can be provided")
        if len(levels) == 2 and levels != [0.95, 0.998]:
            raise ArgumentError(
                f"{function}: two confidence levels can only be produced if they are specified"
                " as 0.95 and 0.998"
            )
    return Confidence(tuple(levels))


def require_columns(df: pd.DataFrame, columns: Sequence[str | None], function: str) -> None:
    """Raise ArgumentError naming any column that is not in `df` (with close matches)."""
    import difflib

    for column in columns:
        if column is None:
            continue
        if column not in df.columns:
            close = difflib.get_close_matches(str(column), [str(c) for c in df.columns], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ArgumentError(f"{function}: column {column!r} is not in the data{hint}")


def require_numeric(df: pd.DataFrame, columns: Sequence[str | None], function: str) -> None:
    """Raise InputDataError naming the rows of any non-numeric value in `columns`.

    Missing values (NA/None/NaN) are allowed; strings such as "12a" are not.
    """
    for column in columns:
        if column is None:
            continue
        series = df[column]
        if pd.api.types.is_bool_dtype(series):
            raise InputDataError(f"{function}: column {column!r} must be numeric, not boolean")
        if pd.api.types.is_numeric_dtype(series):
            continue
        coerced = pd.to_numeric(series, errors="coerce")
        bad = coerced.isna() & series.notna()
        if bad.any():
            raise InputDataError(
                f"{function}: column {column!r} must be numeric; non-numeric values found",
                offenders=[f"row {i}: {series[i]!r}" for i in series.index[bad]],
            )


def reject_rows(mask: np.ndarray | pd.Series, df: pd.DataFrame, message: str) -> None:
    """Raise InputDataError naming the rows where `mask` is True (if any)."""
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        raise InputDataError(message, offenders=[f"row {i}" for i in df.index[mask]])


def reject_groups(mask: np.ndarray | pd.Series, groups: pd.DataFrame, message: str) -> None:
    """Raise InputDataError naming the groups (rows of `groups`) where `mask` is True."""
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        offenders = [tuple(row) for row in groups.loc[mask].itertuples(index=False)]
        raise InputDataError(message, offenders=offenders)
