"""perisai.places.jurisdiction: the serving mission by jurisdiction first, distance second."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from perisai.places.gazetteer import Location, search_cities
from perisai.places.jurisdiction import covering_level, nearest_mission, subdivision_chain


@dataclass(frozen=True)
class J:
    country: str
    subdivisions: list[str] = field(default_factory=list)
    except_subdivisions: list[str] = field(default_factory=list)
    cities: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class M:
    code: str
    lat: float
    lon: float
    country: str
    jurisdiction: list[J]


@dataclass(frozen=True)
class Plain:
    """A jurisdiction entry without a ``cities`` attribute at all."""

    country: str
    subdivisions: tuple[str, ...] = ()
    except_subdivisions: tuple[str, ...] = ()


def fixed(country: str, subdivision: str | None, geonameid: int = 0) -> Callable[[float, float], Location]:
    def _locate(lat: float, lon: float) -> Location:
        return Location(lat, lon, country, "", subdivision, geonameid, "somewhere", 1.0)

    return _locate


# Hand-made network around the Strait of Malacca and Sabah (real coordinates).
KBRI_KL = M("kbri-kl", 3.14, 101.69, "MY", [J("MY", except_subdivisions=["MY-01", "MY-12"])])
KJRI_JB = M("kjri-jb", 1.4655, 103.7578, "MY", [J("MY", subdivisions=["MY-01"])])
KJRI_KK = M("kjri-kk", 5.9749, 116.0724, "MY", [J("MY", subdivisions=["MY-12"])])
KRI_TAWAU = M(
    "kri-tawau", 4.2448, 117.8911, "MY", [J("MY", subdivisions=["MY-12"], cities=[1734199, 1733953])]
)
KBRI_SG = M("kbri-sg", 1.2897, 103.8501, "SG", [J("SG")])
NETWORK = [KBRI_KL, KJRI_JB, KJRI_KK, KRI_TAWAU, KBRI_SG]


def test_subdivision_entry_beats_a_nearer_whole_country_mission() -> None:
    # A point in Johor Bahru is nearer KBRI Singapore (in another country) and covered by KBRI KL's
    # whole-country entry only if Johor were not excluded: KJRI JB wins on jurisdiction.
    choice = nearest_mission(1.49, 103.74, NETWORK, locate=fixed("MY", "MY-01"))
    assert choice.mission is KJRI_JB
    assert choice.reason == "jurisdiction_subdivision"
    assert choice.distance_km == pytest.approx(3.1, abs=0.5)


def test_whole_country_entry_covers_the_rest_of_the_country() -> None:
    choice = nearest_mission(5.41, 100.33, NETWORK, locate=fixed("MY", "MY-07"))  # Penang
    assert (choice.mission, choice.reason) == (KBRI_KL, "jurisdiction_country")


def test_except_subdivisions_remove_coverage() -> None:
    only_kl = [KBRI_KL, KBRI_SG]
    choice = nearest_mission(1.49, 103.74, only_kl, locate=fixed("MY", "MY-01"))
    # KBRI KL excludes Johor and KBRI Singapore does not cover Malaysia: nearest overall, and said so
    assert (choice.mission, choice.reason) == (KBRI_SG, "nearest_fallback")


def test_city_entry_beats_subdivision_entry() -> None:
    tawau = nearest_mission(4.25, 117.89, NETWORK, locate=fixed("MY", "MY-12", geonameid=1734199))
    assert (tawau.mission, tawau.reason) == (KRI_TAWAU, "jurisdiction_city")
    # Sandakan is in Sabah but not one of KRI Tawau's cities: KJRI Kota Kinabalu, although Tawau is nearer
    sandakan = nearest_mission(5.84, 118.12, NETWORK, locate=fixed("MY", "MY-12", geonameid=1734052))
    assert (sandakan.mission, sandakan.reason) == (KJRI_KK, "jurisdiction_subdivision")
    assert sandakan.distance_km > 200


def test_equal_candidates_are_decided_by_distance() -> None:
    east = M("east", 1.0, 110.0, "XX", [J("XX")])
    west = M("west", 1.0, 100.0, "XX", [J("XX")])
    assert nearest_mission(1.0, 108.0, [west, east], locate=fixed("XX", None)).mission is east
    assert nearest_mission(1.0, 101.0, [west, east], locate=fixed("XX", None)).mission is west


def test_no_mission_for_the_country_falls_back_to_the_nearest() -> None:
    choice = nearest_mission(-8.55, 125.57, NETWORK, locate=fixed("TL", None))  # Dili
    assert choice.reason == "nearest_fallback"
    assert choice.mission is min(NETWORK, key=lambda m: abs(m.lon - 125.57) + abs(m.lat + 8.55))


def test_sovereign_fallback_for_dependent_territories() -> None:
    beijing = M("kbri-beijing", 39.9, 116.4, "CN", [J("CN", except_subdivisions=["CN-GD"])])
    guangzhou = M("kjri-guangzhou", 23.13, 113.26, "CN", [J("CN", subdivisions=["CN-GD"])])
    choice = nearest_mission(
        22.2, 113.55, [beijing, guangzhou], locate=fixed("MO", None), sovereign_of={"MO": "CN"}
    )
    # Only whole-country entries of the sovereign serve a territory: Beijing, although Guangzhou is nearer
    assert (choice.mission, choice.reason) == (beijing, "jurisdiction_sovereign")
    plain = nearest_mission(22.2, 113.55, [beijing, guangzhou], locate=fixed("MO", None))
    assert (plain.mission, plain.reason) == (guangzhou, "nearest_fallback")


def test_subdivision_entries_cover_their_descendants_and_the_most_specific_wins() -> None:
    assert subdivision_chain("PH-DAS") == ("PH-DAS", "PH-11")
    region = M("region", 7.19, 125.46, "PH", [J("PH", subdivisions=["PH-11"])])
    province = M("province", 6.0, 125.0, "PH", [J("PH", subdivisions=["PH-DAS"])])
    embassy = M("embassy", 14.6, 121.0, "PH", [J("PH", except_subdivisions=["PH-11"])])
    choice = nearest_mission(7.1, 125.6, [region, province, embassy], locate=fixed("PH", "PH-DAS"))
    assert choice.mission is province
    # excluding the region excludes its provinces too
    choice = nearest_mission(7.1, 125.6, [embassy, region], locate=fixed("PH", "PH-DAS"))
    assert choice.mission is region
    assert covering_level(embassy.jurisdiction[0], fixed("PH", "PH-DAS")(0, 0)) is None


def test_entries_without_a_cities_attribute_are_accepted() -> None:
    mission = M("m", 0, 0, "XX", [])
    plain_mission = M("p", 0, 0, "XX", [Plain("XX")])  # type: ignore[list-item]
    choice = nearest_mission(0, 0, [mission, plain_mission], locate=fixed("XX", None))
    assert (choice.mission.code, choice.reason) == ("p", "jurisdiction_country")


def test_no_missions_is_an_error() -> None:
    with pytest.raises(ValueError, match="no missions"):
        nearest_mission(0, 0, [], locate=fixed("XX", None))


def test_default_locate_uses_the_gazetteer() -> None:
    choice = nearest_mission(1.4927, 103.7414, NETWORK)  # Johor Bahru
    assert choice.mission is KJRI_JB
    assert choice.location is not None and choice.location.subdivision == "MY-01"
    tawau = nearest_mission(4.2448, 117.8911, NETWORK)
    assert tawau.mission is KRI_TAWAU and tawau.reason == "jurisdiction_city"


# --- the real mission list -------------------------------------------------------------------------------

REAL_CASES = [
    ("Johor Bahru", "MY", "kjri-johor-bahru"),
    ("Tawau", "MY", "kri-tawau"),
    ("Semporna", "MY", "kri-tawau"),
    ("Lahad Datu", "MY", "kri-tawau"),
    ("Sandakan", "MY", "kjri-kota-kinabalu"),
    ("Kota Kinabalu", "MY", "kjri-kota-kinabalu"),
    ("Kuching", "MY", "kjri-kuching"),
    ("Jeddah", "SA", "kjri-jeddah"),
    ("Makkah", "SA", "kjri-jeddah"),
    ("Riyadh", "SA", "kbri-riyadh"),
    ("Dubai", "AE", "kjri-dubai"),
    ("Abu Dhabi", "AE", "kbri-abu-dhabi"),
    ("Kaohsiung", "TW", "kdei-taipei"),
    ("Hong Kong", "HK", "kjri-hong-kong"),
    ("Davao", "PH", "kjri-davao-city"),
    ("Los Angeles", "US", "kjri-los-angeles"),
    ("Houston", "US", "kjri-houston"),
    ("Perth", "AU", "kjri-perth"),
    ("Osaka", "JP", "kjri-osaka"),
    ("Guangzhou", "CN", "kjri-guangzhou"),
    ("Karachi", "PK", "kjri-karachi"),
    ("Istanbul", "TR", "kjri-istanbul"),
    ("Ho Chi Minh City", "VN", "kjri-ho-chi-minh-city"),
    ("Cape Town", "ZA", "kjri-cape-town"),
]


@pytest.mark.parametrize(("city", "country", "code"), REAL_CASES)
def test_real_missions(city: str, country: str, code: str) -> None:
    reference = pytest.importorskip("perisai.places.reference")
    missions = reference.load_missions()
    place = search_cities(city, country=country, limit=1)[0]
    choice = nearest_mission(place.lat, place.lon, missions, sovereign_of=reference.SOVEREIGN_OF)
    assert choice.mission.code == code
    assert choice.reason != "nearest_fallback"


def test_real_missions_agree_with_reference_responsible_mission() -> None:
    """Same semantics as reference.responsible_mission wherever one mission is responsible."""
    reference = pytest.importorskip("perisai.places.reference")
    missions = reference.load_missions()
    for m in missions:
        if m.type == "permanent_mission":
            continue
        choice = nearest_mission(m.lat, m.lon, missions, sovereign_of=reference.SOVEREIGN_OF)
        where = choice.location
        assert where is not None
        expected = reference.responsible_mission(
            missions, country=where.country, subdivision=where.subdivision, city_geonameid=where.geonameid
        )
        if expected is not None:
            assert choice.mission.code == expected.code, m.code
