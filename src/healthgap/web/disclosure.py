"""The web app's side of the one disclosure boundary (`healthgap.disclosure`, docs/disclosure.md
"In the app").

Who sees what:

* analysts (the VIEW_UNSUPPRESSED permission) see figures as computed (policy `none`);
* everyone else, administrators and anonymous visitors included, sees the `public` policy:
  counts of 1 to 7 hidden ("*"), other counts rounded to the nearest 5, complements hidden so
  that no hidden count can be worked back from the sums published beside it, and every value
  derived from a hidden count hidden with it;
* an organisation sees its own records (activities it recorded) unsuppressed.

Tables come protected whole, never per request: the indicator results at load time
(`healthgap.web.need.loader`), activity reach and insight counts over all records at once
(`healthgap.web.action.published`). `suppress` remains for lone counts published with no sum
beside them (e.g. the number of champions in a neighbourhood): primary suppression only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from healthgap.disclosure import get_policy
from healthgap.web.accounts.authorization import Permission, has_permission

PUBLIC = get_policy("public")
#: Counts from 1 up to this value are suppressed (NHS Digital: "1–7 replaced with *").
SUPPRESSION_THRESHOLD = PUBLIC.suppress_to
SUPPRESSED = "*"


def sees_everything(user: Any) -> bool:
    """True for analysts (VIEW_UNSUPPRESSED): they see the `none` policy."""
    return has_permission(user, Permission.VIEW_UNSUPPRESSED)


def policy_for(user: Any) -> str:
    """The disclosure policy of what `user` sees: "none" for analysts, else "public"."""
    return "none" if sees_everything(user) else "public"


def is_small(count: Any) -> bool:
    """True when `count` is a number the public policy hides (1..7; None/NaN are not small)."""
    if count is None or isinstance(count, bool):
        return False
    try:
        number = float(count)
    except (TypeError, ValueError):
        return False
    return bool(PUBLIC.primary(np.array([number]))[0])


def suppress(value: Any, user: Any, *, counts: Iterable[Any] | None = None) -> Any:
    """`value`, or "*" when `user` may not see it (primary suppression of a lone count).

    Without `counts`, `value` is itself a count. With `counts`, `value` is derived from them
    (e.g. a percentage from its numerator and denominator) and is suppressed when any of them
    is small. Users with VIEW_UNSUPPRESSED always get `value` unchanged. Counts published with
    sums beside them must go through a protected table instead.
    """
    if sees_everything(user):
        return value
    bases = [value] if counts is None else list(counts)
    return SUPPRESSED if any(is_small(c) for c in bases) else value


def shown(published: Any) -> Any:
    """A protected table's published count for display: "*" when hidden (NaN/None), else an
    int."""
    if published is None or (isinstance(published, float) and np.isnan(published)):
        return SUPPRESSED
    return int(published)
