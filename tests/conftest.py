"""Suite-wide settings: warnings are errors (pyproject), randomness must be seeded."""

from __future__ import annotations

import random

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _seeded_randomness() -> None:
    """Any test that relies on unseeded randomness is a flaky test: fix the global seeds."""
    random.seed(20261128)
    np.random.seed(20261128)  # noqa: NPY002 - only guards code that forgot to seed
