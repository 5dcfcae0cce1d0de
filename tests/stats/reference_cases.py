"""Load PHEindicatormethods' published reference cases (tests/reference_data/phe) and compare.

Each case in `cases.csv` names its input and expected CSVs, join keys and tolerances; the
expected numbers come from PHE/OHID workbooks and tools, never from healthgap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent / "reference_data"
PHE = ROOT / "phe"
HEAT = ROOT / "heat"


@dataclass(frozen=True)
class Case:
    method: str
    case: str
    call: str
    inputs: list[str]
    expected: str
    keys: list[str]
    rtol: float
    atol: float
    ci_tolerance: str
    notes: str

    def input(self, i: int = 0) -> pd.DataFrame:
        return read(self.inputs[i])

    def expected_frame(self) -> pd.DataFrame:
        return read(self.expected)


def read(relative: str) -> pd.DataFrame:
    """Read a fixture CSV ("NA" is missing; TRUE/FALSE stay strings)."""
    return pd.read_csv(PHE / relative, keep_default_na=False, na_values=["NA"])


def cases(method: str) -> dict[str, Case]:
    """All reference cases of one method, by case name."""
    table = pd.read_csv(PHE / "cases.csv", keep_default_na=False)
    out = {}
    for row in table[table["method"] == method].itertuples(index=False):
        out[row.case] = Case(
            method=row.method,
            case=row.case,
            call=row.call,
            inputs=[p for p in row.inputs.split(";") if p],
            expected=row.expected,
            keys=[k for k in row.key_columns.split(";") if k],
            rtol=float(row.rtol) if row.rtol else 0.0,
            atol=float(row.atol) if row.atol else 0.0,
            ci_tolerance=row.ci_tolerance,
            notes=row.notes,
        )
    return out


def assert_frame_matches(
    got: pd.DataFrame,
    expected: pd.DataFrame,
    keys: list[str],
    *,
    rtol: float,
    atol: float = 0.0,
    columns: list[str] | None = None,
) -> None:
    """Every expected column matches: numbers within atol + rtol·|exp|, NA to NA, text exactly.

    Rows are joined on `keys` (positional when there are none).
    """
    columns = columns or [c for c in expected.columns if c not in keys]
    if keys:
        got = got.set_index(keys).sort_index()
        expected = expected.set_index(keys).sort_index()
        assert list(got.index) == list(expected.index), (list(got.index), list(expected.index))
    else:
        got = got.reset_index(drop=True)
        expected = expected.reset_index(drop=True)
        assert len(got) == len(expected), (len(got), len(expected))
    for column in columns:
        assert column in got.columns, f"missing output column {column!r}; have {list(got.columns)}"
        exp = expected[column]
        out = got[column]
        if pd.api.types.is_numeric_dtype(exp) and not pd.api.types.is_bool_dtype(exp):
            e = exp.to_numpy(dtype="float64")
            g = pd.to_numeric(out, errors="coerce").to_numpy(dtype="float64")
            assert np.array_equal(np.isnan(e), np.isnan(g)), (
                f"{column}: NA pattern differs\n{g}\n{e}"
            )
            ok = ~np.isnan(e)
            np.testing.assert_allclose(g[ok], e[ok], rtol=rtol, atol=atol, err_msg=column)
        else:
            e = exp.astype(object).where(exp.notna(), None).tolist()
            g = out.astype(object).where(out.notna(), None).tolist()
            assert [None if v is None else str(v) for v in g] == [
                None if v is None else str(v) for v in e
            ], f"{column}: {g} != {e}"
