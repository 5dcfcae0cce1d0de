"""Caching of the need pages' aggregates (atlas layers, area profiles) in Django's cache.

A cached value is keyed by what it depends on: the loaded results (`ResultsLoad.current()`:
its id and version, so a new load is never served stale: the old keys are simply never asked
for again and expire), the viewer's disclosure policy (`healthgap.web.disclosure.policy_for`:
an analyst's unsuppressed figures never reach the public), and the request's own key (area
code, atlas choice). The cache backend is settings.CACHES (Redis under `make serve`, this
process's memory otherwise); entries live at most TIMEOUT seconds.

`per_load` caches what depends on the load alone (the atlas's indicator, period and group
choices), the same for every viewer; `POLICY_FREE` stands in for the policy in its keys.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from healthgap.web.disclosure import policy_for
from healthgap.web.need.models import ResultsLoad

#: Seconds a cached aggregate is kept (a new results load changes the keys at once).
TIMEOUT = 3600
T = TypeVar("T")


def cache_key(name: str, load: ResultsLoad, user: Any, parts: Any) -> str:
    """The cache key of `name` for `parts` under `load`, as `user`'s policy sees it."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"healthgap:need:{name}:{load.pk}:{load.version}:{policy_for(user)}:{digest[:32]}"


#: The policy part of the key of a value that is the same for every viewer.
POLICY_FREE = "any-viewer"


def per_load(load: ResultsLoad | None, name: str, parts: Any, compute: Callable[[], T]) -> T:
    """`compute()`, cached under `load` (its id and version) and `parts` for every viewer;
    without a load it is computed each time."""
    if load is None:
        return compute()
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    entry = f"healthgap:need:{name}:{load.pk}:{load.version}:{POLICY_FREE}:{digest[:32]}"
    return cache.get_or_set(entry, compute, TIMEOUT)


def per_load_and_policy(
    name: str, key: Callable[[Any], Any]
) -> Callable[[Callable[[Any, Any], T]], Callable[[Any, Any], T]]:
    """Decorate `function(subject, user)` to cache its result under `cache_key(name, ...,
    key(subject))`; without a results load nothing is cached. `.uncached` is the original."""

    def decorate(function: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
        @functools.wraps(function)
        def cached(subject: Any, user: Any) -> T:
            load = ResultsLoad.current()
            if load is None:
                return function(subject, user)
            entry = cache_key(name, load, user, key(subject))
            return cache.get_or_set(entry, lambda: function(subject, user), TIMEOUT)

        cached.uncached = function  # type: ignore[attr-defined]
        return cached

    return decorate
