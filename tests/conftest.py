"""Suite-wide settings: warnings are errors (pyproject), randomness must be seeded."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest
from hypothesis import settings

# Property tests: no per-example deadline (the 2-core machines are shared, so timings vary), and
# in CI a derandomised run, so a submission's result never depends on the examples drawn that day.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _seeded_randomness() -> None:
    """Any test that relies on unseeded randomness is a flaky test: fix the global seeds."""
    random.seed(20261128)
    np.random.seed(20261128)  # noqa: NPY002 - only guards code that forgot to seed
