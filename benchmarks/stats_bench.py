"""Benchmark healthgap.stats against straightforward per-group pandas, in the same run.

Three workloads from issue #3 (the R package PHEindicatormethods 2.1.0 needs 15 s, 2.7 s and
348 s for these on a 2-core machine, as reported in the issue):

1. Wilson proportions over 1,000,000 rows in 100,000 groups;
2. DSR (ESP2013, Dobson/Byar) over 10,000 areas x 19 age bands;
3. SII over 1,000 groups x 10 deciles at 100,000 Monte-Carlo repetitions.

The baseline for each is the obvious pandas code an analyst would write: `groupby().apply()`
with the formula applied to each group. For the SII the baseline is run on a sample of groups
and scaled linearly to the full count (stated in the output), because each group is independent
and a full run takes minutes.

Usage: python benchmarks/stats_bench.py [--quick] [--markdown docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from healthgap.stats import dsr, proportion, sii

Z95 = float(sps.norm.ppf(0.975))
ESP2013 = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
           7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000]  # fmt: skip
BANDS = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]


@dataclass
class Result:
    name: str
    healthgap_s: float
    baseline_s: float
    baseline_note: str
    r_seconds: float

    @property
    def ratio(self) -> float:
        return self.baseline_s / self.healthgap_s


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


# --- workloads -------------------------------------------------------------------------------


def wilson_data(rows: int, groups: int, rng: np.random.Generator) -> pd.DataFrame:
    n = rng.integers(50, 5000, rows)
    x = rng.binomial(n, 0.3)
    return pd.DataFrame({"g": rng.integers(0, groups, rows), "x": x, "n": n})


def wilson_baseline(df: pd.DataFrame) -> pd.DataFrame:
    def one(group: pd.DataFrame) -> pd.Series:
        x, n = group["x"].sum(), group["n"].sum()
        root = Z95 * np.sqrt(Z95**2 + 4 * x * (1 - x / n))
        return pd.Series(
            {
                "value": x / n,
                "lowercl": (2 * x + Z95**2 - root) / (2 * (n + Z95**2)),
                "uppercl": (2 * x + Z95**2 + root) / (2 * (n + Z95**2)),
            }
        )

    return df.groupby("g").apply(one)


def dsr_data(areas: int, rng: np.random.Generator) -> pd.DataFrame:
    pop = rng.integers(200, 5000, areas * len(BANDS))
    deaths = rng.poisson(pop * np.tile(np.geomspace(0.0005, 0.15, len(BANDS)), areas))
    return pd.DataFrame(
        {
            "area": np.repeat(np.arange(areas), len(BANDS)),
            "ageband": np.tile(BANDS, areas),
            "deaths": deaths,
            "pop": pop,
            "esp": np.tile(ESP2013, areas),
        }
    )


def dsr_baseline(df: pd.DataFrame) -> pd.DataFrame:
    def one(group: pd.DataFrame) -> pd.Series:
        x, n, w = group["deaths"], group["pop"], group["esp"]
        o, total_w = x.sum(), w.sum()
        value = (x * w / n).sum() / total_w
        var = (x * (w / n) ** 2).sum() / total_w**2
        lower = o * (1 - 1 / (9 * o) - Z95 / (3 * np.sqrt(o))) ** 3
        upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * np.sqrt(o + 1))) ** 3
        return pd.Series(
            {
                "value": value * 1e5,
                "lowercl": (value + np.sqrt(var / o) * (lower - o)) * 1e5,
                "uppercl": (value + np.sqrt(var / o) * (upper - o)) * 1e5,
            }
        )

    return df.groupby("area").apply(one)


def sii_data(groups: int, rng: np.random.Generator) -> pd.DataFrame:
    decile = np.tile(np.arange(1, 11), groups)
    value = 60 + 1.5 * decile + rng.normal(0, 1, groups * 10)
    return pd.DataFrame(
        {
            "group": np.repeat(np.arange(groups), 10),
            "decile": decile,
            "pop": rng.integers(5000, 20000, groups * 10),
            "value": value,
            "se": rng.uniform(0.5, 2.0, groups * 10),
        }
    ).assign(lower=lambda d: d["value"] - 2 * d["se"], upper=lambda d: d["value"] + 2 * d["se"])


def sii_baseline(
    df: pd.DataFrame, repetitions: int, seed: int, *, rates: bool = False
) -> pd.DataFrame:
    """Per-group SII; with `rates`, draws on the log scale are back-transformed (value_type 1)."""
    rng = np.random.default_rng(seed)

    def one(group: pd.DataFrame) -> pd.Series:
        group = group.sort_values("decile")
        a = (group["pop"] / group["pop"].sum()).to_numpy()
        b = np.cumsum(a) - a / 2
        design = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
        y = group["value"].to_numpy()
        beta = np.linalg.lstsq(design, np.sqrt(a) * y, rcond=None)[0]
        if rates:
            se = (np.log(group["upper"]) - np.log(group["lower"])).to_numpy() / (2 * Z95)
            draws = np.exp(rng.normal(np.log(y)[:, None], se[:, None], (len(y), repetitions)))
        else:
            draws = rng.normal(y[:, None], group["se"].to_numpy()[:, None], (len(y), repetitions))
        betas = np.linalg.lstsq(design, np.sqrt(a)[:, None] * draws, rcond=None)[0]
        slopes = np.sort(betas[1])
        return pd.Series(
            {
                "sii": beta[1],
                "lower": slopes[round(repetitions * 0.025) - 1],
                "upper": slopes[round(repetitions * 0.975) - 1],
            }
        )

    return df.groupby("group").apply(one)


# --- runner ----------------------------------------------------------------------------------


def machine() -> str:
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (line.split(":", 1)[1].strip() for line in cpu.splitlines() if "Model name" in line),
            platform.processor(),
        )
    except OSError:
        model = platform.processor()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{model}; {os.cpu_count()} cores; {mem:.0f} GiB RAM;"
        f" Python {platform.python_version()}; numpy {np.__version__}; pandas {pd.__version__};"
        f" {platform.system()} {platform.release()}"
    )


def run(quick: bool) -> list[Result]:
    rng = np.random.default_rng(1)
    scale = 10 if quick else 1
    results = []

    df = wilson_data(1_000_000 // scale, 100_000 // scale, rng)
    hg = timed(lambda: proportion(df, "x", "n", group_by="g"), repeat=3)
    base = timed(lambda: wilson_baseline(df))
    results.append(
        Result(f"Wilson, {len(df):,} rows in {df['g'].nunique():,} groups", hg, base, "full", 15.0)
    )

    areas = 10_000 // scale
    df = dsr_data(areas, rng)
    hg = timed(
        lambda: dsr(df, "deaths", "pop", group_by="area", stdpop="esp", ageband="ageband"),
        repeat=3,
    )
    base = timed(lambda: dsr_baseline(df))
    results.append(Result(f"DSR, {areas:,} areas x 19 bands", hg, base, "full", 2.7))

    groups, reps = (100, 100_000) if quick else (1_000, 100_000)
    df = sii_data(groups, rng)
    hg = timed(lambda: sii(df, "decile", "pop", group_by="group", value="value", se="se", seed=1))
    sample = max(groups // 20, 10)
    subset = df[df["group"] < sample]
    base = timed(lambda: sii_baseline(subset, reps, seed=1)) * groups / sample
    results.append(
        Result(
            f"SII, {groups:,} groups x 10 deciles x {reps:,} reps",
            hg,
            base,
            f"{sample} groups timed, scaled x{groups // sample}",
            348.0,
        )
    )
    hg = timed(
        lambda: sii(
            df, "decile", "pop", group_by="group", value="value", value_type=1,
            lower_cl="lower", upper_cl="upper", seed=1,
        )
    )  # fmt: skip
    base = timed(lambda: sii_baseline(subset, reps, seed=1, rates=True)) * groups / sample
    results.append(
        Result(
            f"SII for rates (log-normal draws back-transformed), {groups:,} x 10 x {reps:,}",
            hg,
            base,
            f"{sample} groups timed, scaled x{groups // sample}",
            348.0,
        )
    )
    return results


def markdown(results: list[Result], quick: bool) -> str:
    lines = [
        "| workload | healthgap (s) | per-group pandas (s) | speed-up"
        " | PHEindicatormethods (s, issue #3) | vs R |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.healthgap_s:.3f} | {r.baseline_s:.2f} ({r.baseline_note}) |"
            f" {r.ratio:.0f}x | {r.r_seconds:g} |"
            f" {'n/a (quick)' if quick else f'{r.r_seconds / r.healthgap_s:.0f}x'} |"
        )
    mode = "quick (1/10 scale)" if quick else "full scale"
    return "\n".join(lines) + f"\n\nMode: {mode}. Machine: {machine()}.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1/10 of the sizes, for a smoke run")
    args = parser.parse_args()
    results = run(args.quick)
    sys.stdout.write(markdown(results, args.quick))


if __name__ == "__main__":
    main()
