"""The bridge to case management (contract 1: `perisai.cases.intake.open_case`).

The cases module is built at the same time as this one: until `perisai.cases.intake` exists, hand-offs
stay in the help-desk queue without a case (and `available()` says so on the staff pages).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from functools import lru_cache
from types import ModuleType
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from perisai.core import crypto

from .conf import channel_type_code
from .models import Conversation

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _intake_present() -> bool:
    try:
        return importlib.util.find_spec("perisai.cases.intake") is not None
    except ModuleNotFoundError:
        return False


def intake() -> ModuleType | None:
    if not _intake_present():
        return None
    return importlib.import_module("perisai.cases.intake")


def available() -> bool:
    return _intake_present()


def case_type_for(definition: dict[str, Any], topic: str, urgency: str) -> str:
    spec = definition.get("topics", {}).get(topic) or {}
    case_type = str(spec.get("case_type", ""))
    if not case_type and urgency == "emergency":
        return "violence"  # the help bot serves women facing violence: an emergency is treated as one
    return case_type


def topic_label(definition: dict[str, Any], topic: str, language: str) -> str:
    spec = definition.get("topics", {}).get(topic) or {}
    label = spec.get("label") or {}
    return str(label.get(language) or label.get("id") or topic)


def contact_for_case(conversation: Conversation) -> str:
    """How staff can reach her outside the chat: her number, or the Telegram chat; nothing for the web chat."""
    kind = channel_type_code(conversation.channel)
    if kind not in ("whatsapp", "sms", "telegram") or not conversation.contact.address_encrypted:
        return ""
    return crypto.decrypt(conversation.contact.address_encrypted)


def transcript_of(conversation: Conversation) -> str:
    """The conversation as text, only when she agreed to share it."""
    if not conversation.transcript_consent:
        return ""
    who: dict[str, str] = {"person": "Dia", "bot": "Bot", "staff": "Petugas"}
    lines = []
    for message in conversation.messages.order_by("created_at", "id"):
        text = crypto.decrypt(message.text_encrypted) if message.text_encrypted else ""
        if message.has_location and not text:
            text = "[lokasi]"
        if text:
            lines.append(f"{message.created_at:%Y-%m-%d %H:%M} {who.get(message.author, '?')}: {text}")
    return "\n".join(lines)


def open_case_for(
    conversation: Conversation,
    *,
    definition: dict[str, Any],
    urgency: str,
    case_type: str = "",
    actor: Any = None,
    location: tuple[float, float] | None = None,
    note: str = "",
) -> Any | None:
    """Open the case of this conversation, or attach a note to it (the same link: the cases module raises
    its urgency and pages on an emergency). None when the cases module is not there yet, in test mode, or
    when the topic opens no case by itself (staff can open one from the conversation)."""
    module = intake()
    if module is None or conversation.test_mode:
        if module is None and not conversation.test_mode:
            logger.warning("help-desk conversation %s: case intake not installed", conversation.pk)
        return None
    topic = conversation.topic or ("emergency" if urgency == "emergency" else "other")
    case_type = case_type or case_type_for(definition, topic, urgency)
    if not case_type:
        return None
    with override(settings.LANGUAGE_CODE):
        language = settings.LANGUAGE_CODE[:2]
        summary = _("Help bot (%(channel)s): %(topic)s. Conversation: %(url)s") % {
            "channel": conversation.channel,
            "topic": topic_label(definition, topic, language),
            "url": conversation_url(conversation),
        }
        if location is not None:
            summary += " " + _("She shared her location: %(lat).5f, %(lon).5f.") % {
                "lat": location[0],
                "lon": location[1],
            }
        if conversation.mission is not None:
            summary += " " + _("Mission: %(mission)s.") % {"mission": conversation.mission.name}
        if note:
            summary += " " + note
    details: dict[str, object] = {
        "conversation": str(conversation.public_id),
        "channel": conversation.channel,
        "topic": topic,
        "language": conversation.language,
    }
    if location is not None:
        details["location"] = {"lat": round(location[0], 5), "lon": round(location[1], 5)}
    case = module.open_case(
        source="helpdesk",
        case_type=case_type,
        urgency=urgency,
        summary=summary,
        person=_person_for(conversation),
        subject_name="",
        contact=contact_for_case(conversation),
        mission=conversation.mission,
        region_code="",
        details=details,
        transcript=transcript_of(conversation),
        transcript_consented=bool(conversation.transcript_consent),
        link_type="helpdesk.conversation",
        link_id=str(conversation.public_id),
        actor=actor,
    )
    conversation.case_public_id = case.public_id
    conversation.case_code = str(case.code)
    conversation.case_urgency = str(getattr(case, "urgency", urgency))
    try:
        conversation.case_url = str(module.case_url(case))[:200]
    except Exception:
        conversation.case_url = ""
    return case


def conversation_url(conversation: Conversation) -> str:
    from django.urls import reverse

    path = reverse("helpdesk:conversation", kwargs={"public_id": conversation.public_id})
    base = str(getattr(settings, "PERISAI_BASE_URL", "") or "").rstrip("/")
    return base + path


def _person_for(conversation: Conversation) -> Any:
    """Her own registration, when her number matches exactly one (so the officer sees where she works)."""
    if channel_type_code(conversation.channel) not in ("whatsapp", "sms"):
        return None
    from perisai.registry.models import Person, PersonStatus

    number = contact_for_case(conversation)
    if not number:
        return None
    from django.db.models import Q

    found = list(
        Person.objects.filter(Q(phone=number) | Q(whatsapp=number))
        .exclude(status__in=[PersonStatus.ERASED, PersonStatus.MERGED])
        .only("pk")[:2]
    )
    return found[0] if len(found) == 1 else None
