"""Action step: programmes, their activities (people reached by group) and insights.

Four programmes modelled on real Black Country work and two evaluation demos (one with a known
synthetic effect, one with none), 20 activities and 30 insights. Places are
real LSOAs of the demo's ICB: a record's `neighbourhood` n is the n-th most deprived LSOA (IMD
rank) of its programme's local authority within the ICB, from `healthgap.geography`; a
programme targets its local authority and its `target_neighbourhoods` most deprived LSOAs.
Dates count back from the day of loading.

A programme that exists (by name) is left alone with its activities and insights. Needs the
open-data mirror; without it the step is skipped with a message.
"""

from __future__ import annotations

from datetime import date, timedelta

from healthgap.errors import DataSourceError
from healthgap.geography import area_table, lsoas_in
from healthgap.web.action import actions
from healthgap.web.action.models import Activity, Programme
from healthgap.web.audit.record import SystemActor
from healthgap.web.demo import data as records
from healthgap.web.demo.records import DemoDataError
from healthgap.web.directory.models import Organisation

Place = tuple[str, str, str]
"""An LSOA of the demo: (LSOA 2021 code, ward name, MSOA 2021 code)."""


def most_deprived_lsoas(area: records.Area) -> dict[str, list[Place]]:
    """Local authority name -> its LSOAs in the ICB, most deprived (lowest IMD rank) first."""
    table = area_table("lsoa21")
    table = table[table["lsoa21_code"].isin(lsoas_in(icb=area.icb))].sort_values("imd_rank")
    columns = ["lsoa21_code", "ward24_name", "msoa21_code"]
    return {
        name: list(
            table.loc[table["lad24_code"] == code, columns].itertuples(index=False, name=None)
        )
        for name, code in area.local_authorities.items()
    }


def _place(lsoas: list[Place], rank: int, what: str) -> Place:
    """The `rank`-th most deprived LSOA (1-based); DemoDataError naming `what` past the end."""
    if rank > len(lsoas):
        raise DemoDataError(
            f"{what}, field 'neighbourhood': {rank} is more than the {len(lsoas)} LSOAs of the "
            "programme's local authority in the ICB."
        )
    return lsoas[rank - 1]


def _organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _programme(
    spec: records.Programme, area: records.Area, lsoas: list[Place], by: SystemActor, today: date
) -> Programme:
    return actions.create_programme(
        by=by,
        name=spec.name,
        kind=spec.kind,
        aims=spec.aims,
        lead_organisation=_organisation(spec.lead),
        partners=[_organisation(name) for name in spec.partners],
        target_indicators=list(spec.target_indicators),
        target_areas=[
            area.local_authorities[spec.local_authority],
            *(code for code, _, _ in lsoas[: spec.target_neighbourhoods]),
        ],
        target_groups=list(spec.target_groups),
        start_date=spec.start_date or today - timedelta(days=spec.started_days_ago or 0),
    )


def _activity(
    spec: records.Activity, programme: Programme, lsoas: list[Place], by: SystemActor, today: date
) -> Activity:
    lsoa, ward, _ = _place(lsoas, spec.neighbourhood, f"activities.yaml, activity {spec.number}")
    return actions.create_activity(
        by=by,
        programme=programme,
        organisation=_organisation(spec.recorded_by),
        kind=spec.kind,
        date=today - timedelta(days=spec.days_ago),
        place=f"{spec.venue}, {ward}",
        lsoa21=lsoa,
        reach=dict(spec.reach),
        attendees=spec.attendees,
        outcomes=spec.outcomes,
    )


def _insight(
    spec: records.Insight,
    programme: Programme,
    source: Activity | None,
    lsoas: list[Place],
    by: SystemActor,
    today: date,
) -> None:
    hood = spec.neighbourhood
    where = f"insights.yaml, insight {spec.summary!r}"
    actions.create_insight(
        by=by,
        organisation=source.organisation if source else programme.lead_organisation,
        kind=spec.kind,
        theme=spec.theme,
        summary=spec.summary,
        groups=list(spec.groups),
        neighbourhood=lsoas[0][2] if hood == "msoa" else _place(lsoas, int(hood), where)[0],
        source_activity=source,
        date=source.date if source else today - timedelta(days=spec.days_ago or 0),
    )


def load(data: records.DemoData, by: SystemActor) -> list[str]:
    """Create the programmes that do not exist yet, with their activities and insights."""
    try:
        places = most_deprived_lsoas(data.area)
    except DataSourceError as error:
        return [f"Demo programmes skipped: the area lookups are missing ({error})"]
    today = date.today()
    existing = set(Programme.objects.values_list("name", flat=True))
    lsoas = {spec.name: places[spec.local_authority] for spec in data.programmes}
    created = {
        spec.name: _programme(spec, data.area, lsoas[spec.name], by, today)
        for spec in data.programmes
        if spec.name not in existing
    }
    activities = {
        spec.number: _activity(spec, created[spec.programme], lsoas[spec.programme], by, today)
        for spec in data.activities
        if spec.programme in created
    }
    insights = [spec for spec in data.insights if spec.programme in created]
    for spec in insights:
        source = activities[spec.activity] if spec.activity is not None else None
        _insight(spec, created[spec.programme], source, lsoas[spec.programme], by, today)
    return [
        f"Demo programmes: {len(created)} created with {len(activities)} activities and "
        f"{len(insights)} insights ({len(data.programmes) - len(created)} existed)."
    ]
