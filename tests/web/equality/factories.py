"""Example equality records for the web tests (counts written out by hand)."""

from __future__ import annotations

from datetime import date

from healthgap.web.equality import actions
from healthgap.web.equality.models import EDSReturn, ImpactAssessment, MaturityAssessment
from tests.web.factories import TEST_JOB, make_organisation, make_user

# Indicator 2: White 60 of 200 shortlisted appointed, BME 30 of 150.
# RL = (60/200) / (30/150) = 0.30 / 0.20 = 1.5;
# SE(ln RL) = sqrt(1/60 - 1/200 + 1/30 - 1/150) = sqrt(0.016667 - 0.005 + 0.033333 - 0.006667)
#           = sqrt(0.038333) = 0.195789; ln 1.5 = 0.405465;
# limits exp(0.405465 -/+ 1.959964 * 0.195789) = exp(0.021718), exp(0.789212) = 1.02, 2.20.
COUNTS = (
    "indicator,ethnicity,band,staff_group,numerator,denominator\n"
    "1,White,5,clinical,600,1000\n1,BME,5,clinical,380,1000\n1,Unknown,5,clinical,20,1000\n"
    "2,White,,,60,200\n2,BME,,,30,150\n"
    "3,White,,,12,600\n3,BME,,,10,380\n"
    "4,White,,,300,600\n4,BME,,,150,380\n"
    "9,White,,voting,10,12\n9,BME,,voting,2,12\n"
)


def make_lead(organisation=None, **fields):
    return make_user("equality_lead", organisation=organisation or make_organisation(), **fields)


def make_wres(organisation=None, year="2025", counts=COUNTS):
    import io

    import pandas as pd

    from healthgap.web.equality.domain import validated_counts

    frame = pd.read_csv(io.StringIO(counts), dtype=str, keep_default_na=False)
    counts_csv, _ = validated_counts(year, counts=frame)
    return actions.upload_wres(
        by=TEST_JOB,
        organisation=organisation or make_organisation(),
        year=year,
        source="counts",
        counts_csv=counts_csv,
    )


def make_eds(organisation=None, year="2025/26", complete=True) -> EDSReturn:
    eds = actions.create_eds(
        by=TEST_JOB, organisation=organisation or make_organisation(), year=year
    )
    if complete:
        for name in ("Maternity", "Diabetes", "Stroke"):
            actions.add_eds_service(
                by=TEST_JOB,
                eds=eds,
                service=name,
                grade_1a=2,
                grade_1b=2,
                grade_1c=2,
                grade_1d=2,
                evidence="Audit",
                stakeholders="Panel",
            )
        for code in ("2A", "2B", "2C", "2D", "3A", "3B", "3C"):
            actions.grade_outcome(
                by=TEST_JOB,
                eds=eds,
                code=code,
                grade=2,
                evidence="Survey",
                stakeholders="Staff network",
            )
    return eds


def make_maturity(organisation=None, assessor=None) -> MaturityAssessment:
    organisation = organisation or make_organisation()
    assessor = assessor or make_lead(organisation)
    ratings = {
        d: (2, ["Board minutes"])
        for d in ("commitment", "accountability", "careers", "safety", "care", "learning")
    }
    return actions.create_self_assessment(
        by=assessor,
        organisation=organisation,
        framework="anti-racism",
        assessed_on=date(2026, 1, 5),
        ratings=ratings,
    )


def make_ehia(organisation=None, owner=None) -> ImpactAssessment:
    organisation = organisation or make_organisation()
    owner = owner or make_lead(organisation)
    return actions.create_ehia(
        by=TEST_JOB,
        organisation=organisation,
        owner=owner,
        title="Close the community clinic",
        programme=None,
        service_change="Community clinic closure",
    )
