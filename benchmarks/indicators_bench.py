"""Indicators at England scale (issue 4, "Scale and speed"): a benchmark, not a test.

    .venv/bin/python benchmarks/indicators_bench.py [--population var/population/england]
                                                   [--backends duckdb[,postgres]]
                                                   [--sample 5000000] [--out var/benchmarks]
                                                   [--baseline-src var/base/src]

1. Synthesises England (`healthgap population synth --england --seed 1`) if the default
   folder lacks it.
2. Runs `run_indicators(..., backend=B)` on the population for each of `--backends` (e.g.
   `--population var/population/black-country --backends duckdb,postgres --sample 0` for
   PostgreSQL at ICB scale): every shipped indicator, every breakdown and area level,
   statistics, inequalities, publish; one table per backend with the time and memory of each
   step (engine, aggregate, statistics, inequalities, publish), then each backend's time per
   step as a multiple of the first's.
   With `--baseline-src DIR` (a `src` folder of another healthgap version, e.g. from
   `git archive COMMIT src | tar -x -C var/base`), that version runs first, the same way, in
   the same benchmark run, and the ratios compare against it; if it fails (England ran out
   of DuckDB's memory before the engine ran in parts) its error is printed instead.
3. Unless `--sample 0`: takes a sample (the first `--sample` people of the file, so whole
   LSOAs, and their events) and runs on it (a) healthgap the same way and (b) a plain pandas
   implementation of the same counts (per-person flags, then one groupby per indicator,
   period, area level and breakdown), checks the two agree, and prints the ratios.

Each run is a child process, so each peak memory (VmHWM: the resident high-water mark) is its
own; CPU seconds (user + system) are shown beside wall seconds because the machine is shared.
A PostgreSQL server's own CPU and memory are not the child's and are not in its figures.
The output is a markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve()


def _peak_mb() -> float:
    """This process's resident high-water mark (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Clock:
    """Wall seconds, CPU seconds and peak memory at each step."""

    def __init__(self) -> None:
        self.rows: list[dict[str, float | str]] = []
        self._wall, self._cpu = time.perf_counter(), _cpu()

    def step(self, name: str) -> None:
        wall, cpu = time.perf_counter(), _cpu()
        self.rows.append({
            "step": name, "wall_s": round(wall - self._wall, 1),
            "cpu_s": round(cpu - self._cpu, 1), "peak_mb": round(_peak_mb()),
        })  # fmt: skip
        self._wall, self._cpu = wall, cpu


# --- children ---------------------------------------------------------------------------------


def child_run(population: Path, out: Path, backend: str = "duckdb") -> dict:
    """healthgap's full run, timed step by step (the engine's parts reported on stderr)."""
    import inspect

    from healthgap.indicators.run import run_indicators

    clock = _Clock()
    options = {}
    if "on_part" in inspect.signature(run_indicators).parameters:  # not in older versions
        started = time.perf_counter()

        def on_part(done: int, parts: int) -> None:
            print(f"engine part {done}/{parts}: {time.perf_counter() - started:.1f} s, "
                  f"peak {_peak_mb():.0f} MB", file=sys.stderr, flush=True)  # fmt: skip

        options["on_part"] = on_part
    summary = run_indicators(population, out, backend=backend, on_step=clock.step, **options)
    return {"steps": clock.rows, "result_rows": summary.rows, "fine_rows": summary.people_rows}


def child_pandas(population: Path, out: Path) -> dict:
    """The same counts with plain pandas; writes them to `out` (Parquet) for the check."""
    from healthgap.indicators import load_catalogue
    from healthgap.indicators.run import areas_table

    clock = _Clock()
    people = pd.read_parquet(population / "people.parquet")
    events = pd.read_parquet(population / "events.parquet", columns=["person_id", "event_type",
                                                                      "code", "date"])  # fmt: skip
    areas = areas_table()
    clock.step("read")
    counts = pandas_counts(people, events, load_catalogue(), areas, clock.step)
    clock.step("collect results")
    counts.to_parquet(out)
    return {"steps": clock.rows, "result_rows": len(counts)}


# --- the plain pandas implementation -----------------------------------------------------------

LEVELS = ("england", "region24", "icb24", "lad24", "msoa21", "lsoa21")
SEXES = {"1": "Male", "2": "Female", "9": "Indeterminate"}


def _month(days: pd.Series) -> pd.Series:
    return days.dt.year * 12 + days.dt.month - 1


def pandas_counts(
    people: pd.DataFrame,
    events: pd.DataFrame,
    indicators: dict,
    areas: pd.DataFrame,
    step: Callable[[str], None],
) -> pd.DataFrame:
    """Numerator and denominator for every indicator, period, area level and breakdown: for
    each (indicator, period), each person's flags from their events (a groupby per criterion),
    the cohort by boolean masks, then one groupby per area level and breakdown."""
    from healthgap.indicators._dates import month_index
    from healthgap.indicators.plan import plan
    from healthgap.population.ethnicity import ethnic_groups

    ppl = pd.DataFrame({"person_id": people["person_id"].astype(str)})
    birth = people["birth_month"].astype("string")
    ppl["birth_mi"] = birth.str[:4].astype("Int64") * 12 + birth.str[5:7].astype("Int64") - 1
    ppl["age"] = people["age"].astype("Int64") if "age" in people else pd.NA
    eth = people["ethnicity"].astype("string").str.strip().str.upper()
    known = eth.notna() & (eth != "") & (eth != "99")
    ppl["ethnicity"] = eth.str[0].where(known, "99")
    ppl["ethnicity5"] = ethnic_groups(ppl["ethnicity"])["census_2021_high_level"].fillna(
        "Not stated or not known"
    )
    ppl["sex"] = people["sex"].astype(str).map(SEXES).fillna("Not known")
    ppl["sex_code"] = people["sex"].astype(str)
    ppl["start"] = pd.to_datetime(people["registration_start"])
    ppl["end"] = pd.to_datetime(people["registration_end"])
    ppl["lsoa21"] = people["lsoa21"].astype(str)
    lookup = areas[["lsoa21", "msoa21", "lad24", "icb24", "region24", "imd_decile",
                    "imd_quintile", "core20"]]  # fmt: skip
    ppl = ppl.merge(lookup, on="lsoa21", how="left")
    ppl["england"] = "E92000001"
    ppl["imd_decile"] = ppl["imd_decile"].astype("string")
    ppl["imd_quintile"] = ppl["imd_quintile"].astype("string")
    ppl["core20"] = ppl["core20"].map({True: "Core20", False: "Not Core20"})
    ev = events.assign(
        date=pd.to_datetime(events["date"]), person_id=events["person_id"].astype(str)
    )
    ev = ev.merge(ppl[["person_id", "birth_mi"]], on="person_id", how="left")
    ev["month"] = _month(ev["date"])
    step("people and events")

    def count(check, event_type, codes) -> pd.Series:
        e = ev[(ev["event_type"] == event_type) & ev["code"].isin(codes)]
        for bound, after in ((check.start, True), (check.end, False)):
            if bound is None:
                continue
            if bound.day is not None:
                day = pd.Timestamp(bound.day)
                if after:
                    e = e[e["date"] >= day]
                else:
                    e = e[e["date"] <= day] if check.end_inclusive else e[e["date"] < day]
            else:
                edge = e["birth_mi"] + bound.birth_months
                e = e[(e["month"] >= edge) if after else (e["month"] < edge)]
        return e.groupby("person_id")["date"].agg(["size", "max"])

    def met(check) -> pd.Series:
        found = count(check, check.event_type, check.codes).reindex(ppl["person_id"])
        n = found["size"].fillna(0).to_numpy()
        ok = n >= check.min_count
        if check.resolved_codes:
            resolved = count(check, check.resolved_event_type, check.resolved_codes)
            gone = resolved["max"].reindex(ppl["person_id"]).to_numpy()
            ok &= pd.isna(gone) | (found["max"].to_numpy() > gone)
        return ok, n

    parts = []
    for slot in plan(indicators):
        months = month_index(slot.age_at) - ppl["birth_mi"]
        age = (months // 12).where(months >= 0).where(ppl["birth_mi"].notna(), ppl["age"])
        cohort = age.notna().to_numpy().copy()  # pandas 3 hands out read-only arrays
        if slot.age_min is not None:
            cohort &= (age >= slot.age_min).fillna(False).to_numpy()
        if slot.age_max is not None:
            cohort &= (age <= slot.age_max).fillna(False).to_numpy()
        if slot.sex is not None:
            cohort &= ppl["sex_code"].isin(slot.sex).to_numpy()
        if slot.registered_from is not None:
            on = ppl["start"].notna() & (ppl["start"] <= pd.Timestamp(slot.registered_from))
            on &= ppl["end"].isna() | (ppl["end"] >= pd.Timestamp(slot.registered_to))
            cohort &= on.to_numpy()
        for check in slot.require:
            cohort &= met(check)[0]
        for check in slot.exclude:
            cohort &= ~met(check)[0]
        flags = [met(check) for check in slot.numerator]
        numerator = np.logical_and.reduce([ok for ok, _ in flags]).astype("int64")
        if slot.count_events:
            numerator = numerator * flags[0][1].astype("int64")
        starts = np.array([b.start for b in slot.age_bands])
        labels = np.array([b.label for b in slot.age_bands] + ["unknown"], dtype=object)
        position = np.searchsorted(starts, age.fillna(-1).to_numpy(dtype="int64"), "right") - 1
        last_end = slot.age_bands[-1].end
        outside = (position < 0) | ((age.fillna(-1) > last_end).to_numpy() if last_end else False)
        band = labels[np.where(outside, len(starts), position)]
        frame = ppl[cohort].assign(numerator=numerator[cohort], band=band[cohort])
        is_dsr = slot.indicator.method == "dsr"
        frame = frame.assign(dsr_band=frame["band"] if is_dsr else "all")
        categories = ["all", "ethnicity5", "sex", "imd_decile", "imd_quintile", "core20"]
        if not is_dsr:
            categories.append("age_band")
        for level in LEVELS:
            for category in categories:
                if level == "lsoa21" and category.startswith(("imd", "core")):
                    continue
                by = [level, "dsr_band"] if category == "all" else [level, category, "dsr_band"]
                if category == "age_band":
                    by = [level, "band"]
                table = frame.groupby(by, dropna=False).agg(
                    numerator=("numerator", "sum"), denominator=("numerator", "size")
                )
                table = table.reset_index().rename(columns={level: "area_code"})
                table = table.assign(indicator_id=slot.indicator.id, period=slot.period.label,
                                     area_type=level, category_type=category)  # fmt: skip
                parts.append(table)
        step(f"{slot.indicator.id} {slot.period.label}")
    return pd.concat(parts, ignore_index=True)


# --- parent -------------------------------------------------------------------------------------


def _child(
    kind: str, population: Path, out: Path, backend: str = "duckdb", src: Path | None = None
) -> dict:
    """Run a child; with `src`, healthgap is imported from that folder (another version)."""
    started = time.perf_counter()
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    done = subprocess.run(
        [sys.executable, str(HERE), "--child", kind, "--population", str(population),
         "--out", str(out), "--backends", backend],
        capture_output=True, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{kind} on {population} failed:\n{done.stderr[-3000:]}")
    print(done.stderr, file=sys.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def _sample(population: Path, folder: Path, people: int) -> None:
    """The first `people` rows of the people file (whole LSOAs) and all their events."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_parquet('{population / 'people.parquet'}') LIMIT {people})"
        f" TO '{folder / 'people.parquet'}' (FORMAT parquet)"
    )
    con.execute(
        f"COPY (SELECT e.* FROM read_parquet('{population / 'events.parquet'}') e"
        f" SEMI JOIN read_parquet('{folder / 'people.parquet'}') p USING (person_id))"
        f" TO '{folder / 'events.parquet'}' (FORMAT parquet)"
    )
    con.close()


def _agreement(pandas_counts_file: Path, results: Path) -> str:
    """Whether pandas and healthgap give the same LSOA totals for every indicator and period."""
    from healthgap.indicators.store import open_results

    mine = pd.read_parquet(pandas_counts_file)
    mine = mine[(mine["area_type"] == "lsoa21") & (mine["category_type"] == "all")]
    mine = mine.groupby(["indicator_id", "period", "area_code"])[["numerator", "denominator"]]
    theirs = open_results(results).table("results")
    theirs = theirs[(theirs["area_type"] == "lsoa21") & (theirs["category_type"] == "all")]
    keys = ["indicator_id", "period", "area_code"]
    both = (
        mine.sum()
        .reset_index()
        .merge(
            theirs[[*keys, "numerator", "denominator"]],
            on=keys,
            how="outer",
            suffixes=("_pd", "_hg"),
        )
    )
    same = (both["numerator_pd"] == both["numerator_hg"]) & (
        both["denominator_pd"] == both["denominator_hg"]
    )
    return f"{int(same.sum()):,} of {len(both):,} LSOA × indicator × period totals identical"


def _machine() -> list[str]:
    import duckdb
    import ibis

    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((ln.split(":", 1)[1].strip() for ln in cpu.splitlines()
                  if ln.startswith("Model name")), platform.processor())  # fmt: skip
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return [
        f"- CPU: {model}, {os.cpu_count()} cores; RAM {ram:.0f} GiB; {platform.platform()}",
        f"- Python {platform.python_version()}, DuckDB {duckdb.__version__},"
        f" Ibis {ibis.__version__}, pandas {pd.__version__}, numpy {np.__version__}",
        f"- load average at start (other work on the machine): {os.getloadavg()[0]:.1f}",
    ]


def _table(title: str, result: dict) -> list[str]:
    lines = [f"**{title}**", "", "| step | wall s | CPU s | peak memory (VmHWM) |",
             "| --- | ---: | ---: | ---: |"]  # fmt: skip
    for row in result["steps"]:
        lines.append(f"| {row['step']} | {row['wall_s']} | {row['cpu_s']} | "
                     f"{row['peak_mb'] / 1024:.1f} GB |")  # fmt: skip
    wall = sum(r["wall_s"] for r in result["steps"])
    cpu = sum(r["cpu_s"] for r in result["steps"])
    peak = max(r["peak_mb"] for r in result["steps"]) / 1024
    lines += [f"| **total** | **{wall:.1f}** | **{cpu:.1f}** | **{peak:.1f} GB** |", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=Path, default=ROOT / "var/population/england")
    parser.add_argument("--sample", type=int, default=5_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "var/benchmarks")
    parser.add_argument(
        "--backends", default="duckdb", help="comma-separated, e.g. duckdb,postgres"
    )
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="a src folder of another healthgap version (git archive COMMIT src | tar -x -C"
        " DIR; then DIR/src), run the same way on the same population in this run; a run"
        " that fails (e.g. out of memory) is reported with its error",
    )
    parser.add_argument("--child", choices=["run", "pandas"])
    args = parser.parse_args()
    backends = args.backends.split(",")
    if args.child == "run":
        print(json.dumps(child_run(args.population, args.out, backends[0])))
        return
    if args.child:
        print(json.dumps(child_pandas(args.population, args.out)))
        return

    lines = ["## Indicators at England scale", "", *_machine(), ""]
    if not (args.population / "people.parquet").exists():
        started = time.perf_counter()
        synth = Path(sys.executable).with_name("healthgap")
        command = ["population", "synth", "--england", "--seed", "1", "--out"]
        subprocess.run([str(synth), *command, str(args.population)], check=True, cwd=ROOT)
        lines.append(f"- synthesised England in {time.perf_counter() - started:.0f} s")
    people = pq.ParquetFile(args.population / "people.parquet").metadata.num_rows
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        work = Path(tmp)
        runs = {}
        if args.baseline_src is not None:
            try:
                base = _child("run", args.population, work / "baseline", backends[0],
                              src=args.baseline_src)  # fmt: skip
            except RuntimeError as error:
                last = str(error).strip().splitlines()[-1]
                lines += [f"**baseline ({args.baseline_src}) on {backends[0]} failed:** {last}", ""]
            else:
                runs[f"baseline {backends[0]}"] = base
                lines += _table(f"{args.population.name}: {people:,} people, baseline "
                                f"({args.baseline_src}) on {backends[0]} ({base['fine_rows']:,}"
                                f" fine rows, {base['result_rows']:,} result rows)",
                                base)  # fmt: skip
        for backend in backends:
            runs[backend] = run = _child("run", args.population, work / backend, backend)
            lines += _table(f"{args.population.name}: {people:,} people, healthgap on {backend} "
                            f"({run['fine_rows']:,} fine rows, {run['result_rows']:,} "
                            "result rows)", run)  # fmt: skip
        lines += _ratios(runs)
        if not args.sample:
            return _write(args.out, lines)
        _sample(args.population, work / "sample", args.sample)
        mine = _child("run", work / "sample", work / "sample-results")
        plain = _child("pandas", work / "sample", work / "pandas.parquet")
        agreement = _agreement(work / "pandas.parquet", work / "sample-results")
    lines += _table(f"Sample of {args.sample:,} people: healthgap on DuckDB", mine)
    head = plain["steps"][:2]
    slots = plain["steps"][2:-1]
    plain["steps"] = [*head, {
        "step": f"flags and breakdowns ({len(slots)} indicator periods)",
        "wall_s": round(sum(s["wall_s"] for s in slots), 1),
        "cpu_s": round(sum(s["cpu_s"] for s in slots), 1),
        "peak_mb": max(s["peak_mb"] for s in slots),
    }, plain["steps"][-1]]  # fmt: skip
    lines += _table(f"Sample of {args.sample:,} people: plain pandas (same counts)", plain)
    counts_hg = sum(r["wall_s"] for r in mine["steps"] if r["step"] in ("engine", "aggregate"))
    counts_pd = sum(r["wall_s"] for r in plain["steps"])
    lines += [
        f"- pandas vs healthgap on the sample: {agreement}.",
        f"- counts (every indicator × period × level × breakdown): pandas {counts_pd:.0f} s,"
        f" healthgap engine + aggregate {counts_hg:.0f} s: **{counts_pd / counts_hg:.1f}×**;"
        f" healthgap's whole run (with statistics, inequalities, publish)"
        f" {sum(r['wall_s'] for r in mine['steps']):.0f} s.",
    ]
    _write(args.out, lines)


def _ratios(runs: dict[str, dict]) -> list[str]:
    """Each backend's wall seconds per step as a multiple of the first backend's."""
    if len(runs) < 2:
        return []
    (first, base), *others = runs.items()
    steps = [row["step"] for row in base["steps"]]
    lines = [f"**Wall time per step as a multiple of {first}**", "",
             f"| step | {' | '.join(name for name, _ in others)} |",
             f"| --- |{' ---: |' * len(others)}"]  # fmt: skip
    for step in [*steps, "total"]:
        cells = []
        for _, run in others:

            def wall(r: dict, step: str = step) -> float:
                rows = (
                    r["steps"] if step == "total" else [x for x in r["steps"] if x["step"] == step]
                )
                return sum(x["wall_s"] for x in rows)

            cells.append(f"{wall(run) / max(wall(base), 0.1):.1f}x")
        lines.append(f"| {step} | {' | '.join(cells)} |")
    return [*lines, ""]


def _write(out: Path, lines: list[str]) -> None:
    text = "\n".join(lines)
    (out / "indicators_bench.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
