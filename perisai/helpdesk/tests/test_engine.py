"""The conversation engine alone (no database): flows as data, commands, fallback, timeouts, safety."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest

from perisai.helpdesk.flows.definition import iter_texts, load_default, set_text, validate
from perisai.helpdesk.flows.engine import (
    ActionResult,
    Engine,
    FlowError,
    Inbound,
    Outcome,
    State,
    Understanding,
    normalise_command,
    render,
)

# What the fake classifier "understands": exact texts only, so the tests do not depend on the model.
MEANINGS = {
    "gaji saya belum dibayar 3 bulan": Understanding("wages", 0.95, False),
    "my employer is beating me right now": Understanding("emergency", 0.9, True),
    "dia mau bunuh saya": Understanding("emergency", 0.9, True),
    "saya mau pulang tapi paspor ditahan": Understanding("trafficking", 0.45, False),
    "hmm entahlah": Understanding("other", 0.4, False),
    "halo": Understanding("greeting", 0.95, False),
}


class FakeRuntime:
    def __init__(self, country: str = "") -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.country = country

    def understand(self, text: str) -> Understanding:
        return MEANINGS.get(text, Understanding("other", 0.2, False))

    def act(self, action: str, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        self.calls.append((action, dict(params)))
        if action == "emergency":
            known = bool(self.country)
            return ActionResult(
                "known" if known else "unknown",
                {
                    "urgency": "emergency",
                    "emergency_numbers": "Polisi 999",
                    "mission_line": "KBRI Kuala Lumpur",
                },
            )
        if action == "resolve_place":
            if inbound.text.strip().lower() == "malaysia" or inbound.location:
                self.country = "MY"
                return ActionResult("ok", {"country_name": "Malaysia"})
            return ActionResult("unknown")
        if action == "nearest_mission":
            return (
                ActionResult("ok", {"mission_line": "KBRI Kuala Lumpur"})
                if self.country
                else ActionResult("unknown")
            )
        if action == "share_location":
            if inbound.location:
                return ActionResult("shared")
            return ActionResult("declined" if inbound.text.strip().lower() == "tidak" else "unknown")
        return ActionResult("ok")


FLOW = load_default()


def run(state: State, text: str = "", *, runtime: FakeRuntime | None = None, **extra: Any) -> Outcome:
    return Engine(FLOW, runtime or FakeRuntime()).handle(state, Inbound(text=text, **extra))


def texts(outcome: Outcome) -> str:
    return "\n".join(r.as_text() for r in outcome.replies)


def test_the_shipped_flow_is_valid_and_bilingual() -> None:
    assert validate(FLOW) == []
    for _path, _label, value in iter_texts(FLOW):
        assert value["id"].strip() and value["en"].strip()
        assert value["id"] != value["en"] or "{" in value["id"]


def test_a_greeting_gets_the_welcome_and_the_menu() -> None:
    outcome = run(State(), "halo")
    assert outcome.state.node == "main_menu"
    assert "DARURAT" in outcome.replies[0].text
    assert [o.key for o in outcome.replies[-1].options] == ["1", "2", "3", "4", "5", "6", "7"]


def test_a_first_message_with_a_problem_is_answered_at_once() -> None:
    outcome = run(State(), "gaji saya belum dibayar 3 bulan")
    assert outcome.state.node == "next_steps" and outcome.state.vars["topic"] == "wages"
    assert "Gaji yang tidak dibayar" in texts(outcome)
    assert outcome.intent == "wages"


def test_an_emergency_first_message_skips_the_welcome() -> None:
    runtime = FakeRuntime()
    outcome = run(State(), "dia mau bunuh saya", runtime=runtime)
    assert runtime.calls[0][0] == "emergency"
    assert outcome.state.node == "emergency_ask_place"
    assert "Perisai untuk warga" not in texts(outcome)


def test_the_emergency_path_gives_numbers_offers_location_and_hands_off() -> None:
    runtime = FakeRuntime()
    state = run(State(), "dia mau bunuh saya", runtime=runtime).state
    outcome = run(state, "Malaysia", runtime=runtime)
    assert "Polisi 999" in texts(outcome) and "KBRI Kuala Lumpur" in texts(outcome)
    assert outcome.state.node == "emergency_location" and outcome.replies[-1].ask_location
    outcome = run(outcome.state, location=(3.15, 101.7), runtime=runtime)
    assert outcome.state.node == "emergency_consent"
    outcome = run(outcome.state, "1", runtime=runtime)
    assert outcome.state.node == "emergency_handoff"
    assert ("handoff", {"urgency": "emergency"}) in runtime.calls
    assert outcome.state.vars["transcript_consent"] == "yes"
    # With a human now, the bot acknowledges once and then stays quiet.
    first = run(outcome.state, "dia di depan pintu", runtime=runtime)
    assert "teruskan ke petugas" in texts(first)
    assert run(first.state, "cepat", runtime=runtime).replies == []


@pytest.mark.parametrize(
    ("word", "node"),
    [
        ("DARURAT", "emergency_ask_place"),
        ("sos!", "emergency_ask_place"),
        ("Tolong", "emergency_ask_place"),
        ("ORANG", "handoff_start"),
        ("agen", "handoff_start"),
        ("human", "handoff_start"),
        ("MENU", "main_menu"),
    ],
)
def test_global_commands_beat_the_current_node(word: str, node: str) -> None:
    state = State(node="ask_place", vars={"topic": "wages"})
    outcome = run(state, word)
    assert outcome.command and outcome.state.node == node


def test_tolong_inside_a_sentence_is_not_a_command() -> None:
    assert Engine(FLOW, FakeRuntime()).command_for("tolong bantu saya soal gaji") == ""
    assert Engine(FLOW, FakeRuntime()).command_for("  TOLONG!! ") == "emergency"


@pytest.mark.parametrize(
    ("word", "mode"), [("STOP", "stop"), ("berhenti", "stop"), ("HAPUS", "erase"), ("delete", "erase")]
)
def test_stop_and_erase_end_the_conversation(word: str, mode: str) -> None:
    runtime = FakeRuntime()
    outcome = run(State(node="next_steps", vars={"topic": "wages"}), word, runtime=runtime)
    assert outcome.closed and outcome.state.node == "" and outcome.state.vars == {}
    assert runtime.calls[-1] == ("end", {"mode": mode})


def test_a_danger_signal_inside_a_menu_jumps_to_the_emergency() -> None:
    runtime = FakeRuntime(country="MY")
    outcome = run(
        State(node="next_steps", vars={"topic": "wages"}),
        "my employer is beating me right now",
        runtime=runtime,
    )
    assert runtime.calls[0][0] == "emergency"
    assert outcome.state.node == "emergency_location"


def test_two_stage_fallback_confirms_then_asks_to_rephrase_then_offers_a_human() -> None:
    state = State(node="main_menu")
    outcome = run(state, "saya mau pulang tapi paspor ditahan")  # a weak guess: trafficking
    assert outcome.state.fallback == 1 and "perdagangan orang" in texts(outcome)
    assert [o.key for o in outcome.replies[0].options] == ["1", "2"]
    yes = run(outcome.state, "ya")
    assert yes.state.node == "next_steps" and yes.state.vars["topic"] == "trafficking"
    no = run(outcome.state, "tidak")
    assert no.state.fallback == 2 and "kata-kata lain" in texts(no)
    human = run(no.state, "hmm entahlah")
    assert human.state.node == "fallback_human" and human.state.fallback == 0


def test_no_guess_goes_straight_to_rephrase() -> None:
    outcome = run(State(node="main_menu"), "hmm entahlah")
    assert outcome.state.fallback == 2 and "kata-kata lain" in texts(outcome)


def test_menu_options_match_by_number_label_or_keyword() -> None:
    assert run(State(node="handoff_start"), "1").state.vars["transcript_consent"] == "yes"
    assert run(State(node="handoff_start"), "Ya, boleh").state.vars["transcript_consent"] == "yes"
    assert run(State(node="handoff_start"), "gak usah").state.vars["transcript_consent"] == "no"


def test_a_timed_out_wait_goes_through_its_timeout_node_first() -> None:
    outcome = run(State(node="ask_place"), "2", timed_out=True)
    assert texts(outcome).startswith("Selamat datang kembali")
    # ... and then her message answers the node she is taken back to (2 = violence or harassment).
    assert outcome.state.node == "next_steps" and outcome.state.vars["topic"] == "abuse"


def test_english_texts_and_the_language_command() -> None:
    outcome = run(State(language="en"), "halo")
    assert "type SOS" in texts(outcome)
    switched = run(State(node="main_menu"), "ENGLISH")
    assert switched.state.language == "en" and "How can we help" in texts(switched)


def test_the_wait_timeout_is_reported() -> None:
    assert run(State(), "halo").wait_seconds == 3600


def test_render_fills_placeholders_and_tidies() -> None:
    assert render("Hubungi {police}  sekarang {missing}.", {"police": "999"}) == "Hubungi 999 sekarang ."
    assert normalise_command("  Tolong!!  😢 ") == "tolong"


def test_validation_names_every_problem() -> None:
    broken = copy.deepcopy(FLOW)
    broken["nodes"]["welcome"]["next"] = "nowhere"
    broken["nodes"]["main_menu"]["text"]["en"] = ""
    broken["texts"]["confirm"]["id"] = "Maksud Anda {topik}?"
    broken["commands"]["menu"]["words"] = ["STOP"]
    broken["topics"]["wages"]["case_type"] = "salary"
    problems = validate(broken)
    assert any("welcome.next" in p for p in problems)
    assert any("main_menu.text" in p and "en" in p for p in problems)
    assert any("{topik}" in p for p in problems)
    assert any("'STOP'" in p for p in problems)
    assert any("case_type" in p for p in problems)


def test_a_cycle_without_a_wait_is_refused_and_never_runs_forever() -> None:
    broken = copy.deepcopy(FLOW)
    broken["nodes"]["welcome_back"]["next"] = "welcome_back"
    assert any("cycle" in p for p in validate(broken))
    with pytest.raises(FlowError):
        Engine(broken, FakeRuntime()).handle(State(node="main_menu"), Inbound("x", timed_out=True))


def test_set_text_changes_one_text() -> None:
    flow = copy.deepcopy(FLOW)
    set_text(flow, "nodes.main_menu.options.2.label", "id", "Gaji saya tidak dibayar")
    assert flow["nodes"]["main_menu"]["options"][2]["label"]["id"] == "Gaji saya tidak dibayar"
