"""Small-number suppression for what the web app shows: one function for every page and API.

Rule (docs/web.md, from NHS Digital's HES/ECDS disclosure control, reference/standards.md
§5.4): a count of 1 to 7 is shown as "*", and so is any value derived from such a count (a
percentage or rate whose numerator or denominator is 1–7); 0 is shown as 0, because a zero
reveals nobody. Analysts (the `VIEW_UNSUPPRESSED` permission) see every value; everyone else,
administrators and anonymous visitors included, sees suppressed values.

NHS Digital's method also rounds other sub-national counts to the nearest 5; the web app does
not, because its figures are aggregates published by the indicator pipeline and rounding is a
choice for the `healthgap.disclosure` policy that produces them, not for the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from healthgap.web.accounts.authorization import Permission, has_permission

#: Counts from 1 up to this value are suppressed (NHS Digital: "1–7 replaced with *").
SUPPRESSION_THRESHOLD = 7
SUPPRESSED = "*"


def is_small(count: Any) -> bool:
    """True when `count` is a number in 1..SUPPRESSION_THRESHOLD (None/NaN are not small)."""
    if count is None or isinstance(count, bool):
        return False
    try:
        number = float(count)
    except (TypeError, ValueError):
        return False
    return not math.isnan(number) and 0 < number <= SUPPRESSION_THRESHOLD


def suppress(value: Any, user: Any, *, counts: Iterable[Any] | None = None) -> Any:
    """`value`, or "*" when `user` may not see it.

    Without `counts`, `value` is itself a count. With `counts`, `value` is derived from them
    (e.g. a percentage from its numerator and denominator) and is suppressed when any of them
    is small. Users with VIEW_UNSUPPRESSED always get `value` unchanged.
    """
    if has_permission(user, Permission.VIEW_UNSUPPRESSED):
        return value
    bases = [value] if counts is None else list(counts)
    return SUPPRESSED if any(is_small(c) for c in bases) else value
