"""Reading the indicator catalogue: YAML files -> checked `Indicator` dataclasses.

`load_indicator` reads one file (`_yaml` keeps each value's file, field and line; `_parse`
checks the fields and builds the dataclasses of `definitions`); `load_catalogue` reads a
folder, by default the shipped catalogue (`catalogue/*.yaml`, one file per indicator named
after its `id`). Every problem raises `IndicatorDefinitionError` naming the file, line and
field (docs/indicators.md).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from healthgap.indicators._parse import parse_indicator
from healthgap.indicators._yaml import IndicatorDefinitionError, read_file
from healthgap.indicators.definitions import Indicator

__all__ = ["CATALOGUE_DIR", "load_catalogue", "load_indicator"]

CATALOGUE_DIR = Path(__file__).parent / "catalogue"
"""The shipped catalogue."""


def load_indicator(path: str | Path) -> Indicator:
    """Read and check one indicator file; its `id` must equal the file name without `.yaml`."""
    path = Path(path)
    return parse_indicator(read_file(path), expected_id=path.stem)


def load_catalogue(
    directory: str | Path | None = None, ids: Iterable[str] | None = None
) -> dict[str, Indicator]:
    """Every `*.yaml` indicator in `directory` (default: the shipped catalogue), as id -> Indicator.

    `ids` keeps only those indicators; an unknown id raises `IndicatorDefinitionError` with the
    closest known id.
    """
    folder = CATALOGUE_DIR if directory is None else Path(directory)
    found = {ind.id: ind for ind in map(load_indicator, sorted(folder.glob("*.yaml")))}
    if ids is None:
        return found
    wanted = list(ids)
    for ident in wanted:
        if ident not in found:
            hint = difflib.get_close_matches(ident, list(found), n=1)
            fix = f" Did you mean {hint[0]!r}?" if hint else ""
            raise IndicatorDefinitionError(str(folder), None, "id", f"no indicator {ident!r}.{fix}")
    return {ident: found[ident] for ident in wanted}
