"""Workforce Race Equality Standard (WRES): the nine indicators from extracts or counts.

- `ethnicity`: NHS ethnic category codes -> White / BME / Unknown (BME = every group but White;
  not stated and not known are Unknown and left out of the relative likelihoods).
- `ratios`: relative likelihood of two proportions with Katz log 95% limits; difference of two
  proportions with Newcombe's hybrid score limits.
- `extract`: validate a workforce extract and a recruitment extract (every problem reported,
  the extract rejected whole) and reduce them to the counts table.
- `indicators`: the nine indicators from the counts table (and Staff Survey percentages),
  trends over years and the non-adverse range.
"""

from __future__ import annotations

from healthgap.equality.wres.extract import (
    counts_from_extracts,
    read_recruitment,
    read_workforce,
)
from healthgap.equality.wres.indicators import (
    NON_ADVERSE_RANGE,
    read_counts,
    read_survey,
    trends,
    wres_indicators,
)
from healthgap.equality.wres.ratios import (
    ProportionDifference,
    RelativeLikelihood,
    proportion_difference,
    relative_likelihood,
)

__all__ = [
    "NON_ADVERSE_RANGE",
    "ProportionDifference",
    "RelativeLikelihood",
    "counts_from_extracts",
    "proportion_difference",
    "read_counts",
    "read_recruitment",
    "read_survey",
    "read_workforce",
    "relative_likelihood",
    "trends",
    "wres_indicators",
]
