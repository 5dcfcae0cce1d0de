"""The one area-code lookup: names, known codes, parents; and the missing-mirror rule (an
error every time, never "known", never remembered). Expected values: mirror_fixture.py's
table."""

from __future__ import annotations

import pytest

from healthgap.config import DataConfig
from healthgap.errors import DataSourceError
from healthgap.geography.lookup import (
    area_name,
    area_names,
    codes_reaching,
    containing_areas,
    is_known_area,
    lsoa_and_msoa,
)
from tests.geography.mirror_fixture import write_mirror


def test_names_of_lsoas_msoas_and_local_authorities(config):
    assert area_name("E01000005", config) == "Beta 001B"
    assert area_name("E02000003", config) == "Beta 001"
    assert area_name("E08000002", config) == "Beta"
    assert area_name("E01999999", config) is None
    assert area_names(["E01000001", "E06000001", "E01999999"], config) == {
        "E01000001": "Alpha 001A",
        "E06000001": "Gamma",
    }


def test_known_codes_are_the_three_levels_in_the_lookups(config):
    assert is_known_area("E01000010", config)
    assert is_known_area("E02000005", config)
    assert is_known_area("E06000001", config)
    assert not is_known_area("E01000011", config)  # well formed, not in the lookups
    assert not is_known_area("E54000001", config)  # an ICB is not one of the levels


def test_parents_of_lsoas(config):
    assert codes_reaching("E01000005", config) == ["E01000005", "E02000003", "E08000002"]
    assert codes_reaching("E01999999", config) == ["E01999999"]
    assert containing_areas(["E01000001", "E01000004", "E01999999"], config) == {
        "E01000001", "E02000001", "E08000001",  # Alpha 001A, in Alpha 001 and Alpha
        "E01000004", "E02000003", "E08000002",  # Beta 001A, in Beta 001 and Beta
        "E01999999",  # unknown: no parents
    }  # fmt: skip
    assert lsoa_and_msoa(["E01000006", "E01000007"], config) == {
        "E01000006", "E01000007", "E02000004",
    }  # fmt: skip


@pytest.mark.parametrize(
    "lookup",
    [
        lambda c: is_known_area("E01000001", c),
        lambda c: area_name("E01000001", c),
        lambda c: area_names(["E01000001"], c),
        lambda c: codes_reaching("E01000001", c),
        lambda c: containing_areas(["E01000001"], c),
        lambda c: lsoa_and_msoa(["E01000001"], c),
    ],
)
def test_a_missing_mirror_is_an_error_not_a_valid_code(tmp_path, lookup):
    config = DataConfig(mirror=tmp_path / "mirror", var=tmp_path / "var", verify=False)
    with pytest.raises(DataSourceError):
        lookup(config)


def test_a_missing_mirror_is_not_remembered(tmp_path):
    config = DataConfig(mirror=tmp_path / "mirror", var=tmp_path / "var", verify=False)
    with pytest.raises(DataSourceError):
        is_known_area("E01000001", config)
    write_mirror(tmp_path / "mirror")  # the mirror arrives
    assert is_known_area("E01000001", config)
    assert not is_known_area("E01999999", config)
