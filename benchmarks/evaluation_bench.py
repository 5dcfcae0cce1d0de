"""SPC at scale (issue 10): 1,000 facets × 60 months, a benchmark, not a test.

    .venv/bin/python benchmarks/evaluation_bench.py [--facets 1000] [--months 60] [--repeat 7]

Times, in one run on the same data:

1. `healthgap.evaluation.spc` (vectorised over every facet at once) and `spc_summary`;
2. a per-facet pandas loop baseline: `groupby(facet)` and, for each facet, the one-group engine
   `healthgap.evaluation._spc_reference.one_group` (the rules window by window, as the R
   package applies them with `vapply` per facet);

checks that both give the same means, limits and labels, and prints a markdown table for
docs/benchmarks.md with the best of `--repeat` runs (wall and CPU seconds: the machine is
shared). NHSRplotthedots itself cannot be timed here: CRAN is unreachable and Debian has no
r-cran-nhsrplotthedots package (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from healthgap.evaluation import spc, spc_summary
from healthgap.evaluation._spc_reference import one_group


def data(facets: int, months: int, seed: int = 1) -> pd.DataFrame:
    """Monthly series per facet: a facet level, noise, and a step in a third of the facets."""
    rng = np.random.default_rng(seed)
    level = rng.normal(100, 10, facets)
    noise = rng.normal(0, 3, (facets, months))
    step = np.where(rng.random(facets) < 1 / 3, 8.0, 0.0)[:, None] * (np.arange(months) >= 40)
    values = level[:, None] + noise + step
    return pd.DataFrame(
        {
            "area": np.repeat([f"A{i:04d}" for i in range(facets)], months),
            "month": np.tile(pd.date_range("2020-01-01", periods=months, freq="MS"), facets),
            "value": values.ravel(),
        }
    )


def loop_baseline(df: pd.DataFrame) -> pd.DataFrame:
    """Per facet: sort by date, run the one-group engine, collect mean, limits and labels."""
    parts = []
    for area, group in df.groupby("area", sort=True):
        group = group.sort_values("month")
        mean, lpl, upl, labels = one_group(group["value"].tolist())
        parts.append(
            pd.DataFrame({"f": area, "x": group["month"].to_numpy(), "mean_col": mean,
                          "lpl": lpl, "upl": upl, "special_cause_type": labels})
        )  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(best wall seconds, CPU seconds of that run, result)."""
    runs = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        runs.append((time.perf_counter() - w0, time.process_time() - c0, out))
    return min(runs, key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facets", type=int, default=1000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    df = data(args.facets, args.months)
    fast_wall, fast_cpu, chart = best(lambda: spc(df, "value", "month", facet_field="area"),
                                      args.repeat)  # fmt: skip
    sum_wall, sum_cpu, _ = best(lambda: spc_summary(chart), args.repeat)
    loop_wall, loop_cpu, loop = best(lambda: loop_baseline(df), max(1, args.repeat // 3))
    np.testing.assert_allclose(chart["mean_col"], loop["mean_col"])
    np.testing.assert_allclose(chart[["lpl", "upl"]], loop[["lpl", "upl"]])
    assert list(chart["special_cause_type"]) == list(loop["special_cause_type"])
    flagged = int(chart["special_cause_flag"].sum())

    print(f"{args.facets} facets × {args.months} months = {len(df):,} points; "
          f"{flagged:,} special-cause points; both engines agree.")  # fmt: skip
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__},"
          f" {os.cpu_count()} CPUs")  # fmt: skip
    print()
    print("| step | best wall (ms) | CPU (ms) |")
    print("| --- | ---: | ---: |")
    print(f"| `spc` (vectorised over facets) | {fast_wall * 1e3:.1f} | {fast_cpu * 1e3:.1f} |")
    print(f"| `spc_summary` | {sum_wall * 1e3:.1f} | {sum_cpu * 1e3:.1f} |")
    print(f"| per-facet pandas loop baseline | {loop_wall * 1e3:.0f} | {loop_cpu * 1e3:.0f} |")
    print(f"| speed-up (loop / `spc`, wall) | {loop_wall / fast_wall:.0f}× | |")


if __name__ == "__main__":
    main()
