"""Synthetic people for a chunk of LSOAs: the people table and the traits the event model needs.

Everything here is vectorised over the chunk; the only loop over LSOAs is the one that draws
each LSOA's random numbers from its own generator (`lsoa_generator`), so a person's data
depend on the seed, the LSOA and its inputs, never on which chunk the LSOA falls in. Each
person uses a fixed number of uniforms (`PEOPLE_DRAWS` columns plus 16 random bytes for the
pseudonym), in this order, from the LSOA's generator (`lsoa_generator`).

Model (docs/synthetic_population.md):
- count: the LSOA's Census 2021 usual residents in each of the 6 age bands, exactly;
- age: single years spread evenly within a band; 65+ follows `OLD_AGE_SHARES`;
- sex: male with the age-specific probability `MALE_SHARE`;
- ethnicity: one of the 16 NHS national codes, drawn from the LSOA's Census 2011 mix
  (apportioned to LSOA 2021) mapped by `CENSUS_TO_NHS` (the Mixed group split by `MIXED_SPLIT`),
  then recorded as Z (not stated) or 99 (not known) at the `Effects` recording rates;
- birth date: uniform over the days that give that age on the reference date; stored as
  birth_month (YYYY-MM);
- GP practice: one of the 2-4 synthetic practices of the person's MSOA (`msoa_practices`);
- registration_start: the later of birth (+42 days when that is still before the reference
  date) and reference date minus an exponential time with mean `MEAN_REGISTRATION_YEARS`;
  registration_end is blank (everyone is a current resident).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthgap.errors import InputDataError
from healthgap.geography.ethnicity import GROUP_COLUMNS
from healthgap.population.ethnicity import NHS_ETHNIC_CATEGORIES
from healthgap.population.schema import ETHNICITY_NOT_KNOWN, PEOPLE
from healthgap.synthetic._model import ETHNIC_GROUPS

AGE_BANDS: tuple[tuple[int, int], ...] = (
    (0, 15),
    (16, 24),
    (25, 34),
    (35, 49),
    (50, 64),
    (65, 104),
)
"""Census 2021 age bands (inclusive single years); the last is 65+, capped at 104 here."""

OLD_AGE_SHARES: dict[tuple[int, int], float] = {
    (65, 69): 2.9, (70, 74): 3.0, (75, 79): 2.2, (80, 84): 1.5, (85, 89): 0.9,
    (90, 94): 0.40, (95, 99): 0.11, (100, 104): 0.015,
}  # fmt: skip
"""Relative sizes of the 5-year groups within 65+ (usual residents, millions, Census 2021
England and Wales, rounded); each group's share is spread evenly over its years."""

MALE_SHARE: dict[tuple[int, int], float] = {
    (0, 15): 0.512, (16, 24): 0.505, (25, 49): 0.495, (50, 64): 0.493, (65, 69): 0.480,
    (70, 74): 0.472, (75, 79): 0.458, (80, 84): 0.435, (85, 89): 0.395, (90, 104): 0.31,
}  # fmt: skip
"""Share of males by age (approximate, ONS mid-2021 estimates for England): about 105 boys per
100 girls at birth, parity in working ages, and more women than men from the mid-60s."""

CENSUS_TO_NHS: dict[str, str] = {
    "white_british": "A", "white_irish": "B", "other_white": "C", "gypsy_irish_traveller": "C",
    "mixed": "DEFG", "indian": "H", "pakistani": "J", "bangladeshi": "K", "other_asian": "L",
    "black_caribbean": "M", "black_african": "N", "other_black": "P", "chinese": "R",
    "arab": "S", "other_ethnic_group": "S",
}  # fmt: skip
"""Census 2011 group -> NHS ethnic category (standards.md §5.1-5.2); Gypsy or Irish Traveller is
C and Arab is S, as the NHS code set has no separate codes; "DEFG" is split by MIXED_SPLIT."""

MIXED_SPLIT: dict[str, float] = {"D": 415_616, "E": 161_550, "F": 332_708, "G": 283_005}
"""England's Mixed group in Census 2011 (KS201EW): White and Black Caribbean (D), White and
Black African (E), White and Asian (F), other Mixed (G). The mirror has Mixed as one column."""

NHS_GROUPS: dict[str, str] = {
    c.code: c.broad_group_2001.lower() for c in NHS_ETHNIC_CATEGORIES if c.broad_group_2001
}
"""The 16 national NHS codes a synthetic person can have, with their broad group (the NHS 2001
groups, standards.md §5.1: Chinese is under Other), from `healthgap.population.ethnicity`."""
NHS_CODES = "".join(NHS_GROUPS)
NOT_STATED = "Z"

PEOPLE_DRAWS = 7
"""Uniforms per person: age, sex, ethnicity, recording, birth day, practice, registration."""
MEAN_REGISTRATION_YEARS = 10.0
"""Mean time since registering with the current practice (an exponential distribution)."""
NEWBORN_REGISTRATION_DAYS = 42
PRACTICE_LETTER = "X"
"""Synthetic practice codes are X + 5 digits; English GP practice codes start with A-P or Y."""
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


@dataclass(frozen=True)
class SynthAreas:
    """The inputs for a set of LSOAs, one row each (sorted by code).

    lsoa21, msoa21: codes. imd_decile: IMD 2025 national decile (1 = most deprived).
    age_counts: Census 2021 usual residents in the 6 `AGE_BANDS` (integers, shape n x 6).
    ethnicity: Census 2011 counts (apportioned to LSOA 2021) in the 15 groups of
    `healthgap.geography.ethnicity.GROUP_COLUMNS` (shape n x 15); only the mix is used.
    """

    lsoa21: np.ndarray
    msoa21: np.ndarray
    imd_decile: np.ndarray
    age_counts: np.ndarray
    ethnicity: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.lsoa21)
        shapes = {
            "msoa21": (n,),
            "imd_decile": (n,),
            "age_counts": (n, 6),
            "ethnicity": (n, len(GROUP_COLUMNS)),
        }
        for name, shape in shapes.items():
            if np.shape(getattr(self, name)) != shape:
                raise InputDataError(f"SynthAreas.{name} must have shape {shape}.")
        if np.any(np.asarray(self.age_counts) < 0):
            raise InputDataError("SynthAreas.age_counts must not be negative.")

    def __len__(self) -> int:
        return len(self.lsoa21)

    def take(self, rows: slice) -> SynthAreas:
        """The areas in `rows` (a slice), as a SynthAreas."""
        return SynthAreas(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class Traits:
    """What the event model needs about each person of a chunk (numpy arrays, one per person)."""

    area: np.ndarray  # index of the person's LSOA within the chunk
    age: np.ndarray
    male: np.ndarray
    group: np.ndarray  # index into ETHNIC_GROUPS (the true group, whatever was recorded)
    imd_decile: np.ndarray
    practice_effect: np.ndarray  # log-odds / log-rate shift of the person's practice
    birth: np.ndarray  # datetime64[D]
    birth_month: np.ndarray  # datetime64[M]
    registered: np.ndarray  # datetime64[D]


def code_number(code: str) -> int:
    """The number in a GSS code (E01000001 -> 1), which keys its random-number stream."""
    return int(code[3:])


def lsoa_generator(seed: int, lsoa21: str) -> np.random.Generator:
    """The LSOA's own generator: child number k of `SeedSequence(seed)`, k = the code's number."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(code_number(lsoa21),)))


def msoa_practices(
    seed: int, msoa21: str, practice_sd: float
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The MSOA's synthetic practices: codes, cumulative choice probabilities, random effects.

    2-4 practices, list shares from a Dirichlet(2, ..., 2) draw and effects N(0, practice_sd),
    from grandchild m of child 0 of `SeedSequence(seed)` (m = the MSOA code's number; LSOA
    numbers start at 1, so the streams never meet). Code: X, then 10·m + j as 5 digits.
    """
    number = code_number(msoa21)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0, number)))
    count = 2 + int(rng.integers(0, 3))
    shares = rng.dirichlet(np.full(count, 2.0))
    effects = rng.standard_normal(count) * practice_sd
    codes = [f"{PRACTICE_LETTER}{10 * number + j:05d}" for j in range(count)]
    cumulative = np.cumsum(shares)
    cumulative[-1] = 1.0  # no uniform (< 1) may fall past the last practice
    return codes, cumulative, effects


def _old_age_cdf() -> tuple[np.ndarray, np.ndarray]:
    ages = np.arange(AGE_BANDS[-1][0], AGE_BANDS[-1][1] + 1)
    weights = np.zeros(len(ages))
    for (lo, hi), size in OLD_AGE_SHARES.items():
        weights[lo - ages[0] : hi - ages[0] + 1] = size / (hi - lo + 1)
    return ages, np.cumsum(weights) / weights.sum()


def _by_age(table: dict[tuple[int, int], float]) -> np.ndarray:
    out = np.full(AGE_BANDS[-1][1] + 1, np.nan)
    for (lo, hi), value in table.items():
        out[lo : hi + 1] = value
    return out


_OLD_AGES, _OLD_CDF = _old_age_cdf()
_MALE_BY_AGE = _by_age(MALE_SHARE)


def nhs_code_mix(ethnicity: np.ndarray) -> np.ndarray:
    """Per-LSOA probabilities of the 16 NHS_CODES (n x 16) from Census group counts (n x 15).

    An LSOA with no counts gets England's mix (the column sums), so no LSOA is left without one.
    """
    counts = np.asarray(ethnicity, dtype=float)
    mixed = np.array(list(MIXED_SPLIT.values()), dtype=float)
    mixed /= mixed.sum()
    to_codes = np.zeros((len(GROUP_COLUMNS), len(NHS_CODES)))
    for row, group in enumerate(GROUP_COLUMNS):
        codes = CENSUS_TO_NHS[group]
        shares = mixed if len(codes) > 1 else [1.0]
        for code, share in zip(codes, shares, strict=True):
            to_codes[row, NHS_CODES.index(code)] = share
    mix = counts @ to_codes
    total = mix.sum(axis=1, keepdims=True)
    national = mix.sum(axis=0) / max(mix.sum(), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, mix / total, national)


def _categorical(cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index of the category each uniform falls in, row by row (`cumulative` is n x k)."""
    k = cumulative.shape[1]
    return np.minimum((cumulative[:, :-1] <= u[:, None]).sum(axis=1), k - 1)


def _hex_ids(raw: bytes, n: int) -> pa.Array:
    """n 32-character lower-case hex pseudonyms from 16n random bytes."""
    data = np.frombuffer(raw, dtype=np.uint8)
    text = np.empty(2 * data.size, dtype=np.uint8)
    text[0::2], text[1::2] = _HEX[data >> 4], _HEX[data & 15]
    offsets = np.arange(0, 32 * n + 1, 32, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(text)])


def _month_labels(months: np.ndarray) -> pa.Array:
    """YYYY-MM text for datetime64[M] values (formatted once per distinct month)."""
    index = months.astype(np.int64)
    first = int(index.min()) if index.size else 0
    labels = np.arange(first, int(index.max()) + 1 if index.size else 0).astype("datetime64[M]")
    return pc.take(pa.array(labels.astype(str)), pa.array(index - first))


def _birth_windows(reference: date) -> tuple[np.ndarray, np.ndarray]:
    """For each age a, the first birth date giving age a on `reference` and the number of days.

    A person is a years old on `reference` when born after the day `reference` fell on a+1 years
    earlier and on or before that day a years earlier (29 February counts as 28 February in
    years without it).
    """

    def years_before(years: int) -> date:
        year = reference.year - years
        day = min(reference.day, 28) if reference.month == 2 and reference.day == 29 else None
        return reference.replace(year=year, day=day or reference.day)

    ages = range(AGE_BANDS[-1][1] + 1)
    latest = np.array([years_before(a) for a in ages], dtype="datetime64[D]")
    earliest = np.array([years_before(a + 1) + timedelta(days=1) for a in ages], "datetime64[D]")
    return earliest, (latest - earliest).astype(np.int64) + 1


def _draw(areas: SynthAreas, seed: int) -> tuple[np.ndarray, bytes]:
    """The people's uniforms (n x PEOPLE_DRAWS) and pseudonym bytes, LSOA by LSOA."""
    uniforms, ids = [], []
    for code, n in zip(areas.lsoa21, areas.age_counts.sum(axis=1), strict=True):
        rng = lsoa_generator(seed, code)
        uniforms.append(rng.random((int(n), PEOPLE_DRAWS)))
        ids.append(rng.bytes(16 * int(n)))
    return np.concatenate(uniforms), b"".join(ids)


def make_people(
    areas: SynthAreas,
    seed: int,
    reference: date,
    *,
    not_stated: float,
    not_known: float,
    practice_sd: float,
) -> tuple[pa.Table, Traits]:
    """The people of `areas` (in LSOA order, then age band): the people table and their traits."""
    u, id_bytes = _draw(areas, seed)
    counts = np.asarray(areas.age_counts, dtype=np.int64)
    n = int(counts.sum())
    area = np.repeat(np.arange(len(areas)), counts.sum(axis=1))
    band = np.repeat(np.tile(np.arange(6), len(areas)), counts.ravel())

    lo = np.array([b[0] for b in AGE_BANDS])[band]
    width = np.array([b[1] - b[0] + 1 for b in AGE_BANDS])[band]
    age = lo + np.minimum((u[:, 0] * width).astype(np.int64), width - 1)
    old = band == len(AGE_BANDS) - 1
    age[old] = _OLD_AGES[
        np.minimum(np.searchsorted(_OLD_CDF, u[old, 0], side="right"), len(_OLD_AGES) - 1)
    ]
    male = u[:, 1] < _MALE_BY_AGE[age]

    mix = np.cumsum(nhs_code_mix(areas.ethnicity), axis=1)
    code = _categorical(mix[area], u[:, 2])
    code_groups = np.array([ETHNIC_GROUPS.index(NHS_GROUPS[c]) for c in NHS_CODES])
    recorded_codes = pa.array([*NHS_CODES, NOT_STATED, ETHNICITY_NOT_KNOWN])
    recorded = np.where(u[:, 3] < not_stated, len(NHS_CODES), code)
    recorded = np.where(
        (u[:, 3] >= not_stated) & (u[:, 3] < not_stated + not_known), len(NHS_CODES) + 1, recorded
    )

    earliest, days = _birth_windows(reference)
    birth = earliest[age] + (u[:, 4] * days[age]).astype(np.int64).astype("timedelta64[D]")
    birth_month = birth.astype("datetime64[M]")

    practice, practice_effect = _assign_practices(areas, area, u[:, 5], seed, practice_sd)

    ref = np.datetime64(reference, "D")
    newborn = birth + np.timedelta64(NEWBORN_REGISTRATION_DAYS, "D")
    first = np.where(newborn <= ref, newborn, birth)
    years = -np.log1p(-u[:, 6]) * MEAN_REGISTRATION_YEARS
    moved = ref - (years * 365.25).astype(np.int64).astype("timedelta64[D]")
    registered = np.maximum(first, moved)

    columns = {
        "person_id": _hex_ids(id_bytes, n),
        "sex": pc.take(pa.array(["2", "1"]), pa.array(male.astype(np.int8))),
        "age": pa.array(age.astype(np.int16)),
        "birth_month": _month_labels(birth_month),
        "ethnicity": pc.take(recorded_codes, pa.array(recorded)),
        "lsoa21": pc.take(pa.array(areas.lsoa21.astype(str)), pa.array(area)),
        "gp_practice": practice,
        "registration_start": pa.array(registered),
        "registration_end": pa.nulls(n, pa.date32()),
    }
    schema = PEOPLE.output_schema
    table = pa.table([columns[f.name].cast(f.type) for f in schema], schema=schema)
    imd = np.asarray(areas.imd_decile, dtype=np.int64)[area]
    traits = Traits(
        area, age, male, code_groups[code], imd, practice_effect, birth, birth_month, registered
    )
    return table, traits


def _assign_practices(
    areas: SynthAreas, area: np.ndarray, u: np.ndarray, seed: int, practice_sd: float
) -> tuple[pa.Array, np.ndarray]:
    """Each person's practice (by their MSOA's shares) and that practice's random effect."""
    msoas, msoa_of_area = np.unique(np.asarray(areas.msoa21).astype(str), return_inverse=True)
    codes: list[str] = []
    cumulative = np.ones((len(msoas), 4))
    effects = np.zeros((len(msoas), 4))
    first = np.zeros(len(msoas), dtype=np.int64)
    for i, msoa in enumerate(msoas):
        own, cum, eff = msoa_practices(seed, msoa, practice_sd)
        first[i] = len(codes)
        codes.extend(own)
        cumulative[i, : len(own)], effects[i, : len(own)] = cum, eff
    msoa = msoa_of_area[area]
    slot = _categorical(cumulative[msoa], u)
    return pc.take(pa.array(codes), pa.array(first[msoa] + slot)), effects[msoa, slot]
