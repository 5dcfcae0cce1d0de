"""What the official-source fetchers share: publisher addresses, HTTP, pages, column mapping.

`healthgap.geography.official` fetches each registered source from its publisher and writes it
in the open-data mirror's layout. This module holds the pieces every publisher needs:

- `HOSTS`: each publisher's base address, overridable with `HEALTHGAP_OFFICIAL_HOSTS`
  (`ons=http://127.0.0.1:8000/ons,nomis=...`) or the `hosts` argument (a proxy, a local copy,
  a test server);
- `Context`: one source's fetch: HTTP GET with a User-Agent and a timeout, retried after HTTP
  429/5xx or a timeout; the sha256 of every byte received; Rich progress per page; the copies of
  other sources that a derived file is made from;
- `pick_columns`: the publisher's fields renamed to the mirror's columns (matched ignoring case
  and surrounding spaces), with a clear error naming any field the publisher no longer has.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pandas as pd

from healthgap.config import ENV_DATA_DIR, ENV_DATA_URL
from healthgap.errors import ArgumentError, DataSourceError
from healthgap.geography.sources import Source, sha256_file

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

ENV_OFFICIAL_HOSTS = "HEALTHGAP_OFFICIAL_HOSTS"

HOSTS: dict[str, str] = {
    "ons": "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services",
    "arcgis": "https://www.arcgis.com/sharing/rest/content/items",
    "opendata": "https://opendata.arcgis.com/datasets",
    "govuk": "https://assets.publishing.service.gov.uk",
    "nomis": "https://www.nomisweb.co.uk/api/v01/dataset",
    "github": "https://raw.githubusercontent.com",
}

USER_AGENT = "healthgap-data-fetch/1 (Python urllib)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
BACKOFF_S = (2.0, 10.0)  # waits before the 2nd and 3rd attempts
_THOUSANDS = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"

# A table (written as CSV), GeoJSON features, or the publisher's bytes kept as they are.
Output = pd.DataFrame | list[dict[str, Any]] | bytes
# mirror column -> the publisher's field name, or alternative names tried in order
Columns = Mapping[str, str | tuple[str, ...]]


def official_hosts(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """`HOSTS` overridden by HEALTHGAP_OFFICIAL_HOSTS, then by `overrides`.

    The variable holds comma-separated `name=url` pairs; names are those of `HOSTS`.
    """
    pairs: dict[str, str] = {}
    for item in filter(
        None, (p.strip() for p in os.environ.get(ENV_OFFICIAL_HOSTS, "").split(","))
    ):
        name, sep, url = item.partition("=")
        if not sep:
            raise ArgumentError(f"{ENV_OFFICIAL_HOSTS} entries are name=url pairs, not {item!r}.")
        pairs[name.strip()] = url.strip()
    pairs.update(overrides or {})
    unknown = sorted(set(pairs) - set(HOSTS))
    if unknown:
        raise ArgumentError(
            f"Unknown publisher host(s) {', '.join(unknown)}; choose from {', '.join(HOSTS)}."
        )
    bad = [url for url in pairs.values() if not url.startswith(("http://", "https://"))]
    if bad:
        raise ArgumentError(f"Publisher hosts must be http(s) addresses, not {', '.join(bad)}.")
    return {**HOSTS, **pairs}


@dataclass(frozen=True)
class Recipe:
    """How one source's file is made from its publisher.

    publisher: who serves it (for messages). address: what is fetched, e.g.
    "ons:LAD24_RGN24_EN_LU" (host name, then path or service). build: makes the file's content
    from a `Context`. verbatim: the publisher's bytes are the file (then the registry's sha256
    applies). needs: other sources the file is derived from. columns: the columns (GeoJSON
    properties) written, which are the mirror's (empty for verbatim files).
    """

    publisher: str
    address: str
    build: Callable[[Context], Output]
    verbatim: bool = False
    needs: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()


class Context:
    """One source's fetch: addresses, HTTP with retries, hashing, progress, dependencies."""

    def __init__(
        self,
        source: Source,
        hosts: Mapping[str, str],
        *,
        dependency: Callable[[str], Path] | None = None,
        progress: Progress | None = None,
        timeout: float = 60.0,
        kept: dict[str, bytes] | None = None,
    ) -> None:
        self.source = source
        self.hosts = hosts
        self.timeout = timeout
        self.first_url: str | None = None  # the address recorded (paged readers set it)
        self.derived_from: list[str] = []
        self.pages = 0
        self._digest = hashlib.sha256()
        self._dependency = dependency
        self._kept = kept if kept is not None else {}
        self._progress = progress
        self._task: TaskID | None = None
        if progress is not None:
            self._task = progress.add_task(f"{source.name}: connecting", total=None)

    def url(self, host: str, path: str, params: Mapping[str, object] | None = None) -> str:
        """`<host's base>/<path>?<params>` (host: a key of `HOSTS`)."""
        query = f"?{urlencode(params, safe=',*')}" if params else ""
        return f"{self.hosts[host].rstrip('/')}/{path.lstrip('/')}{query}"

    def get(self, url: str, *, keep: bool = False) -> bytes:
        """The body at `url`, hashed and counted as one page (DataSourceError on failure).

        keep: remember the body for the other sources made from the same file in this run
        (e.g. IoD File 7), so it is downloaded once.
        """
        self.first_url = self.first_url or url
        body = self._kept.get(url) or http_get(url, self.source, timeout=self.timeout)
        if keep:
            self._kept[url] = body
        self.pages += 1
        self._digest.update(body)
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=f"{self.source.name}: page {self.pages}")
        return body

    def advance(self, rows: int, total: int | None = None) -> None:
        """Move the progress bar on by `rows` (and set its total when known)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=rows, total=total)

    def dependency(self, name: str) -> Path:
        """The verified copy of source `name` that this file is derived from."""
        if self._dependency is None:
            raise DataSourceError(f"{self.source.name!r} is derived from {name!r}: none given.")
        path = self._dependency(name)
        self.derived_from.append(name)
        self._digest.update(bytes.fromhex(sha256_file(path)))
        return path

    @property
    def address(self) -> str:
        """The first address fetched, or the sources a derived file was made from."""
        return self.first_url or f"derived from {', '.join(self.derived_from)}"

    @property
    def upstream_sha256(self) -> str:
        """sha256 of the publisher's bytes in the order received (or of the sources used)."""
        return self._digest.hexdigest()

    def close(self) -> None:
        """Remove this source's progress bar."""
        if self._progress is not None and self._task is not None:
            self._progress.remove_task(self._task)
            self._task = None


def http_get(url: str, source: Source, *, timeout: float = 60.0) -> bytes:
    """GET `url`, retrying after HTTP 429/5xx or a timeout (waits `BACKOFF_S`).

    Raises DataSourceError: an unreachable host gives one line naming the URL and pointing at the
    mirror; an HTTP error names the status and the publisher's landing page.
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    for attempt in range(len(BACKOFF_S) + 1):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read()
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            if attempt < len(BACKOFF_S) and _transient(exc):
                time.sleep(BACKOFF_S[attempt])
                continue
            raise _download_error(url, source, exc) from exc
    raise AssertionError("the loop above always returns or raises")  # pragma: no cover


def _transient(exc: Exception) -> bool:
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code in RETRY_STATUS
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(reason, TimeoutError)


def _download_error(url: str, source: Source, exc: Exception) -> DataSourceError:
    if isinstance(exc, urllib.error.HTTPError):
        return DataSourceError(
            f"{url} answered HTTP {exc.code} {exc.reason} while fetching {source.name!r}: the"
            f" publisher may have moved or withdrawn the file (see {source.page})."
        )
    if isinstance(exc, urllib.error.URLError):
        return DataSourceError(
            f"Could not reach {url} ({exc.reason}). Without internet access, use the open-data"
            f" mirror ({ENV_DATA_DIR}) or a hosted copy of it ({ENV_DATA_URL}): run"
            " `healthgap data fetch` without --from official."
        )
    return DataSourceError(f"Could not download {url} ({exc}) while fetching {source.name!r}.")


def frame_from_csv(body: bytes, what: str) -> pd.DataFrame:
    """A CSV body as a frame of strings, exactly as published (a UTF-8 BOM is dropped)."""
    try:
        frame = pd.read_csv(
            io.BytesIO(body), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataSourceError(f"{what} is not a readable CSV file: {exc}") from exc
    if frame.columns.empty:
        raise DataSourceError(f"{what} is empty.")
    return frame


def frame_from_records(records: list[dict[str, Any]], what: str) -> pd.DataFrame:
    """Attribute records (from JSON parsed with numbers kept as text) as a frame of strings."""
    if not records:
        raise DataSourceError(f"{what} has no rows.")
    return pd.DataFrame.from_records(records).fillna("").astype(str)


def pick_columns(frame: pd.DataFrame, columns: Columns, what: str) -> pd.DataFrame:
    """The `columns` of `frame` under the mirror's names, in the mirror's order.

    Fields match ignoring case and surrounding spaces; each may list alternative names (ONS
    renames fields between releases, e.g. "F_LSOA11CD"). Thousands separators are removed from
    numbers ("1,296" -> "1296"). A missing field raises DataSourceError naming it and the
    fields the file has.
    """
    available = {str(name).strip().casefold(): name for name in frame.columns}
    chosen: dict[str, Any] = {}
    missing = []
    for out, fields in columns.items():
        names = (fields,) if isinstance(fields, str) else fields
        found = next((available[n.casefold()] for n in names if n.casefold() in available), None)
        if found is None:
            missing.append(" or ".join(repr(n) for n in names))
        else:
            chosen[out] = found
    if missing:
        has = ", ".join(repr(str(name)) for name in list(frame.columns)[:30])
        raise DataSourceError(
            f"{what} lacks the field(s) {'; '.join(missing)} (it has {has}). The publisher has"
            " changed the file's layout: use the mirror, or update healthgap."
        )
    picked = pd.DataFrame({out: frame[name].astype(str) for out, name in chosen.items()})
    for column in picked.columns:
        values = picked[column]
        grouped = values.str.fullmatch(_THOUSANDS)
        if grouped.any():
            picked[column] = values.mask(grouped, values.str.replace(",", "", regex=False))
    return picked
