"""The intruder against the demo ICB's real outputs (NHS Black Country, E54000062).

The synthetic population and its results are generated once (`healthgap population synth --icb
E54000062 --seed 1`, `healthgap indicators run --backend duckdb`) and cached under
var/disclosure/demo-<key>/, keyed by the ICB, the seed and a hash of the indicator catalogue and
the synthetic generator's source, so a change to either regenerates them (delete the folder
after an engine change that alters results).

What runs: protect_results on every row (406k today); the interval-propagation intruder over every
relation of the whole table (every hidden small count); the linear-programming intruder on a
seeded random sample of 15 hidden small counts across all indicators and 15 from the DSR tables
(whose limits reveal a lower bound on each count), plus every hidden small
numerator of one MSOA (the MSOA, its LSOAs, every breakdown) for SMI health checks, the
indicator with the most small numbers. The full-table LP (some 150,000 small counts, about 1 s
a pair of solves here) would take hours, hence the sample.
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from healthgap.config import DataConfig
from healthgap.disclosure import get_policy, information_loss, protect_results
from healthgap.disclosure.intruder import lp_bounds, narrowed, prior, propagate
from healthgap.disclosure.results import result_cells
from healthgap.disclosure.suppress import PRIMARY

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
ICB, SEED = "E54000062", 1


def _key() -> str:
    import healthgap.indicators
    import healthgap.synthetic

    digest = hashlib.sha256()
    catalogue = Path(healthgap.indicators.__file__).parent / "catalogue"
    generator = Path(healthgap.synthetic.__file__).parent
    for file in sorted([*catalogue.glob("*.yaml"), *generator.rglob("*.py")]):
        digest.update(file.read_bytes())
    return f"{ICB}-seed{SEED}-{digest.hexdigest()[:12]}"


@pytest.fixture(scope="module")
def demo_results():
    from healthgap.indicators.store import open_results

    found = DataConfig.from_env()
    if not found.mirror_available:
        pytest.skip(f"open-data mirror not available: {found.describe_mirror()}")
    folder = found.var / "disclosure" / f"demo-{_key()}"
    store = folder / "results"
    folder.mkdir(parents=True, exist_ok=True)
    # One xdist worker builds the cache while the other waits: two builders at once would meet
    # the publish lock (pytest 9 ignores xdist_group, so the tests may run on both workers).
    with open(folder / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (store / "CURRENT").is_file():
            _build(folder, store)
    return open_results(store).table("results")


def _build(folder: Path, store: Path) -> None:
    """Synthesise the demo ICB and run every indicator on it, through the CLI."""
    cli = [sys.executable, "-m", "healthgap.cli"]
    subprocess.run([*cli, "population", "synth", "--icb", ICB, "--seed", str(SEED),
                    "--out", str(folder / "population"), "--overwrite"], check=True)  # fmt: skip
    subprocess.run([*cli, "indicators", "run", "--population", str(folder / "population"),
                    "--out", str(store), "--backend", "duckdb"], check=True)  # fmt: skip


def _intruder(demo_results):
    policy = get_policy("public")
    results = demo_results.reset_index(drop=True)
    cells, links = result_cells(results, policy)
    know = prior(cells, policy)
    low, high = propagate(know, links)
    return policy, results, cells, links, know, low, high


def test_demo_icb_propagation_intruder_narrows_no_small_count(demo_results) -> None:
    policy, _, cells, _, _, low, high = _intruder(demo_results)
    assert len(narrowed(cells, low, high, policy)) == 0


def test_demo_icb_lp_intruder_narrows_no_small_count(demo_results) -> None:
    policy, results, cells, links, know, low, high = _intruder(demo_results)
    small = np.flatnonzero(cells.status == PRIMARY)
    rng = np.random.default_rng(20261207)
    sample = rng.choice(small, size=15, replace=False)
    n = len(results)
    row = results.iloc[small % n]
    smi = row["indicator_id"].eq("smi_physical_health_checks") & row["period"].eq("2025/26")
    msoa = results.loc[results["area_type"] == "msoa21", "area_code"].iloc[0]
    in_msoa = row["area_code"].eq(msoa) | row["parent_code"].eq(msoa)
    counts = small < n  # numerators: the counts of people checked (the 75 cells)
    assert (smi & in_msoa & counts).sum() > 10  # a real neighbourhood's tables are checked
    # DSR tables: their limits reveal more than rounding (a lower bound on each count), so 15
    # more from them, and the two counts an earlier release (exact DSR limits) let the LP
    # narrow to 0..3: emergency admissions, Wolverhampton 009C (E01010542), Black and Mixed
    # (while the synthetic population keeps them small).
    dsr = small[row["statistic"].str.startswith("dsr").to_numpy() & counts]
    leaked = small[(row["indicator_id"].eq("emergency_admissions_dsr") & row["period"].eq("2025/26")
                    & row["area_code"].eq("E01010542") & row["category"].isin(["Black", "Mixed"])
                    & counts).to_numpy()]  # fmt: skip
    extra = np.r_[rng.choice(dsr, size=15, replace=False), leaked]
    targets = np.unique(np.r_[sample, extra, small[(smi & in_msoa).to_numpy() & counts]])
    lo, hi = lp_bounds(know, links, targets, start=(low, high))
    low[targets], high[targets] = lo, hi
    assert len(narrowed(cells, low, high, policy)) == 0


def test_demo_icb_information_loss_is_reported(demo_results) -> None:
    loss = information_loss(protect_results(demo_results)).set_index("area_type")
    # ICB-level counts are large: little is hidden there; small areas carry the loss.
    share = loss["share_hidden"]
    assert share["icb24"] < 0.05
    assert share["icb24"] < share["msoa21"] < share["lsoa21"]
    print(loss.to_string())
