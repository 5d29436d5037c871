"""Authored name lists for the synthetic demo population (``perisai demo-data``).

Common Indonesian given names written down from general knowledge, grouped by the naming customs of the main
sending regions: Javanese (many people carry a single name), Sundanese, Sasak (Lombok; the noble titles
*Lalu* and *Baiq*), Batak (a given name and a *marga*), Balinese (*I*/*Ni*, a birth-order name, a given
name), East Nusa Tenggara (Christian given names and local family names), Bugis (the title *Andi*) and a
general Malay/Islamic pool. Names are combined at random: no entry is, or is taken from, a real person's
record, and names of well-known public figures were left out. Host-country surnames are the few most common
ones of each country, used only as "Keluarga <surname>" for a household employer.

Pure data: imports nothing from Django.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    """How one naming custom builds a name.

    ``patterns`` weighs the shapes: ``single`` (one given name), ``double`` (two given names),
    ``surname`` (a given name and a family name or marga), ``bali`` (I/Ni + birth-order name + given name).
    ``title_rate`` is the share of people carrying ``male_title`` / ``female_title`` before their name.
    """

    male: tuple[str, ...]
    female: tuple[str, ...]
    patterns: tuple[tuple[str, float], ...]
    surnames: tuple[str, ...] = ()
    male_second: tuple[str, ...] = ()
    female_second: tuple[str, ...] = ()
    male_title: str = ""
    female_title: str = ""
    title_rate: float = 0.0


# fmt: off
JAWA = NamePool(
    male=(
        "Agus", "Bambang", "Budi", "Darmaji", "Eko", "Heru", "Joko", "Kusnadi", "Mulyono", "Paijo",
        "Purwanto", "Rahmat", "Slamet", "Sugeng", "Sugiyanto", "Sukardi", "Sumarno", "Supardi", "Suparman",
        "Suprapto", "Suryadi", "Sutrisno", "Suwarno", "Teguh", "Tri", "Wahyu", "Warsito", "Yanto", "Yulianto",
        "Wawan", "Dwi", "Ari", "Bayu", "Hendro", "Prasetyo", "Nugroho", "Santoso", "Setiawan", "Kurniawan",
        "Hartono", "Haryanto", "Gunawan", "Susanto", "Triyono", "Sugiono", "Riyadi", "Margono", "Parno",
        "Sarno", "Tukiman", "Wagiman", "Sukirno", "Ngadiman", "Suroto", "Wahyudi", "Saptono", "Darsono",
        "Samsul",
    ),
    female=(
        "Sri", "Siti", "Sumiati", "Suyati", "Sulastri", "Suwarni", "Wartini", "Sutini", "Rukmini", "Tumini",
        "Kasmini", "Sukarti", "Ngatini", "Painem", "Endang", "Lestari", "Wahyuni", "Rahayu", "Puji", "Astuti",
        "Handayani", "Yuliani", "Wulandari", "Purwati", "Suparmi", "Sarmi", "Warsini", "Siswati", "Indah",
        "Dewi", "Ratna", "Umi", "Anik", "Ninik", "Rini", "Yuni", "Tuti", "Winarsih", "Mulyani",
        "Setyaningsih", "Rahmawati", "Susilowati", "Kurniasih", "Fitri", "Heni", "Yanti", "Mujiati",
        "Sutiyem", "Parmi", "Juminah", "Karsinah", "Darsih", "Tarsih", "Sunarsih", "Suratmi", "Wagiyem",
        "Ngatemi", "Sumarni",
    ),
    patterns=(("single", 0.45), ("double", 0.55)),
)

SUNDA = NamePool(
    male=(
        "Asep", "Ujang", "Dede", "Cecep", "Dadang", "Deden", "Engkos", "Iwan", "Jajang", "Mamat", "Nanang",
        "Ade", "Aep", "Endang", "Yayan", "Cucu", "Dudung", "Entis", "Heri", "Odih", "Tatang", "Wawan", "Yana",
        "Yusuf", "Agus", "Hendra", "Rudi", "Dodi", "Encep", "Ucup", "Aceng", "Oman", "Ajat",
    ),
    female=(
        "Euis", "Neneng", "Enok", "Imas", "Iis", "Cucu", "Dedeh", "Eneng", "Entin", "Ela", "Ika", "Iyah",
        "Lilis", "Nunung", "Popon", "Titin", "Tati", "Yati", "Yayah", "Kokom", "Iyam", "Nani", "Rina", "Siti",
        "Nur", "Ai", "Eti", "Wiwin", "Yeni", "Ening", "Epon", "Omah",
    ),
    male_second=(
        "Suryana", "Sopian", "Saepudin", "Hidayat", "Supriatna", "Kurnia", "Permana", "Nugraha", "Ramdani",
        "Setiadi", "Sutisna", "Rahmat", "Hermawan", "Mulyana", "Gumilar", "Sunarya", "Sukmana", "Wahyudin",
    ),
    female_second=(
        "Kurniasih", "Rohaeti", "Suryani", "Nurhayati", "Maryam", "Komalasari", "Rosita", "Sumiati",
        "Jubaedah", "Rohimah", "Mulyati", "Sartika", "Herlina", "Fitriani", "Nuraeni", "Rosmiati", "Aisah",
    ),
    patterns=(("single", 0.3), ("double", 0.7)),
)

SASAK = NamePool(
    male=(
        "Muhammad", "Ahmad", "Zainal", "Zainuddin", "Abdul", "Hamdan", "Sahnan", "Saparudin", "Junaidi",
        "Rusdi", "Sahdan", "Mahsun", "Sapri", "Hirman", "Mursidi", "Lukman", "Sahril", "Rijal", "Abdullah",
        "Ismail", "Syamsul", "Hasan", "Husni", "Jumadil", "Sukri", "Mahnan", "Sahirun", "Samsudin", "Rahman",
        "Burhan",
    ),
    female=(
        "Sahmini", "Rohani", "Nurhasanah", "Mahnun", "Sarinah", "Hartini", "Salmah", "Marni", "Saenah",
        "Rumaisah", "Jamilah", "Hurniati", "Sumiyati", "Nurul", "Sri", "Siti", "Husnul", "Maemunah",
        "Zuhriah", "Sabariah", "Rabiah", "Munawarah", "Rohmah", "Saidah", "Masnah", "Sanah", "Nursiah",
    ),
    patterns=(("single", 0.4), ("double", 0.6)),
    male_title="Lalu",
    female_title="Baiq",
    title_rate=0.06,
)

BATAK = NamePool(
    male=(
        "Rudi", "Jhonson", "Parulian", "Togar", "Binsar", "Marihot", "Sahat", "Tigor", "Daniel", "Roy",
        "Hendra", "Martin", "Robert", "Samuel", "Agustinus", "Ronald", "Efendi", "Frans", "Ahmad", "Muhammad",
        "Hotma", "Bonar", "Poltak", "Jonner", "Rinaldi", "Syahrul", "Pangihutan", "Maruli",
    ),
    female=(
        "Rosmawati", "Tiurma", "Lamria", "Dorma", "Rut", "Marta", "Nurhayati", "Rosdiana", "Lenny", "Mariana",
        "Romauli", "Sondang", "Duma", "Erni", "Juliana", "Hotmaida", "Lasma", "Nurmala", "Friska", "Melva",
        "Rosliana", "Tetty", "Masniari", "Lisbet",
    ),
    surnames=(
        "Siregar", "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Hutagalung", "Panjaitan",
        "Situmorang", "Sihombing", "Manurung", "Simatupang", "Tambunan", "Sinaga", "Silalahi", "Purba",
        "Saragih", "Damanik", "Sembiring", "Ginting", "Tarigan", "Pardede", "Napitupulu", "Sitorus",
        "Hutapea", "Pasaribu", "Simbolon", "Gultom", "Marpaung", "Siahaan", "Butarbutar", "Nainggolan",
    ),
    patterns=(("surname", 0.9), ("double", 0.1)),
)

BALI = NamePool(
    male=(
        "Sudarsana", "Suardana", "Artawan", "Mertha", "Adnyana", "Sukadana", "Budiarta", "Darmawan", "Sutama",
        "Wirawan", "Suarjana", "Arsana", "Suweca", "Sudiarta", "Astawa", "Mahendra", "Wijaya", "Sumerta",
    ),
    female=(
        "Ayu Lestari", "Kartini", "Suartini", "Sukerti", "Wartini", "Ariani", "Sudiani", "Mariani", "Purnami",
        "Astiti", "Yuliantari", "Widiasih", "Ayu Sri", "Sumiarti", "Rai", "Sriasih", "Ayu Puspita", "Suryani",
    ),
    surnames=(
        "Wayan", "Putu", "Gede", "Made", "Kadek", "Nyoman", "Komang", "Ketut",
    ),
    patterns=(("bali", 0.9), ("double", 0.1)),
)

NTT = NamePool(
    male=(
        "Yohanes", "Fransiskus", "Yosef", "Petrus", "Paulus", "Markus", "Agustinus", "Yakobus", "Melkianus",
        "Andreas", "Dominikus", "Hironimus", "Kornelis", "Yulius", "Aloysius", "Bernardus", "Stefanus",
        "Arnoldus", "Vinsensius", "Gabriel",
    ),
    female=(
        "Maria", "Yuliana", "Margaretha", "Theresia", "Anastasia", "Elisabeth", "Veronika", "Yosefina",
        "Agustina", "Katarina", "Florentina", "Martha", "Sofia", "Regina", "Modesta", "Adelina", "Mersiana",
        "Yasinta",
    ),
    surnames=(
        "Manek", "Bria", "Seran", "Lake", "Tefa", "Nahak", "Kolo", "Lado", "Bili", "Riwu", "Ndun", "Lewar",
        "Kelen", "Boli", "Making", "Ola", "Wutun", "Tokan", "Goleng", "Beda", "Naben", "Taek", "Mau", "Asa",
    ),
    patterns=(("surname", 0.8), ("double", 0.2)),
)

BUGIS = NamePool(
    male=(
        "Muhammad", "Abdul", "Hasan", "Syamsuddin", "Baharuddin", "Muhiddin", "Jamaluddin", "Nurdin",
        "Sulaiman", "Arifin", "Basri", "Hamzah", "Ridwan", "Asri", "Haeruddin", "Saharuddin", "Amiruddin",
        "Darwis",
    ),
    female=(
        "Hasnah", "Hasniati", "Nurhayati", "Marlina", "Sitti", "Ramlah", "Rosmini", "Suriani", "Hadijah",
        "Nurmiati", "Hasna", "Jumriani", "Sumarni", "Hamsinah", "Rahmatia", "Nurlina",
    ),
    patterns=(("single", 0.35), ("double", 0.65)),
    male_title="Andi",
    female_title="Andi",
    title_rate=0.05,
)

MELAYU = NamePool(
    male=(
        "Muhammad", "Ahmad", "Abdul", "Rizki", "Fajar", "Hendra", "Irfan", "Ridwan", "Syaiful", "Zulkifli",
        "Rahmat", "Yusuf", "Ilham", "Arif", "Hasan", "Ikhsan", "Taufik", "Firman", "Fauzi", "Hidayat",
        "Nurdin", "Ramli", "Amir", "Rudi", "Dani", "Anwar", "Saiful", "Andri", "Dedi", "Herman", "Iqbal",
        "Imam",
    ),
    female=(
        "Nur", "Siti", "Fitri", "Aisyah", "Rahmawati", "Nurhayati", "Yuliana", "Dewi", "Ratna", "Sari",
        "Wati", "Lina", "Ani", "Rina", "Nurul", "Rahma", "Halimah", "Zainab", "Fatimah", "Maryam", "Khadijah",
        "Hasanah", "Novi", "Yanti", "Suryani", "Mega", "Desi", "Ernawati", "Lia", "Nining",
    ),
    patterns=(("single", 0.25), ("double", 0.75)),
)

POOLS: dict[str, NamePool] = {
    "jawa": JAWA,
    "sunda": SUNDA,
    "sasak": SASAK,
    "batak": BATAK,
    "bali": BALI,
    "ntt": NTT,
    "bugis": BUGIS,
    "melayu": MELAYU,
}

#: naming customs by home province (Kemendagri code); provinces not listed use DEFAULT_FLAVOURS
PROVINCE_FLAVOURS: dict[str, tuple[tuple[str, float], ...]] = {
    "31": (("jawa", 0.4), ("sunda", 0.2), ("melayu", 0.3), ("batak", 0.1)),  # Jakarta
    "32": (("sunda", 0.75), ("jawa", 0.15), ("melayu", 0.1)),  # West Java (Indramayu, Cirebon speak Javanese)
    "33": (("jawa", 0.95), ("melayu", 0.05)),  # Central Java
    "34": (("jawa", 1.0),),  # Yogyakarta
    "35": (("jawa", 0.85), ("melayu", 0.15)),  # East Java (Madura: Islamic names)
    "36": (("sunda", 0.5), ("melayu", 0.5)),  # Banten
    "51": (("bali", 0.95), ("melayu", 0.05)),  # Bali
    "52": (("sasak", 0.85), ("melayu", 0.15)),  # West Nusa Tenggara (Lombok; Sumbawa and Bima Islamic names)
    "53": (("ntt", 0.9), ("melayu", 0.1)),  # East Nusa Tenggara
    "12": (("batak", 0.6), ("melayu", 0.3), ("jawa", 0.1)),  # North Sumatra
    "18": (("jawa", 0.6), ("melayu", 0.3), ("sunda", 0.1)),  # Lampung (transmigration)
    "73": (("bugis", 0.9), ("melayu", 0.1)),  # South Sulawesi
    "76": (("bugis", 0.6), ("melayu", 0.4)),  # West Sulawesi
}
DEFAULT_FLAVOURS: tuple[tuple[str, float], ...] = (("melayu", 0.6), ("jawa", 0.4))

#: common surnames of host countries, used only as "Keluarga <surname>" for household employers
HOST_SURNAMES: dict[str, tuple[str, ...]] = {
    "HK": ("Chan", "Wong", "Lee", "Cheung", "Lau", "Ng", "Ho", "Leung", "Lam", "Yeung"),
    "TW": ("Chen", "Lin", "Huang", "Chang", "Lee", "Wang", "Wu", "Liu", "Tsai", "Yang"),
    "SG": ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh"),
    "MY": ("Tan", "Lim", "Lee", "Wong", "Ahmad", "Abdullah", "Ismail", "Othman", "Yusof", "Chong"),
    "BN": ("Abdullah", "Ahmad", "Ismail", "Hassan", "Othman", "Yusof", "Tan", "Lim"),
    "SA": ("Al-Harbi", "Al-Otaibi", "Al-Qahtani", "Al-Ghamdi", "Al-Zahrani", "Al-Dosari", "Al-Mutairi"),
    "AE": ("Al-Mansoori", "Al-Nuaimi", "Al-Shamsi", "Al-Ketbi", "Al-Hammadi", "Al-Marzouqi"),
    "QA": ("Al-Kuwari", "Al-Marri", "Al-Naimi", "Al-Sulaiti", "Al-Mohannadi", "Al-Hajri"),
    "KW": ("Al-Enezi", "Al-Azmi", "Al-Rashidi", "Al-Mutairi", "Al-Ajmi", "Al-Shammari"),
    "OM": ("Al-Balushi", "Al-Harthy", "Al-Hinai", "Al-Busaidi", "Al-Rawahi", "Al-Kindi"),
    "JP": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
    "KR": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"),
    "TR": ("Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Aydin", "Ozturk"),
    "IT": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
    "DE": ("Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
    "PL": ("Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kowalczyk", "Kaminski", "Lewandowski"),
}
DEFAULT_HOST_SURNAMES: tuple[str, ...] = ("Smith", "Brown", "Wilson", "Taylor", "Anderson", "Thomas")

#: words combined into obviously fictional company names ("Demo <word> <industry> <legal form>")
COMPANY_WORDS: tuple[str, ...] = (
    "Lotus", "Cahaya", "Harmoni", "Samudra", "Pelangi", "Mutiara", "Kenanga", "Melati", "Cendana", "Rajawali",
    "Nusantara", "Garuda", "Bintang", "Bahari", "Mentari", "Kencana", "Sentosa", "Lestari", "Permata",
    "Delima",
)
AGENCY_WORDS: tuple[str, ...] = (
    "Karya", "Mandiri", "Sejahtera", "Abadi", "Jaya", "Makmur", "Utama", "Persada", "Bersama", "Sentosa",
    "Amanah", "Mulia", "Insani", "Bakti", "Tenaga", "Citra",
)
#: industry word of a company employer by sector
SECTOR_INDUSTRY: dict[str, str] = {
    "plantation": "Plantation",
    "manufacturing": "Manufacturing",
    "construction": "Construction",
    "fishing": "Fisheries",
    "hospitality": "Hospitality",
    "services": "Services",
    "professional": "Consulting",
    "care": "Care Home",
    "other": "Agro",
}
#: legal form of a company by host country
LEGAL_FORMS: dict[str, str] = {
    "MY": "Sdn Bhd", "SG": "Pte Ltd", "BN": "Sdn Bhd", "HK": "Limited", "TW": "Co., Ltd.", "KR": "Co., Ltd.",
    "JP": "K.K.", "SA": "LLC", "AE": "LLC", "QA": "W.L.L.", "KW": "W.L.L.", "OM": "LLC", "IT": "S.r.l.",
    "PL": "Sp. z o.o.", "TR": "Ltd. Sti.", "DE": "GmbH", "NL": "B.V.", "AU": "Pty Ltd", "US": "Inc.",
    "GB": "Ltd", "EG": "S.A.E.",
}  # fmt: skip
# fmt: on
