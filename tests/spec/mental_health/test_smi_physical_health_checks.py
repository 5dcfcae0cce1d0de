"""SMI physical health checks: adults on the SMI register (latest SMI diagnosis later than any
remission code, up to the period's last day) who had all six checks in the last 12 months.

2024/25 ends 2025-03-31: the window is 2024-04-01..2025-03-31.
"""

from __future__ import annotations

import pytest

from tests.spec.tables import counts, events, people

SCHIZOPHRENIA, BIPOLAR, PSYCHOSIS = "58214004", "13746004", "69322001"
REMISSION = "HG-LOCAL-MH-REMISSION"
CHECKS = {  # one code for each of the six checks, all recorded as observations
    "blood_pressure": "75367002",
    "bmi": "60621009",
    "cholesterol": "1005671000000105",
    "hba1c": "1003671000000109",
    "alcohol": "160573003",
    "smoking": "8517006",
}


def _checks(person: str, day: str, leave_out: str = "", early: str = "") -> str:
    """Table rows: the six checks for `person` on `day` (one left out, one dated 2024-03-31)."""
    return "\n".join(
        f"{person} | observation | {code} | {'2024-03-31' if name == early else day}"
        for name, code in CHECKS.items()
        if name != leave_out
    )


PEOPLE = people(
    """
    person_id | sex | birth_month
    s1        | 1   | 1980-01
    s2        | 2   | 1980-01
    s3        | 1   | 1980-01
    s4        | 2   | 1980-01
    s5        | 1   | 1980-01
    s6        | 2   | 1980-01
    s7        | 1   | 2008-01
    """
)

EVENTS = events(
    f"""
    person_id | event_type  | code            | date
    s1        | diagnosis   | {SCHIZOPHRENIA} | 2010-01-01
    s2        | diagnosis   | {BIPOLAR}       | 2015-01-01
    s3        | diagnosis   | {PSYCHOSIS}     | 2015-01-01
    s3        | diagnosis   | {REMISSION}     | 2018-01-01
    s5        | diagnosis   | {SCHIZOPHRENIA} | 2010-01-01
    s6        | diagnosis   | {SCHIZOPHRENIA} | 2010-01-01
    s6        | diagnosis   | {REMISSION}     | 2012-01-01
    s6        | diagnosis   | {SCHIZOPHRENIA} | 2020-01-01
    s7        | diagnosis   | {SCHIZOPHRENIA} | 2024-01-01
    s1        | observation | 75367002        | 2024-04-01
    {_checks("s1", "2024-09-01", leave_out="blood_pressure")}
    {_checks("s2", "2024-09-01", leave_out="alcohol")}
    {_checks("s3", "2024-09-01")}
    {_checks("s4", "2024-09-01")}
    {_checks("s5", "2024-09-01", early="blood_pressure")}
    {_checks("s7", "2024-09-01")}
    """
)


@pytest.fixture(scope="module")
def result(backend):
    return backend.run(["smi_physical_health_checks"], PEOPLE, EVENTS)


def test_all_six_checks_for_people_on_the_register(result):
    # Register, adults: s1, s2, s5, s6 (re-diagnosed after remission). s3 is in remission,
    # s4 has no SMI diagnosis, s7 is 17.
    # All six in the window: s1 (blood pressure on the window's first day, the rest later).
    # s2 has no alcohol check; s5's blood pressure is a day early; s6 has no checks.
    assert counts(result, period="2024/25") == (1, 4)
