import pytest

from perisai.crisis.feeds.countries import alpha2, countries_from_place, country_from_name


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("western Afghanistan", ("AF",)),
        ("Poland-Slovakia border region", ("PL", "SK")),
        ("3 km SW of Ferndale, CA", ("US",)),  # California, not Canada
        ("Haida Gwaii, Canada", ("CA",)),
        ("Port Townsend, WA", ("US",)),
        ("4 km NNW of Anchorage, Alaska", ("US",)),
        ("55 km SE of Madang, Papua New Guinea", ("PG",)),
        ("off the east coast of Honshu, Japan", ("JP",)),
        ("south of the Fiji Islands", ("FJ",)),
        ("B.C., MX", ("MX",)),
        ("12 km N of Santa Fe, New Mexico", ("US",)),
        ("Kepulauan Talaud, Indonesia", ("ID",)),
        ("Puerto Rico region", ("PR",)),
        ("Kelang, Selangor, Malaysia", ("MY",)),
        ("Banda Sea", ()),
        ("central Mid-Atlantic Ridge", ()),
        ("", ()),
    ],
)
def test_place_strings(place: str, expected: tuple[str, ...]) -> None:
    assert countries_from_place(place) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bosnia & Herzegovina", "BA"),
        ("Russia", "RU"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Laos", "LA"),
        ("Viet Nam", "VN"),
        ("Côte d'Ivoire", "CI"),
        ("the Netherlands", "NL"),
        ("Hong Kong", "HK"),
        ("Kosovo", None),  # no ISO 3166-1 code
        ("Atlantis", None),
    ],
)
def test_country_names(name: str, expected: str | None) -> None:
    assert country_from_name(name) == expected


def test_codes() -> None:
    assert alpha2("idn") == "ID" and alpha2("my") == "MY" and alpha2("XKX") is None and alpha2("ZZ") is None
