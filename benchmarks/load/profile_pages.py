"""Per-request cost of the load test's pages, in one process (no server, no concurrency).

    HEALTHGAP_DATABASE_URL=postgresql://... .venv/bin/python benchmarks/load/profile_pages.py \
        [--repeat 5] [--profile atlas]

For each page of the load mix (atlas, an MSOA profile, the directory, home, the cached API
reads) it prints the first (cold cache) and the median of `--repeat` warm requests in ms, the
number of SQL queries and the response size, using Django's test client on the database the
environment names (load the demo first: `python -m healthgap.web load_demo`). `--profile NAME`
prints the 25 most expensive functions (cumulative) of one warm request to NAME. Figures are
this machine's; on a shared machine compare runs made one after the other.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.web.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()

    import django  # noqa: TID251 - profiles the web app on its own database

    django.setup()
    from django.conf import settings  # noqa: TID251
    from django.core.cache import cache  # noqa: TID251
    from django.db import connection  # noqa: TID251
    from django.test import Client  # noqa: TID251
    from django.test.utils import CaptureQueriesContext  # noqa: TID251

    from healthgap.web.need.models import Area, AreaType, ResultsLoad

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    load = ResultsLoad.current()
    if load is None:
        sys.exit("No results loaded: run `python -m healthgap.web load_demo` first.")
    msoa = Area.objects.filter(area_type=AreaType.MSOA).order_by("code").first()
    lsoa = Area.objects.filter(area_type=AreaType.LSOA).order_by("code").first()
    pages = {
        "atlas": "/need/atlas/",
        "profile": f"/need/areas/{msoa.code}/",
        "directory": "/directory/",
        "home": "/",
        "api-indicators": "/api/need/indicators",
        "api-area-results": f"/api/need/areas/{lsoa.code}/results",
        "api-organisations": "/api/directory/organisations",
        "oruk-services": "/oruk/services",
    }
    client = Client()
    cache.clear()
    print(f"results {load.version}; {args.repeat} warm requests each; times in ms")
    print(f"{'page':18} {'cold':>8} {'warm p50':>9} {'queries':>8} {'KB':>7}")
    for name, url in pages.items():
        started = time.perf_counter()
        response = client.get(url)
        cold = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        warm = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                warm.append((time.perf_counter() - started) * 1000)
        size = len(response.content) / 1024
        p50 = statistics.median(warm)
        print(f"{name:18} {cold:8.0f} {p50:9.0f} {len(queries):8d} {size:7.0f}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(pages[args.profile])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
