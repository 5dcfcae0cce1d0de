"""`Rollup.counts(categorical=True)` (dictionary-encoded Arrow batches -> categoricals) holds the
same counts as the plain-text frame, and the store writes categorical results as plain text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from healthgap.indicators import aggregate, load_catalogue
from healthgap.indicators.reference import reference_finest
from healthgap.indicators.store import write_parquet
from tests.indicators.test_tidy import SPEC_AREAS
from tests.spec import synthetic

CATALOGUE = load_catalogue()


def test_categorical_counts_equal_the_text_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    people, events = synthetic.population(CATALOGUE, n_people=300, n_events=2000, seed=3)
    finest = reference_finest(CATALOGUE, people, events)
    monkeypatch.setattr(aggregate, "BATCH_ROWS", 500)  # several batches, each its own dictionary
    with aggregate.Rollup(finest, CATALOGUE, SPEC_AREAS) as rollup:
        text = rollup.counts()
        coded = rollup.counts(categorical=True)
    assert len(text) > 1500
    keys = [c for c in text.columns if c not in ("numerator", "denominator")]
    assert all(isinstance(coded[c].dtype, pd.CategoricalDtype) for c in keys)
    plain = coded.astype(dict.fromkeys(keys, "str"))
    pd.testing.assert_frame_equal(
        plain.sort_values(keys, ignore_index=True),
        text.astype(dict.fromkeys(keys, "str")).sort_values(keys, ignore_index=True),
    )


def test_store_writes_categorical_text_as_plain_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"area": pd.Categorical(["b", "a", None, "b"]), "value": [1.0, 2, 3, 4]})
    write_parquet(frame, tmp_path / "t.parquet", rows=3)  # two batches
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert not isinstance(back["area"].dtype, pd.CategoricalDtype)
    assert back["area"].tolist()[:2] == ["b", "a"] and pd.isna(back["area"][2])
    assert back["value"].tolist() == [1.0, 2, 3, 4]
