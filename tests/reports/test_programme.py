"""The programme evaluation (`healthgap.reports.programme`) end to end on the demo's two
programmes: a synthetic population drawn with their effects (src/healthgap/synthetic/
demo_effects.yaml: a rate ratio of 0.7 from 1 October 2024, and a rate ratio of 1), the monthly
series published into a results store (`series_store.publish_series`), then the assembler.

Populations are hand-built (tests/synthetic/_helpers: 40 LSOAs of 1,600 people, no mirror) and
flat (no gradients or trend), so the programme's true effect is known by arithmetic: a rate
ratio r thins the events from the start, so the rate after the start is r times what it would
have been, a change of (r − 1) = 0.7 − 1 = −0.30 of the expected level (−30%).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from importlib import resources

import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap.errors import ArgumentError
from healthgap.indicators.cli import app as indicators_app
from healthgap.indicators.loading import load_catalogue
from healthgap.indicators.series import compute_series
from healthgap.indicators.series_store import COLUMNS, publish_series, to_published
from healthgap.indicators.store import open_results, publish
from healthgap.reports.programme import (
    ProgrammeSpec,
    evaluate_programme,
    programme_evaluation,
    relative_change,
)
from healthgap.reports.programme_report import render_programme
from healthgap.synthetic import Effects, synthesise
from tests.synthetic._helpers import areas, flat

ACSC = "emergency_admissions_acsc_dsr"
BANDS = [150, 100, 200, 300, 350, 500]  # 1,600 people per LSOA in the six Census bands
CODES = [f"E01{k:06d}" for k in range(1, 41)]
EFFECT, NULL, POOL = CODES[:8], CODES[8:16], CODES[16:]
# IMD scores: the programme areas are the most deprived, the pool spans them and less.
AREAS = pd.DataFrame(
    {
        "lsoa21": CODES,
        "msoa21": [f"E02{k:06d}" for k in range(1, 41)],
        "lad24": ["E08000030"] * 8 + ["E08000027"] * 8 + ["E08000028"] * 24,
        "icb24": "E54000062",
        "imd_score": [60.0 - k for k in range(16)] + [62.0 - 1.5 * k for k in range(24)],
    }
)


def _demo_programmes() -> list[dict]:
    """The demo's two programmes, with their own rate ratios and start, moved onto the
    hand-built LSOAs (the first on EFFECT, the second on NULL)."""
    path = resources.files("healthgap.synthetic") / "demo_effects.yaml"
    demo = Effects.load(str(path)).programmes
    assert [p.rate_ratio for p in demo] == [0.7, 1.0]  # the file this test is about
    return [{**p.to_dict(), "lsoas": lsoas} for p, lsoas in zip(demo, (EFFECT, NULL), strict=True)]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A results store with the series of the 40 LSOAs, April 2023 to March 2026."""
    root = tmp_path_factory.mktemp("programme")
    catalogue = load_catalogue(ids=[ACSC])
    effects = flat({ACSC: {"baseline": 0.05}}, programmes=_demo_programmes())
    population = root / "population"
    synthesise(areas(BANDS, lsoas=40), seed=11, out=population, effects=effects,
               catalogue=catalogue)  # fmt: skip
    series = compute_series(population, [ACSC], CODES, first="2023-04", last="2026-03",
                            areas=AREAS)  # fmt: skip
    publish(root / "results", {"results": pd.DataFrame({"indicator_id": [ACSC]})}, {})
    publish_series(root / "results", series, {"indicators": [ACSC]})
    return root / "results"


def _spec(name: str, lsoas: list[str]) -> ProgrammeSpec:
    return ProgrammeSpec(name, ACSC, tuple(lsoas), date(2024, 10, 1), comparator_pool=tuple(POOL))


def test_the_series_is_published_with_the_contract_columns(store):
    series = open_results(store).table("series")
    assert list(series.columns) == COLUMNS
    assert len(series) == 40 * 36  # 40 LSOAs x 36 months
    assert series["period_start"].min() == date(2023, 4, 1)
    assert series["period_start"].max() == date(2026, 3, 1)
    assert set(series["category"]) == {"All"}


def test_the_first_demo_programme_is_recovered_within_its_interval(store):
    found = programme_evaluation(store, _spec("Proactive care", EFFECT), areas=AREAS)
    effect = found.did.effect
    assert effect is not None
    assert len(found.series) == 36  # the protected combined series, one row a month
    rows = open_results(store).table("series")
    rows = rows[rows["area_code"].isin(EFFECT) & (rows["period_start"] >= date(2024, 10, 1))]
    level = (rows["numerator"] / rows["denominator"] * 100_000).mean()  # crude rate, as fitted
    _, lo, hi = relative_change(effect, level)
    assert lo <= 0.7 - 1 <= hi  # the true change, -30% of the expected level
    assert hi < 0  # and found: the interval excludes no change
    assert len(found.comparators) == 24  # 3 matched comparison areas per programme area
    assert found.parallel_trends is not None and found.parallel_trends.passed
    assert "fell" in found.did.sentence and "matched comparison areas" in found.did.sentence
    assert found.monitoring_svg.startswith("<svg") and found.event_study_svg.startswith("<svg")
    assert found.its_level.effect is not None and found.its_svg.startswith("<svg")


def test_the_second_demo_programme_finds_nothing(store):
    found = programme_evaluation(store, _spec("Link workers", NULL), areas=AREAS)
    effect = found.did.effect
    assert effect.lowercl <= 0 <= effect.uppercl
    assert "could be chance" in found.did.sentence


def test_public_counts_are_rounded_and_small_ones_hidden(store):
    found = programme_evaluation(store, _spec("Proactive care", EFFECT), areas=AREAS)
    shown = found.series.dropna(subset=["numerator"])
    assert (shown["numerator"] % 5 == 0).all() and (shown["denominator"] % 5 == 0).all()
    assert not shown["numerator"].between(1, 7).any()


def test_a_programme_without_indicator_or_areas_says_so(store):
    empty = ProgrammeSpec("New", None, (), None)
    found = programme_evaluation(store, empty, areas=AREAS)
    assert not found.ready and "no target indicator" in found.messages[0]


def test_too_few_points_after_the_start_are_explained(store):
    late = ProgrammeSpec("Late", ACSC, tuple(EFFECT), date(2026, 2, 1), tuple(POOL))
    found = programme_evaluation(store, late, areas=AREAS)
    assert found.ready  # the monitoring chart is there
    assert "at least 8 points before and after" in found.its_level.sentence


def test_publishing_again_replaces_the_same_rows_and_keeps_others(store, tmp_path):
    series = open_results(store).table("series")
    root = tmp_path / "results"
    publish(root, {"results": pd.DataFrame({"indicator_id": [ACSC]})}, {})
    first = series[series["area_code"].isin(CODES[:2])]
    publish_series(root, first, {})
    changed = series[series["area_code"] == CODES[1]].assign(numerator=999.0)
    live = publish_series(root, changed, {})
    table = live.table("series")
    assert len(table) == 2 * 36  # two areas x 36 months, no duplicates
    assert (table.loc[table["area_code"] == CODES[1], "numerator"] == 999.0).all()
    assert (table.loc[table["area_code"] == CODES[0], "numerator"] != 999.0).any()
    assert live.manifest["series"]["rows"] == 72


def test_to_published_needs_the_series_columns():
    with pytest.raises(Exception, match="needs the columns"):
        to_published(pd.DataFrame({"indicator_id": [ACSC]}))


# The programme report (HTML and PDF through WeasyPrint; PDF text by pdftotext).
PARTS = (
    "Programme report",
    "Monitoring",
    "Compared with matched areas",
    "Parallel-trends check",
    "Before and after the start (interrupted time series)",
    "Equity impact: did the gap narrow?",
    "The series",
    "Disclosure statement",
)
COUNT_CELL = re.compile(r'<td class="num count">([^<]*)</td>')
PDFTOTEXT = shutil.which("pdftotext")
SERIES_ROW = re.compile(r"^\s*20\d\d-\d\d\s")


def _report(store, fmt: str, policy: str = "public") -> bytes:
    spec = _spec("Proactive care for long-term conditions in Walsall", EFFECT)
    return render_programme(store, spec, fmt=fmt, policy=policy, areas=AREAS,
                            today=date(2026, 12, 7))  # fmt: skip


def test_the_html_report_shows_only_protected_counts(store):
    html = _report(store, "html").decode("utf-8")
    cells = COUNT_CELL.findall(html)
    assert len(cells) == 2 * 36  # count and denominator of each month
    for cell in cells:
        assert cell == "*" or int(cell.replace(",", "")) % 5 == 0, cell
        assert cell == "*" or not 1 <= int(cell.replace(",", "")) <= 7
    assert html.count("<svg") == 3  # monitoring, event study, ITS


def test_the_analyst_report_shows_counts_as_computed(store):
    html = _report(store, "html", policy="none").decode("utf-8")
    cells = [int(c.replace(",", "")) for c in COUNT_CELL.findall(html)]
    assert any(c % 5 for c in cells)  # not rounded
    assert "Policy <strong>none</strong>" in html


@pytest.mark.skipif(
    PDFTOTEXT is None,
    reason="SKIPPED LOUDLY: poppler-utils (pdftotext) missing; `apt-get install -y poppler-utils`",
)
def test_the_pdf_report_has_its_parts(store, tmp_path):
    pdf = tmp_path / "programme.pdf"
    pdf.write_bytes(_report(store, "pdf"))
    done = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, check=True)
    text = done.stdout.decode("utf-8")
    for part in PARTS:
        assert part.lower() in text.lower(), part
    assert "Proactive care for long-term conditions in Walsall" in text
    assert "more than in the matched comparison" in text
    assert "Disclosure policy: public" in text
    months = [line.split() for line in text.splitlines() if SERIES_ROW.match(line)]
    assert len(months) == 36
    for _, count, denominator, _ in months:  # "2023-04  40  9,395  425.76", or * when hidden
        for cell in (count, denominator):
            assert cell == "*" or int(cell.replace(",", "")) % 5 == 0, cell
            assert cell == "*" or not 1 <= int(cell.replace(",", "")) <= 7, cell


def test_equity_impact_of_the_local_authority_holding_the_programme(store):
    """SII 100 (SE 10) in 2023/24, the last year before the start, and 70 (SE 10) in 2025/26;
    Core20 gap (HEAT d) 50 (SE 20) then 45 (SE 20); only the programme's local authority."""
    rows = [
        ("2023/24", "imd_decile", "sii", 100.0, 10.0),
        ("2025/26", "imd_decile", "sii", 70.0, 10.0),
        ("2023/24", "core20", "d", 50.0, 20.0),
        ("2025/26", "core20", "d", 45.0, 20.0),
    ]
    gaps = pd.DataFrame(
        [{"indicator_id": ACSC, "period": period, "area_type": "lad24", "area_code": area,
          "dimension": dimension, "measure": measure, "value": value, "se": se}
         for period, dimension, measure, value, se in rows for area in ("E08000030", "E08000027")]
    )  # fmt: skip
    series = open_results(store).table("series")
    indicator = load_catalogue(ids=[ACSC])[ACSC]
    found = evaluate_programme(_spec("Proactive care", EFFECT), series, indicator, AREAS,
                               inequalities=gaps)  # fmt: skip
    assert found.equity_area == "E08000030"
    sii, core20 = found.equity
    # 70 − 100 = −30, SE √(10² + 10²) = 14.142, 95% CI −30 ± 1.959964 × 14.142 = −57.7 to −2.3
    assert sii.effect.estimate == pytest.approx(-30.0)
    assert sii.effect.lowercl == pytest.approx(-30.0 - 1.959964 * 200**0.5, abs=1e-4)
    assert sii.sentence.endswith("it narrowed.") and "2023/24 to 2025/26" in sii.title
    # 45 − 50 = −5, SE √(20² + 20²) = 28.3: the interval includes no change
    assert core20.effect.estimate == pytest.approx(-5.0)
    assert "no clear change" in core20.sentence


@pytest.mark.shared_data
def test_the_series_command_publishes_into_a_store(store, tmp_path):
    """`healthgap indicators series --publish`: the hand-built LSOAs are real codes (City of
    London), so England's areas table finds them."""
    root = tmp_path / "results"
    publish(root, {"results": pd.DataFrame({"indicator_id": [ACSC]})}, {"backend": "duckdb"})
    args = ["series", "--population", str(store.parent / "population"), "--indicator", ACSC,
            "--area", CODES[0], "--area", CODES[1], "--from", "2025-01", "--to", "2025-03",
            "--publish", str(root)]  # fmt: skip
    result = CliRunner().invoke(indicators_app, args)
    assert result.exit_code == 0, result.output
    live = open_results(root)
    assert len(live.table("series")) == 2 * 3  # two areas x three months
    assert live.manifest["series"]["from"] == "2025-01" and live.manifest["backend"] == "duckdb"
    assert len(live.table("results")) == 1  # the live version's other tables carried


def test_the_series_command_needs_out_or_publish(tmp_path):
    args = ["series", "--population", str(tmp_path), "--indicator", ACSC, "--area", CODES[0],
            "--from", "2025-01", "--to", "2025-03"]  # fmt: skip
    result = CliRunner().invoke(indicators_app, args)
    assert isinstance(result.exception, ArgumentError)
    assert "--out FILE.csv, --publish RESULTS_DIR, or both" in str(result.exception)


def test_a_gap_computed_from_a_hidden_figure_is_hidden(store):
    """As on profiles: the Core20 gap is hidden when a Core20 figure of the area is hidden in
    either period; the SII's deciles are all shown."""
    gaps = pd.DataFrame(
        [{"indicator_id": ACSC, "period": period, "area_type": "lad24", "area_code": "E08000030",
          "dimension": dimension, "measure": measure, "value": 10.0, "se": 1.0}
         for period in ("2023/24", "2025/26")
         for dimension, measure in (("imd_decile", "sii"), ("core20", "d"))]
    )  # fmt: skip
    published = pd.DataFrame(
        [{"indicator_id": ACSC, "period": period, "area_code": "E08000030",
          "category_type": kind, "category": category,
          "suppressed": (kind, category, period) == ("core20", "Core20", "2025/26")}
         for period in ("2023/24", "2025/26")
         for kind, category in (("imd_decile", "1"), ("core20", "Core20"), ("core20", "Not"))]
    )  # fmt: skip
    indicator = load_catalogue(ids=[ACSC])[ACSC]
    series = open_results(store).table("series")
    spec = _spec("Proactive care", EFFECT)
    found = evaluate_programme(
        spec, series, indicator, AREAS, inequalities=gaps, published=published
    )
    sii, core20 = found.equity
    assert sii.effect is not None and sii.effect.estimate == pytest.approx(0.0)
    assert core20.effect is None and core20.sentence.startswith("Hidden")


def test_an_sii_without_se_takes_it_from_its_limits(store):
    """PHE's SII has simulated limits and no SE: 100 (80 to 120) then 60 (40 to 80): SE
    20 / 1.959964 = 10.204 each, change −40, 95% CI −40 ± 1.959964 × √2 × 10.204 = −68.3 to
    −11.7: narrowed."""
    gaps = pd.DataFrame(
        [{"indicator_id": ACSC, "period": period, "area_type": "lad24", "area_code": "E08000030",
          "dimension": "imd_decile", "measure": "sii", "value": value, "se": float("nan"),
          "lowercl": value - 20, "uppercl": value + 20}
         for period, value in (("2023/24", 100.0), ("2025/26", 60.0))]
    )  # fmt: skip
    indicator = load_catalogue(ids=[ACSC])[ACSC]
    series = open_results(store).table("series")
    found = evaluate_programme(_spec("P", EFFECT), series, indicator, AREAS, inequalities=gaps)
    (sii,) = found.equity
    assert sii.effect.estimate == pytest.approx(-40.0)
    assert sii.effect.lowercl == pytest.approx(-40.0 - 2**0.5 * 20, abs=1e-6)
    assert sii.sentence.endswith("it narrowed.")
