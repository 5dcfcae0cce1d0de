"""`healthgap demo` on the real open-data mirror (skipped, with the reason, when it is absent)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from healthgap.cli import app, main
from healthgap.config import DataConfig

CONFIG = DataConfig.from_env()
pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(
        not CONFIG.mirror_available,
        reason=f"needs the open-data mirror: {CONFIG.describe_mirror()}",
    ),
]


@pytest.fixture(scope="module")
def demo():
    from healthgap.reports.demo import build_demo

    return build_demo(icb="E54000062", condition="DM", seed=1)


def test_profile_counts_every_lsoa_of_the_icb_once(demo) -> None:
    lookup = pd.read_csv(CONFIG.mirror / "lookups/lsoa21_sicbl24_icb24_england.csv")
    assert demo.deciles["lsoas"].sum() == (lookup["icb24_code"] == "E54000062").sum()
    assert demo.icb_name == "NHS Black Country Integrated Care Board"
    assert demo.region == "West Midlands"


def test_core20_is_deciles_one_and_two(demo) -> None:
    d = demo.deciles.set_index("imd_decile")["residents"]
    assert demo.core20_residents == d[1] + d[2]


def test_local_authorities_are_the_four_black_country_boroughs_plus_england(demo) -> None:
    assert sorted(demo.las["area"]) == [
        "Dudley", "England", "Sandwell", "Walsall", "Wolverhampton",
    ]  # fmt: skip
    assert (demo.las["lowercl"] < demo.las["value"]).all()


def test_gradient_is_in_decile_order_and_the_sii_is_negative(demo) -> None:
    # Diabetes prevalence is highest in the most deprived decile (published QOF pattern), so
    # the slope from most deprived (rank 0) to least deprived (rank 1) is negative.
    assert demo.gradient["imd_decile"].tolist() == list(range(1, 11))
    row = demo.sii.iloc[0]
    assert row["sii_lower95_0cl"] < row["sii"] < row["sii_upper95_0cl"] < 0
    first, last = demo.gradient["value"].iloc[0], demo.gradient["value"].iloc[-1]
    d = demo.heat.set_index("measure").loc["d", "value"]
    assert d == pytest.approx(first - last)


def test_cli_demo_prints_the_icb() -> None:
    result = CliRunner().invoke(app, ["demo", "--icb", "E54000062"])
    assert result.exit_code == 0, result.output
    assert "Black Country" in result.output and "slope index of inequality" in result.output


def test_cli_user_error_is_one_line_without_traceback(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.argv", ["healthgap", "demo", "--icb", "E54999999"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "ArgumentError" in err and "E54999999" in err and "Traceback" not in err
