"""A bounded load generator for the served app (`make loadtest`; docs/reliability.md).

Drives `--base` (loopback only: anything but 127.0.0.1/localhost is refused) with `--users`
concurrent virtual users per level (default 1, 10, 50, 100), each for at most `--seconds` and
`--max-requests` requests per level, over a fixed mix (weights in MIX): atlas and area profile
pages, directory and ORUK reads, REST API reads, and activity and insight writes through the API
with a partner's token. Virtual users have no think time (a closed loop): the figures are the
server's capacity, not a model of human pacing.

Afterwards every write the server acknowledged (201) is counted back from the database by its
run marker, so a lost write shows as acknowledged - found. Results: a JSON file and a Markdown
table (throughput, p50/p95/p99 latency in ms, errors) per level and per endpoint kind.

Django is configured from the same environment as the server (HEALTHGAP_DATABASE_URL), only to
create the token, pick example areas and count the writes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

#: (name, kind, weight): kind "page" | "api" | "write"; names are filled in by `requests_for`.
MIX = (
    ("atlas", "page", 10),
    ("area profile", "page", 15),
    ("directory", "page", 8),
    ("home", "page", 5),
    ("api indicators", "api", 8),
    ("api area results", "api", 10),
    ("api organisations", "api", 8),
    ("oruk services", "api", 8),
    ("write activity", "write", 4),
    ("write insight", "write", 4),
)


@dataclass
class Fixture:
    """What the virtual users need from the database: a token and example ids."""

    run_id: str
    token: str
    programme_id: int
    areas: list[str]
    msoas: list[str]


@dataclass
class Level:
    """The measurements of one concurrency level."""

    users: int
    seconds: float = 0.0
    samples: list[tuple[str, str, int, float]] = field(default_factory=list)  # name kind code ms
    exceptions: list[str] = field(default_factory=list)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.web.settings")
    import django  # noqa: TID251 - the load test drives the web app's own database

    django.setup()


def make_fixture(run_id: str) -> Fixture:
    """A token for the demo partner, one of its programmes, and example LSOA and MSOA codes."""
    from django.db.models import Q  # noqa: TID251 - as above

    from healthgap.web.accounts.models import User
    from healthgap.web.action.models import Programme
    from healthgap.web.audit.record import SystemActor
    from healthgap.web.need.models import Area
    from healthgap.web.tokens.actions import create_token

    partner = User.objects.get(username="partner")
    organisation = partner.organisation
    programme = Programme.objects.filter(
        Q(lead_organisation=organisation) | Q(partners=organisation)
    ).first()
    if programme is None:
        raise SystemExit("The demo partner has no programme: load the demo data first.")
    _, token = create_token(by=SystemActor("loadtest"), user=partner, name=f"loadtest {run_id}")
    lsoas = list(Area.objects.filter(area_type="lsoa21").values_list("code", flat=True)[:200])
    msoas = list(Area.objects.filter(area_type="msoa21").values_list("code", flat=True)[:50])
    if not lsoas:
        raise SystemExit("No areas loaded: publish results and load the demo data first.")
    return Fixture(run_id, token, programme.pk, lsoas, msoas)


def count_writes(run_id: str) -> dict[str, int]:
    """Activities and insights in the database carrying this run's marker."""
    from healthgap.web.action.models import Activity, Insight

    marker = f"loadtest {run_id}"
    return {
        "write activity": Activity.objects.filter(place__startswith=marker).count(),
        "write insight": Insight.objects.filter(summary__startswith=marker).count(),
    }


def build_request(name: str, fx: Fixture, rng: random.Random, seq: int) -> tuple[str, str, Any]:
    """(method, path, json body or None) for one request of kind `name`."""
    area = rng.choice(fx.areas)
    if name == "atlas":
        return "GET", "/need/atlas/", None
    if name == "area profile":
        return "GET", f"/need/areas/{rng.choice(fx.msoas or fx.areas)}/", None
    if name == "directory":
        return "GET", "/directory/", None
    if name == "home":
        return "GET", "/", None
    if name == "api indicators":
        return "GET", "/api/need/indicators", None
    if name == "api area results":
        return "GET", f"/api/need/areas/{area}/results", None
    if name == "api organisations":
        return "GET", "/api/directory/organisations", None
    if name == "oruk services":
        return "GET", "/oruk/services", None
    marker = f"loadtest {fx.run_id} {seq}"
    if name == "write activity":
        body = {"programme_id": fx.programme_id, "kind": "outreach", "date": "2026-02-01",
                "place": marker}  # fmt: skip
        return "POST", "/api/action/activities", body
    if name == "write insight":
        return "POST", "/api/action/insights", {"theme": "language", "summary": marker,
                                                "date": "2026-02-01"}  # fmt: skip
    raise ValueError(name)


async def virtual_user(client, fx, level, number, deadline, budget, seed) -> None:
    rng = random.Random(seed * 1000 + number)
    names = [m[0] for m in MIX]
    kinds = {m[0]: m[1] for m in MIX}
    weights = [m[2] for m in MIX]
    seq = 0
    while time.monotonic() < deadline and budget["left"] > 0:
        budget["left"] -= 1
        seq += 1
        name = rng.choices(names, weights)[0]
        method, path, body = build_request(name, fx, rng, number * 1_000_000 + seq)
        headers = {"Authorization": f"Bearer {fx.token}"} if kinds[name] != "page" else {}
        started = time.perf_counter()
        try:
            response = await client.request(method, path, json=body, headers=headers)
            code = response.status_code
        except httpx.HTTPError as error:
            code = 0
            level.exceptions.append(f"{name}: {type(error).__name__}")
        level.samples.append((name, kinds[name], code, (time.perf_counter() - started) * 1000))


async def run_level(base, fx, users, seconds, max_requests, seed) -> Level:
    level = Level(users)
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        budget = {"left": max_requests}
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(virtual_user(client, fx, level, n, deadline, budget, seed) for n in range(users))
        )
        level.seconds = time.monotonic() - started
    return level


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of `values`."""
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))  # ceil(q/100 * n)
    return ordered[rank - 1]


def summarise(level: Level) -> dict[str, Any]:
    by_kind: dict[str, list[tuple[str, str, int, float]]] = defaultdict(list)
    for sample in level.samples:
        by_kind[sample[1]].append(sample)
        by_kind[f"endpoint:{sample[0]}"].append(sample)

    def stats(rows):
        ms = [r[3] for r in rows]
        return {
            "requests": len(rows),
            "errors": sum(1 for r in rows if r[2] == 0 or r[2] >= 400),
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "mean_ms": round(statistics.fmean(ms), 1),
        }

    overall = stats(level.samples)
    overall["throughput_rps"] = round(len(level.samples) / level.seconds, 1)
    overall["seconds"] = round(level.seconds, 1)
    return {"users": level.users, "all": overall,
            **{k: stats(v) for k, v in sorted(by_kind.items())},
            "status_codes": dict(sorted(_codes(level).items())),
            "exceptions": sorted(set(level.exceptions))[:10]}  # fmt: skip


def _codes(level: Level) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _, _, code, _ in level.samples:
        counts[str(code)] += 1
    return counts


def _p95(level: dict[str, Any], kind: str) -> Any:
    return level[kind]["p95_ms"] if kind in level else "–"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Run {report['run_id']} on {report['machine']}; {report['seconds_per_level']} s or "
        f"{report['max_requests']} requests per level; server: {report['server']}.",
        "",
        "| users | req/s | all p50 / p95 / p99 ms | pages p95 ms | API reads p95 ms "
        "| writes p95 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for level in report["levels"]:
        a = level["all"]

        lines.append(
            f"| {level['users']} | {a['throughput_rps']} | {a['p50_ms']} / {a['p95_ms']} / "
            f"{a['p99_ms']} | {_p95(level, 'page')} | {_p95(level, 'api')} | "
            f"{_p95(level, 'write')} | {a['errors']} of {a['requests']} |"
        )
    lines += ["", "Slowest endpoints at the highest level (p95 ms):", ""]
    top = report["levels"][-1]
    endpoints = sorted(
        ((k.split(":", 1)[1], v) for k, v in top.items() if k.startswith("endpoint:")),
        key=lambda kv: -kv[1]["p95_ms"],
    )
    lines += [f"- {name}: p50 {v['p50_ms']}, p95 {v['p95_ms']} ({v['requests']} requests)"
              for name, v in endpoints]  # fmt: skip
    w = report["writes"]
    lines += ["", f"Writes: {w['acknowledged']} acknowledged (201), {w['found']} found in the "
              f"database afterwards, {w['lost']} lost."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8766")
    parser.add_argument("--users", default="1,10,50,100")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("var/loadtest"))
    parser.add_argument("--server", default="gunicorn (scripts/serve.sh)")
    args = parser.parse_args()
    if urlsplit(args.base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"Refusing to load-test {args.base}: loopback only.")
    setup_django()
    run_id = time.strftime("%Y%m%dT%H%M%S")
    fx = make_fixture(run_id)
    levels = []
    for users in (int(u) for u in args.users.split(",")):
        level = asyncio.run(
            run_level(args.base, fx, users, args.seconds, args.max_requests, args.seed)
        )
        levels.append(summarise(level))
        print(f"{users:>4} users: {levels[-1]['all']}", flush=True)
    acknowledged = sum(
        lvl.get(f"endpoint:{name}", {}).get("requests", 0)
        - lvl.get(f"endpoint:{name}", {}).get("errors", 0)
        for lvl in levels
        for name in ("write activity", "write insight")
    )
    found = sum(count_writes(run_id).values())
    report = {
        "run_id": run_id,
        "machine": f"{platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "server": args.server,
        "seconds_per_level": args.seconds,
        "max_requests": args.max_requests,
        "levels": levels,
        "writes": {"acknowledged": acknowledged, "found": found, "lost": acknowledged - found},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"load-{run_id}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / f"load-{run_id}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
