"""A small lexicon-based language guesser for chat messages.

Returns one of LANGUAGES: "id" (Indonesian), "en" (English), "ms" (Malay), "jv" (Javanese) or "mixed"
(substantial English together with one of the others). Messages are short and informal, so statistical
detectors trained on news text do badly; marker words that separate the four languages do well enough.
Measured on the shipped held-out data in docs/benchmarks-nlu.md.

Indonesian and Malay share most of their vocabulary: only words that tell them apart count as markers,
words both use ("saya", "gaji", "majikan") count towards "Indonesian or Malay" without choosing one.
Loanwords every Indonesian uses ("madam", "agency", "visa", "sorry") are neutral.
"""

from __future__ import annotations

from typing import Final

from .normalise import tokens, words

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES: Final[tuple[str, ...]] = ("id", "en", "ms", "jv", "mixed")

_EN: Final[frozenset[str]] = words(
    """
    contact number numbers extend extra fee medical recommended recommend attack missile apartment detained
    immigration resign notice period app cheap cheapest check update info offer company deposit training
    lottery tax program amnesty undocumented renew apply expire expires officer staff report claim overtime
    bonus terminate terminated worried fine curfew lockdown outbreak riot airstrike situation finish stuck
    airport port abandoned panic attack medicine pharmacy dental cover discount supermarket download link
    email business invest withdraw plan tips gold noted rude bully scold bruise pinch knife hiding bathroom
    overdose legit normal option best nearest clinic repatriation exit good bad problem issue ticket
    i me my mine myself you your yours he him his she her they them their we us our it its is are am
    was were be been being have has had do does did doing done will would can could should shall may
    might must the a an and or but if then because so not no yes this that these those there here
    what when where who whom why how which all any some many much more most very too also just only
    still again now today tonight tomorrow yesterday ago last next week month months year years day
    days hour hours to of in on at by for with from about into over under after before up down out
    off away back home help please want need know think feel going go went come came get got give
    gave take took make made tell told say said ask asked call called pay paid send sent work
    working worked job boss lady employer husband wife family friend friends child children mother
    father sister brother people money salary wage wages loan debt bank account house room door
    locked hit hits hitting beat beating kill killed die dying dead hurt hurts pain sick hospital
    doctor medicine afraid scared fear danger safe unsafe run escape stuck trapped lost expired
    renew new old passport document documents permit card contract agent agency company fee fees
    charge charged cheat cheated fake fraud scam scammed war fighting bombs bomb earthquake flood
    fire storm virus outbreak curfew evacuate evacuation return flight ticket stranded deported
    detained jail prison body funeral embassy consulate office number address phone open opening
    hours appointment right rights law legal leave holiday rest hello hi good morning afternoon
    evening night thanks thank ok okay sure bye see nice meet anyone someone nobody nothing
    something everything everyone sorry excuse who's i'm don't can't won't didn't doesn't isn't
    haven't hasn't wasn't aren't let lets keep kept stop stopped allowed allow without since until
    while during every never always sometimes often other another same different really actually
    maybe already yet soon late early first second third hungry food eat eating sleep sleeping cry
    crying alone nowhere anywhere somewhere outside inside near far much many how much save saving
    savings budget remit remittance transfer transfers cheapest rate fees exchange buy sell
    """
)

# words that mark Indonesian rather than Malay (informal forms are the strongest markers)
_ID: Final[frozenset[str]] = words(
    """
    tidak gak nggak ngga enggak engga ga gk tdk mau bisa bs uang saja aja banget bgt kantor
    bagaimana gimana gmn udah udh kapan dong deh sih kok lho nih gue gw lu kamu kalian polisi paspor
    minta bapak kasih pakai pake begini begitu gini gitu cuma cuman doang kayak kaya nggak banyak
    sekali nya ya kemarin besok sekarang skrg lagi lg sedang sdg sudah sdh belum blm dengan dgn
    karena krn juga jg yang yg untuk utk tapi tp kalau kalo klo harus hrs ingin pengen ketemu bilang
    ngomong tanya nanya gaji mohon terima makasih tolong tlg teman temen orang kerja bekerja majikan
    agen dipukul dikunci disiksa pulang jemput dokumen diurus ngurus kirim tabung tabungan rumah
    kampung keluarga suami istri anak ibu ayah adik kakak sakit rawat obat dokter takut bantu
    bantuan apa ada siapa dimana mana berapa kenapa gimana mengapa punya ini itu sini situ sana sy
    sya gk ga tdk udh blm yg dgn bgt tlg krn skrg jg lg bs trs knp gmn dr utk tp hrs sm org kalo klo
    ilang hilang nggak gimana banget dibayar ditahan diambil dipukul dikunci tolongin
    """
)

# words that mark Malay (ms); several also occur in Indonesian but far less often in chat
_MS: Final[frozenset[str]] = words(
    """
    bilik hantar tamat sijil teruk esok bandar tempoh syarikat jumpa pegawai caj akaun baling tukar
    dibenarkan kilang sambung nombor telefon petang cadangan pinggan ugut risau sunyi selesa cuba
    ejen tak nak awak macam mcm kerana sebab wang pejabat polis pasport betul hendak mahu bila kedai
    kat korang je takde tiada cik encik puan sikit bagi ringgit rm nk pun kena buat dapat boleh
    sangat berapa lama jabatan kerajaan balik tolonglah cakap faham kawan budak duduk pergi datang
    dah dekat tu ni lepas ke ada sahaja kenapa mengapa belum hospital klinik ubat gaji majikan duit
    """
)

# Malay markers that decide ms over id on their own (the rest only add weight)
_MS_STRONG: Final[frozenset[str]] = words(
    """
    tak nak awak macam mcm kerana wang pejabat polis pasport hendak mahu kedai kat korang je takde
    tiada encik nk cakap faham kawan budak sahaja ubat bilik cik tumpang doktor khabar jerit hantar tamat
    sijil teruk esok bandar
    tempoh syarikat jumpa pegawai caj akaun baling tukar dibenarkan kilang sambung nombor telefon
    petang cadangan pinggan ugut risau sunyi selesa cuba kerajaan jabatan ejen tengok boleh ke lah
    ye pun lepas dah ni tu kat sikit bagi duit kena ringgit
    """
) - words("boleh ke lah ye pun lepas dah ni tu bagi duit sikit kena ringgit")

_JV: Final[frozenset[str]] = words(
    """
    ora ra opo piye karo wis wes uwis durung arep kulo kula nyuwun matur sampun dereng bojo bojoku
    iki kuwi kui ning nang neng ngendi endi mulih muleh gawe duwit dhuwit tulung ndang lan kowe
    sampeyan panjenengan pripun njaluk mboten ngapunten wonten nggih enggih wae seneng mangan turu
    omah dino sasi wulan taun saiki isih wedi lara loro ditabok diantemi dijotosi ngerti kudu wong
    mbok mas bali iso saged aku sing yo ben dadi gek ki tak kok kabeh opo'o ngopo ngapa arek cah
    bapakku ibuku mbakyu anakku majikanku gajiku gajine uripku njaluk tulungi tulungono dikunci
    kesel ngenteni sugeng enjing rawuh monggo sanget nuwun suwun carane entuke telpon dino wingi mau
    bengi sesuk meneh maneh banget pengen kerjo opo piro pirang sopo ngopo ono ana ndak wae tenan
    temenan iku kene kono wong ojo aja bayaranku dipotong gawe mbayar nggawe nggowo metu mlebu lunga
    budhal teko tekan
    """
)
# words in _JV that are also common in Indonesian chat: they only support Javanese, never decide it
_JV_WEAK: Final[frozenset[str]] = words(
    """
    aku sing yo ben tak kok mas mbok ki dikunci iso banget aja mau pengen dino dipotong gawe telpon
    """
)

# words Indonesian and Malay share: evidence for "one of them" without choosing
_SHARED: Final[frozenset[str]] = words(
    """
    saya di ke dan yang ada apa ini itu dari untuk kami kita dia mereka sudah belum akan boleh kerja
    gaji majikan rumah sakit tolong minta bayar hari bulan tahun orang anak suami ibu bapak keluarga
    kenapa mengapa bagaimana berapa mana siapa dengan dalam luar atas bawah pulang balik kirim
    terima kasih selamat pagi siang malam sore halo hai baru lama banyak sikit sedikit semua juga
    lagi masih
    """
)

_NEUTRAL: Final[frozenset[str]] = words(
    """
    madam sir mam maam agency agensi agent visa ok oke okay sorry please pls plis thanks thx hp
    whatsapp wa facebook fb online hongkong malaysia taiwan singapore singapura saudi dubai
    """
)


# unknown words (names, typos, local words missing from the lexicons) count this much as local evidence
UNKNOWN_WEIGHT: Final[float] = 0.3
EN_SHARE: Final[float] = 0.7
MIXED_SHARE: Final[float] = 0.2
MIXED_MIN_EN: Final[int] = 2
MS_WEIGHT: Final[float] = 3.0

_EN_NEUTRAL: Final[frozenset[str]] = words("ok okay sorry please thanks thx sir")


def _scores(tokens_: list[str]) -> tuple[int, int, int, int, int, int, float]:
    en = idn = ms = ms_strong = jv = jv_strong = shared = unknown = 0
    for w in tokens_:
        if w in _NEUTRAL:
            continue
        if w in _SHARED or w in _ID or w in _MS or w in _JV:
            shared += 1
        elif w not in _EN:
            unknown += 1
        if w in _EN:
            en += 1
        if w in _ID and w not in _MS:
            idn += 1
        if w in _MS:
            ms += 1
            if w in _MS_STRONG:
                ms_strong += 1
        if w in _JV:
            jv += 1
            if w not in _JV_WEAK:
                jv_strong += 1
    return en, idn, ms, ms_strong, jv, jv_strong, shared + UNKNOWN_WEIGHT * unknown


def detect_language(text: str) -> str:
    """Guess the language of one chat message: "id", "en", "ms", "jv" or "mixed".

    Empty or unrecognisable text (numbers, emoji, other scripts) returns "id", the platform default.
    """
    tokens_ = [w for w in tokens(text) if w.isalpha()]
    if not tokens_:
        return "id"
    en, idn, _ms, ms_strong, _jv, jv_strong, local = _scores(tokens_)
    jv_case = jv_strong >= 2 or (jv_strong >= 1 and jv_strong >= ms_strong)
    ms_case = ms_strong >= 1 and ms_strong * MS_WEIGHT >= idn and not jv_case
    if local == 0:
        english_neutral = any(w in _EN_NEUTRAL for w in tokens_)
        return "en" if en or english_neutral else "id"
    share_en = en / (en + local)
    if en >= 2 and share_en >= EN_SHARE:
        return "en"
    if en >= MIXED_MIN_EN and share_en >= MIXED_SHARE:
        return "mixed"
    if jv_case:
        return "jv"
    if ms_case:
        return "ms"
    if en >= 3 and share_en > 0.6:
        return "en"
    return "id"
