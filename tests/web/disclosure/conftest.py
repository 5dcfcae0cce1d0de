"""Fixtures of the need tests (hand-made results store, fixture geography) and the action tests
(area lookups), for the disclosure tests that walk both apps."""

from tests.web.action.conftest import area_lookups  # noqa: F401
from tests.web.need.conftest import geo_config, loaded, store, use_fixture_geography  # noqa: F401
