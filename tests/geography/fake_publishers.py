"""A local stand-in for the publishers: ONS ArcGIS feature services, Nomis, GOV.UK and GitHub.

One `http.server` on 127.0.0.1 (a free port chosen by the OS) answers, under a folder per host
name of `healthgap.geography._fetch_base.HOSTS`:

- `/ons/<service>/FeatureServer/0/query`: `returnCountOnly=true` gives `{"count": n}`;
  otherwise `resultOffset`/`resultRecordCount` pages of at most `max_records` features, as
  `f=json` (`attributes`, top-level `exceededTransferLimit`) or `f=geojson` (`properties`,
  `geometry`, `properties.exceededTransferLimit`), like ArcGIS;
- `/nomis/<dataset>.data.csv`: `RecordOffset`/`RecordLimit` pages of a CSV table (header on
  every page), like Nomis;
- any other path: a file's bytes (404 when absent).

`fail` makes a path answer given HTTP statuses before it succeeds; `requests` logs every path
and query asked for. Below the server: publisher-format sample data (ONS field names, an
IoD2025 File 7 CSV).
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from healthgap.geography._fetch_base import HOSTS


@dataclass
class Layer:
    """A feature-service layer: attribute dicts (and geometries for GeoJSON answers)."""

    attributes: list[dict[str, Any]]
    geometries: list[dict[str, Any]] | None = None
    max_records: int = 2


@dataclass
class Publishers:
    """What the fake server holds; `url` is set once it is listening."""

    url: str = ""
    layers: dict[str, Layer] = field(default_factory=dict)
    nomis: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    fail: dict[str, list[int]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def hosts(self) -> dict[str, str]:
        """Every publisher host pointed at this server."""
        return {name: f"{self.url}/{name}" for name in HOSTS}

    def env(self) -> str:
        """The same, as a HEALTHGAP_OFFICIAL_HOSTS value."""
        return ",".join(f"{name}={url}" for name, url in self.hosts().items())

    def asked(self, prefix: str) -> list[str]:
        """The requests whose path starts with `prefix`."""
        return [r for r in self.requests if r.startswith(prefix)]


def _answer(state: Publishers, path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
    if state.fail.get(path):
        return state.fail[path].pop(0), "text/plain", b"try later"
    parts = path.strip("/").split("/")
    if parts[0] == "ons" and path.endswith("/FeatureServer/0/query") and parts[1] in state.layers:
        return 200, "application/json", _layer(state.layers[parts[1]], query)
    if parts[0] == "nomis" and path.endswith(".data.csv"):
        rows = state.nomis.get(parts[1].removesuffix(".data.csv"))
        if rows is not None:
            return 200, "text/csv", _nomis(rows, query)
    if path in state.files:
        return 200, "application/octet-stream", state.files[path]
    return 404, "text/plain", b"not found"


def _layer(layer: Layer, query: dict[str, str]) -> bytes:
    total = len(layer.attributes)
    if query.get("returnCountOnly") == "true":
        return json.dumps({"count": total}).encode()
    offset = int(query.get("resultOffset", 0))
    stop = min(offset + min(int(query.get("resultRecordCount", 1000)), layer.max_records), total)
    more = stop < total
    if query.get("f") == "geojson":
        geometries = layer.geometries or [{}] * total
        features = [
            {"type": "Feature", "properties": layer.attributes[i], "geometry": geometries[i]}
            for i in range(offset, stop)
        ]
        payload: dict[str, Any] = {"type": "FeatureCollection", "features": features}
        if more:
            payload["properties"] = {"exceededTransferLimit": True}
    else:
        payload = {"features": [{"attributes": a} for a in layer.attributes[offset:stop]]}
        if more:
            payload["exceededTransferLimit"] = True
    return json.dumps(payload).encode()


def _nomis(rows: list[dict[str, Any]], query: dict[str, str]) -> bytes:
    offset = int(query.get("RecordOffset", 0))
    limit = int(query.get("RecordLimit", 25_000))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[offset : offset + limit])
    return out.getvalue().encode()


@contextmanager
def serve() -> Iterator[Publishers]:
    """Run the fake publishers on 127.0.0.1 for the duration of the block."""
    state = Publishers()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            split = urlsplit(self.path)
            state.requests.append(self.path)
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            status, kind, body = _answer(state, split.path, query)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


ICB_FIELDS = {"lsoa21_name": "LSOA21NM", "lsoa21_code": "LSOA21CD",
              "sicbl24_name": "SICBL24NM", "sicbl24_code": "SICBL24CD",
              "sicbl24_code_nhs": "SICBL24CDH", "icb24_name": "ICB24NM", "icb24_code": "ICB24CD",
              "icb24_code_nhs": "ICB24CDH"}  # fmt: skip


def ons_rows(csv_path: Path, fields: dict[str, str]) -> list[dict[str, object]]:
    """A fixture-mirror CSV as ONS attributes (fields renamed to ONS's, an ObjectId added)."""
    frame = pd.read_csv(csv_path, dtype=str).rename(columns=fields)
    return [{**row, "ObjectId": i} for i, row in enumerate(frame.to_dict("records"), start=1)]


FILE7_DOMAINS = {  # mirror stem -> IoD2025 File 7 domain name and score column
    "IMD": ("Index of Multiple Deprivation (IMD)", "Index of Multiple Deprivation (IMD) Score"),
    "Income": ("Income", "Income Score (rate)"),
    "Employment": ("Employment", "Employment Score (rate)"),
    "Education": ("Education, Skills and Training", "Education, Skills and Training Score"),
    "Health": ("Health Deprivation and Disability", "Health Deprivation and Disability Score"),
    "Crime": ("Crime", "Crime Score"),
    "Housing_and_Services": ("Barriers to Housing and Services",
                             "Barriers to Housing and Services Score"),
    "Environment": ("Living Environment", "Living Environment Score"),
}  # fmt: skip
FILE7_SUBDOMAINS = ["Children and Young People", "Adult Skills", "Geographical Barriers",
                    "Wider Barriers", "Indoors", "Outdoors"]  # fmt: skip


def iod2025_file7(lsoas: list[str]) -> bytes:
    """A File 7 CSV (with a BOM): LSOA k has rank k, decile k, score 50 - 4k in every domain."""
    frame = pd.DataFrame({"LSOA code (2021)": lsoas, "LSOA name (2021)": "x"})
    for name, score in FILE7_DOMAINS.values():
        frame[score] = [f"{50 - 4 * k:.3f}" for k in range(1, len(lsoas) + 1)]
        frame[f"{name} Rank (where 1 is most deprived)"] = range(1, len(lsoas) + 1)
        frame[f"{name} Decile (where 1 is most deprived 10% of LSOAs)"] = range(1, len(lsoas) + 1)
    for name in FILE7_SUBDOMAINS:
        frame[f"{name} Sub-domain Score"] = "0.5"
        frame[f"{name} Sub-domain Rank (where 1 is most deprived)"] = 7
        frame[f"{name} Sub-domain Decile (where 1 is most deprived 10% of LSOAs)"] = 3
    frame["Total population: mid 2022"] = "1,234"
    return b"\xef\xbb\xbf" + frame.to_csv(index=False).encode()
