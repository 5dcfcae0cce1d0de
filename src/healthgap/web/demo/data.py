"""The demo's records, read from the YAML files in `web/demo/data/` (one file per kind of record).

`load_data()` reads every file into frozen dataclasses whose fields are the files' field names,
and checks each record's references (an organisation named by a service exists in
`organisations.yaml`, a community code is in the directory's vocabularies, a group is one the
action app knows, ...). Any problem raises `DemoDataError` naming the file, row, line and field.
Nothing here touches the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from healthgap.web.action.vocab import ActivityKind, InsightKind, ProgrammeKind, Theme, is_group
from healthgap.web.demo.records import Check, FieldError, read_one, read_rows
from healthgap.web.directory.models import OrganisationKind
from healthgap.web.directory.vocabularies import TERMS, communities

DATA_DIR = Path(__file__).with_name("data")
ROLES = ("administrator", "analyst", "partner", "champion")


@dataclass(frozen=True)
class Area:
    """The demo's area (`area.yaml`): an ICB, its local authorities by name, the results store."""

    icb: str
    local_authorities: dict[str, str]
    results_store: str


@dataclass(frozen=True)
class Organisation:
    """`organisations.yaml`: the fields of `directory.actions.create_organisation`."""

    name: str
    kind: str
    description: str
    lsoa21: str = ""
    coverage_areas: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    ods_code: str = ""
    website: str = ""
    capacity_sessions_per_month: int | None = None
    capacity_people_per_month: int | None = None
    capacity_notes: str = ""


@dataclass(frozen=True)
class Location:
    """`locations.yaml`: a place of an organisation; latitude/longitude in degrees (WGS84)."""

    organisation: str
    name: str
    address_1: str
    city: str
    postcode: str
    latitude: float
    longitude: float
    lsoa21: str
    accessibility: str = ""


@dataclass(frozen=True)
class Service:
    """`services.yaml`: a service, its taxonomy terms, languages and locations (by name)."""

    organisation: str
    name: str
    description: str
    cost_description: str
    assured_date: datetime.date
    taxonomy_terms: tuple[str, ...]
    eligibility: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    cost_amount: int | None = None
    languages: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Champion:
    """`champions.yaml`: a Community Champion and the date they gave consent."""

    name: str
    email: str
    phone: str
    consent_given_on: datetime.date
    organisation: str | None = None
    languages: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Account:
    """`accounts.yaml`: a demo sign-in (public password), optionally a champion's own account."""

    username: str
    password: str
    role: str
    organisation: str | None = None
    champion: str | None = None


@dataclass(frozen=True)
class Programme:
    """`programmes.yaml`: a programme in one local authority, started `started_days_ago` or on
    `start_date` (exactly one: a fixed date where the synthetic population has the programme's
    effect from that date, src/healthgap/synthetic/demo_effects.yaml)."""

    name: str
    kind: str
    aims: str
    local_authority: str
    lead: str
    started_days_ago: int | None = None
    start_date: datetime.date | None = None
    target_neighbourhoods: int = 0
    partners: tuple[str, ...] = ()
    target_indicators: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    """`activities.yaml`: `number` is the activity's id in a fresh database; `neighbourhood` is
    the n-th most deprived LSOA (1 = most deprived) of the programme's local authority."""

    number: int
    programme: str
    kind: str
    days_ago: int
    venue: str
    neighbourhood: int
    recorded_by: str
    reach: dict[str, int]
    attendees: int | None = None
    outcomes: str = ""


@dataclass(frozen=True)
class Insight:
    """`insights.yaml`: a barrier or idea, heard at `activity` (a number) or `days_ago` days ago.

    `neighbourhood` is a rank as for activities, or ``msoa``: the MSOA of the most deprived LSOA.
    """

    programme: str
    kind: str
    theme: str
    summary: str
    neighbourhood: int | str
    groups: tuple[str, ...] = ()
    activity: int | None = None
    days_ago: int | None = None


@dataclass(frozen=True)
class CaseStudy:
    """`case_studies.yaml`: a learning-library case study owned by organisation `owner`."""

    title: str
    summary: str
    what_worked: str
    evidence: str
    owner: str
    published: bool
    programme: str | None = None
    evidence_indicators: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoData:
    """Every record of the demo, in file order."""

    area: Area
    organisations: tuple[Organisation, ...]
    locations: tuple[Location, ...]
    services: tuple[Service, ...]
    champions: tuple[Champion, ...]
    accounts: tuple[Account, ...]
    programmes: tuple[Programme, ...]
    activities: tuple[Activity, ...]
    insights: tuple[Insight, ...]
    case_studies: tuple[CaseStudy, ...]


def _one_of(field: str, value: str | None, allowed: object, what: str) -> None:
    if value is not None and value not in allowed:  # type: ignore[operator]
        raise FieldError(field, f"{value!r} is not {what}.")


def _all_in(field: str, values: tuple[str, ...], allowed: object, what: str) -> None:
    for value in values:
        _one_of(field, value, allowed, what)


def load_data(folder: Path = DATA_DIR) -> DemoData:
    """Read and check every demo data file in `folder` (default `web/demo/data/`)."""
    area = read_one(folder / "area.yaml", Area)
    community_codes = {entry.code for entry in communities()}
    term_codes = {term.code for term in TERMS}

    def check_organisation(row: Organisation) -> None:
        _one_of("kind", row.kind, OrganisationKind.values, "an organisation kind")
        _all_in("communities", row.communities, community_codes, "a community code")

    organisations = read_rows(folder / "organisations.yaml", Organisation, check_organisation)
    names = {row.name for row in organisations}
    org = f"an organisation in {folder / 'organisations.yaml'}"

    def check_location(row: Location) -> None:
        _one_of("organisation", row.organisation, names, org)

    locations = read_rows(folder / "locations.yaml", Location, check_location)
    places = {row.name for row in locations}

    def check_service(row: Service) -> None:
        _one_of("organisation", row.organisation, names, org)
        _all_in("taxonomy_terms", row.taxonomy_terms, term_codes, "a taxonomy term code")
        _all_in("languages", row.languages, community_codes, "a language code")
        _all_in("locations", row.locations, places, "a location in locations.yaml")

    def check_champion(row: Champion) -> None:
        _one_of("organisation", row.organisation, names, org)
        _all_in("languages", row.languages, community_codes, "a language code")
        _all_in("communities", row.communities, community_codes, "a community code")

    services = read_rows(folder / "services.yaml", Service, check_service)
    champions = read_rows(folder / "champions.yaml", Champion, check_champion)
    champion_names = {row.name for row in champions}

    def check_account(row: Account) -> None:
        _one_of("role", row.role, ROLES, f"one of the roles {', '.join(ROLES)}")
        _one_of("organisation", row.organisation, names, org)
        _one_of("champion", row.champion, champion_names, "a champion in champions.yaml")

    accounts = read_rows(folder / "accounts.yaml", Account, check_account)
    programmes = read_rows(folder / "programmes.yaml", Programme, _programme_check(area, names))
    activities = _read_activities(folder, programmes, names)
    insights = _read_insights(folder, programmes, activities)
    programme_names = {row.name for row in programmes}

    def check_case_study(row: CaseStudy) -> None:
        _one_of("programme", row.programme, programme_names, "a programme in programmes.yaml")
        _all_in("contacts", row.contacts, names, org)
        _one_of("owner", row.owner, names, org)

    case_studies = read_rows(folder / "case_studies.yaml", CaseStudy, check_case_study)
    return DemoData(
        area,
        organisations,
        locations,
        services,
        champions,
        accounts,
        programmes,
        activities,
        insights,
        case_studies,
    )


def _groups(field: str, keys: tuple[str, ...] | list[str]) -> None:
    for key in keys:
        group_type, _, group = key.partition(":")
        if not is_group(group_type, group):
            raise FieldError(
                field, f"{key!r} is not a known group (write type:group, e.g. ethnicity:Indian)."
            )


def _programme_check(area: Area, names: set[str]) -> Check:
    def check(row: Programme) -> None:
        _one_of("kind", row.kind, ProgrammeKind.values, "a programme kind")
        _one_of("local_authority", row.local_authority, area.local_authorities, "in area.yaml")
        _one_of("lead", row.lead, names, "an organisation in organisations.yaml")
        _all_in("partners", row.partners, names, "an organisation in organisations.yaml")
        _groups("target_groups", row.target_groups)
        if (row.started_days_ago is None) == (row.start_date is None):
            raise FieldError(
                "started_days_ago", "give exactly one of started_days_ago or start_date."
            )

    return check


def _read_activities(
    folder: Path, programmes: tuple[Programme, ...], names: set[str]
) -> tuple[Activity, ...]:
    programme_names = {row.name for row in programmes}
    seen: list[int] = []

    def check(row: Activity) -> None:
        if row.number != len(seen) + 1:
            raise FieldError(
                "number",
                f"activities are numbered 1, 2, 3, ... in order; expected {len(seen) + 1}.",
            )
        seen.append(row.number)
        _one_of("programme", row.programme, programme_names, "a programme in programmes.yaml")
        _one_of("kind", row.kind, ActivityKind.values, "an activity kind")
        _one_of("recorded_by", row.recorded_by, names, "an organisation in organisations.yaml")
        _groups("reach", list(row.reach))
        if row.neighbourhood < 1:
            raise FieldError("neighbourhood", "a rank starts at 1 (the most deprived LSOA).")

    return read_rows(folder / "activities.yaml", Activity, check)


def _read_insights(
    folder: Path, programmes: tuple[Programme, ...], activities: tuple[Activity, ...]
) -> tuple[Insight, ...]:
    programme_names = {row.name for row in programmes}
    activity_programme = {row.number: row.programme for row in activities}

    def check(row: Insight) -> None:
        _one_of("programme", row.programme, programme_names, "a programme in programmes.yaml")
        _one_of("kind", row.kind, InsightKind.values, "an insight kind")
        _one_of("theme", row.theme, Theme.values, "a theme")
        _groups("groups", row.groups)
        if row.activity is not None and activity_programme.get(row.activity) != row.programme:
            raise FieldError("activity", f"activity {row.activity} is not one of this programme's.")
        if row.activity is None and row.days_ago is None:
            raise FieldError("days_ago", "an insight without an activity needs days_ago.")
        hood = row.neighbourhood
        if hood != "msoa" and not (isinstance(hood, int) and hood >= 1):
            raise FieldError("neighbourhood", f"{hood!r} is not a rank (1, 2, ...) or msoa.")

    return read_rows(folder / "insights.yaml", Insight, check)
