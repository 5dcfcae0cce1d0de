"""The demo directory's data (loaded by `directory.demo`): organisations with their places and
services, and Community Champions, for NHS Black Country ICB (E54000062).

See `directory.demo` for what is real (statutory bodies, ODS codes, area codes, postcode
districts) and what is fictional (community groups, services, people, street addresses).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from healthgap.web.directory.models import OrganisationKind

#: The organisation the demo partner works for (accounts.demo looks it up by this name).
DEMO_PARTNER_ORGANISATION = "Palfrey Community Voices"
#: The organisation of the demo champion, who also has a champion record of their own.
DEMO_CHAMPION_ORGANISATION = "Al-Noor Mosque Health Circle"

WALSALL, WOLVERHAMPTON, DUDLEY, SANDWELL = "E08000030", "E08000031", "E08000027", "E08000028"


@dataclass(frozen=True)
class Place:
    """A location: name, street, town, postcode, latitude, longitude, LSOA 2021."""

    name: str
    address_1: str
    city: str
    postcode: str
    latitude: float
    longitude: float
    lsoa21: str
    accessibility: str = ""


@dataclass(frozen=True)
class DemoService:
    name: str
    description: str
    terms: tuple[str, ...]
    languages: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    eligibility: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    free: bool = True


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    description: str
    lsoa21: str
    coverage: tuple[str, ...]
    communities: tuple[str, ...] = ()
    ods_code: str = ""
    website: str = ""
    capacity: tuple[int | None, int | None, str] = (None, None, "")
    places: tuple[Place, ...] = ()
    services: tuple[DemoService, ...] = field(default_factory=tuple)


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        DEMO_PARTNER_ORGANISATION,
        OrganisationKind.VOLUNTARY,
        "Residents' group in Palfrey and Caldmore running health events, coffee mornings and "
        "help in community languages.",
        "E01010343",
        ("E02002143", "E02002139"),
        ("pakistani", "bangladeshi", "indian", "pa", "ur", "bn", "carers"),
        capacity=(8, 120, "Two volunteers can run an extra session a month from April."),
        places=(
            Place(
                "Palfrey Community Centre",
                "12 Milton Street",
                "Walsall",
                "WS1 4LA",
                52.5745,
                -1.9870,
                "E01010343",
                "Step-free entrance; hearing loop.",
            ),
        ),
        services=(
            DemoService(
                "Blood pressure checks at the community centre",
                "Drop-in blood pressure checks with a pharmacist every Saturday.",
                ("health-check", "long-term-conditions"),
                ("pa", "ur", "en"),
                ("Palfrey Community Centre",),
                "Adults living or working in Walsall.",
                18,
            ),
            DemoService(
                "Language buddies",
                "Volunteers who go with you to GP and hospital "
                "appointments and help in Punjabi, Urdu or Bengali.",
                ("language-support",),
                ("pa", "ur", "bn"),
                ("Palfrey Community Centre",),
            ),
        ),
    ),
    DemoOrganisation(
        DEMO_CHAMPION_ORGANISATION,
        OrganisationKind.FAITH,
        "Mosque volunteers who bring health checks, vaccination advice and screening "
        "reminders to the congregation and its families.",
        "E01033897",
        ("E02002139",),
        ("pakistani", "bangladeshi", "arab", "ur", "pa", "phr", "ar"),
        capacity=(4, 200, "After Friday prayers and at Eid events."),
        places=(
            Place(
                "Al-Noor Mosque community room",
                "40 Caldmore Road",
                "Walsall",
                "WS1 3RH",
                52.5795,
                -1.9905,
                "E01033897",
            ),
        ),
        services=(
            DemoService(
                "Vaccine conversations after Friday prayers",
                "Champions and a nurse answer questions about flu, COVID-19 and MMR "
                "vaccines, in Urdu, Punjabi and Mirpuri.",
                ("vaccination",),
                ("ur", "pa", "phr"),
                ("Al-Noor Mosque community room",),
            ),
        ),
    ),
    DemoOrganisation(
        "Walsall Healthcare NHS Trust",
        OrganisationKind.NHS_TRUST,
        "Acute and community health services for Walsall, based at the Manor Hospital.",
        "E01010363",
        (WALSALL,),
        ods_code="RBK",
        website="https://www.walsallhealthcare.nhs.uk",
        places=(
            Place(
                "Manor Hospital",
                "Moat Road",
                "Walsall",
                "WS2 9PS",
                52.5830,
                -2.0040,
                "E01010363",
                "Step-free access, accessible toilets, hearing loops.",
            ),
        ),
        services=(
            DemoService(
                "Community midwives' drop-in",
                "Pregnancy advice and booking appointments with interpreters on request.",
                ("maternity",),
                ("en",),
                ("Manor Hospital", "Palfrey Community Centre"),
                "Anyone pregnant who lives in Walsall.",
                16,
            ),
            DemoService(
                "Bowel screening support",
                "Help to complete bowel screening kits, with leaflets in community languages.",
                ("cancer-screening",),
                ("en", "pa", "ur", "pl"),
                ("Manor Hospital",),
                "People aged 50 to 74.",
                50,
                74,
            ),
        ),
    ),
    DemoOrganisation(
        "The Royal Wolverhampton NHS Trust",
        OrganisationKind.NHS_TRUST,
        "Hospital and community services for Wolverhampton, based at New Cross Hospital.",
        "E01010476",
        (WOLVERHAMPTON,),
        ods_code="RL4",
        website="https://www.royalwolverhampton.nhs.uk",
        places=(
            Place(
                "New Cross Hospital",
                "Wolverhampton Road",
                "Wolverhampton",
                "WV10 0QP",
                52.5990,
                -2.0930,
                "E01010476",
            ),
        ),
        services=(
            DemoService(
                "Diabetic eye screening clinic",
                "Annual diabetic eye screening.",
                ("diabetic-eye-screening",),
                ("en",),
                ("New Cross Hospital",),
                "People with diabetes aged 12 and over.",
                12,
            ),
        ),
    ),
    DemoOrganisation(
        "NHS Black Country Integrated Care Board",
        OrganisationKind.ICB,
        "Plans and pays for NHS services in Dudley, Sandwell, Walsall and Wolverhampton.",
        "",
        (WALSALL, WOLVERHAMPTON, DUDLEY, SANDWELL),
        ods_code="QUA",
        website="https://blackcountry.icb.nhs.uk",
    ),
    DemoOrganisation(
        "Walsall Council Public Health",
        OrganisationKind.COUNCIL,
        "The council's public health team: NHS Health Checks, stop smoking and healthy weight.",
        "E01010368",
        (WALSALL,),
        places=(
            Place(
                "Walsall Council House",
                "Lichfield Street",
                "Walsall",
                "WS1 1TP",
                52.5860,
                -1.9829,
                "E01010368",
            ),
        ),
        services=(
            DemoService(
                "Stop smoking service",
                "Free one-to-one support to stop smoking.",
                ("smoking-cessation",),
                ("en", "pa", "ur"),
                ("Walsall Council House",),
                "Anyone who lives in Walsall.",
                12,
            ),
            DemoService(
                "NHS Health Check outreach",
                "Health checks in community venues for people aged 40 to 74.",
                ("health-check",),
                ("en",),
                ("Walsall Council House", "Palfrey Community Centre"),
                "People aged 40 to 74 without a long-term condition.",
                40,
                74,
            ),
        ),
    ),
    DemoOrganisation(
        "Whitmore Reans Eastern European Hub",
        OrganisationKind.VOLUNTARY,
        "Advice and social support for Polish, Romanian, Roma and other Eastern European "
        "families in Wolverhampton.",
        "E01010527",
        ("E02002164", "E02002168"),
        (
            "other-white",
            "roma",
            "pl",
            "ro",
            "rom",
            "lt",
            "gypsy-roma-and-traveller-communities",
            "vulnerable-migrants",
        ),
        capacity=(6, 80, ""),
        places=(
            Place(
                "Newhampton Road hub",
                "85 Newhampton Road West",
                "Wolverhampton",
                "WV1 4BD",
                52.5945,
                -2.1420,
                "E01010527",
            ),
        ),
        services=(
            DemoService(
                "GP registration help",
                "Help to register with a GP and use the NHS App, in Polish, Romanian and Romani.",
                ("digital-inclusion", "language-support"),
                ("pl", "ro", "rom"),
                ("Newhampton Road hub",),
            ),
        ),
    ),
    DemoOrganisation(
        "Somali Women's Wellbeing Network",
        OrganisationKind.VOLUNTARY,
        "Peer support, maternity advice and mental wellbeing groups for Somali women.",
        "E01010530",
        ("E02006894", WOLVERHAMPTON),
        ("african", "so", "ar", "asylum-seekers-and-refugees"),
        capacity=(4, 40, "Wednesday mornings; a crèche is available."),
        places=(
            Place(
                "All Saints community rooms",
                "7 All Saints Road",
                "Wolverhampton",
                "WV2 1EL",
                52.5790,
                -2.1210,
                "E01010530",
            ),
        ),
        services=(
            DemoService(
                "Wellbeing circle",
                "A weekly women's group on stress, sleep and mood.",
                ("mental-health",),
                ("so", "ar"),
                ("All Saints community rooms",),
                "Women.",
                16,
            ),
            DemoService(
                "Pregnancy friends",
                "Somali-speaking volunteers who support women "
                "through pregnancy and early parenthood.",
                ("maternity",),
                ("so",),
                ("All Saints community rooms",),
            ),
        ),
    ),
    DemoOrganisation(
        "Tipton Gurdwara Sewa Health Group",
        OrganisationKind.FAITH,
        "Sewa volunteers running health talks and walking groups from the gurdwara.",
        "E01010076",
        ("E02002057",),
        ("indian", "pa"),
        capacity=(4, 60, ""),
        places=(
            Place(
                "Gurdwara hall",
                "21 Owen Street",
                "Tipton",
                "DY4 8HE",
                52.5290,
                -2.0660,
                "E01010076",
            ),
        ),
        services=(
            DemoService(
                "Sunday walking group",
                "A gentle walk along the canal, then tea.",
                ("physical-activity",),
                ("pa", "en"),
                ("Gurdwara hall",),
            ),
        ),
    ),
    DemoOrganisation(
        "Smethwick Healthy Neighbourhoods PCN",
        OrganisationKind.PRIMARY_CARE,
        "Six GP practices in Smethwick working together, with social prescribing link workers.",
        "E01010064",
        ("E02006943", SANDWELL),
        ("indian", "pakistani", "pa", "ur", "bn"),
        places=(
            Place(
                "Smethwick health centre",
                "110 High Street",
                "Smethwick",
                "B66 1AA",
                52.4930,
                -1.9680,
                "E01010064",
            ),
        ),
        services=(
            DemoService(
                "Social prescribing",
                "Link workers connect you with groups and advice "
                "for loneliness, money worries or housing.",
                ("social-prescribing", "money-and-housing"),
                ("en", "pa", "ur"),
                ("Smethwick health centre",),
                "Patients of the PCN's practices.",
                18,
            ),
        ),
    ),
    DemoOrganisation(
        "Dudley Carers Hub",
        OrganisationKind.VOLUNTARY,
        "Information, breaks and peer support for unpaid carers in Dudley.",
        "E01009757",
        (DUDLEY,),
        ("carers", "young-carers", "en"),
        capacity=(10, 150, ""),
        places=(
            Place(
                "Carers Hub",
                "5 Wolverhampton Street",
                "Dudley",
                "DY1 1DA",
                52.5120,
                -2.0810,
                "E01009757",
            ),
        ),
        services=(
            DemoService(
                "Carers' health and wellbeing checks",
                "A health check and a plan for breaks for unpaid carers.",
                ("carers-support", "health-check"),
                ("en",),
                ("Carers Hub",),
                "Unpaid carers in Dudley.",
                8,
            ),
        ),
    ),
    DemoOrganisation(
        "Brierley Hill Big Local",
        OrganisationKind.BIG_LOCAL,
        "A resident-led Big Local partnership funding local projects.",
        "E01009741",
        ("E02002021",),
        ("english-welsh-scottish-northern-irish-or-british", "en"),
        places=(
            Place(
                "Big Local shop",
                "60 High Street",
                "Brierley Hill",
                "DY5 3AQ",
                52.4815,
                -2.1200,
                "E01009741",
            ),
        ),
        services=(
            DemoService(
                "Community cooking club",
                "Cook healthy meals on a budget together.",
                ("healthy-eating",),
                ("en",),
                ("Big Local shop",),
                "",
                None,
                None,
                False,
            ),
        ),
    ),
    DemoOrganisation(
        "Bilston Community School",
        OrganisationKind.SCHOOL,
        "Secondary school offering work experience in health and care.",
        "E01010414",
        ("E02002175",),
        places=(
            Place(
                "Bilston Community School",
                "Church Street",
                "Bilston",
                "WV14 0AA",
                52.5660,
                -2.0730,
                "E01010414",
            ),
        ),
    ),
    DemoOrganisation(
        "Black Country Housing Outreach",
        OrganisationKind.VOLUNTARY,
        "Street outreach and health drop-ins for people who are homeless or in insecure housing.",
        "E01010106",
        (SANDWELL, WALSALL),
        (
            "people-experiencing-homelessness",
            "people-with-drug-or-alcohol-dependence",
            "people-in-contact-with-the-justice-system",
        ),
        places=(
            Place(
                "West Bromwich drop-in",
                "15 High Street",
                "West Bromwich",
                "B70 6PP",
                52.5187,
                -1.9945,
                "E01010106",
            ),
        ),
        services=(
            DemoService(
                "Health drop-in for people who are homeless",
                "A nurse, a GP once a month, vaccinations and help to register with a GP.",
                ("vaccination", "health-check"),
                ("en", "pl", "ro"),
                ("West Bromwich drop-in",),
            ),
        ),
    ),
)

#: (name, organisation or None, languages, communities, neighbourhoods, email, phone).
CHAMPIONS = (
    (
        "Amina Hussain",
        DEMO_CHAMPION_ORGANISATION,
        ("ur", "pa", "phr"),
        ("pakistani",),
        ("E01033897", "E02002139"),
        "amina.hussain@example.org",
        "01632 960101",
    ),
    (
        "Gurpreet Kaur",
        "Tipton Gurdwara Sewa Health Group",
        ("pa",),
        ("indian",),
        ("E01010076",),
        "gurpreet.kaur@example.org",
        "01632 960102",
    ),
    (
        "Rahima Begum",
        DEMO_PARTNER_ORGANISATION,
        ("bn", "syl"),
        ("bangladeshi",),
        ("E01010343", "E02002143"),
        "rahima.begum@example.org",
        "01632 960103",
    ),
    (
        "Katarzyna Nowak",
        "Whitmore Reans Eastern European Hub",
        ("pl",),
        ("other-white",),
        ("E01010527",),
        "katarzyna.nowak@example.org",
        "01632 960104",
    ),
    (
        "Ionela Popescu",
        None,
        ("ro", "rom"),
        ("roma", "gypsy-roma-and-traveller-communities"),
        ("E01010527", "E02002164"),
        "ionela.popescu@example.org",
        "01632 960105",
    ),
    (
        "Hodan Ali",
        "Somali Women's Wellbeing Network",
        ("so", "ar"),
        ("african",),
        ("E01010530",),
        "hodan.ali@example.org",
        "01632 960106",
    ),
)
#: The champion record of the demo `champion` account (who can withdraw their own consent).
DEMO_CHAMPION_NAME = "Amina Hussain"
CONSENT_DATE = datetime.date(2026, 1, 12)
#: When the demo services were last checked (ORUK `assured_date`).
ASSURED_DATE = datetime.date(2026, 11, 1)
