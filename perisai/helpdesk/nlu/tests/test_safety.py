"""The safety net fires on danger phrasings, stays quiet on clearly past or negated ones."""

from __future__ import annotations

import pytest

from perisai.helpdesk.nlu import scan


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("sy mau bunuh diri", "suicide"),
        ("aku pengen mati wae", "suicide"),
        ("I want to kill myself", "suicide"),
        ("dia mau bunuh saya", "threat_to_kill"),
        ("majikan ngancem bawa pisau", "threat_to_kill"),
        ("please don't kill me", "threat_to_kill"),
        ("tlg sy dikunci di kamar", "locked_in"),
        ("she locked me in the bathroom", "locked_in"),
        ("saya diperkosa anak majikan", "sexual_assault"),
        ("he raped me last night", "sexual_assault"),
        ("tolong cepat", "urgent_help"),
        ("teman saya pingsan", "medical"),
        ("my friend is not breathing", "medical"),
        ("majikan lagi pukul saya sekarang", "attack_now"),
        ("he is hitting me right now", "attack_now"),
        ("kebakaran di asrama, kami terjebak", "trapped"),
        ("TOLONGGGG sy dipukulin skrg", "attack_now"),
        ("dulu pernah dipukul, tp skrg dia mau bunuh sy", "threat_to_kill"),
    ],
)
def test_fires_on_danger(text: str, signal: str) -> None:
    result = scan(text)
    assert signal in result.signals, result


@pytest.mark.parametrize(
    "text",
    [
        "dulu pernah dipukul majikan",  # past: abuse, not emergency
        "majikan sering memukul saya",  # habitual: abuse
        "saya tidak mau bunuh diri kok, cuma sedih",  # negated
        "tahun lalu saya pernah diperkosa, sekarang saya butuh konseling",  # long past
        "hp saya mau mati, nanti saya chat lagi",  # the phone's battery
        "paspor saya dikunci di lemari majikan",  # documents locked away: trafficking
        "saya terjebak hutang ke agen",  # debt, not a disaster
        "gaji saya belum dibayar",
        "mau kirim uang ke kampung",
        "asap kebakaran hutan bikin sesak",  # a crisis around, not trapped in a fire
        "i was beaten by my previous employer years ago",
    ],
)
def test_quiet_on_past_negated_or_harmless(text: str) -> None:
    assert scan(text).signals == (), scan(text)


def test_past_and_present_in_one_message_keeps_the_present() -> None:
    result = scan("Dulu saya pernah dipukul. Sekarang dia lagi pukul saya lagi, tolong!")
    assert "attack_now" in result.signals


def test_suppressed_signals_are_reported() -> None:
    result = scan("dulu pernah dipukul majikan")
    assert result.suppressed == ("attack_now",)
    assert not result.fired
    assert not result.overrides


def test_soft_signal_flags_but_does_not_override() -> None:
    result = scan("tolong cepat")
    assert result.fired
    assert not result.overrides
