"""What the flows' actions do on the platform: find the mission, handle an emergency, share a location,
hand off to a human, end. The engine (flows/engine.py) calls `act`; this writes to the conversation object
(saved by the caller, in the same transaction) and to cases through casebridge."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, override

from perisai.core import audit, crypto
from perisai.helpdesk.nlu import classify
from perisai.places.models import Country, Mission
from perisai.places.selectors import country_display_name, mission_for_country

from . import casebridge
from .conf import channel_type_code, live_window, transcript_period
from .flows.engine import (
    ActionResult,
    Inbound,
    State,
    Understanding,
    normalise_command,
    normalise_defined,
    render,
)
from .models import Conversation, Urgency
from .whereabouts import Place, country_from_phone, mission_for, place_from_point, place_from_text

URGENCY_RANK: dict[str, int] = {Urgency.EMERGENCY: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2}


def higher_urgency(a: str, b: str) -> str:
    return a if URGENCY_RANK.get(a, 2) <= URGENCY_RANK.get(b, 2) else b


class PlatformRuntime:
    """One message's runtime. `end_mode` tells the caller to close, stop or erase after the replies."""

    def __init__(
        self,
        *,
        conversation: Conversation,
        address: str,
        definition: Mapping[str, Any],
        understood: dict[str, Understanding] | None = None,
    ) -> None:
        self.conversation = conversation
        self.address = address
        self.definition = definition
        self.understood: dict[str, Understanding] = dict(understood or {})
        self.end_mode = ""
        self.now = timezone.now()
        # Writes the actions need (audit events, cases, erasing refused transcripts) run later, inside the
        # short write transaction, once the conversation row is saved (actions.do_receive_message).
        self.deferred: list[Callable[[], object]] = []

    # ---- Runtime protocol ----

    def understand(self, text: str) -> Understanding:
        found = self.understood.get(text)
        if found is None:
            found = understand(text)
            self.understood[text] = found
        return found

    def act(self, action: str, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        handler = getattr(self, "_act_" + action, None)
        if handler is None:
            return ActionResult("unknown")
        result: ActionResult = handler(params, state, inbound)
        return result

    # ---- actions ----

    def _act_nearest_mission(self, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        conv = self.conversation
        if conv.mission is None and conv.country:
            conv.mission = mission_for_country(conv.country)
        if conv.mission is None:
            return ActionResult("unknown")
        return ActionResult("ok", self._mission_vars(state))

    def _act_resolve_place(self, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        place = self._place_from(inbound)
        if place is None:
            return ActionResult("unknown")
        self._set_place(place, shared_point=inbound.location is not None)
        return ActionResult("ok", {**self._place_vars(place, state), **self._mission_vars(state)})

    def _act_emergency(self, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        conv = self.conversation
        conv.urgency = Urgency.EMERGENCY
        if conv.topic not in ("abuse", "trafficking"):
            conv.topic = "emergency"
        if conv.status != Conversation.Status.HANDOFF:
            conv.status = Conversation.Status.HANDOFF
            conv.handoff_at = conv.handoff_at or self.now
            details = {"channel": conv.channel, "test": conv.test_mode}
            self.deferred.append(
                lambda: audit.record(actor=None, action="helpdesk.emergency", target=conv, details=details)
            )
        if not conv.country:
            hint = (
                country_from_phone(self.address)
                if channel_type_code(conv.channel) in ("sms", "whatsapp")
                else ""
            )
            if hint and Country.objects.filter(iso2=hint).exists():
                conv.country = hint
                conv.mission = conv.mission or mission_for_country(hint)
        variables: dict[str, str] = {"urgency": "emergency", "topic": conv.topic}
        if conv.country:
            variables.update(self._numbers_vars(state))
            variables.update(self._mission_vars(state))
        mission_code = conv.mission.code if conv.mission else ""
        if conv.case_urgency != "emergency" or state.vars.get("case_mission", "") != mission_code:
            definition = dict(self.definition)
            self.deferred.append(
                lambda: casebridge.open_case_for(conv, definition=definition, urgency="emergency")
            )
            variables["case_mission"] = mission_code
        if conv.case_code:
            variables["case_code"] = conv.case_code
        variables["located"] = "yes" if conv.location_encrypted else ""
        return ActionResult("known" if conv.country else "unknown", variables)

    def _act_share_location(self, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        conv = self.conversation
        said = normalise_command(inbound.text)
        if inbound.location is None and said in {normalise_defined(w) for w in self.definition["no_words"]}:
            return ActionResult("declined")
        place = self._place_from(inbound)
        if place is None:
            return ActionResult("unknown")
        self._set_place(place, shared_point=True)
        point = (place.lat, place.lon) if place.lat is not None and place.lon is not None else None
        definition, urgency = dict(self.definition), conv.urgency

        def share() -> None:
            casebridge.open_case_for(conv, definition=definition, urgency=urgency, location=point)
            audit.record(
                actor=None, action="helpdesk.location_shared", target=conv, details={"test": conv.test_mode}
            )

        self.deferred.append(share)
        return ActionResult("shared", {**self._place_vars(place, state), **self._mission_vars(state)})

    def _act_open_case(self, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        conv = self.conversation
        urgency = str(params.get("urgency") or conv.urgency)
        definition, case_type = dict(self.definition), str(params.get("case_type", ""))
        self.deferred.append(
            lambda: casebridge.open_case_for(
                conv, definition=definition, urgency=urgency, case_type=case_type
            )
        )
        return ActionResult("ok" if casebridge.available() else "unavailable")

    def _act_handoff(self, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        conv = self.conversation
        topic = state.vars.get("topic") or conv.topic or "other"
        if conv.topic != "emergency" or topic in ("abuse", "trafficking"):
            conv.topic = topic
        topic_urgency = str((self.definition.get("topics", {}).get(topic) or {}).get("urgency", "normal"))
        urgency = higher_urgency(
            conv.urgency, higher_urgency(str(params.get("urgency", "normal")), topic_urgency)
        )
        conv.urgency = urgency
        self.apply_choices(state)
        first = conv.status != Conversation.Status.HANDOFF
        conv.status = Conversation.Status.HANDOFF
        conv.handoff_at = conv.handoff_at or self.now
        variables: dict[str, str] = {}
        definition = dict(self.definition)
        note = ""
        open_case = not conv.case_public_id
        if not open_case and conv.transcript_consent and state.vars.get("consent_noted") != "yes":
            with override(settings.LANGUAGE_CODE):
                note = gettext("She agreed that staff may read the conversation.")
            open_case = True
            variables["consent_noted"] = "yes"

        def hand_off() -> None:
            if open_case:
                casebridge.open_case_for(conv, definition=definition, urgency=urgency, note=note)
            if first or note:
                details = {
                    "topic": conv.topic,
                    "urgency": urgency,
                    "case": conv.case_code,
                    "test": conv.test_mode,
                }
                audit.record(actor=None, action="helpdesk.handoff", target=conv, details=details)

        self.deferred.append(hand_off)
        if conv.case_code:
            variables["case_code"] = conv.case_code
        return ActionResult("ok", variables)

    def _act_end(self, params: Mapping[str, Any], state: State, inbound: Inbound) -> ActionResult:
        self.end_mode = str(params.get("mode", "close"))
        return ActionResult("ok")

    # ---- helpers ----

    def apply_choices(self, state: State) -> None:
        """Her answers to the consent questions, from the flow's variables onto the conversation."""
        conv = self.conversation
        consent = state.vars.get("transcript_consent")
        if consent in ("yes", "no"):
            agreed = consent == "yes"
            if conv.transcript_consent is not agreed:
                conv.transcript_consent = agreed
                from .actions import apply_transcript_choice

                now = self.now
                self.deferred.append(lambda: apply_transcript_choice(conversation=conv, now=now))
        followup = state.vars.get("followup")
        if followup in ("any", "morning", "evening"):
            conv.followup = followup
        elif followup == "none":
            conv.followup = Conversation.FollowUp.NONE

    def _text(self, key: str, state: State) -> str:
        value = self.definition.get("texts", {}).get(key) or {}
        return str(value.get(state.language) or value.get("id") or "")

    def _place_from(self, inbound: Inbound) -> Place | None:
        if inbound.location is not None:
            return place_from_point(*inbound.location)
        if inbound.text.strip():
            return place_from_text(inbound.text)
        return None

    def _set_place(self, place: Place, *, shared_point: bool) -> None:
        conv = self.conversation
        conv.country = place.country
        conv.mission = mission_for(place) or conv.mission
        if shared_point and place.lat is not None and place.lon is not None:
            conv.location_encrypted = crypto.encrypt(
                json.dumps({"lat": round(place.lat, 5), "lon": round(place.lon, 5)})
            )

    def _place_vars(self, place: Place, state: State) -> dict[str, str]:
        return {"country_name": self._country_name(place.country, state), "place": place.label}

    def _country_name(self, iso2: str, state: State) -> str:
        country = Country.objects.filter(iso2=iso2).only("iso2", "name").first()
        if country is None:
            return iso2
        with override(state.language):
            return country_display_name(country.iso2, country.name)

    def _numbers_vars(self, state: State) -> dict[str, str]:
        conv = self.conversation
        numbers: dict[str, str] = {}
        country = Country.objects.filter(iso2=conv.country).only("iso2", "name", "emergency_numbers").first()
        if country is not None:
            numbers = {k: str(v) for k, v in (country.emergency_numbers or {}).items()}
        police, ambulance, general = numbers.get("police"), numbers.get("ambulance"), numbers.get("general")
        if general and police in (None, general) and ambulance in (None, general):
            line = f"{self._text('label_general', state)} {general}"
        else:
            parts = []
            if police:
                parts.append(f"{self._text('label_police', state)} {police}")
            if ambulance and ambulance != police:
                parts.append(f"{self._text('label_ambulance', state)} {ambulance}")
            elif ambulance:
                parts[-1] = (
                    f"{self._text('label_police', state)}/{self._text('label_ambulance', state).lower()} {police}"
                )
            if general and general not in (police, ambulance):
                parts.append(f"{self._text('label_general', state)} {general}")
            line = ", ".join(parts) or self._text("no_numbers", state)
        return {
            "emergency_numbers": line,
            "police": police or "",
            "ambulance": ambulance or "",
            "country_name": self._country_name(conv.country, state) if conv.country else "",
        }

    def _mission_vars(self, state: State) -> dict[str, str]:
        mission: Mission | None = self.conversation.mission
        if mission is None:
            return {}
        phone = mission.hotline or mission.phone
        values = {"mission": mission.name, "phone": phone, "website": mission.website}
        if phone:
            key = "mission_line_phone"
        elif mission.website:
            key = "mission_line_website"
        else:
            key = "mission_line_name"
        return {"mission": mission.name, "mission_line": render(self._text(key, state), values)}


def understand(text: str) -> Understanding:
    result = classify(text)
    return Understanding(result.intent, result.confidence, result.emergency)


def message_purge_after(conversation: Conversation, now: dt.datetime) -> dt.datetime:
    return now + (transcript_period() if conversation.transcript_consent else live_window())
