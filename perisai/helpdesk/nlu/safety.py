"""Keyword-and-pattern safety net for danger signals, run beside the statistical model.

The model can miss an emergency phrased in a way it never saw; this net looks for explicit danger
phrases (suicide, a threat to kill, sexual assault, being attacked or locked in right now, a medical
emergency, being trapped in a disaster, a plea for immediate rescue) so that an emergency is missed as
rarely as possible. It errs towards firing. It stays silent only where a clause clearly says the thing
did not happen or lies in the past ("dulu pernah dipukul", "saya tidak mau bunuh diri", "I was raped
years ago" is still heard by the model, but does not raise the alarm on its own).

Patterns run on the normalised text of each clause (see `normalise.clauses`), so "sy mo bunuh diri"
and "saya mau bunuh diri" match the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .normalise import clauses

__all__ = ["SIGNALS", "SOFT_SIGNALS", "SafetyResult", "scan"]


@dataclass(frozen=True)
class _Rule:
    signal: str
    pattern: re.Pattern[str]
    needs_now: bool = False  # fires only beside a "right now" / urgency marker
    habitual_blocks: bool = False  # "sering", "always" ... silence it (a pattern, not this moment)
    negation_blocks: bool = True
    unless: re.Pattern[str] | None = None  # a clause matching this is not a hit


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_VIOLENCE = (
    r"(?:di|ter)?(?:pukul|pukuli|hajar|serang|tendang|injak|cekik|tusuk|bacok|tampar|jambak|seret|siksa|aniaya|"
    r"antemi|tabok|jotosi|gebuki|gebukin|keroyok|sundut|setrika|siram|lempar|banting|bekap|belasah)\w*|"
    r"memukul\w*|menendang|mencekik|menusuk|menampar|menjambak|menyiksa|menganiaya|membanting|menyiram\w*|"
    r"menyetrika|menyundut|membakar|menyerang|mengeroyok|menghajar|menginjak|menyeret|"
    r"hit|hits|hitting|beat|beats|beating|beaten|kick\w*|chok\w+|strangl\w+|stab\w*|attack\w* (?:me|us)|"
    r"slap\w*|punch\w*|burn\w* me|dragging|dragged"
)

_RULES: Final[tuple[_Rule, ...]] = (
    _Rule(
        "suicide",
        _rx(
            r"bunuh diri",
            r"membunuh diri",
            r"(?:meng)?akhiri hidup",
            r"(?:ingin|mau|lebih baik|biar) mati",
            r"mati saja",
            r"gantung diri",
            r"minum racun",
            r"(?:loncat|lompat|terjun) dari \w+",
            r"potong nadi",
            r"sayat (?:tangan|nadi)",
            r"tidak (?:kuat|sanggup|mau|ingin) hidup(?: lagi)?",
            r"capek hidup",
            r"lelah hidup",
            r"kill (?:myself|herself|himself)",
            r"end (?:my|her|his) life",
            r"suicid\w*",
            r"(?:want|wants|wanna) to die",
            r"better off dead",
            r"take my (?:own )?life",
            r"(?:cut|hurt)(?:ting)? myself",
            r"jump off",
            r"no reason to live",
            r"nglalu",
            r"(?:do not|dont) want to live",
            r"end it all",
        ),
        unless=re.compile(r"\b(?:handphone|baterai|batre|batrai|lampu|listrik|hp|phone|battery)\b"),
    ),
    _Rule(
        "threat_to_kill",
        _rx(
            r"(?:mau|akan|ingin|ancam|mengancam|diancam|diancam akan|mengancam akan) "
            r"(?:di)?(?:bunuh|mateni)(?! diri)",
            r"(?:bunuh|membunuh|mateni) (?:saya|aku|kami|kita|anak saya|kamu)",
            r"dibunuh",
            r"dipateni",
            r"(?:kill|murder|shoot) (?:me|us|my)",
            r"(?:going to|gonna|will|threaten\w*(?: me)? to) kill",
            r"death threats?",
            r"(?:mau|akan|ingin|bilang) (?:meng)?habisi",
            r"habisi (?:saya|aku|kamu)",
            r"(?:bilang|katanya|kata dia) (?:malam ini |besok |hari ini )?(?:saya|aku) (?:akan )?mati",
            r"(?:bawa|pegang|acungkan|ambil|pakai|dengan) (?:pisau|parang|golok|pistol|senjata)",
            r"(?:with|has|holding|grabbed) a (?:knife|gun|weapon)",
        ),
        negation_blocks=False,
    ),
    _Rule(
        "sexual_assault",
        _rx(
            r"(?:di|ter)?perkosa\w*",
            r"memperkosa\w*",
            r"pemerkosaan",
            r"rap(?:e|ed|ing|ist)",
            r"(?:di)?rogol\w*",
            r"(?:di|men)cabuli",
            r"dipaksa (?:berhubungan|tidur dengan|tidur sama|melayani|hubungan|ml|begituan)",
            r"forced (?:me )?(?:to have sex|himself|into sex)",
            r"sexual(?:ly)? assault\w*",
        ),
    ),
    _Rule(
        "sexual_assault",
        _rx(r"(?:di|me)lecehkan", r"diraba\w*", r"dipegang pegang", r"grop\w+", r"molest\w*", r"touch\w* me"),
        needs_now=True,
        habitual_blocks=True,
    ),
    _Rule("attack_now", _rx(_VIOLENCE), needs_now=True, habitual_blocks=True),
    _Rule(
        "locked_in",
        _rx(
            r"(?:di|ter) ?kunci\w*",
            r"(?:di|ter)kurung\w*",
            r"disekap",
            r"dikerangkeng",
            r"dirantai",
            r"locked (?:in|up|inside|me)",
            r"lock(?:s|ed)? me",
            r"held captive",
            r"chained",
        ),
        habitual_blocks=True,
        unless=re.compile(
            r"\b(?:paspor|passport|dokumen|documents?|ktp|handphone|akun|account|lemari|laci)\b"
        ),
    ),
    _Rule(
        "medical",
        _rx(
            r"pingsan",
            r"pengsan",
            r"semaput",
            r"ambruk",
            r"tidak (?:bergerak|obah|merespon|respon|bangun bangun|mau bangun)",
            r"(?:won t|will not|not) (?:wake up|waking up|responding|moving)",
            r"unresponsive",
            r"tidak sadar\w*(?: diri)?",
            r"sedarkan diri",
            r"kejang\w*",
            r"pendarahan",
            r"berdarah\w*",
            r"darah (?:banyak|terus)",
            r"tenggelam",
            r"luka (?:parah|berat|dalam)",
            r"(?:tidak|tak) (?:bernafas|bernapas|napas|nafas|ambegan)",
            r"drown\w*",
            r"not breathing",
            r"(?:sesak|susah|tidak bisa|sulit) (?:napas|nafas|bernapas|bernafas)",
            r"serangan jantung",
            r"overdos\w*",
            r"keracunan",
            r"minum (?:obat|pil) banyak",
            r"ketuban pecah",
            r"mau melahirkan",
            r"unconscious",
            r"faint\w*",
            r"passed out",
            r"bleed\w*",
            r"(?:cannot|can not|not|t) breath\w*",
            r"seizure",
            r"heart attack",
            r"poison\w*",
            r"collapsed",
        ),
        unless=re.compile(r"\b(?:handphone|hp|demam berdarah|dengue)\b"),
    ),
    _Rule(
        "trapped",
        _rx(
            r"(?:ter|ke)?(?:jebak|perangkap) (?:di |dalam )?"
            r"(?:banjir|api|kebakaran|reruntuhan|gedung|lift|air|asap|"
            r"puing|longsor|rumah yang|bangunan|atap)",
            r"tertimbun",
            r"tertimpa",
            r"terjepit",
            r"reruntuhan",
            r"(?:gedung|rumah|bangunan) (?:runtuh|roboh|ambruk)",
            r"(?:rumah|gedung|asrama|apartemen|kamar|dapur) (?:ter)?bakar",
            r"kebakaran(?! hutan| lahan)",
            r"api (?:besar|di)",
            r"air (?:sudah )?(?:masuk|naik|setinggi|sampai)",
            r"(?:water|flood\w*) (?:is )?(?:up to|reaching|rising)",
            r"(?:di|on) (?:atas )?(?:atap|the roof)",
            r"trapped",
            r"stuck (?:in|under|inside)",
            r"under (?:the )?rubble",
            r"(?:building|house|roof) (?:collapsed|fell)",
            r"on fire",
            r"fire in",
        ),
        negation_blocks=True,
    ),
    _Rule(
        "urgent_help",
        _rx(
            r"tolong cepat",
            r"cepat tolong",
            r"tolong segera",
            r"segera tolong",
            r"tolong selamatkan",
            r"selamatkan (?:saya|aku|kami|anak)",
            r"sos",
            r"dalam bahaya",
            r"nyawa (?:saya |aku |kami )?terancam",
            r"hidup (?:saya |aku )?terancam",
            r"help me (?:now|please|quick|fast)",
            r"save me",
            r"in danger",
            r"my life is in danger",
            r"call (?:the )?police",
            r"panggil polisi",
            r"come quick\w*",
        ),
        negation_blocks=True,
    ),
    _Rule(
        "hiding",
        _rx(
            r"(?:ber)?sembunyi di \w+",
            r"(?:ber)?sembunyi dari",
            r"hiding (?:in|from)",
            r"kabur .*(?:dikejar|kejar)",
        ),
    ),
)

SIGNALS: Final[tuple[str, ...]] = tuple(dict.fromkeys(rule.signal for rule in _RULES))
# Signals that raise the emergency flag but do not on their own overrule the model's intent.
SOFT_SIGNALS: Final[frozenset[str]] = frozenset({"locked_in", "urgent_help", "hiding"})

_NEGATION = re.compile(r"\b(?:tidak|bukan|belum|never|not|no|tanpa|without|nobody)\b")
_PAST = _rx(
    r"dulu",
    r"dahulu",
    r"pernah",
    r"tahun lalu",
    r"tahun kemarin",
    r"bertahun tahun",
    r"waktu itu",
    r"masa lalu",
    r"(?:\d+|dua|tiga|empat|lima|beberapa|setahun|sebulan) (?:tahun|bulan)(?: yang)? lalu",
    r"bulan lalu",
    r"(?:minggu|bulan|tahun) (?:lalu|lepas|kemarin)",
    r"(?:sasi|taun|minggu) wingi",
    r"last week",
    r"majikan (?:lama|sebelumnya|pertama)",
    r"last (?:year|month)",
    r"(?:years|months) ago",
    r"used to",
    r"in the past",
    r"previous",
    r"former",
    r"when i was",
    r"sudah lama",
    r"sewaktu",
    r"semasa",
    r"sudah (?:baik|sembuh|pulih|membaik|aman|selamat)",
    r"now (?:fine|ok|okay|safe|better)",
    r"once",
)
_HABITUAL = _rx(
    r"sering",
    r"selalu",
    r"setiap",
    r"tiap",
    r"kadang",
    r"kadang kadang",
    r"biasanya",
    r"often",
    r"always",
    r"every",
    r"sometimes",
    r"usually",
    r"suka",
)
_NOW = _rx(
    r"sekarang",
    r"sedang",
    r"lagi",
    r"masih",
    r"barusan",
    r"baru saja",
    r"tadi",
    r"saat ini",
    r"malam ini",
    r"right now",
    r"now",
    r"currently",
    r"still",
    r"cepat",
    r"segera",
    r"darurat",
    r"sos",
    r"help me",
    r"selamatkan",
    r"is (?:hitting|beating|attacking|choking|kicking)",
    r"tonight",
    r"emergency",
    r"tolong saya",
    r"help",
    r"please help",
    r"takut",
    r"scared",
    r"afraid",
)


@dataclass(frozen=True)
class SafetyResult:
    """What the safety net found: fired signals, and signals it saw but judged past or negated."""

    signals: tuple[str, ...]
    suppressed: tuple[str, ...]

    @property
    def fired(self) -> bool:
        return bool(self.signals)

    @property
    def overrides(self) -> bool:
        """True when a hard signal fired: the message is an emergency whatever the model says."""
        return any(signal not in SOFT_SIGNALS for signal in self.signals)


def _negated(clause: str, start: int) -> bool:
    before = clause[:start].split()[-3:]
    window = " ".join(before)
    if not _NEGATION.search(window):
        return False
    # "do not kill me", "please don't", "jangan" are pleas, not negations
    return not re.search(r"\b(?:do|please) not\b", window)


def scan(text: str) -> SafetyResult:
    """Run the safety net over one message."""
    parts = clauses(text)
    whole_now = any(_NOW.search(part) for part in parts)
    fired: dict[str, None] = {}
    suppressed: dict[str, None] = {}
    for clause in parts:
        past = bool(_PAST.search(clause))
        habitual = bool(_HABITUAL.search(clause))
        now_here = bool(_NOW.search(clause))
        for rule in _RULES:
            match = rule.pattern.search(clause)
            if match is None or (rule.unless is not None and rule.unless.search(clause)):
                continue
            if rule.needs_now and not (now_here or (whole_now and not past and not habitual)):
                suppressed[rule.signal] = None
                continue
            blocked = (
                (rule.negation_blocks and _negated(clause, match.start()))
                or (past and not now_here)
                or (rule.habitual_blocks and habitual and not now_here)
            )
            if blocked:
                suppressed[rule.signal] = None
            else:
                fired[rule.signal] = None
    return SafetyResult(
        signals=tuple(fired),
        suppressed=tuple(s for s in suppressed if s not in fired),
    )
