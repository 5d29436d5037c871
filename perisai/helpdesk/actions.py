"""Writes of the help desk: a message comes in, staff answer, a conversation is closed or erased, a flow
is edited and published. Keyword-only, atomic, audited; messages go out through the outbox on commit.

Nothing here logs what a person wrote: log lines carry record ids only.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import logging
import re
import secrets
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit, crypto
from perisai.core.messaging.actions import do_queue_message
from perisai.core.models import OutboxMessage, User
from perisai.helpdesk.nlu import classify

from . import casebridge
from .conf import (
    MAX_TEXT,
    channel_type_code,
    default_flow,
    followup_delay,
    live_window,
    transcript_period,
    webchat_channel,
    whatsapp_window,
)
from .flows.definition import load_default, set_text, validate
from .flows.engine import Engine, Inbound, Reply, State, Understanding, normalise_command
from .models import Contact, Conversation, Flow, FlowVersion, InboundReceipt, Message
from .runtime import PlatformRuntime, message_purge_after

logger = logging.getLogger(__name__)

TEST_CHANNEL = "test"
PROVIDER_TYPES = ("whatsapp", "telegram", "sms_http", "console")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class HelpdeskError(ValueError):
    """A request that cannot be done, with a translated message for the person who asked."""


@dataclass(frozen=True)
class Received:
    conversation: Conversation | None
    replies: tuple[Reply, ...] = ()
    duplicate: bool = False
    handled_by: str = "bot"  # "bot", "checkin" (crisis check-in reply) or "duplicate"
    erased: bool = False
    truncated: bool = False
    message_ids: tuple[int, ...] = field(default_factory=tuple)


# ---- flows ----


def ensure_published(slug: str | None = None) -> FlowVersion:
    """The published version of a flow; the shipped default flow is published on first use."""
    slug = slug or default_flow()
    version = (
        FlowVersion.objects.select_related("flow")
        .defer("definition")
        .filter(flow__slug=slug, status=FlowVersion.Status.PUBLISHED)
        .first()
    )
    if version is not None:
        return version
    if slug != default_flow():
        raise FlowVersion.DoesNotExist(slug)
    definition = load_default()
    try:
        with transaction.atomic():
            flow, _created = Flow.objects.get_or_create(
                slug=slug, defaults={"name": str(definition.get("name", slug))[:120]}
            )
            number = (flow.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            _forget_definitions()
            version = FlowVersion.objects.create(
                flow=flow,
                number=number,
                status=FlowVersion.Status.PUBLISHED,
                definition=definition,
                published_at=timezone.now(),
            )
            audit.record(
                actor=None, action="helpdesk.flow_published", target=version, details={"number": number}
            )
    except IntegrityError:  # another process published it at the same moment
        return FlowVersion.objects.select_related("flow").get(
            flow__slug=slug, status=FlowVersion.Status.PUBLISHED
        )
    return version


def published_version_id(slug: str | None = None) -> int:
    """The id of the flow's published version (what a new conversation runs), in one light query; the
    shipped default flow is published on first use (ensure_published)."""
    slug = slug or default_flow()
    found = (
        FlowVersion.objects.filter(flow__slug=slug, status=FlowVersion.Status.PUBLISHED)
        .values_list("pk", flat=True)
        .first()
    )
    return int(found) if found is not None else ensure_published(slug).pk


def do_save_flow_texts(
    *, flow: Flow, texts: Mapping[tuple[str, str], str], actor: User
) -> tuple[FlowVersion, list[str]]:
    """Save edited texts into the flow's draft (made from the published version if there is none).

    Returns the draft and the problems found; with problems nothing is saved (the editor shows them).
    """
    with transaction.atomic():
        draft = flow.versions.select_for_update().filter(status=FlowVersion.Status.DRAFT).first()
        base = draft or flow.versions.filter(status=FlowVersion.Status.PUBLISHED).first()
        if base is None:
            raise HelpdeskError(_("This flow has no version to start from."))
        definition = copy.deepcopy(base.definition)
        changed = []
        for (path, language), text in texts.items():
            text = _CONTROL.sub("", text).strip()
            try:
                set_text(definition, path, language, text)
            except (KeyError, IndexError, ValueError, TypeError) as exc:
                raise HelpdeskError(_("This text does not exist in the flow.")) from exc
            changed.append(path)
        problems = validate(definition)
        if problems:
            transaction.set_rollback(True)
            return base, problems
        if draft is None:
            number = (flow.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            draft = FlowVersion.objects.create(
                flow=flow, number=number, definition=definition, created_by=actor
            )
        else:
            draft.definition = definition
            draft.created_by = actor
            draft.save(update_fields=["definition", "created_by"])
        audit.record(
            actor=actor,
            action="helpdesk.flow_edited",
            target=draft,
            details={"number": draft.number, "texts": len(set(changed))},
        )
    return draft, []


def do_publish_flow(*, flow: Flow, actor: User) -> FlowVersion:
    """Publish the draft: new conversations use it; conversations in progress keep their version."""
    with transaction.atomic():
        draft = flow.versions.select_for_update().filter(status=FlowVersion.Status.DRAFT).first()
        if draft is None:
            raise HelpdeskError(_("There is no draft to publish. Edit the texts first."))
        problems = validate(draft.definition)
        if problems:
            raise HelpdeskError(
                _("The draft has problems and cannot be published: %(p)s") % {"p": problems[0]}
            )
        _forget_definitions()
        flow.versions.filter(status=FlowVersion.Status.PUBLISHED).update(status=FlowVersion.Status.ARCHIVED)
        draft.status = FlowVersion.Status.PUBLISHED
        draft.published_by = actor
        draft.published_at = timezone.now()
        draft.save(update_fields=["status", "published_by", "published_at"])
        audit.record(
            actor=actor, action="helpdesk.flow_published", target=draft, details={"number": draft.number}
        )
    return draft


def do_discard_draft(*, flow: Flow, actor: User) -> bool:
    with transaction.atomic():
        draft = flow.versions.filter(status=FlowVersion.Status.DRAFT).first()
        if draft is None:
            return False
        audit.record(actor=actor, action="helpdesk.flow_draft_discarded", target=draft)
        draft.delete()
    return True


def do_load_flow(
    *, slug: str, definition: dict[str, Any], actor: User | None = None, publish: bool = False
) -> FlowVersion:
    """Load a whole definition (a JSON file) as the flow's new draft, and publish it if asked."""
    problems = validate(definition)
    if problems:
        raise HelpdeskError("; ".join(problems[:5]))
    with transaction.atomic():
        flow, _created = Flow.objects.get_or_create(
            slug=slug, defaults={"name": str(definition.get("name", slug))[:120]}
        )
        flow.versions.filter(status=FlowVersion.Status.DRAFT).delete()
        _forget_definitions()
        number = (flow.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = FlowVersion.objects.create(
            flow=flow, number=number, definition=definition, created_by=actor
        )
        audit.record(actor=actor, action="helpdesk.flow_loaded", target=version, details={"number": number})
        if publish:
            return do_publish_flow(flow=flow, actor=actor)  # type: ignore[arg-type]
    return version


# ---- receiving a message ----


def new_webchat_token() -> str:
    return secrets.token_urlsafe(24)


def _address_index(channel: str, address: str) -> str:
    return crypto.blind_index(f"helpdesk:{channel}", address)


def _clean(text: str) -> tuple[str, bool]:
    text = _CONTROL.sub("", text or "").strip()
    if len(text) > MAX_TEXT:
        return text[:MAX_TEXT], True
    return text, False


@lru_cache(maxsize=1)
def _checkin_module_present() -> bool:
    try:
        return importlib.util.find_spec("perisai.crisis.inbound") is not None
    except ModuleNotFoundError:
        return False


def _checkin_reply(channel: str, sender: str, text: str, location: tuple[float, float] | None) -> str | None:
    """Contract 2: a crisis check-in answer ("AMAN", "BANTU"...) is the crisis module's, not the bot's."""
    if not text or channel_type_code(channel) not in PROVIDER_TYPES or not _checkin_module_present():
        return None
    from perisai.crisis.inbound import handle_checkin_reply

    reply: str | None = handle_checkin_reply(channel=channel, sender=sender, text=text, location=location)
    return reply


def _write_gate() -> AbstractContextManager[None]:
    """On SQLite, writers queue on the crisis module's write gate (a kernel lock beside the database, shared
    with the check-ins) instead of sleeping 1-100 ms at a time in SQLite's busy handler; elsewhere, or
    without the crisis module, nothing."""
    if _checkin_module_present():
        from perisai.crisis.writegate import write_gate

        return write_gate()
    return nullcontext()


_definitions: dict[int, dict[str, Any]] = {}


def definition_of(version_id: int) -> dict[str, Any]:
    """A version's definition. A published (or archived) version never changes again and ids are never
    reused, so it is kept in memory; a draft is read afresh each time."""
    found = _definitions.get(version_id)
    if found is not None:
        return found
    version = FlowVersion.objects.only("status", "definition").get(pk=version_id)
    if version.status != FlowVersion.Status.DRAFT:
        if len(_definitions) > 64:
            _definitions.clear()
        _definitions[version_id] = version.definition
    return dict(version.definition)


def _forget_definitions() -> None:
    """Versions were made or removed in this process (tests roll ids back): start the cache afresh."""
    _definitions.clear()


class _Conflict(Exception):
    """Another message of the same person changed the conversation meanwhile: run this one again."""


UPDATED_FIELDS = (
    "status",
    "node",
    "vars",
    "fallback_stage",
    "guess",
    "guess_topic",
    "waiting_until",
    "language",
    "topic",
    "urgency",
    "country",
    "mission",
    "location_encrypted",
    "transcript_consent",
    "followup",
    "followup_due_at",
    "handoff_at",
    "needs_reply",
    "closed_at",
    "last_activity_at",
)
CASE_FIELDS = ("case_public_id", "case_code", "case_url", "case_urgency")


def do_receive_message(
    *,
    channel: str,
    sender: str,
    text: str = "",
    location: tuple[float, float] | None = None,
    provider_id: str = "",
    language: str = "",
    flow_version: FlowVersion | None = None,
) -> Received:
    """One message from a person on a channel: the bot's answer (queued for provider channels).

    `sender` is her address on the channel (E.164, "telegram:<chat id>", or the web-chat token). With a
    `provider_id`, a repeated delivery of the same message is recognised and ignored. `flow_version`
    runs a conversation in test mode (nothing leaves the platform, no case is opened).

    The flow runs first, on what is read (classifying is the slow part); what it changed is then written
    in one short transaction that checks nobody changed the conversation meanwhile (else it runs again).
    """
    text, truncated = _clean(text)
    if location is not None and not (-90 <= location[0] <= 90 and -180 <= location[1] <= 180):
        location = None
    if provider_id and InboundReceipt.objects.filter(channel=channel, provider_id=provider_id[:128]).exists():
        return Received(conversation=None, duplicate=True, handled_by="duplicate")
    if flow_version is None:
        checkin = _checkin_reply(channel, sender, text, location)
        if checkin:
            return _checkin_answered(channel, sender, checkin, provider_id)
    for _attempt in range(4):
        try:
            return _receive_once(
                channel, sender, text, location, provider_id, language, flow_version, truncated
            )
        except _Conflict:
            continue
    raise RuntimeError("the conversation kept changing under this message")


def _checkin_answered(channel: str, sender: str, reply: str, provider_id: str) -> Received:
    with transaction.atomic():
        if provider_id:
            try:
                with transaction.atomic():
                    InboundReceipt.objects.create(channel=channel, provider_id=provider_id[:128])
            except IntegrityError:
                return Received(conversation=None, duplicate=True, handled_by="duplicate")
        key = f"helpdesk:checkin:{channel}:{provider_id or secrets.token_hex(8)}"
        _queue(
            channel=channel,
            recipient=sender,
            body=reply,
            key=key,
            object_type="helpdesk.checkin",
            object_id="",
        )
    return Received(conversation=None, replies=(Reply(reply),), handled_by="checkin")


def _receive_once(
    channel: str,
    sender: str,
    text: str,
    location: tuple[float, float] | None,
    provider_id: str,
    language: str,
    flow_version: FlowVersion | None,
    truncated: bool,
) -> Received:
    now = timezone.now()
    test_mode = flow_version is not None
    index = _address_index(channel, sender)
    # ---- read and think (no lock held) ----
    # At most one is open (a constraint), so no ORDER BY is needed (what `.first()` would add).
    conversation = next(
        iter(
            Conversation.objects.select_related("contact")
            .filter(contact__channel=channel, contact__address_index=index)
            .exclude(status=Conversation.Status.CLOSED)[:1]
        ),
        None,
    )
    contact = conversation.contact if conversation is not None else None
    if contact is None:
        contact = Contact.objects.filter(channel=channel, address_index=index).first()
    detected = ""
    runtime_cache: dict[str, Understanding] = {}
    if conversation is None:
        if text and not normalise_command(text).isdigit():
            result = classify(text)
            runtime_cache[text] = Understanding(result.intent, result.confidence, result.emergency)
            detected = result.language
        conversation = Conversation(
            channel=channel,
            flow_version_id=flow_version.pk if flow_version is not None else published_version_id(),
            test_mode=test_mode,
            # the language she writes in when it is clear, else the page's (or the one she used before)
            language=detected
            if detected in ("id", "en")
            else (language or (contact.language if contact else "") or "id"),
            created_at=now,
            last_activity_at=now,
        )
    revision = conversation.revision
    definition = definition_of(conversation.flow_version_id)
    runtime = PlatformRuntime(
        conversation=conversation, address=sender, definition=definition, understood=runtime_cache
    )
    state = State(
        node=conversation.node,
        vars=dict(conversation.vars or {}),
        language=conversation.language,
        fallback=conversation.fallback_stage,
        guess=conversation.guess,
        guess_topic=conversation.guess_topic,
    )
    timed_out = conversation.waiting_until is not None and now > conversation.waiting_until
    outcome = Engine(definition, runtime).handle(
        state, Inbound(text=text, location=location, timed_out=timed_out)
    )
    runtime.apply_choices(outcome.state)
    replies = tuple(outcome.replies)
    body = "\n\n".join(r.as_text() for r in replies)
    if truncated and body:
        notice = _("(Your message was long: only its first %(n)d characters were read.)") % {"n": MAX_TEXT}
        body = notice + "\n\n" + body
    _apply_outcome(conversation, outcome.state, outcome.wait_seconds, runtime.end_mode, now)

    sealed_in = crypto.encrypt(text) if text else ""  # sealing is done before the lock is taken
    sealed_out = crypto.encrypt(body) if body else ""

    # ---- write (one short transaction) ----
    with _write_gate(), transaction.atomic():
        if provider_id:
            try:
                with transaction.atomic():
                    InboundReceipt.objects.create(channel=channel, provider_id=provider_id[:128])
            except IntegrityError:
                return Received(conversation=None, duplicate=True, handled_by="duplicate")
        contact = _save_contact(contact, channel, index, sender, now, conversation.language)
        if conversation.pk is None:
            conversation.contact = contact
            try:
                with transaction.atomic():
                    conversation.save(force_insert=True)
            except IntegrityError as exc:  # her other message opened one a moment ago
                raise _Conflict from exc
        else:
            values = {name: getattr(conversation, name) for name in UPDATED_FIELDS}
            updated = Conversation.objects.filter(pk=conversation.pk, revision=revision).update(
                revision=revision + 1, **values
            )
            if not updated:
                raise _Conflict
            conversation.revision = revision + 1
        cases_before = tuple(getattr(conversation, f) for f in CASE_FIELDS)
        for write in runtime.deferred:
            # A failing side write (the case intake, say) must not cost her the answer: she still gets
            # it, the conversation is still in the staff queue, and the failure is logged (ids only).
            try:
                with transaction.atomic():
                    write()
            except Exception as exc:
                logger.error(
                    "help-desk conversation %s: a side write failed (%s)", conversation.pk, type(exc).__name__
                )
        if tuple(getattr(conversation, f) for f in CASE_FIELDS) != cases_before:
            Conversation.objects.filter(pk=conversation.pk).update(
                **{f: getattr(conversation, f) for f in CASE_FIELDS}
            )
        if runtime.end_mode == "stop":
            Contact.objects.filter(pk=contact.pk).update(opted_out_at=now)
        if runtime.end_mode == "erase":
            do_erase_conversation(conversation=conversation, actor=None)
            if body:
                key = f"helpdesk:erased:{conversation.pk}:{secrets.token_hex(6)}"
                _send(
                    conversation,
                    sender,
                    body,
                    key=key,
                    object_type="helpdesk.conversation",
                    object_id=str(conversation.pk),
                )
            return Received(conversation=conversation, replies=replies, erased=True)
        purge_after = message_purge_after(conversation, now)
        rows = [
            Message(
                conversation=conversation,
                direction=Message.Direction.IN,
                author=Message.Author.PERSON,
                text_encrypted=sealed_in,
                has_location=location is not None,
                intent=outcome.intent,
                created_at=now,
                purge_after=purge_after,
            )
        ]
        if body:
            rows.append(
                Message(
                    conversation=conversation,
                    direction=Message.Direction.OUT,
                    author=Message.Author.BOT,
                    text_encrypted=sealed_out,
                    created_at=now,
                    purge_after=purge_after,
                )
            )
        created = Message.objects.bulk_create(rows)
        ids = tuple(m.pk for m in created if m.pk is not None)
        if body:
            reply_id = created[-1].pk if created[-1].pk is not None else _last_message_id(conversation)
            _send(
                conversation,
                sender,
                body,
                key=f"helpdesk:{reply_id}",
                object_type="helpdesk.message",
                object_id=str(reply_id),
            )
    return Received(conversation=conversation, replies=replies, truncated=truncated, message_ids=ids)


def _last_message_id(conversation: Conversation) -> int:
    return int(conversation.messages.order_by("-pk").values_list("pk", flat=True)[0])


def _apply_outcome(
    conversation: Conversation, state: State, wait_seconds: int | None, end_mode: str, now: dt.datetime
) -> None:
    conversation.node = state.node
    conversation.vars = state.vars
    conversation.language = state.language
    conversation.fallback_stage = state.fallback
    conversation.guess = state.guess
    conversation.guess_topic = state.guess_topic
    conversation.waiting_until = now + dt.timedelta(seconds=wait_seconds) if wait_seconds else None
    conversation.last_activity_at = now
    topic = state.vars.get("topic", "")
    if topic and conversation.status == Conversation.Status.BOT:
        conversation.topic = topic
    if conversation.status == Conversation.Status.HANDOFF:
        conversation.needs_reply = True
    if end_mode:
        conversation.status = Conversation.Status.CLOSED
        conversation.closed_at = now
        conversation.needs_reply = False
        if end_mode == "stop":
            conversation.followup = Conversation.FollowUp.NONE
            conversation.followup_due_at = None


def _save_contact(
    contact: Contact | None, channel: str, index: str, sender: str, now: dt.datetime, language: str
) -> Contact:
    sealed_address = channel not in (webchat_channel(), TEST_CHANNEL)
    if contact is None:
        # The read before the transaction found none: insert at once (get_or_create would look again first);
        # if her other message created it a moment ago, the constraint says so and that one is used.
        try:
            with transaction.atomic():
                return Contact.objects.create(
                    channel=channel,
                    address_index=index,
                    address_encrypted=crypto.encrypt(sender) if sealed_address else "",
                    language=language,
                    last_inbound_at=now,
                )
        except IntegrityError:
            contact = Contact.objects.get(channel=channel, address_index=index)
    if not sealed_address and contact.opted_out_at is None:
        return contact  # the web chat has no reply window and no address to keep
    changes: dict[str, Any] = {"last_inbound_at": now}
    if contact.opted_out_at is not None:  # she wrote again: she chose to be in touch
        changes["opted_out_at"] = None
    if sealed_address and not contact.address_encrypted:
        changes["address_encrypted"] = crypto.encrypt(sender)
    Contact.objects.filter(pk=contact.pk).update(**changes)
    for key, value in changes.items():
        setattr(contact, key, value)
    return contact


def _send(
    conversation: Conversation, recipient: str, body: str, *, key: str, object_type: str, object_id: str
) -> OutboxMessage | None:
    """Provider channels get the message through the outbox; the web chat and test mode read it directly."""
    if conversation.test_mode or conversation.channel == webchat_channel():
        return None
    return _queue(
        channel=conversation.channel,
        recipient=recipient,
        body=body,
        key=key,
        object_type=object_type,
        object_id=object_id,
    )


def _queue(
    *, channel: str, recipient: str, body: str, key: str, object_type: str, object_id: str
) -> OutboxMessage:
    return do_queue_message(
        channel=channel,
        recipient=recipient,
        body=body,
        purpose=OutboxMessage.Purpose.CHAT,
        idempotency_key=key,
        object_type=object_type,
        object_id=object_id,
    )


def apply_transcript_choice(*, conversation: Conversation, now: dt.datetime) -> None:
    """She said yes: keep what is there for the transcript period. She said no: what came before goes now."""
    if conversation.pk is None:
        return
    if conversation.transcript_consent:
        conversation.messages.update(purge_after=now + transcript_period())
    else:
        conversation.messages.all().delete()


# ---- erasing (HAPUS) ----


def do_erase_conversation(*, conversation: Conversation, actor: User | None) -> None:
    """Erase what she wrote and what was written to her, at once. The audit keeps only that it happened."""
    with transaction.atomic():
        message_ids = [str(pk) for pk in conversation.messages.values_list("pk", flat=True)]
        OutboxMessage.objects.filter(object_type="helpdesk.message", object_id__in=message_ids).update(
            body=""
        )
        OutboxMessage.objects.filter(
            object_type="helpdesk.message", object_id__in=message_ids, status=OutboxMessage.Status.QUEUED
        ).update(status=OutboxMessage.Status.FAILED, last_error="erased")
        conversation.messages.all().delete()
        now = timezone.now()
        conversation.vars = {}
        conversation.node = ""
        conversation.location_encrypted = ""
        conversation.status = Conversation.Status.CLOSED
        conversation.closed_at = now
        conversation.needs_reply = False
        conversation.transcript_consent = None
        conversation.followup = Conversation.FollowUp.NONE
        conversation.followup_due_at = None
        conversation.waiting_until = None
        conversation.save()
        audit.record(
            actor=actor,
            action="helpdesk.conversation_erased",
            target=conversation,
            details={"messages": len(message_ids), "case": conversation.case_code},
        )


# ---- staff ----


def message_block(conversation: Conversation, *, now: dt.datetime | None = None) -> str:
    """ "" when a free-form message may be sent to her now; otherwise a code: stopped, erased, whatsapp_window."""
    now = now or timezone.now()
    contact = conversation.contact
    if conversation.test_mode:
        return ""
    if contact.opted_out_at is not None and (
        contact.last_inbound_at is None or contact.last_inbound_at <= contact.opted_out_at
    ):
        return "stopped"
    if conversation.channel != webchat_channel() and not contact.address_encrypted:
        return "erased"
    if channel_type_code(conversation.channel) == "whatsapp" and (
        contact.last_inbound_at is None or now - contact.last_inbound_at > whatsapp_window()
    ):
        return "whatsapp_window"
    return ""


def block_reason(code: str) -> str:
    reasons = {
        "stopped": _("She sent STOP: no message may be sent until she writes again."),
        "erased": _("This conversation was erased."),
        "whatsapp_window": _(
            "WhatsApp allows free-form messages only within 24 hours of her last message. "
            "Wait until she writes again."
        ),
    }
    return str(reasons.get(code, code))


def do_reply_to_conversation(*, conversation: Conversation, actor: User, text: str) -> Message:
    """A staff member answers her, over the channel she used."""
    text, truncated = _clean(text)
    if not text:
        raise HelpdeskError(_("Write a message first."))
    if truncated:
        raise HelpdeskError(_("The message is too long (at most %(n)d characters).") % {"n": MAX_TEXT})
    now = timezone.now()
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("contact")
            .get(pk=conversation.pk)
        )
        blocked = message_block(conversation, now=now)
        if blocked:
            raise HelpdeskError(block_reason(blocked))
        if conversation.status == Conversation.Status.CLOSED:
            raise HelpdeskError(_("This conversation is closed."))
        message = Message.objects.create(
            conversation=conversation,
            direction=Message.Direction.OUT,
            author=Message.Author.STAFF,
            staff=actor,
            text_encrypted=crypto.encrypt(text),
            created_at=now,
            purge_after=message_purge_after(conversation, now),
        )
        changes: dict[str, Any] = {"needs_reply": False, "last_activity_at": now}
        if conversation.first_response_at is None:
            changes["first_response_at"] = now
        if conversation.assigned_to_id is None:
            changes["assigned_to"] = actor
        Conversation.objects.filter(pk=conversation.pk).update(**changes)
        address = (
            crypto.decrypt(conversation.contact.address_encrypted)
            if conversation.contact.address_encrypted
            else ""
        )
        _send(
            conversation,
            address,
            text,
            key=f"helpdesk:{message.pk}",
            object_type="helpdesk.message",
            object_id=str(message.pk),
        )
        audit.record(
            actor=actor,
            action="helpdesk.reply",
            target=conversation,
            sensitive=True,
            details={"message": message.pk, "channel": conversation.channel},
        )
    return message


def do_take_conversation(*, conversation: Conversation, actor: User) -> None:
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(assigned_to=actor)
        audit.record(actor=actor, action="helpdesk.take", target=conversation)
    conversation.assigned_to = actor


def do_close_conversation(*, conversation: Conversation, actor: User | None) -> Conversation:
    """The matter is dealt with: close, and plan the follow-up if she agreed to one."""
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update(of=("self",)).get(pk=conversation.pk)
        if conversation.status == Conversation.Status.CLOSED:
            return conversation
        conversation.status = Conversation.Status.CLOSED
        conversation.closed_at = now
        conversation.needs_reply = False
        conversation.node = ""
        conversation.waiting_until = None
        if conversation.followup and not conversation.test_mode:
            conversation.followup_due_at = now + followup_delay()
        conversation.save()
        audit.record(
            actor=actor,
            action="helpdesk.closed",
            target=conversation,
            details={"followup": bool(conversation.followup_due_at)},
        )
    return conversation


def do_open_case_for_conversation(*, conversation: Conversation, actor: User, case_type: str) -> str:
    """Staff open a case for a hand-off whose topic opens none by itself. Returns the case code."""
    from .flows.definition import CASE_TYPES

    if case_type not in CASE_TYPES:
        raise HelpdeskError(_("Choose the kind of case."))
    if not casebridge.available():
        raise HelpdeskError(_("Case management is not installed yet."))
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("contact", "flow_version", "mission")
            .get(pk=conversation.pk)
        )
        casebridge.open_case_for(
            conversation,
            definition=conversation.flow_version.definition,
            urgency=conversation.urgency,
            case_type=case_type,
            actor=actor,
        )
        conversation.save(update_fields=["case_public_id", "case_code", "case_url", "case_urgency"])
        audit.record(
            actor=actor,
            action="helpdesk.case_opened",
            target=conversation,
            details={"case": conversation.case_code},
        )
    return conversation.case_code


def do_case_closed(*, case_public_id: UUID | str) -> int:
    """For the cases module: the case of a help-bot conversation was closed; plan the follow-up she agreed
    to. Returns how many conversations were scheduled."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for conversation in Conversation.objects.select_for_update().filter(case_public_id=case_public_id):
            if conversation.status != Conversation.Status.CLOSED:
                conversation.status = Conversation.Status.CLOSED
                conversation.closed_at = now
                conversation.needs_reply = False
                conversation.node = ""
            if conversation.followup and conversation.followup_sent_at is None and not conversation.test_mode:
                conversation.followup_due_at = now + followup_delay()
                count += 1
            conversation.save()
            audit.record(
                actor=None,
                action="helpdesk.case_closed",
                target=conversation,
                details={"followup": bool(conversation.followup_due_at)},
            )
    return count


def on_case_closed(sender: object, *, case: Any, **kwargs: Any) -> None:
    """Receiver of perisai.cases.signals.case_closed."""
    if case.public_id:
        do_case_closed(case_public_id=case.public_id)


# ---- the follow-up (only with her agreement, only at the time she chose) ----

FOLLOWUP_HOURS = {"any": (8, 21), "morning": (6, 12), "evening": (16, 21)}


def local_hour(country: str, now: dt.datetime) -> int | None:
    """Her local hour, from the main time zone of her country (None when unknown)."""
    if not country:
        return None
    from zoneinfo import ZoneInfo

    from babel.core import get_global

    zones = get_global("territory_zones").get(country.upper()) or []
    if not zones:
        return None
    return now.astimezone(ZoneInfo(zones[0])).hour


def do_send_followup(*, conversation: Conversation, now: dt.datetime | None = None) -> str:
    """Ask how she is, as she agreed: "sent", "later" (outside her hours) or why it was not sent."""
    now = now or timezone.now()
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("contact", "flow_version")
            .get(pk=conversation.pk)
        )
        if conversation.followup_sent_at is not None or not conversation.followup:
            return "skipped"
        # What forbids the message for good (STOP, erasure, WhatsApp's window only gets further away) is
        # recorded at once, whatever her hours; only then is it a question of waiting for her hours.
        blocked = message_block(conversation, now=now)
        if not blocked:
            hours = FOLLOWUP_HOURS.get(conversation.followup, (8, 21))
            hour = local_hour(conversation.country, now)
            if hour is not None and not hours[0] <= hour < hours[1]:
                return "later"
            if hour is None and conversation.followup != "any":
                blocked = "no_timezone"  # her hours cannot be respected without knowing where she is
        if blocked:
            conversation.followup_sent_at = now
            conversation.followup_note = blocked
            conversation.save(update_fields=["followup_sent_at", "followup_note"])
            audit.record(
                actor=None, action="helpdesk.followup_skipped", target=conversation, details={"why": blocked}
            )
            return blocked
        definition = conversation.flow_version.definition
        node = str(definition.get("settings", {}).get("followup") or "")
        if node not in definition.get("nodes", {}):
            return "no_followup_node"
        talking = (
            Conversation.objects.filter(contact_id=conversation.contact_id)
            .exclude(pk=conversation.pk)
            .exclude(status=Conversation.Status.CLOSED)
            .exists()
        )
        if talking:  # she is writing to us already: asking how she is would be noise
            conversation.followup_sent_at = now
            conversation.followup_note = "talking"
            conversation.save(update_fields=["followup_sent_at", "followup_note"])
            return "talking"
        runtime = PlatformRuntime(conversation=conversation, address="", definition=definition)
        engine = Engine(definition, runtime)
        engine.state = State(node="", vars={}, language=conversation.language)
        engine._goto(node)
        body = "\n\n".join(r.as_text() for r in engine.replies)
        conversation.status = Conversation.Status.BOT
        conversation.node = engine.state.node
        conversation.vars = {}
        conversation.closed_at = None
        conversation.followup_sent_at = now
        conversation.followup_note = "sent"
        conversation.last_activity_at = now
        conversation.save()
        message = Message.objects.create(
            conversation=conversation,
            direction=Message.Direction.OUT,
            author=Message.Author.BOT,
            text_encrypted=crypto.encrypt(body),
            created_at=now,
            purge_after=now + live_window(),
        )
        address = (
            crypto.decrypt(conversation.contact.address_encrypted)
            if conversation.contact.address_encrypted
            else ""
        )
        _send(
            conversation,
            address,
            body,
            key=f"helpdesk:{message.pk}",
            object_type="helpdesk.message",
            object_id=str(message.pk),
        )
        audit.record(actor=None, action="helpdesk.followup_sent", target=conversation)
    return "sent"


# ---- retention ----


def do_purge_expired(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete messages past their keeping time, forget old locations, close quiet bot conversations."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        expired = Message.objects.filter(purge_after__lte=now)
        ids = [str(pk) for pk in expired.values_list("pk", flat=True)[:50_000]]
        if ids:
            OutboxMessage.objects.filter(object_type="helpdesk.message", object_id__in=ids).exclude(
                status=OutboxMessage.Status.QUEUED
            ).update(body="")
        counts["messages"] = Message.objects.filter(pk__in=[int(i) for i in ids]).delete()[0]
        from .conf import idle_close

        counts["closed"] = Conversation.objects.filter(
            status=Conversation.Status.BOT, last_activity_at__lt=now - idle_close()
        ).update(status=Conversation.Status.CLOSED, closed_at=now, node="", vars={}, waiting_until=None)
        counts["locations"] = (
            Conversation.objects.exclude(location_encrypted="")
            .filter(last_activity_at__lt=now - live_window())
            .exclude(status=Conversation.Status.HANDOFF)
            .update(location_encrypted="")
        )
        counts["receipts"] = InboundReceipt.objects.filter(
            received_at__lt=now - dt.timedelta(days=30)
        ).delete()[0]
        if any(counts.values()):
            audit.record(actor=None, action="helpdesk.purged", details=counts)
    return counts
