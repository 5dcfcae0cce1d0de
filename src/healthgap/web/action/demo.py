"""Demo programmes, activities and insights in NHS Black Country ICB (called by `load_demo`).

Four programmes modelled on real Black Country work (vaccine ambassadors in Sandwell, Punjabi-
and Urdu-speaking doulas in Walsall, community health checks in Wolverhampton mosques and
gurdwaras, school work experience in Dudley), 20 activities with people reached by group, 30
insights and (in `library.demo`) three case studies. Places are real LSOAs of the ICB: the most
deprived (Core20) neighbourhoods of each local authority, from `healthgap.geography`. The
organisations are the directory demo's. The demo partner's organisation leads the doulas and the
demo champion's the health checks; outreach sessions and events are recorded by a programme's
first partner and everything else by its lead, so the demo accounts can record and change
activities. Dates count back from the day of loading.

Idempotent: a programme that exists (by name) is left alone with its activities and insights.
Needs the open-data mirror; without it the action demo is skipped with a message.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from healthgap.errors import DataSourceError
from healthgap.geography import area_table, lsoas_in
from healthgap.web.action import actions
from healthgap.web.action.models import Programme
from healthgap.web.action.vocab import ActivityKind, ProgrammeKind, Theme
from healthgap.web.directory.actions import create_organisation
from healthgap.web.directory.demo import DEMO_CHAMPION_ORGANISATION, DEMO_PARTNER_ORGANISATION
from healthgap.web.directory.models import Organisation, OrganisationKind

ICB = "E54000062"
LADS = {
    "Dudley": "E08000027",
    "Sandwell": "E08000028",
    "Walsall": "E08000030",
    "Wolverhampton": "E08000031",
}

SMETHWICK_PCN = "Smethwick Healthy Neighbourhoods PCN"
GURDWARA = "Tipton Gurdwara Sewa Health Group"
WALSALL_TRUST = "Walsall Healthcare NHS Trust"
WOLVERHAMPTON_TRUST = "The Royal Wolverhampton NHS Trust"
BIG_LOCAL = "Brierley Hill Big Local"
CARERS = "Dudley Carers Hub"
ICB_ORG = "NHS Black Country Integrated Care Board"
#: The directory demo's organisations the programmes use, with what to create if the directory
#: demo no longer has one (the demo partner's and champion's organisations always exist).
ORGANISATIONS = {
    SMETHWICK_PCN: (OrganisationKind.PRIMARY_CARE, "GP practices in Smethwick."),
    GURDWARA: (OrganisationKind.FAITH, "Gurdwara volunteers running health sessions."),
    WALSALL_TRUST: (OrganisationKind.NHS_TRUST, "Hospital and community services, Walsall."),
    WOLVERHAMPTON_TRUST: (OrganisationKind.NHS_TRUST, "Hospital and community services."),
    BIG_LOCAL: (OrganisationKind.BIG_LOCAL, "Residents improving Brierley Hill."),
    CARERS: (OrganisationKind.VOLUNTARY, "Support for unpaid carers, young carers too."),
    ICB_ORG: (OrganisationKind.ICB, "The integrated care board."),
}

E, L, A, P = "ethnicity:", "language:", "age:", "plus:"

PROGRAMMES: list[dict[str, Any]] = [
    {
        "name": "Vaccine ambassadors in Sandwell",
        "kind": ProgrammeKind.VACCINE_AMBASSADORS,
        "aims": "Trusted local people answer questions about childhood, flu and COVID-19 "
        "vaccines in their own languages, and book people into pop-up clinics.",
        "lad": "Sandwell",
        "lead": SMETHWICK_PCN,
        "partners": [DEMO_PARTNER_ORGANISATION, GURDWARA],
        "target_indicators": [
            "mmr2_by_age_5",
            "flu_vaccination_65_plus",
            "covid19_autumn_booster_75_plus",
        ],
        "target_groups": [
            f"{E}Pakistani",
            f"{E}Bangladeshi",
            f"{E}Caribbean",
            f"{E}African",
            f"{E}Roma",
            f"{P}Gypsy, Roma and Traveller communities",
            f"{A}65 and over",
        ],
        "days_ago": 400,
    },
    {
        "name": "Punjabi- and Urdu-speaking doulas in Walsall",
        "kind": ProgrammeKind.LANGUAGE_DOULAS,
        "aims": "Trained doulas who speak Punjabi or Urdu support women through pregnancy, "
        "birth and the first weeks, and help them use maternity services.",
        "lad": "Walsall",
        "lead": DEMO_PARTNER_ORGANISATION,
        "partners": [DEMO_CHAMPION_ORGANISATION, WALSALL_TRUST],
        "target_indicators": [],
        "target_groups": [
            f"{E}Pakistani",
            f"{E}Indian",
            f"{E}Bangladeshi",
            f"{L}Punjabi",
            f"{L}Urdu",
            f"{A}16 to 24",
            f"{A}25 to 34",
        ],
        "days_ago": 300,
    },
    {
        "name": "Community health checks in Wolverhampton mosques and gurdwaras",
        "kind": ProgrammeKind.COMMUNITY_HEALTH_CHECKS,
        "aims": "Volunteers from mosques and gurdwaras run NHS Health Checks, blood pressure "
        "and diabetes risk checks after Friday prayers and langar, with referrals to the GP "
        "practice the same week.",
        "lad": "Wolverhampton",
        "lead": DEMO_CHAMPION_ORGANISATION,
        "partners": [GURDWARA, WOLVERHAMPTON_TRUST],
        "target_indicators": [
            "nhs_health_check_uptake",
            "hypertension_recorded_prevalence",
            "diabetes_recorded_prevalence",
        ],
        "target_groups": [
            f"{E}Indian",
            f"{E}Pakistani",
            f"{E}Bangladeshi",
            f"{A}35 to 49",
            f"{A}50 to 64",
            f"{P}People with multiple long-term conditions",
        ],
        "days_ago": 250,
    },
    {
        "name": "School work experience in Dudley",
        "kind": ProgrammeKind.SCHOOL_WORK_EXPERIENCE,
        "aims": "Week-long placements in NHS and care teams for pupils from the "
        "most deprived neighbourhoods, so the NHS workforce looks like the people it serves.",
        "lad": "Dudley",
        "lead": BIG_LOCAL,
        "partners": [CARERS, ICB_ORG],
        "target_indicators": [],
        "target_groups": [
            f"{A}0 to 15",
            f"{A}16 to 24",
            f"{P}Looked-after children and care leavers",
            f"{P}Young carers",
        ],
        "days_ago": 200,
    },
]

# (programme index, kind, days ago, venue, LSOA index in the LAD, reach, co-production)
ACTIVITIES: list[tuple[int, str, int, str, int, dict[str, int], tuple[int, str] | None]] = [
    (
        0,
        ActivityKind.OUTREACH,
        330,
        "Market stall outreach",
        0,
        {f"{E}Pakistani": 34, f"{E}Bangladeshi": 12, f"{E}African": 9, f"{E}Other White": 5},
        None,
    ),
    (
        0,
        ActivityKind.CLINIC,
        300,
        "Pop-up vaccine clinic, mosque community room",
        1,
        {f"{E}Pakistani": 61, f"{E}Bangladeshi": 22, f"{E}Indian": 6, f"{A}65 and over": 18},
        None,
    ),
    (
        0,
        ActivityKind.TRAINING,
        280,
        "Ambassador training, council offices",
        2,
        {f"{E}Caribbean": 8, f"{E}Pakistani": 11, f"{E}African": 4},
        None,
    ),
    (
        0,
        ActivityKind.COPRODUCTION,
        250,
        "Roma community centre",
        3,
        {f"{E}Roma": 14, f"{P}Gypsy, Roma and Traveller communities": 14},
        (14, "Leaflets in Romanian and Slovak; a Saturday clinic with a Roma health mediator."),
    ),
    (
        0,
        ActivityKind.EVENT,
        120,
        "Family fun day in the park",
        4,
        {
            f"{E}African": 27,
            f"{E}Caribbean": 19,
            f"{E}English, Welsh, Scottish, Northern Irish or British": 42,
            f"{E}Pakistani": 3,
        },
        None,
    ),
    (
        0,
        ActivityKind.CLINIC,
        40,
        "Saturday clinic, Roma community centre",
        3,
        {f"{E}Roma": 23, f"{E}Other White": 7, f"{A}0 to 15": 18},
        None,
    ),
    (
        1,
        ActivityKind.TRAINING,
        280,
        "Doula training, maternity unit",
        0,
        {f"{E}Pakistani": 6, f"{E}Indian": 4, f"{L}Punjabi": 5, f"{L}Urdu": 5},
        None,
    ),
    (
        1,
        ActivityKind.COPRODUCTION,
        260,
        "Mothers' group, community hub",
        1,
        {f"{E}Pakistani": 15, f"{E}Bangladeshi": 5, f"{L}Urdu": 12},
        (20, "Antenatal classes in Urdu and Punjabi on weekday mornings; doulas at booking."),
    ),
    (
        1,
        ActivityKind.OUTREACH,
        200,
        "Children's centre drop-in",
        2,
        {f"{E}Pakistani": 18, f"{E}Indian": 9, f"{A}25 to 34": 21, f"{A}16 to 24": 6},
        None,
    ),
    (
        1,
        ActivityKind.EVENT,
        150,
        "Baby and family day, community hall",
        3,
        {f"{E}Pakistani": 40, f"{E}Indian": 16, f"{E}Bangladeshi": 11},
        None,
    ),
    (
        1,
        ActivityKind.OUTREACH,
        60,
        "Mosque women's circle",
        4,
        {f"{E}Pakistani": 25, f"{L}Urdu": 19, f"{L}Punjabi": 6},
        None,
    ),
    (
        2,
        ActivityKind.CLINIC,
        230,
        "Health checks after Friday prayers, mosque hall",
        0,
        {f"{E}Pakistani": 48, f"{E}Bangladeshi": 13, f"{A}35 to 49": 30, f"{A}50 to 64": 31},
        None,
    ),
    (
        2,
        ActivityKind.CLINIC,
        210,
        "Health checks after langar, gurdwara",
        1,
        {f"{E}Indian": 72, f"{A}35 to 49": 28, f"{A}50 to 64": 44},
        None,
    ),
    (
        2,
        ActivityKind.COPRODUCTION,
        190,
        "Faith leaders' health forum",
        2,
        {f"{E}Indian": 9, f"{E}Pakistani": 7, f"{E}Caribbean": 2},
        (18, "Women-only check sessions with female health care assistants; results by text."),
    ),
    (
        2,
        ActivityKind.CLINIC,
        90,
        "Women-only health checks, mosque hall",
        0,
        {f"{E}Pakistani": 31, f"{E}Bangladeshi": 8, f"{E}African": 5},
        None,
    ),
    (
        2,
        ActivityKind.CLINIC,
        30,
        "Health checks after langar, gurdwara",
        1,
        {f"{E}Indian": 64, f"{A}50 to 64": 37, f"{A}65 and over": 12},
        None,
    ),
    (
        3,
        ActivityKind.EVENT,
        180,
        "Health careers fair, secondary school",
        0,
        {f"{A}16 to 24": 96, f"{A}0 to 15": 41},
        None,
    ),
    (
        3,
        ActivityKind.TRAINING,
        150,
        "Placement induction, GP practice",
        1,
        {f"{A}16 to 24": 24, f"{P}Young carers": 3},
        None,
    ),
    (
        3,
        ActivityKind.COPRODUCTION,
        100,
        "Pupil panel, Big Local office",
        2,
        {f"{A}16 to 24": 12, f"{P}Looked-after children and care leavers": 4},
        (12, "Paid travel to placements; a mentor from a similar background for each pupil."),
    ),
    (
        3,
        ActivityKind.OUTREACH,
        20,
        "Assembly talks, secondary school",
        3,
        {f"{A}0 to 15": 180, f"{A}16 to 24": 45},
        None,
    ),
]

T = Theme
# (theme, kind, summary, groups, programme index, activity index or None, LSOA index or "msoa")
INSIGHTS: list[tuple[str, str, str, list[str], int, int | None, int | str]] = [
    (
        T.LANGUAGE,
        "barrier",
        "Letters inviting children for jabs are only in English.",
        [f"{E}Pakistani", f"{E}Bangladeshi"],
        0,
        0,
        0,
    ),
    (
        T.TRUST,
        "barrier",
        "People worry the vaccines contain pork gelatine.",
        [f"{E}Pakistani"],
        0,
        1,
        1,
    ),
    (
        T.ACCESS,
        "barrier",
        "Clinics close at 5pm; shift workers cannot get there.",
        [f"{E}African", f"{E}Caribbean"],
        0,
        4,
        4,
    ),
    (
        T.TRUST,
        "barrier",
        "Bad experiences with officials make families wary of any appointment.",
        [f"{E}Roma", f"{P}Gypsy, Roma and Traveller communities"],
        0,
        3,
        3,
    ),
    (
        T.LANGUAGE,
        "idea",
        "A Roma health mediator at the clinic would help families come.",
        [f"{E}Roma"],
        0,
        3,
        3,
    ),
    (
        T.AWARENESS,
        "barrier",
        "Older people did not know they were eligible for the booster.",
        [f"{A}65 and over"],
        0,
        1,
        1,
    ),
    (
        T.TRANSPORT,
        "barrier",
        "No bus runs from the estate to the vaccination centre on Sundays.",
        [f"{E}English, Welsh, Scottish, Northern Irish or British"],
        0,
        4,
        4,
    ),
    (
        T.DIGITAL,
        "barrier",
        "Booking only works through the NHS App, which many do not use.",
        [f"{A}65 and over", f"{E}Caribbean"],
        0,
        None,
        "msoa",
    ),
    (
        T.CULTURE,
        "idea",
        "Hold a clinic straight after Friday prayers.",
        [f"{E}Pakistani", f"{E}Bangladeshi"],
        0,
        1,
        1,
    ),
    (
        T.LANGUAGE,
        "barrier",
        "Women could not follow the midwife without an interpreter.",
        [f"{E}Pakistani", f"{L}Urdu"],
        1,
        7,
        1,
    ),
    (
        T.CULTURE,
        "barrier",
        "Women want a female interpreter, not a male relative.",
        [f"{E}Pakistani", f"{E}Bangladeshi"],
        1,
        7,
        1,
    ),
    (
        T.DISCRIMINATION,
        "barrier",
        "Staff assumed women would not want pain relief.",
        [f"{E}Pakistani", f"{E}Indian"],
        1,
        9,
        3,
    ),
    (
        T.ACCESS,
        "barrier",
        "Antenatal classes are in the evening when families need help at home.",
        [f"{A}25 to 34"],
        1,
        8,
        2,
    ),
    (
        T.AWARENESS,
        "barrier",
        "Nobody explained what a doula does or that it is free.",
        [f"{L}Punjabi", f"{E}Indian"],
        1,
        8,
        2,
    ),
    (
        T.COST,
        "barrier",
        "Bus fares to the hospital add up over many appointments.",
        [f"{A}16 to 24"],
        1,
        10,
        4,
    ),
    (
        T.LANGUAGE,
        "idea",
        "Voice notes in Urdu on WhatsApp before each appointment.",
        [f"{L}Urdu"],
        1,
        10,
        4,
    ),
    (
        T.TRUST,
        "idea",
        "Doulas should be introduced at booking by the midwife.",
        [f"{E}Pakistani"],
        1,
        7,
        1,
    ),
    (
        T.CULTURE,
        "barrier",
        "Men and women want separate sessions for health checks.",
        [f"{E}Pakistani", f"{E}Bangladeshi"],
        2,
        13,
        2,
    ),
    (
        T.AWARENESS,
        "barrier",
        "Many did not know the health check is free from age 40.",
        [f"{E}Indian", f"{A}35 to 49"],
        2,
        12,
        1,
    ),
    (
        T.ACCESS,
        "barrier",
        "GP surgery phone lines are busy at 8am; people give up.",
        [f"{E}Indian", f"{A}50 to 64"],
        2,
        12,
        1,
    ),
    (
        T.TRUST,
        "idea",
        "Checks done by people from the congregation feel safer.",
        [f"{E}Indian"],
        2,
        12,
        1,
    ),
    (
        T.DIGITAL,
        "barrier",
        "Results sent by email are not read; a text message works.",
        [f"{A}50 to 64"],
        2,
        15,
        1,
    ),
    (
        T.LANGUAGE,
        "barrier",
        "Diet advice leaflets do not mention chapati, rice or ghee.",
        [f"{E}Indian", f"{E}Pakistani", f"{L}Punjabi"],
        2,
        11,
        0,
    ),
    (
        T.COST,
        "barrier",
        "Healthy food costs more; people asked about cheaper swaps.",
        [f"{E}Pakistani"],
        2,
        14,
        0,
    ),
    (
        T.DISCRIMINATION,
        "barrier",
        "People felt judged about their weight at the surgery.",
        [f"{E}Bangladeshi"],
        2,
        14,
        0,
    ),
    (
        T.CULTURE,
        "idea",
        "Women-only sessions with female staff in the mosque.",
        [f"{E}Pakistani"],
        2,
        14,
        0,
    ),
    (
        T.AWARENESS,
        "barrier",
        "Pupils thought only doctors and nurses work in the NHS.",
        [f"{A}16 to 24"],
        3,
        16,
        0,
    ),
    (
        T.COST,
        "barrier",
        "Pupils cannot afford travel to placements across the borough.",
        [f"{A}16 to 24", f"{P}Young carers"],
        3,
        18,
        2,
    ),
    (
        T.ACCESS,
        "idea",
        "Short placements in school holidays suit young carers.",
        [f"{P}Young carers"],
        3,
        18,
        2,
    ),
    (
        T.OTHER,
        "idea",
        "Mentors from the same estate would make careers feel possible.",
        [f"{P}Looked-after children and care leavers", f"{A}16 to 24"],
        3,
        18,
        "msoa",
    ),
]


def most_deprived_lsoas(per_lad: int = 8) -> dict[str, list[tuple[str, str, str]]]:
    """LAD name -> its `per_lad` most deprived LSOAs in the ICB (code, ward name, MSOA code)."""
    table = area_table("lsoa21")
    table = table[table["lsoa21_code"].isin(lsoas_in(icb=ICB))].sort_values("imd_rank")
    return {
        lad: list(
            table.loc[table["lad24_code"] == code, ["lsoa21_code", "ward24_name", "msoa21_code"]]
            .head(per_lad)
            .itertuples(index=False, name=None)
        )
        for lad, code in LADS.items()
    }


def organisation(name: str) -> Organisation:
    """The organisation called `name`, created (audited, by the system) when missing."""
    found = Organisation.objects.filter(name=name).first()
    if found is not None:
        return found
    kind, description = ORGANISATIONS[name]
    return create_organisation(by=None, name=name, kind=kind, description=description)


def load(stdout: Any) -> None:
    try:
        places = most_deprived_lsoas()
    except DataSourceError as error:
        stdout.write(f"Demo programmes skipped: the area lookups are missing ({error})")
        return
    today = date.today()
    created: dict[int, Programme] = {}
    for index, spec in enumerate(PROGRAMMES):
        if Programme.objects.filter(name=spec["name"]).exists():
            continue
        lsoas = places[spec["lad"]]
        created[index] = actions.create_programme(
            by=None,
            name=spec["name"],
            kind=spec["kind"],
            aims=spec["aims"],
            lead_organisation=organisation(spec["lead"]),
            partners=[organisation(name) for name in spec["partners"]],
            target_indicators=spec["target_indicators"],
            target_areas=[LADS[spec["lad"]], *(code for code, _, _ in lsoas[:5])],
            target_groups=spec["target_groups"],
            start_date=today - timedelta(days=spec["days_ago"]),
        )
    activities = {}
    for number, (p, kind, days, venue, at, reach, copro) in enumerate(ACTIVITIES):
        if p not in created:
            continue
        programme = created[p]
        lsoa, ward, _ = places[PROGRAMMES[p]["lad"]][at]
        attendees, outcomes = copro if copro else (None, "")
        recorder = (
            organisation(PROGRAMMES[p]["partners"][0])
            if kind in (ActivityKind.OUTREACH, ActivityKind.EVENT)
            else programme.lead_organisation
        )
        activities[number] = actions.create_activity(
            by=None,
            programme=programme,
            organisation=recorder,
            kind=kind,
            date=today - timedelta(days=days),
            place=f"{venue}, {ward}",
            lsoa21=lsoa,
            reach=reach,
            attendees=attendees,
            outcomes=outcomes,
        )
    insights = 0
    for theme, kind, summary, groups, p, activity, at in INSIGHTS:
        if p not in created:
            continue
        lad_places = places[PROGRAMMES[p]["lad"]]
        source = activities.get(activity) if activity is not None else None
        neighbourhood = lad_places[0][2] if at == "msoa" else lad_places[int(at)][0]
        actions.create_insight(
            by=None,
            organisation=source.organisation if source else created[p].lead_organisation,
            kind=kind,
            theme=theme,
            summary=summary,
            groups=groups,
            neighbourhood=neighbourhood,
            source_activity=source,
            date=source.date if source else today - timedelta(days=45),
        )
        insights += 1
    stdout.write(
        f"Demo programmes: {len(created)} created with {len(activities)} activities and "
        f"{insights} insights ({len(PROGRAMMES) - len(created)} existed)."
    )
