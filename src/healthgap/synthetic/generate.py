"""A calibrated synthetic population: people and events in the person-level schema, streamed
LSOA chunk by chunk so that all of England (33,755 LSOAs, about 56.5 million people) fits in
bounded memory.

    synthesise(icb="E54000062", seed=1, out="var/population/black-country")

writes `people.parquet`, `events.parquet` (single Parquet files, one or more row groups per
chunk of LSOAs) and `manifest.json` (the importer's manifest layout plus a "synthetic" section:
seed, reference date, areas, effects, the indicator periods drawn). The folder is built in a
private staging folder and published atomically, as an import is (`population.dataset`).

What is drawn, and how (docs/synthetic_population.md):
- people (`_people`): each LSOA's Census 2021 usual residents by age band, exactly, with
  single years, sex, NHS ethnic category from the LSOA's Census ethnic mix, birth month, a
  synthetic GP practice of the person's MSOA, registration date and a random 32-hex pseudonym;
- events (`_plan`, `_events`): for every period of every catalogue indicator that
  ends on or before the reference date, the conditions its cohort requires or excludes (drawn
  once per person: they persist) and its numerator events (uptake in rounds, rates period by
  period), dated inside that period's windows, with probabilities from the model in
  `_model` (including a per-year secular trend).

Reproducible: everything comes from `numpy.random.SeedSequence(seed)` children keyed by the
LSOA (and MSOA, and outcome) code numbers, so the same seed and areas give byte-identical
Parquet files for the same chunk size, and the same rows whatever the chunk size or whichever
other areas are drawn alongside. No real person's data is used or produced.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from healthgap import __version__
from healthgap.config import DataConfig
from healthgap.errors import ArgumentError, InputDataError
from healthgap.geography.areas import area_table, lsoas_in
from healthgap.geography.census import population2021
from healthgap.geography.ethnicity import GROUP_COLUMNS, ethnicity2011
from healthgap.indicators.definitions import Indicator
from healthgap.indicators.loading import load_catalogue
from healthgap.population.dataset import MANIFEST, writing_dataset
from healthgap.population.schema import EARLIEST_DATE, EVENTS, PEOPLE, SCHEMA_VERSION
from healthgap.synthetic._events import make_events
from healthgap.synthetic._model import Effects
from healthgap.synthetic._people import AGE_BANDS, SynthAreas, code_number, make_people
from healthgap.synthetic._plan import Plan, plan_outcomes

__all__ = [
    "DEFAULT_REFERENCE_DATE",
    "Effects",
    "SynthAreas",
    "SynthResult",
    "load_areas",
    "select_lsoas",
    "synthesise",
]

DEFAULT_REFERENCE_DATE = date(2026, 3, 31)
"""The end of the 2025/26 financial year: every period of the shipped catalogue (2024/25 and
2025/26, flu seasons and COVID-19 autumn campaigns 2024 and 2025) ends by then, so all are drawn.
A fixed default keeps runs reproducible (a default of "today" would not be)."""
DEFAULT_CHUNK_LSOAS = 250
ICB_PATTERN = r"E54[0-9]{6}"

Progress = Callable[[int, int], None]
"""progress(lsoas_done, lsoas_total), called after each chunk."""


@dataclass(frozen=True)
class SynthResult:
    """A finished synthesis: where, how many people and events (by type), how long it took."""

    out: Path
    lsoas: int
    people: int
    events: int
    events_by_type: dict[str, int]
    seconds: float
    manifest: dict[str, Any]


def select_lsoas(
    areas: Sequence[str] | None = None,
    *,
    icb: str | None = None,
    lad: str | None = None,
    england: bool = False,
    config: DataConfig | None = None,
) -> list[str]:
    """The sorted, distinct LSOA 2021 codes for exactly one of: a list, an ICB, a LAD, England."""
    given = [
        name
        for name, value in (("areas", areas), ("icb", icb), ("lad", lad), ("england", england))
        if value
    ]
    if len(given) != 1:
        raise ArgumentError(
            "Give exactly one of a list of LSOAs, an ICB, a local authority district or England; "
            f"got {', '.join(given) or 'none'}."
        )
    if england:
        return sorted(area_table(config=config)["lsoa21_code"])
    if icb is not None:
        return lsoas_in(icb=check_icb(icb, config), config=config)
    if lad is not None:
        return lsoas_in(lad=lad, config=config)
    assert areas is not None
    return sorted(set(areas))


def check_icb(code: str, config: DataConfig | None = None) -> str:
    """`code` if it is a 2024 ICB's GSS code; otherwise ArgumentError saying how to find one."""
    icbs = area_table("icb24", config=config)
    known = dict(zip(icbs["icb24_code"], icbs["icb24_name"], strict=True))
    if code in known:
        return code
    how = (
        f"England's {len(known)} ICBs (2024) have GSS codes E54 followed by 6 digits, e.g. "
        'E54000062 for the Black Country; list them with: python -c "from '
        "healthgap.geography.areas import area_table; "
        "print(area_table('icb24')[['icb24_code', 'icb24_code_nhs', 'icb24_name']])\""
    )
    ods = icbs.loc[icbs["icb24_code_nhs"] == code.upper(), "icb24_code"]
    if len(ods):
        raise ArgumentError(f"{code} is an NHS ODS code; use the ICB's GSS code {ods.iloc[0]}.")
    if not re.fullmatch(ICB_PATTERN, code):
        raise ArgumentError(f"{code!r} is not an ICB code. {how}.")
    raise ArgumentError(f"There is no ICB {code} in the 2024 lookups. {how}.")


def load_areas(lsoas: Sequence[str], config: DataConfig | None = None) -> SynthAreas:
    """The synthesis inputs for `lsoas` from the geography tables: MSOA, IMD 2025 decile,
    Census 2021 residents by age band and Census 2011 ethnic mix (apportioned to LSOA 2021)."""
    codes = sorted(set(lsoas))
    areas = area_table(config=config).set_index("lsoa21_code")
    unknown = [c for c in codes if c not in areas.index]
    if unknown:
        raise InputDataError(
            "Some codes are not English LSOA 2021 codes in the 2024 lookups", offenders=unknown
        )
    people = population2021(config).set_index("lsoa21_code").reindex(codes)
    ethnicity = ethnicity2011(config).set_index("lsoa21_code").reindex(codes)
    bands = [c for c in people.columns if c.startswith("age_")]
    assert len(bands) == len(AGE_BANDS)
    return SynthAreas(
        lsoa21=np.array(codes),
        msoa21=areas.loc[codes, "msoa21_code"].to_numpy(dtype=str),
        imd_decile=areas.loc[codes, "imd_decile"].to_numpy(dtype=np.int64),
        age_counts=people[bands].fillna(0).to_numpy(dtype=np.int64),
        ethnicity=ethnicity[GROUP_COLUMNS].fillna(0).to_numpy(dtype=float),
    )


def synthesise(
    areas: Sequence[str] | SynthAreas | None = None,
    *,
    icb: str | None = None,
    lad: str | None = None,
    england: bool = False,
    seed: int,
    out: Path | str,
    reference_date: date | str = DEFAULT_REFERENCE_DATE,
    effects: Effects | None = None,
    chunk_size: int = DEFAULT_CHUNK_LSOAS,
    catalogue: Mapping[str, Indicator] | None = None,
    workers: int = 1,
    overwrite: bool = False,
    config: DataConfig | None = None,
    progress: Progress | None = None,
) -> SynthResult:
    """Write a synthetic population for one set of areas to the folder `out`.

    Areas: exactly one of `areas` (LSOA 2021 codes, or prepared `SynthAreas`), `icb` (GSS code
    E54...), `lad` (2024 LAD code) or `england=True`. `seed`: any non-negative integer.
    `reference_date`: the day ages are counted on and after which nothing happens (date or
    YYYY-MM-DD): every catalogue period ending by then gets events, later periods none.
    `effects`: the outcome model (default `Effects()`). `chunk_size`: LSOAs per
    chunk (memory grows with it: about 1 GB per 250 LSOAs with the shipped catalogue).
    `catalogue`: indicators to draw events for (default: the shipped catalogue). `workers`:
    processes drawing chunks in parallel while this one writes (the output does not depend
    on it). `out` must not
    exist, be empty, or (with `overwrite`) hold an earlier dataset with a manifest.
    """
    started = time.perf_counter()
    reference = _reference_date(reference_date)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ArgumentError(f"seed must be a non-negative whole number, got {seed!r}.")
    for name, value in (("chunk_size", chunk_size), ("workers", workers)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ArgumentError(f"{name} must be a positive whole number, got {value!r}.")
    effects = effects or Effects()
    if isinstance(areas, SynthAreas):
        if icb or lad or england:
            raise ArgumentError("Give either prepared SynthAreas or an area, not both.")
        inputs, selection = areas, "given SynthAreas"
    else:
        codes = select_lsoas(areas, icb=icb, lad=lad, england=england, config=config)
        inputs = load_areas(codes, config)
        named = {"England": england, f"ICB {icb}": icb, f"LAD {lad}": lad}
        selection = next((label for label, value in named.items() if value), "given LSOAs")
    plan = plan_outcomes(load_catalogue() if catalogue is None else catalogue, reference)

    out = Path(out)
    with writing_dataset(out, overwrite=overwrite) as staging:
        people, by_type = _write(
            inputs,
            plan,
            staging,
            seed=seed,
            reference=reference,
            effects=effects,
            chunk_size=chunk_size,
            workers=workers,
            progress=progress,
        )
        manifest = _manifest(
            staging,
            people,
            by_type,
            plan,
            inputs,
            selection,
            seed=seed,
            reference=reference,
            effects=effects,
            chunk_size=chunk_size,
        )
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    seconds = time.perf_counter() - started
    return SynthResult(out, len(inputs), people, sum(by_type.values()), by_type, seconds, manifest)


def _reference_date(value: date | str) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ArgumentError(
                f"reference_date must be a date YYYY-MM-DD, got {value!r}."
            ) from None
    oldest = AGE_BANDS[-1][1] + 1
    if value.year - oldest < EARLIEST_DATE.year:
        raise ArgumentError(
            f"reference_date must be in {EARLIEST_DATE.year + oldest} or later, so that the "
            f"oldest synthetic people ({oldest - 1}) are born after {EARLIEST_DATE}; got {value}."
        )
    return value


def _draw_chunk(
    chunk: SynthAreas, plan: Plan, seed: int, reference: date, effects: Effects
) -> tuple[pa.Table, pa.Table]:
    """The people and events tables of one chunk of LSOAs."""
    people, traits = make_people(
        chunk,
        seed,
        reference,
        not_stated=effects.ethnicity_not_stated,
        not_known=effects.ethnicity_not_known,
        practice_sd=effects.practice_sd,
    )
    numbers = np.array([code_number(code) for code in chunk.lsoa21])
    sizes = np.asarray(chunk.age_counts).sum(axis=1)
    events = make_events(
        plan, traits, numbers, sizes, seed=seed, reference=reference, effects=effects
    )
    return people, events.table(plan, people["person_id"])


def _chunks(
    inputs: SynthAreas, plan: Plan, workers: int, chunk_size: int, *args: Any
) -> Iterator[tuple[int, tuple[pa.Table, pa.Table]]]:
    """(LSOAs done, tables) for each chunk in order; with workers > 1 from a pool of worker
    processes (forked; threads where fork is not available), holding at most `workers` + 1
    chunks at a time. The tables do not depend on the workers."""
    starts = range(0, len(inputs), chunk_size)
    slices = [
        (min(s + chunk_size, len(inputs)), inputs.take(slice(s, s + chunk_size))) for s in starts
    ]
    if workers <= 1 or len(slices) <= 1:
        for done, chunk in slices:
            yield done, _draw_chunk(chunk, plan, *args)
        return
    if "fork" not in multiprocessing.get_all_start_methods():
        with ThreadPoolExecutor(min(workers, len(slices))) as threads:
            calls = [(_draw_chunk, chunk, plan, *args) for _, chunk in slices]
            yield from _in_order(threads, slices, calls, workers, lambda tables: tables)
        return
    # Processes, not threads: drawing is mostly short NumPy calls that hold the GIL (two
    # threads kept about one core busy). Forked workers inherit the job; each hands its
    # tables back as Arrow IPC files in shared memory, which this process maps without
    # copying (pickling them through a pipe cost about as much as drawing).
    with tempfile.TemporaryDirectory(prefix="healthgap-synth-", dir=_SHM) as folder:
        processes = ProcessPoolExecutor(
            min(workers, len(slices)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_inherit,
            initargs=((slices, plan, args, Path(folder)),),
        )
        with processes:
            calls = [(_draw_numbered, number) for number in range(len(slices))]
            yield from _in_order(processes, slices, calls, workers, _mapped)


def _in_order(
    pool: Executor,
    slices: list[tuple[int, SynthAreas]],
    calls: list[tuple[Any, ...]],
    workers: int,
    load: Callable[[Any], tuple[pa.Table, pa.Table]],
) -> Iterator[tuple[int, tuple[pa.Table, pa.Table]]]:
    """Submit `calls` (function, *arguments), keeping at most `workers` + 1 in flight, and
    yield (LSOAs done, load(result)) in submission order."""
    pending: deque[tuple[int, Future[Any]]] = deque()
    for (done, _), (function, *arguments) in zip(slices, calls, strict=True):
        pending.append((done, pool.submit(function, *arguments)))
        if len(pending) > workers:
            finished, future = pending.popleft()
            yield finished, load(future.result())
    while pending:
        finished, future = pending.popleft()
        yield finished, load(future.result())


_SHM = "/dev/shm" if Path("/dev/shm").is_dir() else None
"""Where workers leave their tables: shared memory where there is one (else the temp dir)."""
_Job = tuple[list[tuple[int, SynthAreas]], Plan, tuple[Any, ...], Path]
_JOB: _Job | None = None
"""In a worker process: the chunks, plan, arguments and hand-over folder it inherited."""


def _inherit(job: _Job) -> None:
    global _JOB
    _JOB = job


def _draw_numbered(number: int) -> tuple[Path, Path]:
    """In a worker process: `_draw_chunk` of the inherited chunk `number`, written as two
    Arrow IPC files (people, events); returns their paths."""
    assert _JOB is not None
    slices, plan, args, folder = _JOB
    paths = (folder / f"{number}-people.arrow", folder / f"{number}-events.arrow")
    for path, table in zip(paths, _draw_chunk(slices[number][1], plan, *args), strict=True):
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)
    return paths


def _mapped(paths: tuple[Path, Path]) -> tuple[pa.Table, pa.Table]:
    """The tables of `_draw_numbered`'s files, memory-mapped; the files are unlinked at once
    (the mapping keeps the data until the tables are dropped)."""
    tables = []
    for path in paths:
        with pa.memory_map(str(path)) as source:
            tables.append(pa.ipc.open_file(source).read_all())
        path.unlink()
    return tables[0], tables[1]


def _write(
    inputs: SynthAreas,
    plan: Plan,
    folder: Path,
    *,
    seed: int,
    reference: date,
    effects: Effects,
    chunk_size: int,
    workers: int,
    progress: Progress | None,
) -> tuple[int, dict[str, int]]:
    """Draw and write chunk by chunk; returns people written and events by type."""
    people_rows, by_type = 0, Counter[str]()
    people_file = pq.ParquetWriter(
        folder / PEOPLE.file_name, PEOPLE.output_schema, compression="zstd"
    )
    events_file = pq.ParquetWriter(
        folder / EVENTS.file_name, EVENTS.output_schema, compression="zstd"
    )
    try:
        drawn = _chunks(inputs, plan, workers, chunk_size, seed, reference, effects)
        for done, (people, events) in drawn:
            people_file.write_table(people)
            events_file.write_table(events)
            people_rows += people.num_rows
            counts = pc.value_counts(events["event_type"].combine_chunks()).to_pylist()
            by_type.update({c["values"]: c["counts"] for c in counts})
            if progress is not None:
                progress(done, len(inputs))
    finally:
        people_file.close()
        events_file.close()
    return people_rows, dict(sorted(by_type.items()))


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _manifest(
    folder: Path,
    people: int,
    by_type: dict[str, int],
    plan: Plan,
    inputs: SynthAreas,
    selection: str,
    *,
    seed: int,
    reference: date,
    effects: Effects,
    chunk_size: int,
) -> dict[str, Any]:
    """The importer's manifest layout (a synthetic source, no pseudonym key) plus "synthetic"."""
    rows = {"people": people, "events": sum(by_type.values())}
    source = {"name": "healthgap synthetic population", "sha256": None}
    return {
        "schema_version": SCHEMA_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "healthgap_version": __version__,
        "pseudonym_key_id": None,
        "tables": {
            table.name: {
                "file": table.file_name,
                "rows": rows[table.name],
                "sha256": _sha256(folder / table.file_name),
                "source": source,
            }
            for table in (PEOPLE, EVENTS)
        },
        "synthetic": {
            "generator": "healthgap.synthetic",
            "seed": seed,
            "reference_date": reference.isoformat(),
            "areas": selection,
            "lsoas": len(inputs),
            "chunk_lsoas": chunk_size,
            "events_by_type": by_type,
            "indicators": plan.covered(),
            "periods_after_reference_date": {k: list(v) for k, v in plan.not_covered.items()},
            "conditions": [o.key for o in plan.outcomes if o.indicator is None],
            "skipped_indicators": dict(plan.skipped),
            "effects": effects.to_dict(),
            "note": "Synthetic data: no real person's records; not for inference about real areas.",
        },
    }
