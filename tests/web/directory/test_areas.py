"""Directory area codes without the open-data mirror: refused with the reason, never taken as
valid; names and searches degrade to the codes themselves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from healthgap.config import DataConfig
from healthgap.errors import DataSourceError
from healthgap.web.action.areas import area_names, containing_areas
from healthgap.web.directory.areas import area_name, codes_reaching, validate_area_code
from tests.web.directory.factories import WALSALL_LSOA


@pytest.fixture
def no_mirror(monkeypatch, tmp_path):
    missing = DataConfig(mirror=tmp_path / "absent", var=tmp_path / "var", verify=False)
    monkeypatch.setattr(DataConfig, "from_env", classmethod(lambda cls, **kw: missing))


def test_without_the_mirror_a_code_is_refused_not_accepted(no_mirror):
    with pytest.raises(ValidationError, match="E01010290 cannot be checked against the ONS"):
        validate_area_code(" e01010290 ")
    with pytest.raises(ValidationError, match="kinds allowed here"):  # the form is still checked
        validate_area_code("E54000062")


def test_without_the_mirror_pages_show_codes_and_searches_match_the_lsoa_itself(no_mirror):
    assert area_name(WALSALL_LSOA) == ""
    assert area_names([WALSALL_LSOA]) == {}
    assert codes_reaching(WALSALL_LSOA) == [WALSALL_LSOA]


def test_without_the_mirror_the_action_app_cannot_find_parents(no_mirror):
    with pytest.raises(DataSourceError):
        containing_areas([WALSALL_LSOA])
