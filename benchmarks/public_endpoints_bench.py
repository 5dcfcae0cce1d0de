"""Response times of every public page and API list on the demo data (issue 12).

Runs Django's test client in-process against the database of `HEALTHGAP_VAR_DIR` (load the demo
there first: `python -m healthgap.web migrate && python -m healthgap.web load_demo`), as an
anonymous visitor: `--warmup` untimed requests, then `--repeat` timed ones per URL; prints a
Markdown table of status, p50, p95 and max (milliseconds). Query counts are pinned by tests
(`django_assert_max_num_queries`), not here.
Bounded: at most `--budget` seconds in all (URLs not reached are listed as skipped).

    HEALTHGAP_VAR_DIR=var/bench12 .venv/bin/python benchmarks/public_endpoints_bench.py
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np


def urls() -> list[str]:
    """The public pages and API lists, with codes taken from the loaded demo."""
    from healthgap.web.need.models import Area, AreaType, Indicator

    lsoa = Area.objects.filter(area_type=AreaType.LSOA).order_by("code").first()
    icb = Area.objects.filter(area_type=AreaType.ICB).first()
    indicator = Indicator.objects.order_by("name").last()
    lsoa_code = lsoa.code if lsoa else "E01000001"
    icb_code = icb.code if icb else "E54000001"
    flu = indicator.id if indicator else ""
    return [
        "/",
        "/directory/",
        "/directory/champions/",
        "/action/programmes/",
        "/action/insights/",
        "/library/",
        "/need/atlas/",
        "/need/atlas/data.json",
        f"/need/areas/{lsoa_code}/",
        f"/need/areas/{icb_code}/children/",
        "/need/priorities/",
        f"/need/priorities/?indicator={flu}&page=10",
        "/need/priorities/?view=combined",
        "/need/priorities/?view=combined&page=100",
        "/need/cold-spots/",
        "/need/cold-spots/?page=5",
        "/api/need/indicators",
        f"/api/need/areas/{lsoa_code}/results",
        "/api/need/priorities",
        "/api/need/priorities?page=800",
        "/api/need/priorities?view=combined&page_size=100",
        "/api/need/cold-spots",
        "/api/directory/organisations",
        "/api/directory/services",
        "/api/action/programmes",
        "/api/action/activities",
        "/api/library/case-studies",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds in all")
    parser.add_argument("--only", default="", help="time only URLs containing this text")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.web.settings")
    import django  # noqa: TID251 - the benchmark drives the web app in-process

    django.setup()
    from django.db import connection  # noqa: TID251 - as above
    from django.test import Client  # noqa: TID251 - as above

    client = Client(HTTP_HOST="127.0.0.1")
    start = time.perf_counter()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {connection.vendor}")  # fmt: skip
    print("| URL | status | p50 ms | p95 ms | max ms |")
    print("| --- | --- | ---: | ---: | ---: |")
    for url in [u for u in urls() if args.only in u]:
        if time.perf_counter() - start > args.budget:
            print(f"| `{url}` | skipped (budget spent) | | | |")
            continue
        for _ in range(args.warmup):
            client.get(url)
        status = client.get(url).status_code
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        p50, p95 = np.percentile(times, [50, 95])
        print(f"| `{url}` | {status} | {p50:.0f} | {p95:.0f} | {max(times):.0f} |", flush=True)


if __name__ == "__main__":
    main()
