"""A synthetic population of Indonesians abroad for demos and load tests (``perisai demo-data``).

Shape. Workers follow the destinations, sectors and sex ratios of Indonesian labour migration as published
in BP2MI's annual placement statistics (*Data Penempatan dan Pelindungan PMI*, 2023); students, families,
professionals and visitors are added in the places they usually are. The tables below are rounded shares
written from general knowledge of those reports, not copied figures: they give the demo a realistic shape
and must not be quoted as statistics. Within a country, people are spread over its largest gazetteer cities
(:mod:`perisai.places.gazetteer`) in proportion to population, with a couple of kilometres of jitter; the
responsible mission is resolved once per city with :func:`perisai.places.selectors.nearest_mission`.

Identity. Names are random combinations of the authored lists in :mod:`.demo_names`. NIKs have the real
structure (home district ``PPRRDD``, birth date ``DDMMYY`` with 40 added to the day for women, a 4-digit
serial); passports are a letter and 7 digits; both are stored only encrypted with their blind index.
Phones are E.164 numbers of the host country that ``phonenumbers`` accepts as valid mobiles (they are *not*
in a reserved fictional range, which most destinations lack, so they may belong to someone: never point a
demo at a live SMS or WhatsApp gateway). E-mail addresses use the reserved ``example.com`` domain. Companies
and agencies carry the word "Demo" in their names.

Reproducibility. People are generated in blocks of :data:`BLOCK` rows; block ``b`` draws from its own
random stream seeded by ``(seed, b)``, so person ``i`` depends only on the seed, the reference date
``as_of``, the reference data in the database and ``i``: a run of N people equals the first N people of any
larger run, and topping up 1,000 to 2,000 gives the same rows as making 2,000 at once. Encrypted columns
differ between runs (each value gets a fresh nonce); their plaintexts do not.

Speed. Blocks are generated (and encrypted) in a pool of worker processes while the main process writes:
``executemany`` on SQLite (``synchronous=OFF`` and a larger page cache during the load, restored after),
``COPY`` on PostgreSQL. Primary keys are reserved up front so persons, households and consents go in
without a round trip per row. A large load (see :func:`do_generate_demo_people`) drops the secondary
indexes of the three tables, loads in one transaction and rebuilds them before committing (DDL is
transactional in both databases, so a failure restores them); a small top-up commits group by group
instead. 1,000,000 people take about 40 s on SQLite on a 2-core machine (docs/benchmarks-demo.md,
bench/bench_demo_data.py).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import zlib
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from . import demo_names

# ---------------------------------------------------------------------------------------------------------
# The shape of the population (documented tables)
# ---------------------------------------------------------------------------------------------------------

#: people generated per random stream: the unit of reproducibility and of work for the pool
BLOCK = 10_000

#: share of the whole population by group
GROUP_SHARES: dict[str, float] = {"workers": 0.85, "residents": 0.12, "visitors": 0.03}

#: Workers by destination, per 1,000 placements. Rounded after BP2MI, *Data Penempatan dan Pelindungan PMI*
#: 2023 (placements of that year; Taiwan, Malaysia and Hong Kong take about four in five; Korea and Japan
#: grow under their government schemes; Saudi Arabia stays low since the 2015 moratorium on domestic work
#: in the Middle East; Europe is small but new). Approximate, from memory of the report: demo shape only.
WORKER_DESTINATIONS: dict[str, float] = {
    "TW": 300, "MY": 260, "HK": 240, "KR": 42, "JP": 33, "SA": 26, "SG": 24, "BN": 14, "AE": 8, "QA": 8,
    "IT": 7, "PL": 7, "TR": 6, "KW": 4, "OM": 3, "DE": 3,
}  # fmt: skip

#: Female share of workers by sector (domestic and care work are done almost only by women; plantation,
#: construction and fishing mostly by men). With the sector mixes below, about 62% of workers are women,
#: close to the 60-70% of BP2MI's reports.
SECTOR_FEMALE: dict[str, float] = {
    "domestic": 0.98, "care": 0.88, "plantation": 0.22, "manufacturing": 0.35, "construction": 0.03,
    "fishing": 0.01, "hospitality": 0.55, "services": 0.5, "professional": 0.4, "other": 0.3,
}  # fmt: skip

#: Where people come from: main sending provinces of workers (Kemendagri codes), per 100 placements, after
#: BP2MI 2023 (East Java, Central Java, West Java and West Nusa Tenggara send most). Other provinces share
#: the remainder. Approximate: demo shape only.
WORKER_PROVINCES: dict[str, float] = {
    "35": 25, "33": 22, "32": 18, "52": 12, "18": 7, "12": 3.5, "36": 2, "51": 2, "53": 1.5, "73": 1,
    "34": 0.8, "16": 0.8, "61": 0.8, "76": 0.4, "65": 0.4, "31": 0.5, "14": 0.4, "11": 0.3, "13": 0.3,
}  # fmt: skip
#: Students, professionals, families and visitors come more from the large cities and Sumatra.
RESIDENT_PROVINCES: dict[str, float] = {
    "31": 15, "32": 15, "35": 12, "33": 8, "34": 6, "12": 6, "36": 5, "13": 4, "73": 4, "51": 3, "16": 2,
}  # fmt: skip
OTHER_PROVINCE_WEIGHT = 0.1

#: Regencies that send the most workers (BP2MI 2023 top sending regencies): their villages are weighted
#: SENDING_REGENCY_BOOST times the other villages of the province.
SENDING_REGENCIES: tuple[str, ...] = (
    "32.12", "32.09", "52.03", "33.01", "18.07", "35.02", "32.03", "33.24", "35.05", "35.07", "52.02",
    "35.04", "35.10", "33.29", "32.15", "32.13", "32.02", "35.09", "52.01", "32.10",
)  # fmt: skip
SENDING_REGENCY_BOOST = 8.0

#: Composition of a household (a unit of more than one person): (spouse, children) with its probability.
HOUSEHOLD_SHAPES: tuple[tuple[bool, int, float], ...] = (
    (True, 0, 0.30), (True, 1, 0.22), (True, 2, 0.20), (True, 3, 0.10), (False, 1, 0.12), (False, 2, 0.06),
)  # fmt: skip

# Vulnerabilities (bit values of perisai.registry.models.Vulnerability, repeated here to keep this pure).
PREGNANT, DISABILITY, CHRONIC_ILLNESS, ELDERLY, UNACCOMPANIED_CHILD = 1, 2, 4, 8, 16
PREGNANT_RATE = 0.045  # of women aged 20-40
DISABILITY_RATE = 0.015
CHRONIC_RATE = 0.035  # doubled from age 50

#: consents: share granting contact in a crisis, share who granted it then revoked it, statistics, family
CONSENT_RATES: dict[str, float] = {
    "crisis_contact": 0.92,
    "revoked": 0.03,
    "statistics": 0.62,
    "family": 0.35,
}
CHANNELS: tuple[tuple[str, float], ...] = (
    ("whatsapp", 0.82), ("sms", 0.08), ("platform", 0.05), ("telegram", 0.03), ("email", 0.02),
)  # fmt: skip
PASSPORT_LETTERS = "ABCEX"
PASSPORT_SPACE = len(PASSPORT_LETTERS) * 10**7
#: a large prime: i -> (i * MIXER + offset) mod m is a permutation of 0..m-1 whenever m is not a multiple of it
MIXER = 2_654_435_761
JITTER_KM = 2.0


@dataclass(frozen=True)
class Segment:
    """People of one kind in one country (or part of it)."""

    key: str
    group: str  # workers | residents | visitors
    country: str
    weight: float  # workers: share of the country's WORKER_DESTINATIONS entry; others: weight in the group
    purposes: tuple[tuple[str, float], ...]
    sectors: tuple[tuple[str, float], ...] = ()  # of people working
    family_rate: float = 0.02  # share of units that are a household of several people
    subdivisions: tuple[str, ...] = ()  # only cities in these ISO 3166-2 subdivisions
    exclude_subdivisions: tuple[str, ...] = ()
    age: tuple[float, float, float, float] = (31.0, 7.0, 18.0, 55.0)  # mean, sd, min, max of the head
    years: float = 3.0  # mean years abroad so far
    undocumented: float = 0.01  # share without a passport
    unaccompanied: float = 0.0  # share of units that are a child on their own
    female: float | None = None  # overrides the sector-based sex ratio of workers


# fmt: off
# Workers: ``weight`` is the share of the country's WORKER_DESTINATIONS entry (Malaysia is split in three:
# Sabah alone employs a large part of the Indonesian plantation workforce, often with families).
_W = "workers"
_SEGMENTS_WORKERS: tuple[Segment, ...] = (
    Segment("tw", _W, "TW", 1.0, (("work", 1.0),),
            (("care", 0.55), ("manufacturing", 0.30), ("fishing", 0.10), ("domestic", 0.03), ("construction", 0.02)),
            family_rate=0.03, age=(32, 7, 20, 50)),
    Segment("my-peninsula", _W, "MY", 0.6, (("work", 1.0),),
            (("manufacturing", 0.30), ("domestic", 0.25), ("plantation", 0.20), ("construction", 0.15),
             ("services", 0.10)),
            family_rate=0.16, exclude_subdivisions=("MY-12", "MY-13", "MY-15"), years=4.0, undocumented=0.08,
            unaccompanied=0.0005),
    Segment("my-sabah", _W, "MY", 0.3, (("work", 1.0),),
            (("plantation", 0.80), ("construction", 0.08), ("domestic", 0.07), ("manufacturing", 0.05)),
            family_rate=0.45, subdivisions=("MY-12", "MY-15"), years=7.0, undocumented=0.15,
            unaccompanied=0.002, age=(33, 9, 18, 60)),
    Segment("my-sarawak", _W, "MY", 0.1, (("work", 1.0),),
            (("plantation", 0.75), ("construction", 0.10), ("domestic", 0.08), ("manufacturing", 0.07)),
            family_rate=0.27, subdivisions=("MY-13",), years=5.0, undocumented=0.10, unaccompanied=0.001),
    Segment("hk", _W, "HK", 1.0, (("work", 1.0),), (("domestic", 0.97), ("care", 0.02), ("services", 0.01)),
            family_rate=0.015, age=(34, 7, 21, 55), years=4.0),
    Segment("kr", _W, "KR", 1.0, (("work", 1.0),), (("manufacturing", 0.75), ("fishing", 0.20), ("construction", 0.05)),
            family_rate=0.03, age=(29, 5, 20, 40), female=0.05),
    Segment("jp", _W, "JP", 1.0, (("work", 1.0),),
            (("manufacturing", 0.45), ("care", 0.20), ("construction", 0.12), ("hospitality", 0.08),
             ("fishing", 0.05), ("other", 0.10)),
            family_rate=0.06, age=(26, 4, 19, 40), years=2.0),
    Segment("sa", _W, "SA", 1.0, (("work", 1.0),),
            (("domestic", 0.80), ("services", 0.08), ("hospitality", 0.08), ("care", 0.04)),
            family_rate=0.11, age=(40, 9, 21, 60), years=8.0, undocumented=0.06),
    Segment("sg", _W, "SG", 1.0, (("work", 1.0),), (("domestic", 0.95), ("care", 0.03), ("services", 0.02)),
            family_rate=0.015, age=(33, 7, 23, 55)),
    Segment("bn", _W, "BN", 1.0, (("work", 1.0),),
            (("domestic", 0.45), ("construction", 0.20), ("services", 0.15), ("plantation", 0.10),
             ("hospitality", 0.10)),
            family_rate=0.14),
    Segment("ae", _W, "AE", 1.0, (("work", 1.0),), (("domestic", 0.70), ("hospitality", 0.15), ("services", 0.15)),
            family_rate=0.06),
    Segment("qa", _W, "QA", 1.0, (("work", 1.0),),
            (("domestic", 0.50), ("hospitality", 0.25), ("construction", 0.15), ("services", 0.10)),
            family_rate=0.06),
    Segment("it", _W, "IT", 1.0, (("work", 1.0),), (("hospitality", 0.45), ("other", 0.35), ("care", 0.20)),
            family_rate=0.07),
    Segment("pl", _W, "PL", 1.0, (("work", 1.0),), (("manufacturing", 0.45), ("hospitality", 0.30), ("services", 0.25)),
            family_rate=0.04),
    Segment("tr", _W, "TR", 1.0, (("work", 1.0),), (("hospitality", 0.70), ("domestic", 0.20), ("services", 0.10)),
            family_rate=0.04),
    Segment("kw", _W, "KW", 1.0, (("work", 1.0),), (("domestic", 0.90), ("services", 0.10)), family_rate=0.04),
    Segment("om", _W, "OM", 1.0, (("work", 1.0),), (("domestic", 0.90), ("services", 0.10)), family_rate=0.04),
    Segment("de", _W, "DE", 1.0, (("work", 1.0),), (("care", 0.85), ("hospitality", 0.15)), family_rate=0.07),
)

# Residents (students, professionals and their families; spouses of foreigners): ``weight`` per 100
# residents. The largest student and family communities: Australia, the US, the Netherlands, Japan, Germany,
# the UK, Egypt (Al-Azhar), Saudi Arabia (Madinah) and Malaysia.
_R = "residents"
_PRO = (("professional", 1.0),)
_SEGMENTS_RESIDENTS: tuple[Segment, ...] = (
    Segment("au-res", _R, "AU", 22, (("study", 0.45), ("family", 0.35), ("work", 0.20)), _PRO, 0.45,
            age=(30, 10, 18, 75), years=5.0),
    Segment("us-res", _R, "US", 18, (("study", 0.35), ("family", 0.40), ("work", 0.25)), _PRO, 0.45,
            age=(33, 11, 18, 80), years=7.0),
    Segment("nl-res", _R, "NL", 12, (("family", 0.55), ("study", 0.30), ("work", 0.15)), _PRO, 0.45,
            age=(40, 14, 18, 85), years=10.0),
    Segment("jp-res", _R, "JP", 10, (("study", 0.60), ("family", 0.25), ("work", 0.15)), _PRO, 0.40,
            age=(28, 7, 18, 65), years=4.0),
    Segment("de-res", _R, "DE", 8, (("study", 0.60), ("family", 0.25), ("work", 0.15)), _PRO, 0.40,
            age=(28, 7, 18, 70), years=4.0),
    Segment("gb-res", _R, "GB", 7, (("study", 0.70), ("family", 0.20), ("work", 0.10)), _PRO, 0.33,
            age=(27, 6, 18, 65), years=2.5),
    Segment("eg-res", _R, "EG", 8, (("study", 0.95), ("family", 0.05)), _PRO, 0.14, age=(22, 3, 18, 35), years=3.0),
    Segment("sa-res", _R, "SA", 5, (("study", 0.50), ("family", 0.50)), _PRO, 0.50, age=(27, 8, 18, 60), years=5.0),
    Segment("my-res", _R, "MY", 6, (("study", 0.40), ("family", 0.60)), _PRO, 0.50, age=(30, 9, 18, 70), years=6.0),
    Segment("tr-res", _R, "TR", 4, (("study", 0.80), ("family", 0.20)), _PRO, 0.27, age=(24, 4, 18, 45), years=3.0),
)

# Visitors: umrah pilgrims (Makkah and Madinah), tourists and family visits; ``weight`` per 100 visitors.
_V = "visitors"
_SEGMENTS_VISITORS: tuple[Segment, ...] = (
    Segment("sa-umrah", _V, "SA", 40, (("visit", 1.0),), (), 0.35, subdivisions=("SA-02", "SA-03"),
            age=(48, 13, 18, 85), years=0.0),
    Segment("my-visit", _V, "MY", 15, (("visit", 1.0),), (), 0.40, age=(38, 12, 18, 80), years=0.0),
    Segment("sg-visit", _V, "SG", 15, (("visit", 1.0),), (), 0.40, age=(38, 12, 18, 80), years=0.0),
    Segment("jp-visit", _V, "JP", 10, (("visit", 1.0),), (), 0.40, age=(36, 12, 18, 80), years=0.0),
    Segment("kr-visit", _V, "KR", 5, (("visit", 1.0),), (), 0.27, age=(32, 10, 18, 75), years=0.0),
    Segment("au-visit", _V, "AU", 5, (("visit", 1.0),), (), 0.40, age=(40, 13, 18, 80), years=0.0),
    Segment("tr-visit", _V, "TR", 5, (("visit", 1.0),), (), 0.40, age=(42, 12, 18, 80), years=0.0),
    Segment("nl-visit", _V, "NL", 5, (("visit", 1.0),), (), 0.40, age=(45, 13, 18, 80), years=0.0),
)
# fmt: on

SEGMENTS: tuple[Segment, ...] = _SEGMENTS_WORKERS + _SEGMENTS_RESIDENTS + _SEGMENTS_VISITORS
PURPOSES: tuple[str, ...] = ("work", "study", "family", "visit", "other")
SECTORS: tuple[str, ...] = tuple(SECTOR_FEMALE)
FLAVOURS: tuple[str, ...] = tuple(demo_names.POOLS)


# ---------------------------------------------------------------------------------------------------------
# The world a population is drawn from (resolved once from the database; pure data afterwards)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CityRef:
    geonameid: int
    name: str
    country: str
    subdivision: str | None
    lat: float
    lon: float
    population: int
    mission_id: int | None
    mission_code: str


@dataclass(frozen=True, slots=True)
class PhonePlan:
    """Mobile numbers ``+<country_code><prefix><rest digits>`` that phonenumbers accepts for ``region``."""

    region: str
    country_code: int
    prefixes: tuple[str, ...]
    rest: int

    @property
    def capacity(self) -> int:
        return len(self.prefixes) * int(10**self.rest)

    def numbers(self, index: npt.NDArray[np.int64], offset: int) -> list[str]:
        """Distinct numbers for distinct ``index`` values below the capacity (an affine permutation)."""
        cap = self.capacity
        values = (index.astype(object) * MIXER + offset) % cap  # Python ints: no int64 overflow
        span = 10**self.rest
        head = f"+{self.country_code}"
        width = self.rest
        prefixes = self.prefixes
        return [f"{head}{prefixes[v // span]}{v % span:0{width}d}" for v in values.tolist()]


@dataclass(frozen=True, slots=True, eq=False)
class SegmentPlan:
    segment: Segment
    unit_weight: float  # probability that a unit belongs to this segment
    cities: npt.NDArray[np.int64]  # positions in World.cities
    city_p: npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class World:
    """Everything the generator needs, resolved from the database: pure data, picklable."""

    segments: tuple[SegmentPlan, ...]
    cities: tuple[CityRef, ...]
    provinces: tuple[str, ...]  # provinces with villages, sorted
    province_p: Mapping[str, npt.NDArray[np.float64]]  # group -> probability per province
    villages: Mapping[str, npt.NDArray[np.str_]]  # province -> village codes, sorted
    village_p: Mapping[str, npt.NDArray[np.float64]]
    phone_plans: Mapping[str, PhonePlan]  # host countries and "ID"


def _normalised(values: Sequence[float] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    arr = np.asarray(values, dtype=np.float64)
    total = float(arr.sum())
    if total <= 0:
        raise ValueError("weights must add up to a positive number")
    result: npt.NDArray[np.float64] = arr / total
    return result


def unit_weights(segments: Sequence[Segment]) -> npt.NDArray[np.float64]:
    """Probability that a unit (one person or one household) belongs to each segment.

    The tables give people per segment; a segment with many households has fewer units per person.
    """
    mean_extra = sum((int(spouse) + kids) * p for spouse, kids, p in HOUSEHOLD_SHAPES) / sum(
        p for _, _, p in HOUSEHOLD_SHAPES
    )

    def base(s: Segment) -> float:
        return WORKER_DESTINATIONS.get(s.country, 0.0) * s.weight if s.group == "workers" else s.weight

    group_totals: dict[str, float] = defaultdict(float)
    for s in segments:
        group_totals[s.group] += base(s)
    people = np.array([GROUP_SHARES[s.group] * base(s) / group_totals[s.group] for s in segments])
    unit_size = np.array([1.0 + s.family_rate * mean_extra for s in segments], dtype=np.float64)
    return _normalised(people / unit_size)


def province_probabilities(provinces: Sequence[str], table: Mapping[str, float]) -> npt.NDArray[np.float64]:
    return _normalised([table.get(p, OTHER_PROVINCE_WEIGHT) for p in provinces])


@lru_cache(maxsize=64)
def phone_plan(region: str) -> PhonePlan:
    """Prefixes under which every completion is a valid mobile number of ``region`` (per phonenumbers).

    Starts from phonenumbers' example mobile number, keeps its length and looks for the shortest prefix
    length whose prefixes pass a sample of 66 random completions, collecting prefixes of that length
    until 100 million numbers are available. The sampling uses a fixed stream, so the plan is the same in
    every run. Numbers are distinct within a country for the first ``capacity`` person indexes (at least
    two million for every destination in the tables).
    """
    import phonenumbers
    from phonenumbers import PhoneNumberType

    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if example is None or example.country_code is None:
        raise ValueError(f"phonenumbers has no example mobile number for {region}")
    national = str(example.national_number)
    code = int(example.country_code)
    ok_types = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    rng = np.random.default_rng(zlib.crc32(region.encode()))

    def all_valid(prefix: str, rest: int, samples: int) -> bool:
        for tail in rng.integers(0, 10**rest, size=samples).tolist():
            number = phonenumbers.PhoneNumber(
                country_code=code, national_number=int(f"{prefix}{tail:0{rest}d}")
            )
            if not phonenumbers.is_valid_number_for_region(number, region):
                return False
            if phonenumbers.number_type(number) not in ok_types:
                return False
        return True

    for k in range(1, min(4, len(national) - 4) + 1):
        rest = len(national) - k
        first = "123456789" if k == 1 else None
        candidates = [str(d) for d in first] if first else [f"{n:0{k}d}" for n in range(10 ** (k - 1), 10**k)]
        confirmed: list[str] = []
        for prefix in candidates:  # enough prefixes for tens of millions of distinct numbers
            if all_valid(prefix, rest, 6) and all_valid(prefix, rest, 60):
                confirmed.append(prefix)
                if len(confirmed) * 10**rest >= 10**8:
                    break
        if confirmed:
            return PhonePlan(region=region, country_code=code, prefixes=tuple(confirmed), rest=rest)
    raise ValueError(f"no phone prefix found for {region}")


# ---------------------------------------------------------------------------------------------------------
# Generation of one block (pure)
# ---------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Block:
    """People ``start``..``stop`` of block ``index`` (0-based within the block), as columns."""

    index: int
    start: int
    stop: int
    people: dict[str, list[Any]]  # Person columns (attnames), without id and household_id
    nik: list[str]  # plaintexts, replaced by the encrypted columns in seal()
    passport: list[str]
    household: list[int]  # position in ``households`` of each person, -1 for none
    households: list[tuple[str, str, str]]  # (public_id hex, label, created_at)
    consents: dict[str, list[Any]] = field(default_factory=dict)  # row -> person position in ``people``

    def __len__(self) -> int:
        return len(self.people["public_id"])


def _choice(
    rng: np.random.Generator, options: Sequence[tuple[str, float]], size: int
) -> npt.NDArray[np.int64]:
    p = _normalised([w for _, w in options])
    result: npt.NDArray[np.int64] = rng.choice(len(options), size=size, p=p).astype(np.int64)
    return result


def _uuid_hex(rng: np.random.Generator, n: int) -> list[str]:
    raw = np.frombuffer(rng.bytes(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    text = raw.tobytes().hex()
    return [text[i * 32 : (i + 1) * 32] for i in range(n)]


def _dates(as_of: dt.date, days_before: npt.NDArray[np.int64]) -> list[str]:
    """ISO dates ``as_of - days_before`` (negative values are after as_of)."""
    base = np.datetime64(as_of.isoformat(), "D")
    values = base - days_before.astype("timedelta64[D]")
    return [str(v) for v in values.tolist()]


def _compose_names(
    rng: np.random.Generator, flavour: npt.NDArray[np.int64], female: npt.NDArray[np.bool_]
) -> list[str]:
    n = len(flavour)
    names: list[str] = [""] * n
    for f, key in enumerate(FLAVOURS):
        idx = np.flatnonzero(flavour == f)
        pool = demo_names.POOLS[key]
        m = len(idx)
        pattern_keys = [k for k, _ in pool.patterns]
        pattern = _choice(rng, pool.patterns, m)
        male1 = rng.integers(0, len(pool.male), size=m)
        female1 = rng.integers(0, len(pool.female), size=m)
        male_second = pool.male_second or pool.male
        female_second = pool.female_second or pool.female
        male2 = rng.integers(0, len(male_second), size=m)
        female2 = rng.integers(0, len(female_second), size=m)
        surnames = pool.surnames or ("",)
        surname = rng.integers(0, len(surnames), size=m)
        titled = rng.random(m) < pool.title_rate
        fem = female[idx]
        for j, person in enumerate(idx.tolist()):
            is_f = bool(fem[j])
            first = pool.female[female1[j]] if is_f else pool.male[male1[j]]
            shape = pattern_keys[pattern[j]]
            if shape == "single":
                name = first
            elif shape == "double":
                second = female_second[female2[j]] if is_f else male_second[male2[j]]
                name = first if second == first else f"{first} {second}"
            elif shape == "surname":
                name = f"{first} {surnames[surname[j]]}"
            else:  # bali: I/Ni + birth-order name + given name; Gede is for men only, Luh for women
                order = surnames[surname[j]]
                if is_f and order == "Gede":
                    order = "Luh"
                name = f"{'Ni' if is_f else 'I'} {order} {first}"
            if titled[j]:
                title = pool.female_title if is_f else pool.male_title
                if title:
                    name = f"{title} {name}"
            names[person] = name
    return names


@lru_cache(maxsize=200_000)
def _name_key(name: str) -> str:
    """The registry's search key of a name (names repeat a lot: cached)."""
    from .names import name_key

    return name_key(name)


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def generate_block(
    world: World, *, seed: int, index: int, as_of: dt.date, start: int = 0, stop: int | None = None
) -> Block:
    """People ``index * BLOCK + start`` .. ``index * BLOCK + stop - 1`` (pure and deterministic).

    The whole block is always drawn (so the stream does not depend on ``start``/``stop``) and then sliced.
    """
    stop = BLOCK if stop is None else stop
    if not (0 <= start < stop <= BLOCK):
        raise ValueError("need 0 <= start < stop <= BLOCK")
    rng = np.random.default_rng([seed, index])
    n = BLOCK
    first_global = index * BLOCK
    nseg = len(world.segments)
    seg_p = np.array([s.unit_weight for s in world.segments])

    # -- units: a person alone, or a household (head, maybe a spouse, children) ------------------------------
    unit_seg = rng.choice(nseg, size=n, p=seg_p)  # at most n units fill the block
    family_rate = np.array([s.segment.family_rate for s in world.segments])[unit_seg]
    unacc_rate = np.array([s.segment.unaccompanied for s in world.segments])[unit_seg]
    is_family = rng.random(n) < family_rate
    is_unacc = (~is_family) & (rng.random(n) < unacc_rate)
    shape = rng.choice(len(HOUSEHOLD_SHAPES), size=n, p=_normalised([p for _, _, p in HOUSEHOLD_SHAPES]))
    has_spouse = np.array([s for s, _, _ in HOUSEHOLD_SHAPES])[shape] & is_family
    kids = np.where(is_family, np.array([k for _, k, _ in HOUSEHOLD_SHAPES])[shape], 0)
    size = 1 + has_spouse.astype(np.int64) + kids
    ends = np.cumsum(size)
    units = int(np.searchsorted(ends, n, side="left")) + 1  # units needed to fill the block
    unit_seg, is_family, is_unacc = unit_seg[:units], is_family[:units], is_unacc[:units]
    has_spouse, kids, size = has_spouse[:units], kids[:units], size[:units]
    unit_start = ends[:units] - size
    if n - unit_start[-1] < 2:  # the block cut its last household down to one person: not a household
        is_family[-1] = False
    unit = np.repeat(np.arange(units), size)[:n]
    pos = np.arange(n) - unit_start[unit]
    role = np.where(pos == 0, 0, np.where((pos == 1) & has_spouse[unit], 1, 2))  # 0 head, 1 spouse, 2 child
    is_head, is_spouse, is_child = role == 0, role == 1, role == 2
    # Members of a household (a household cut to two at the block end stays one; to one, it was undone).
    in_household = is_family[unit]

    # -- per unit: place, origin, purpose and sector of the head ----------------------------------------------
    unit_city = np.zeros(units, dtype=np.int64)
    unit_purpose = np.zeros(units, dtype=np.int64)
    unit_sector = np.full(units, -1, dtype=np.int64)
    unit_female_p = np.full(units, 0.5)
    unit_age = np.zeros(units)
    unit_years = np.zeros(units)
    unit_undoc = np.zeros(units)
    spouse_sector = np.full((units, 2), -1, dtype=np.int64)  # sector a working spouse has: [male, female]
    for s_i, plan in enumerate(world.segments):
        members = np.flatnonzero(unit_seg == s_i)
        m = len(members)
        seg = plan.segment
        unit_city[members] = plan.cities[rng.choice(len(plan.cities), size=m, p=plan.city_p)]
        purpose = np.array([PURPOSES.index(k) for k, _ in seg.purposes])[_choice(rng, seg.purposes, m)]
        unit_purpose[members] = purpose
        working = purpose == PURPOSES.index("work")
        if seg.sectors:
            sector = np.array([SECTORS.index(k) for k, _ in seg.sectors])[_choice(rng, seg.sectors, m)]
            unit_sector[members] = np.where(working, sector, -1)
            female_by_sector = np.array([SECTOR_FEMALE[k] for k in SECTORS])[sector]
            female_p = seg.female if seg.female is not None else female_by_sector
            unit_female_p[members] = np.where(working, female_p, 0.55)
            # A working spouse's sector, drawn by sex: p(sector | sex) ~ p(sector) * share of that sex in it.
            codes = np.array([SECTORS.index(k) for k, _ in seg.sectors])
            weights = np.array([w for _, w in seg.sectors])
            share = np.array([SECTOR_FEMALE[k] if seg.female is None else seg.female for k, _ in seg.sectors])
            for column, by_sex in enumerate((weights * (1.0 - share), weights * share)):
                p = _normalised(by_sex) if by_sex.sum() > 0 else _normalised(weights)
                spouse_sector[members, column] = codes[rng.choice(len(codes), size=m, p=p)]
        mean, sd, lo, hi = seg.age
        unit_age[members] = np.clip(rng.normal(mean, sd, size=m), lo, hi)
        unit_years[members] = rng.gamma(2.0, seg.years / 2.0, size=m) if seg.years > 0 else 0.0
        unit_undoc[members] = seg.undocumented
    group_of_unit = np.array([s.segment.group for s in world.segments])[unit_seg]
    visiting = unit_purpose == PURPOSES.index("visit")

    # Origin: a province by group, then a village (sending regencies weighted up); household members share it.
    unit_village: list[str] = [""] * units
    unit_province: list[str] = [""] * units
    provinces = world.provinces
    for group in ("workers", "residents"):
        members = np.flatnonzero(
            (group_of_unit == group) | ((group == "residents") & (group_of_unit == "visitors"))
        )
        picks = rng.choice(len(provinces), size=len(members), p=world.province_p[group])
        for p_i in np.unique(picks).tolist():
            chosen = members[picks == p_i]
            code = provinces[p_i]
            villages = world.villages[code]
            village = rng.choice(len(villages), size=len(chosen), p=world.village_p[code])
            for unit_i, v in zip(chosen.tolist(), village.tolist(), strict=True):
                unit_village[unit_i] = str(villages[v])
                unit_province[unit_i] = code

    # Unaccompanied children: a minor on their own.
    unit_age = np.where(is_unacc, rng.uniform(12.0, 17.9, size=units), unit_age)
    unit_purpose = np.where(is_unacc, PURPOSES.index("other"), unit_purpose)
    unit_sector = np.where(is_unacc, -1, unit_sector)

    # Years abroad: households with children born abroad have been there at least as long as the eldest.
    kid_age = rng.uniform(0.0, 17.9, size=n)
    eldest = np.zeros(units)
    np.maximum.at(eldest, unit[is_child], kid_age[is_child])
    settled = ~visiting
    unit_years = np.where(
        settled & (kids > 0), np.maximum(unit_years, eldest + rng.uniform(0, 2, size=units)), unit_years
    )
    unit_age = np.where(settled & ~is_unacc, np.maximum(unit_age, 18.0 + unit_years), unit_age)
    unit_age = np.maximum(unit_age, np.where(kids > 0, eldest + 19.0, 0.0))
    unit_age = np.minimum(unit_age, 90.0)

    # -- per person ---------------------------------------------------------------------------------------------
    head_female = rng.random(units) < unit_female_p
    female = np.where(
        is_head, head_female[unit], np.where(is_spouse, ~head_female[unit], rng.random(n) < 0.5)
    )
    spouse_age = np.clip(unit_age[unit] + rng.normal(-1.5, 4.0, size=n), 18.0, 90.0)
    age = np.where(is_head, unit_age[unit], np.where(is_spouse, spouse_age, kid_age))
    age_days = (age * 365.25).astype(np.int64)
    birth_days = age_days  # days before as_of
    born_abroad = is_child & settled[unit]
    purpose = np.where(is_head, unit_purpose[unit], PURPOSES.index("family"))
    spouse_works = is_spouse & (unit_purpose[unit] == PURPOSES.index("work")) & (rng.random(n) < 0.5)
    purpose = np.where(spouse_works, PURPOSES.index("work"), purpose)
    purpose = np.where(is_child & visiting[unit], PURPOSES.index("visit"), purpose)
    purpose = np.where(is_spouse & visiting[unit], PURPOSES.index("visit"), purpose)
    sector = np.where(is_head, unit_sector[unit], -1)
    sector = np.where(spouse_works, spouse_sector[unit, female.astype(np.int64)], sector)

    years_days = (unit_years[unit] * 365.25).astype(np.int64)
    visit_days = rng.integers(0, 25, size=units)[unit]
    stay_since_days = np.where(visiting[unit], visit_days, years_days)
    stay_since_days = np.where(
        is_spouse, np.maximum(stay_since_days - rng.integers(0, 365, size=n), 0), stay_since_days
    )
    stay_since_days = np.where(born_abroad, birth_days, stay_since_days)
    stay_since_days = np.minimum(stay_since_days, birth_days)
    until = np.select(
        [
            purpose == PURPOSES.index("work"),
            purpose == PURPOSES.index("study"),
            purpose == PURPOSES.index("visit"),
        ],
        [rng.integers(30, 900, size=n), rng.integers(90, 1500, size=n), rng.integers(3, 40, size=n)],
        default=-1,
    )

    # Vulnerabilities.
    vulnerable = np.zeros(n, dtype=np.int64)
    pregnant = female & (age >= 20) & (age < 40) & (rng.random(n) < PREGNANT_RATE)
    vulnerable |= np.where(pregnant, PREGNANT, 0)
    vulnerable |= np.where(rng.random(n) < DISABILITY_RATE, DISABILITY, 0)
    chronic_rate = np.where(age >= 50, 2 * CHRONIC_RATE, CHRONIC_RATE)
    vulnerable |= np.where(rng.random(n) < chronic_rate, CHRONIC_ILLNESS, 0)
    vulnerable |= np.where(age >= 60, ELDERLY, 0)
    vulnerable |= np.where(is_unacc[unit], UNACCOMPANIED_CHILD, 0)

    # Place: the unit's city with a couple of kilometres of jitter (a household shares one point).
    cities = world.cities
    city_lat = np.array([c.lat for c in cities])[unit_city]
    city_lon = np.array([c.lon for c in cities])[unit_city]
    offset_km = np.clip(rng.normal(0.0, JITTER_KM, size=(units, 2)), -2.5 * JITTER_KM, 2.5 * JITTER_KM)
    lat_u = np.clip(city_lat + offset_km[:, 0] / 111.32, -89.9, 89.9)
    lon_u = city_lon + offset_km[:, 1] / (111.32 * np.maximum(np.cos(np.radians(city_lat)), 0.05))
    lon_u = (lon_u + 180.0) % 360.0 - 180.0
    lat = np.round(lat_u[unit], 6)
    lon = np.round(lon_u[unit], 6)

    # Names: the naming custom of the home province.
    flavour_u = np.zeros(units, dtype=np.int64)
    by_province: dict[str, list[int]] = defaultdict(list)
    for unit_i, code in enumerate(unit_province):
        by_province[code].append(unit_i)
    for code in sorted(by_province):
        members = np.array(by_province[code], dtype=np.int64)
        options = demo_names.PROVINCE_FLAVOURS.get(code, demo_names.DEFAULT_FLAVOURS)
        flavour_u[members] = np.array([FLAVOURS.index(k) for k, _ in options])[
            _choice(rng, options, len(members))
        ]
    flavour = flavour_u[unit]
    full_names = _compose_names(rng, flavour, female)
    contact_names = _compose_names(rng, flavour, rng.random(n) < 0.6)

    # Documents. Children born abroad are often not yet registered for a NIK.
    global_index = first_global + np.arange(n, dtype=np.int64)
    gidx = global_index.tolist()
    has_nik = ~(born_abroad & (rng.random(n) < 0.5))
    serial = (global_index.astype(object) * MIXER + seed * 7919 + 17) % 9999 + 1
    passport_missing = (rng.random(units) < unit_undoc)[unit] & ~is_child
    passport_missing |= is_child & (rng.random(n) < 0.05)
    passport_no = (global_index.astype(object) * MIXER + seed * 104_729 + 3) % PASSPORT_SPACE
    expiry_kind = rng.random(n)
    expiry_days = np.select(
        [expiry_kind < 0.05, expiry_kind < 0.15],
        [rng.integers(-720, 0, size=n), rng.integers(0, 180, size=n)],
        default=rng.integers(180, 3650, size=n),
    )  # days after as_of: 5% expired, 10% within six months

    # Contact. Everyone from 15 has a phone of the host country; emergency contacts are at home (+62).
    host = [cities[c].country for c in unit_city.tolist()]
    has_phone = age >= 15
    phones: list[str] = [""] * n
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, unit_i in enumerate(unit.tolist()):
        by_country[host[unit_i]].append(i)
    for country in sorted(by_country):
        idx = np.array(by_country[country], dtype=np.int64)
        numbering = world.phone_plans[country]
        offset = (seed * 1_000_003 + zlib.crc32(country.encode())) % numbering.capacity
        for i, number in zip(idx.tolist(), numbering.numbers(global_index[idx], offset), strict=True):
            phones[i] = number
    home_plan = world.phone_plans["ID"]
    contact_phones = home_plan.numbers(global_index, (seed * 999_983 + 5) % home_plan.capacity)
    has_contact = (age >= 15) & (rng.random(n) < 0.88)
    channel = _choice(rng, CHANNELS, n)
    has_email = (purpose == PURPOSES.index("study")) | (sector == SECTORS.index("professional"))
    has_email |= rng.random(n) < 0.15
    english = ((purpose == PURPOSES.index("study")) | (sector == SECTORS.index("professional"))) & (
        rng.random(n) < 0.12
    )

    # Employer and agency.
    company_word = rng.integers(0, len(demo_names.COMPANY_WORDS), size=n)
    agency_words = rng.integers(0, len(demo_names.AGENCY_WORDS), size=(n, 2))
    surname_pick = rng.integers(0, 1_000_000, size=n)
    has_agency = (sector >= 0) & (sector != SECTORS.index("professional")) & (rng.random(n) < 0.85)

    # Registration time and consents.
    # at least a day before as_of (visitors often register before they travel), so never in the future
    registered_days = np.maximum(np.minimum(stay_since_days, rng.integers(0, 3 * 365, size=n)), 1)
    registered_secs = rng.integers(6 * 3600, 22 * 3600, size=n)
    consent_draw = rng.random((n, 3))
    revoke_after = rng.integers(1, 200, size=n)
    public_ids = _uuid_hex(rng, n)
    household_ids = _uuid_hex(rng, units)

    # -- assemble the slice --------------------------------------------------------------------------------------
    sl = slice(start, stop)
    rows = range(start, stop)
    base_date = np.datetime64(as_of.isoformat(), "D")

    def stamps(days: npt.NDArray[np.int64], secs: npt.NDArray[np.int64]) -> list[str]:
        moments = (base_date - days.astype("timedelta64[D]")).astype("datetime64[s]") + secs.astype(
            "timedelta64[s]"
        )
        return [str(m).replace("T", " ") for m in moments.tolist()]

    all_created = stamps(registered_days, registered_secs)
    created = all_created[sl]
    birth_dates = (base_date - birth_days[sl].astype("timedelta64[D]")).tolist()
    villages_p = [unit_village[unit_i] for unit_i in unit[sl].tolist()]

    nik: list[str] = []
    for j, i in enumerate(rows):
        village = villages_p[j]
        if not has_nik[i] or not village:
            nik.append("")
            continue
        born: dt.date = birth_dates[j]
        day = born.day + 40 if female[i] else born.day
        district = village[:8].replace(".", "")
        nik.append(f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial[i]:04d}")
    passports = [
        "" if passport_missing[i] else f"{PASSPORT_LETTERS[v // 10**7]}{v % 10**7:07d}"
        for i, v in zip(rows, passport_no[sl].tolist(), strict=True)
    ]

    employer: list[str] = []
    agency: list[str] = []
    for i in rows:
        s = int(sector[i])
        country = host[int(unit[i])]
        if s < 0:
            employer.append("")
            agency.append("")
            continue
        sector_key = SECTORS[s]
        if sector_key in ("domestic", "care") and country not in ("DE", "JP"):
            names = demo_names.HOST_SURNAMES.get(country, demo_names.DEFAULT_HOST_SURNAMES)
            employer.append(f"Keluarga {names[surname_pick[i] % len(names)]}")
        else:
            word = demo_names.COMPANY_WORDS[company_word[i]]
            industry = demo_names.SECTOR_INDUSTRY.get(sector_key, "Services")
            form = demo_names.LEGAL_FORMS.get(country, "Ltd")
            employer.append(f"Demo {word} {industry} {form}")
        if has_agency[i]:
            w1, w2 = (demo_names.AGENCY_WORDS[k] for k in agency_words[i])
            agency.append(f"PT Demo {w1} {w2}" if w1 != w2 else f"PT Demo {w1}")
        else:
            agency.append("")

    channel_keys = [k for k, _ in CHANNELS]
    chosen_channel: list[str] = []
    emails: list[str] = []
    telegrams: list[str] = []
    whatsapps: list[str] = []
    for i in rows:
        key = channel_keys[channel[i]]
        phone = phones[i] if has_phone[i] else ""
        slug = _slug(full_names[i])[:20]
        email = f"{slug}.{gidx[i]}@example.com" if has_email[i] and has_phone[i] else ""
        if not phone:
            key = "platform"
        elif key == "email" and not email:
            key = "whatsapp"
        chosen_channel.append(key)
        emails.append(email)
        telegrams.append(f"@{slug}{gidx[i]}" if key == "telegram" else "")
        whatsapps.append(phone if phone and key != "sms" else "")

    unit_sl = unit[sl].tolist()
    city_sl = [cities[int(unit_city[u_i])] for u_i in unit_sl]
    stay_until = until[sl]
    people: dict[str, list[Any]] = {
        "lat": lat[sl].tolist(),
        "lon": lon[sl].tolist(),
        "public_id": public_ids[sl],
        "full_name": full_names[sl],
        "name_key": [_name_key(name) for name in full_names[sl]],
        "sex": ["F" if f else "M" for f in female[sl].tolist()],
        "birth_date": [d.isoformat() for d in birth_dates],
        "passport_expiry": [
            "" if not p else d for p, d in zip(passports, _dates(as_of, -expiry_days[sl]), strict=True)
        ],
        "phone": [phones[i] if has_phone[i] else "" for i in rows],
        "whatsapp": whatsapps,
        "telegram": telegrams,
        "email": emails,
        "country_id": [c.country for c in city_sl],
        "city_geonameid": [c.geonameid for c in city_sl],
        "city_name": [c.name for c in city_sl],
        "stay_since": _dates(as_of, stay_since_days[sl]),
        "stay_until": [
            "" if d < 0 else s for d, s in zip(stay_until.tolist(), _dates(as_of, -stay_until), strict=True)
        ],
        "purpose": [PURPOSES[p] for p in purpose[sl].tolist()],
        "sector": ["" if s < 0 else SECTORS[s] for s in sector[sl].tolist()],
        "employer": employer,
        "agency": agency,
        "home_village_id": villages_p,
        "home_province": [v[:2] for v in villages_p],
        "home_regency": [v[:5] for v in villages_p],
        "emergency_contact_name": [contact_names[i] if has_contact[i] else "" for i in rows],
        "emergency_contact_phone": [contact_phones[i] if has_contact[i] else "" for i in rows],
        "household_role": ["" if not in_household[i] else ("head", "spouse", "child")[role[i]] for i in rows],
        "vulnerabilities": vulnerable[sl].tolist(),
        "preferred_language": ["en" if e else "id" for e in english[sl].tolist()],
        "preferred_channel": chosen_channel,
        "mission_id": [c.mission_id for c in city_sl],
        "created_at": created,
        "updated_at": created,
    }
    for key in ("passport_expiry", "stay_until", "home_village_id"):
        people[key] = [v or None for v in people[key]]
    people["h3_r4"] = []  # filled by seal() (needs h3; kept out of the pure draw for speed in workers)
    people["h3_r6"] = []

    # Households with at least one member in the slice.
    household_of: list[int] = []
    households: list[tuple[str, str, str]] = []
    seen: dict[int, int] = {}
    for i in rows:
        unit_i = int(unit[i])
        if not in_household[i]:
            household_of.append(-1)
            continue
        if unit_i not in seen:
            head = int(unit_start[unit_i])
            seen[unit_i] = len(households)
            households.append(
                (household_ids[unit_i], f"Keluarga {full_names[head]}"[:100], all_created[head])
            )
        household_of.append(seen[unit_i])

    # Consents (rows refer to positions in the slice).
    c_person: list[int] = []
    c_purpose: list[str] = []
    c_granted: list[bool] = []
    c_name: list[str] = []
    c_phone: list[str] = []
    c_at: list[str] = []
    c_revoked: list[str | None] = []
    revoked_stamps = stamps(np.maximum(registered_days[sl] - revoke_after[sl], 1), registered_secs[sl])
    for j, i in enumerate(rows):
        d0, d1, d2 = consent_draw[i]
        if d0 < CONSENT_RATES["crisis_contact"] + CONSENT_RATES["revoked"]:
            revoked = d0 >= CONSENT_RATES["crisis_contact"]
            c_person.append(j)
            c_purpose.append("crisis_contact")
            c_granted.append(not revoked)
            c_name.append("")
            c_phone.append("")
            c_at.append(created[j])
            c_revoked.append(revoked_stamps[j] if revoked else None)
        if d1 < CONSENT_RATES["statistics"]:
            c_person.append(j)
            c_purpose.append("statistics")
            c_granted.append(True)
            c_name.append("")
            c_phone.append("")
            c_at.append(created[j])
            c_revoked.append(None)
        if d2 < CONSENT_RATES["family"] and has_contact[i]:
            c_person.append(j)
            c_purpose.append("family_status")
            c_granted.append(True)
            c_name.append(contact_names[i])
            c_phone.append(contact_phones[i])
            c_at.append(created[j])
            c_revoked.append(None)

    block = Block(
        index=index,
        start=start,
        stop=stop,
        people=people,
        nik=nik,
        passport=passports,
        household=household_of,
        households=households,
        consents={
            "person": c_person, "purpose": c_purpose, "granted": c_granted, "family_contact_name": c_name,
            "family_contact_phone": c_phone, "granted_at": c_at, "revoked_at": c_revoked,
        },
    )  # fmt: skip
    return block


def add_cells(block: Block) -> None:
    """Fill the H3 columns (resolutions 4 and 6) of a block from its coordinates."""
    from perisai.places.geo import cells_for

    lats, lons = block.people["lat"], block.people["lon"]
    block.people["h3_r4"] = cells_for(lats, lons, 4).tolist()
    block.people["h3_r6"] = cells_for(lats, lons, 6).tolist()


def seal(block: Block, *, encrypt: Callable[[str], str], blind_index: Callable[[str, str], str]) -> None:
    """Replace the plaintext NIK and passport numbers by their encrypted form and blind index."""
    people = block.people
    people["nik_encrypted"] = [encrypt(v) if v else "" for v in block.nik]
    people["nik_index"] = [blind_index("nik", v) if v else "" for v in block.nik]
    people["passport_encrypted"] = [encrypt(v) if v else "" for v in block.passport]
    people["passport_index"] = [blind_index("passport", v) if v else "" for v in block.passport]
    block.nik = []
    block.passport = []


def without_people(block: Block, public_ids: set[str]) -> Block:
    """The block less the people whose public id is in ``public_ids`` (and their consents and households)."""
    if not public_ids:
        return block
    keep = [j for j, uid in enumerate(block.people["public_id"]) if uid not in public_ids]
    position = {j: k for k, j in enumerate(keep)}
    used = sorted({block.household[j] for j in keep if block.household[j] >= 0})
    renumber = {h: k for k, h in enumerate(used)}
    consent_rows = [r for r, j in enumerate(block.consents["person"]) if j in position]
    consents = {key: [values[r] for r in consent_rows] for key, values in block.consents.items()}
    consents["person"] = [position[j] for j in consents["person"]]
    return Block(
        index=block.index,
        start=block.start,
        stop=block.stop,
        people={key: [values[j] for j in keep] for key, values in block.people.items()},
        nik=[block.nik[j] for j in keep] if block.nik else [],
        passport=[block.passport[j] for j in keep] if block.passport else [],
        household=[renumber[block.household[j]] if block.household[j] >= 0 else -1 for j in keep],
        households=[block.households[h] for h in used],
        consents=consents,
    )


# ---------------------------------------------------------------------------------------------------------
# Django: the world from the database, the workers and the writer
# ---------------------------------------------------------------------------------------------------------


TOP_CITIES = 12


def build_world(*, top_cities: int = TOP_CITIES, segments: Sequence[Segment] = SEGMENTS) -> World:
    """Resolve the tables against the database: countries, cities, their missions, provinces, villages.

    Raises ValueError when there are no villages (run ``perisai places load-reference`` first).
    """
    from perisai.places.gazetteer import iter_cities
    from perisai.places.models import Country, Region
    from perisai.places.selectors import nearest_mission

    countries = set(Country.objects.values_list("iso2", flat=True))
    by_country: dict[str, list[Any]] = defaultdict(list)
    for city in iter_cities():
        by_country[city.country].append(city)
    cities: list[CityRef] = []
    city_pos: dict[int, int] = {}
    kept: list[tuple[Segment, list[int]]] = []
    for seg in segments:
        if seg.country not in countries:
            continue
        candidates = [
            c for c in by_country.get(seg.country, [])
            if (not seg.subdivisions or c.subdivision in seg.subdivisions)
            and c.subdivision not in seg.exclude_subdivisions
        ]  # fmt: skip
        candidates.sort(key=lambda c: (-c.population, c.geonameid))
        chosen = candidates[:top_cities]
        if not chosen:
            continue
        positions = []
        for c in chosen:
            if c.geonameid not in city_pos:
                mission = nearest_mission(c.lat, c.lon)
                city_pos[c.geonameid] = len(cities)
                cities.append(
                    CityRef(
                        geonameid=c.geonameid, name=c.name[:100], country=c.country, subdivision=c.subdivision,
                        lat=c.lat, lon=c.lon, population=c.population,
                        mission_id=None if mission is None else mission.pk,
                        mission_code="" if mission is None else mission.code,
                    )
                )  # fmt: skip
            positions.append(city_pos[c.geonameid])
        kept.append((seg, positions))
    if not kept:
        raise ValueError(
            "No destination country is in the database: run `perisai places load-reference` first."
        )

    village_rows = Region.objects.filter(level=Region.Level.VILLAGE, retired_at=None).values_list(
        "code", flat=True
    )
    by_province: dict[str, list[str]] = defaultdict(list)
    for code in village_rows.iterator(chunk_size=20_000):
        by_province[code[:2]].append(code)
    if not by_province:
        raise ValueError("No villages in the database: run `perisai places load-reference` first.")
    provinces = tuple(sorted(by_province))
    villages: dict[str, npt.NDArray[np.str_]] = {}
    village_p: dict[str, npt.NDArray[np.float64]] = {}
    for code in provinces:
        arr = np.array(sorted(by_province[code]))
        villages[code] = arr
        boost = np.isin(np.array([v[:5] for v in arr.tolist()]), SENDING_REGENCIES)
        village_p[code] = _normalised(np.where(boost, SENDING_REGENCY_BOOST, 1.0))

    weights = unit_weights([seg for seg, _ in kept])
    plans = []
    for (seg, positions), w in zip(kept, weights.tolist(), strict=True):
        pops = np.array([max(cities[p].population, 1) for p in positions], dtype=np.float64)
        plans.append(SegmentPlan(seg, w, np.array(positions, dtype=np.int64), _normalised(pops)))
    phone_plans = {c: phone_plan(c) for c in sorted({c.country for c in cities} | {"ID"})}
    return World(
        segments=tuple(plans),
        cities=tuple(cities),
        provinces=provinces,
        province_p={
            "workers": province_probabilities(provinces, WORKER_PROVINCES),
            "residents": province_probabilities(provinces, RESIDENT_PROVINCES),
        },
        villages=villages,
        village_p=village_p,
        phone_plans=phone_plans,
    )


# The pool's workers receive the world once (fork) and then only block numbers.
BLOCK_TIMEOUT = 600  # seconds for one block (seconds of work): a worker that died must not hang the load
_worker_world: World | None = None


def _init_worker(world: World) -> None:
    global _worker_world
    _worker_world = world
    # A forked worker inherits its parent's signal handlers (a graceful-stop handler of the parent would
    # run in the child when the pool terminates it): the pool's workers stop the default way.
    if multiprocessing.parent_process() is not None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)


def _make_block(task: tuple[int, int, int, int, dt.date]) -> Block:
    from perisai.core import crypto

    seed, index, start, stop, as_of = task
    world = _worker_world
    if world is None:
        raise RuntimeError("worker without a world")
    block = generate_block(world, seed=seed, index=index, as_of=as_of, start=start, stop=stop)
    add_cells(block)
    seal(block, encrypt=crypto.encrypt, blind_index=crypto.blind_index)
    return block


def iter_blocks(
    world: World, *, seed: int, first: int, last: int, as_of: dt.date, workers: int = 1
) -> Iterator[Block]:
    """Blocks for people ``first`` .. ``last - 1`` in order, made by ``workers`` processes (1: inline)."""
    tasks = []
    for index in range(first // BLOCK, (last - 1) // BLOCK + 1):
        lo = max(first, index * BLOCK) - index * BLOCK
        hi = min(last, (index + 1) * BLOCK) - index * BLOCK
        tasks.append((seed, index, lo, hi, as_of))
    if workers <= 1 or len(tasks) <= 1:
        _init_worker(world)
        for task in tasks:
            yield _make_block(task)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(world,)) as pool:
        pending: deque[Any] = deque()
        queue = iter(tasks)
        for task in queue:  # a bounded window: memory stays flat whatever N is
            pending.append(pool.apply_async(_make_block, (task,)))
            if len(pending) >= 2 * workers + 1:
                yield pending.popleft().get(timeout=BLOCK_TIMEOUT)
        while pending:
            yield pending.popleft().get(timeout=BLOCK_TIMEOUT)


@dataclass
class DemoReport:
    requested: int
    existing: int
    created: int = 0
    households: int = 0
    consents: int = 0
    seconds: float = 0.0
    same_seed: bool = True
    indexes_rebuilt: bool = False
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent per phase (main process)

    def __str__(self) -> str:
        if self.created == 0:
            return f"{self.existing} demo people already exist (asked for {self.requested}): nothing to do."
        note = "" if self.same_seed or self.existing == 0 else " (the existing ones came from another seed)"
        top = (
            f"topped up {self.existing} to {self.existing + self.created}{note}"
            if self.existing
            else "created"
        )
        return (
            f"{top}: {self.created} people, {self.households} households, {self.consents} consents "
            f"in {self.seconds:.1f} s ({self.created / max(self.seconds, 1e-9):,.0f} people/s)."
        )


PERSON_GENERATED = (
    "lat", "lon", "h3_r4", "h3_r6", "public_id", "full_name", "name_key", "sex", "birth_date", "nik_encrypted",
    "nik_index", "passport_encrypted", "passport_index", "passport_expiry", "phone", "whatsapp", "telegram",
    "email", "country_id", "city_geonameid", "city_name", "stay_since", "stay_until", "purpose", "sector",
    "employer", "agency", "home_village_id", "home_province", "home_regency", "emergency_contact_name",
    "emergency_contact_phone", "household_role", "vulnerabilities", "preferred_language", "preferred_channel",
    "mission_id", "created_at", "updated_at",
)  # fmt: skip
CONSENT_GENERATED = (
    "purpose",
    "granted",
    "family_contact_name",
    "family_contact_phone",
    "granted_at",
    "revoked_at",
)


def _constant_columns(model: Any, generated: Sequence[str]) -> dict[str, Any]:
    """Database values of the columns the generator does not fill: their field defaults.

    Refuses a new unique or non-nullable column without a constant default rather than guess.
    """
    from django.db import connection

    constants: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in generated:
            continue
        value = f.get_default()  # "" for text fields without a default, None for others
        if value is None and not f.null:
            raise ValueError(f"{model.__name__}.{f.name} has no default: the demo generator must fill it")
        if f.unique and value is not None:
            raise ValueError(f"{model.__name__}.{f.name} is unique: the demo generator must fill it")
        constants[f.column] = f.get_db_prep_save(value, connection)
    return constants


class _Writer:
    """Inserts blocks: executemany on SQLite, COPY on PostgreSQL, with primary keys reserved up front."""

    def __init__(self) -> None:
        from django.db import connection

        from perisai.registry.models import Consent, Household, Person

        self.connection = connection
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise ValueError(f"demo data supports SQLite and PostgreSQL, not {self.vendor}")
        self.person, self.household, self.consent = Person, Household, Consent
        person_constants = _constant_columns(Person, (*PERSON_GENERATED, "household_id", "source", "status"))
        person_constants["source"] = Person.Source.DEMO.value
        person_constants["status"] = "active"
        column_of = {f.attname: f.column for f in Person._meta.concrete_fields}
        self.person_columns: list[str] = ["id", *(column_of[a] for a in PERSON_GENERATED)]
        self.person_columns += ["household_id", *person_constants]
        self.person_constants = list(person_constants.values())
        consent_constants = _constant_columns(Consent, (*CONSENT_GENERATED, "person_id"))
        self.consent_columns = ["person_id", *CONSENT_GENERATED, *consent_constants]
        self.consent_constants = list(consent_constants.values())
        household_constants = _constant_columns(Household, ("public_id", "label", "created_at"))
        self.household_columns = ["id", "public_id", "label", "created_at", *household_constants]
        self.household_constants = list(household_constants.values())
        self.tz_suffix = "+00" if self.vendor == "postgresql" else ""  # SQLite stores naive UTC text
        self.seconds_inserting = 0.0

    def reserve_ids(self, model: Any, count: int) -> list[int]:
        """``count`` primary keys nobody else will use."""
        if count == 0:
            return []
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [int(row[0]) for row in cursor.fetchall()]
            # SQLite: a transaction takes the write lock when it begins (transaction_mode IMMEDIATE in the
            # settings), so nobody else can insert between this and our INSERT.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(table)}")  # noqa: S608
            top = int(cursor.fetchone()[0])
            return list(range(top + 1, top + 1 + count))

    def insert(self, model: Any, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        import time

        started = time.perf_counter()
        qn = self.connection.ops.quote_name
        table = qn(model._meta.db_table)
        names = ", ".join(qn(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
        self.seconds_inserting += time.perf_counter() - started

    def existing_households(self, public_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for i in range(0, len(public_ids), 500):
            chunk = public_ids[i : i + 500]
            for pk, uid in self.household.objects.filter(public_id__in=chunk).values_list("pk", "public_id"):
                found[uid.hex] = pk
        return found

    def existing_people(self, public_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(public_ids), 500):
            chunk = public_ids[i : i + 500]
            found.update(
                u.hex
                for u in self.person.objects.filter(public_id__in=chunk).values_list("public_id", flat=True)
            )
        return found

    def write(self, blocks: Sequence[Block], report: DemoReport, *, skip_existing: bool = False) -> None:
        """Insert a group of blocks in one transaction (a savepoint when already inside one).

        ``skip_existing`` leaves out the people already in the database (a top-up after deletions).
        """
        from django.db import transaction

        if skip_existing:
            blocks = [without_people(b, self.existing_people(b.people["public_id"])) for b in blocks]
            blocks = [b for b in blocks if len(b)]
        suffix = self.tz_suffix
        with transaction.atomic():
            person_ids = iter(self.reserve_ids(self.person, sum(len(b) for b in blocks)))
            person_rows: list[tuple[Any, ...]] = []
            consent_rows: list[tuple[Any, ...]] = []
            household_rows: list[tuple[Any, ...]] = []
            for block in blocks:
                # A block that starts mid-way (a top-up) may continue a household made by an earlier run.
                continues = block.start > 0 or skip_existing
                known = self.existing_households([h[0] for h in block.households]) if continues else {}
                fresh = iter(
                    self.reserve_ids(self.household, sum(h[0] not in known for h in block.households))
                )
                household_ids: list[int] = []
                for public_id, label, created_at in block.households:
                    pk = known.get(public_id)
                    if pk is None:
                        pk = next(fresh)
                        household_rows.append(
                            (pk, public_id, label, created_at + suffix, *self.household_constants)
                        )
                    household_ids.append(pk)
                if self.vendor == "sqlite":  # max(id) must see them before the next block reserves
                    self.insert(self.household, self.household_columns, household_rows)
                    report.households += len(household_rows)
                    household_rows = []
                p = block.people
                ids = [next(person_ids) for _ in range(len(block))]
                created = [s + suffix for s in p["created_at"]] if suffix else p["created_at"]
                columns = [
                    created if name in ("created_at", "updated_at") else p[name] for name in PERSON_GENERATED
                ]
                households = [household_ids[h] if h >= 0 else None for h in block.household]
                constants = [[c] * len(ids) for c in self.person_constants]
                person_rows.extend(zip(ids, *columns, households, *constants, strict=True))
                c = block.consents
                granted_at = [s + suffix for s in c["granted_at"]] if suffix else c["granted_at"]
                revoked_at = [s and s + suffix for s in c["revoked_at"]] if suffix else c["revoked_at"]
                consent_rows.extend(
                    zip(
                        [ids[j] for j in c["person"]],
                        c["purpose"],
                        c["granted"],
                        c["family_contact_name"],
                        c["family_contact_phone"],
                        granted_at,
                        revoked_at,
                        *[[v] * len(c["person"]) for v in self.consent_constants],
                        strict=True,
                    )
                )
            self.insert(self.household, self.household_columns, household_rows)
            report.households += len(household_rows)
            self.insert(self.person, self.person_columns, person_rows)
            self.insert(self.consent, self.consent_columns, consent_rows)
            report.created += len(person_rows)
            report.consents += len(consent_rows)

    # -- secondary indexes, dropped for a bulk load and rebuilt in the same transaction -----------------------

    def secondary_indexes(self) -> list[tuple[str, str]]:
        """(name, CREATE statement) of the indexes of the three tables that back no constraint."""
        tables = [m._meta.db_table for m in (self.person, self.household, self.consent)]
        with self.connection.cursor() as cursor:
            if self.vendor == "sqlite":
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608
                    f" AND tbl_name IN ({marks}) ORDER BY name",
                    tables,
                )
            else:
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                    " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                    " WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace"
                    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
                    " ORDER BY i.relname",
                    [tables],
                )
            return [(str(name), str(sql)) for name, sql in cursor.fetchall()]

    def drop_indexes(self, indexes: Sequence[tuple[str, str]]) -> None:
        with self.connection.cursor() as cursor:
            for name, _sql in indexes:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")

    def create_indexes(self, indexes: Sequence[tuple[str, str]], phases: dict[str, float]) -> None:
        import time

        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # PostgreSQL will not build an index on a table with pending (deferred) foreign-key checks:
                # run them now, then defer again as Django expects.
                started = time.perf_counter()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                phases["foreign key checks"] = time.perf_counter() - started
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            started = time.perf_counter()
            for _name, sql in indexes:
                cursor.execute(sql)
            phases["indexes"] = time.perf_counter() - started


class _FastLoad:
    """SQLite only: synchronous=OFF and a 256 MB page cache while loading, restored afterwards."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.saved: list[tuple[str, int]] = []

    def __enter__(self) -> _FastLoad:
        if self.connection.vendor != "sqlite":
            return self
        pragmas = [("cache_size", -262_144)]
        if not self.connection.in_atomic_block:  # SQLite refuses to change it inside a transaction
            pragmas.append(("synchronous", 0))
        with self.connection.cursor() as cursor:
            for pragma, value in pragmas:
                cursor.execute(f"PRAGMA {pragma}")
                self.saved.append((pragma, int(cursor.fetchone()[0])))
                cursor.execute(f"PRAGMA {pragma} = {value}")
        return self

    def __exit__(self, *exc: object) -> None:
        with self.connection.cursor() as cursor:
            for pragma, value in self.saved:
                cursor.execute(f"PRAGMA {pragma} = {value}")
        self.saved = []


#: a load of at least this many people, and at least as many as the table holds, rebuilds the indexes
REBUILD_MIN_PEOPLE = 50_000


def do_generate_demo_people(
    *,
    people: int,
    seed: int = 1,
    as_of: dt.date | None = None,
    workers: int | None = None,
    rebuild_indexes: bool | None = None,
    group_blocks: int = 5,
    world: World | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Make sure at least ``people`` demo people exist: create the missing ones (top up), never duplicate.

    Existing demo people count as the first ones of the sequence, so a re-run with the same seed and date
    adds exactly the people a single larger run would have made. ``workers`` defaults to the machine's
    cores, at most 2 (1: no subprocess).

    ``rebuild_indexes`` (default: when adding at least REBUILD_MIN_PEOPLE people and at least as many as the
    person table holds) drops the secondary indexes of the person, household and consent tables, loads
    everything in one transaction and creates them again before committing: several times faster than
    updating 20 indexes row by row, and safe, since both SQLite and PostgreSQL roll DDL back with the
    transaction. Otherwise each group of ``group_blocks`` blocks is committed on its own (an interrupted run
    keeps whole groups; re-running tops up).
    """
    import time

    from django.db import transaction
    from django.utils import timezone

    from perisai.registry.models import Person

    if people < 0:
        raise ValueError("people must not be negative")
    if seed < 0:
        raise ValueError("seed must not be negative")
    started = time.perf_counter()
    existing = Person.objects.filter(source=Person.Source.DEMO).count()
    report = DemoReport(requested=people, existing=existing)
    if existing >= people:
        return report
    as_of = as_of or timezone.localdate()
    if world is None:
        world = build_world()
        report.phases["world"] = time.perf_counter() - started
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if existing:
        first = generate_block(world, seed=seed, index=0, as_of=as_of, start=0, stop=1)
        report.same_seed = Person.objects.filter(public_id=first.people["public_id"][0]).exists()
    adding = people - existing
    if rebuild_indexes is None:
        rebuild_indexes = adding >= REBUILD_MIN_PEOPLE and adding >= Person.objects.count()
    writer = _Writer()
    waiting = 0.0

    def load(first: int, last: int) -> None:
        nonlocal waiting
        group: list[Block] = []
        blocks = iter_blocks(world, seed=seed, first=first, last=last, as_of=as_of, workers=workers)
        while True:
            t0 = time.perf_counter()
            block = next(blocks, None)
            waiting += time.perf_counter() - t0
            if block is not None:
                group.append(block)
            if group and (block is None or len(group) >= group_blocks):
                writer.write(group, report, skip_existing=existing > 0)
                group = []
                if progress:
                    progress(f"{existing + report.created:,} / {people:,} people")
            if block is None:
                return

    def load_all() -> None:
        # People existing..people-1 normally; if some demo people were deleted, some of those already exist
        # (and are skipped), so carry on past `people` until the count is reached.
        first = existing
        while existing + report.created < people:
            missing = people - existing - report.created
            load(first, first + missing)
            first += missing

    with _FastLoad():
        if rebuild_indexes:
            with transaction.atomic():
                indexes = writer.secondary_indexes()
                writer.drop_indexes(indexes)
                load_all()
                if progress:
                    progress(f"building {len(indexes)} indexes")
                writer.create_indexes(indexes, report.phases)
        else:
            load_all()
    if writer.vendor == "postgresql":  # fresh statistics for the planner (SQLite: run ANALYZE when idle)
        t0 = time.perf_counter()
        with writer.connection.cursor() as cursor:
            for model in (writer.person, writer.household, writer.consent):
                cursor.execute(f"ANALYZE {writer.connection.ops.quote_name(model._meta.db_table)}")
        report.phases["analyze"] = time.perf_counter() - t0
    report.phases["waiting for blocks"] = waiting
    report.phases["inserting"] = writer.seconds_inserting
    report.indexes_rebuilt = rebuild_indexes
    report.seconds = time.perf_counter() - started
    return report


def hash_demo_rows() -> str:
    """A digest of every demo person (decrypted identifiers, no database ids or ciphertexts) and consent.

    Used by the tests and the benchmark to compare runs.
    """
    import hashlib

    from perisai.core import crypto
    from perisai.registry.models import Consent, Person

    digest = hashlib.sha256()
    skip = {"id", "nik_encrypted", "passport_encrypted", "household", "mission", "user"}
    fields = [f.attname for f in Person._meta.concrete_fields if f.name not in skip]
    qs = Person.objects.filter(source=Person.Source.DEMO).order_by("public_id")
    for row in qs.values_list(
        *fields, "nik_encrypted", "passport_encrypted", "household__public_id", "mission__code"
    ):
        *plain, nik, passport, household, mission = row
        values = [*plain, crypto.decrypt(nik), crypto.decrypt(passport), household, mission]
        digest.update(repr(values).encode())
    consents = Consent.objects.filter(person__source=Person.Source.DEMO).order_by(
        "person__public_id", "purpose"
    )
    for row in consents.values_list(
        "person__public_id",
        "purpose",
        "granted",
        "family_contact_name",
        "family_contact_phone",
        "granted_at",
        "revoked_at",
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


__all__ = [
    "BLOCK",
    "SEGMENTS",
    "Block",
    "CityRef",
    "DemoReport",
    "PhonePlan",
    "Segment",
    "World",
    "build_world",
    "do_generate_demo_people",
    "generate_block",
    "hash_demo_rows",
    "phone_plan",
    "seal",
]
