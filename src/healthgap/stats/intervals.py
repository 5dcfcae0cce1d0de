"""Confidence-interval helpers for counts and proportions, public for the packages above `stats`.

The statistics functions use them internally (module `_intervals`, docs/methods.md "Interval
helpers"); packages that compute their own estimates, such as `priorities` (headroom limits),
import them from here. All functions are vectorised over numpy arrays and return NaN where an
input is NaN; `confidence` is a fraction such as 0.95.

- `wilson_limits(x, n, confidence)`: Wilson score limits of the proportion x / n
  (Wilson EB (1927). JASA 22:209-212).
- `poisson_limits(observed, confidence)`: limits of a Poisson count, exact below 10 events and
  Byar's approximation from 10 (PHE's rule); `byars_lower`/`byars_upper` and
  `exact_lower`/`exact_upper` are the two methods alone (Breslow NE, Day NE (1987), IARC, p. 69;
  Ulm K (1990). Am J Epidemiol 131(2):373-375).
"""

from __future__ import annotations

from healthgap.stats._intervals import (
    byars_lower,
    byars_upper,
    exact_lower,
    exact_upper,
    poisson_limits,
    wilson_limits,
)

__all__ = [
    "byars_lower",
    "byars_upper",
    "exact_lower",
    "exact_upper",
    "poisson_limits",
    "wilson_limits",
]
