"""The help bot's records: flows (versioned data), contacts, conversations, messages, webhook receipts.

What a person types is sealed at rest (core.crypto) and kept only as long as the retention rules allow
(perisai/helpdesk/README.md, "What is kept"): 24 hours to let a human answer, or the transcript period if
she agreed; HAPUS erases at once. Conversations carry no free text outside Message.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Flow(models.Model):
    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bot flow")
        verbose_name_plural = _("bot flows")
        ordering: ClassVar = ["slug"]

    def __str__(self) -> str:
        return self.name


class FlowVersion(models.Model):
    """One version of a flow. Conversations keep the version they started with; one published per flow."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField(_("definition"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flow version")
        verbose_name_plural = _("flow versions")
        ordering: ClassVar = ["flow", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["flow", "number"], name="helpdesk_flowversion_number"),
            models.UniqueConstraint(
                fields=["flow"], condition=Q(status="published"), name="helpdesk_flowversion_one_published"
            ),
            models.UniqueConstraint(
                fields=["flow"], condition=Q(status="draft"), name="helpdesk_flowversion_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flow.slug} v{self.number} ({self.status})"


class Contact(models.Model):
    """Someone who wrote to the bot on one channel. The address is sealed; a keyed index finds it again."""

    channel = models.CharField(_("channel"), max_length=32)
    address_index = models.CharField(max_length=40)
    address_encrypted = models.TextField(blank=True)
    language = models.CharField(_("language"), max_length=8, default="id")
    opted_out_at = models.DateTimeField(_("stopped messages"), null=True, blank=True)
    last_inbound_at = models.DateTimeField(_("last message from her"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bot contact")
        verbose_name_plural = _("bot contacts")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["channel", "address_index"], name="helpdesk_contact_address")
        ]

    def __str__(self) -> str:
        return f"contact {self.pk} ({self.channel})"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class Conversation(models.Model):
    class Status(models.TextChoices):
        BOT = "bot", _("With the bot")
        HANDOFF = "handoff", _("Waiting for staff")
        CLOSED = "closed", _("Closed")

    class FollowUp(models.TextChoices):
        NONE = "", _("No follow-up")
        ANY = "any", _("At any time")
        MORNING = "morning", _("Mornings only")
        EVENING = "evening", _("Afternoons and evenings only")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="conversations")
    channel = models.CharField(_("channel"), max_length=32, db_index=True)
    flow_version = models.ForeignKey(FlowVersion, on_delete=models.PROTECT, related_name="+")
    test_mode = models.BooleanField(_("test mode"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BOT)
    node = models.CharField(max_length=64, blank=True)
    vars = models.JSONField(default=dict, blank=True)
    fallback_stage = models.PositiveSmallIntegerField(default=0)
    guess = models.CharField(max_length=64, blank=True)
    guess_topic = models.CharField(max_length=32, blank=True)
    waiting_until = models.DateTimeField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="id")
    topic = models.CharField(_("topic"), max_length=32, blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    country = models.CharField(_("country"), max_length=2, blank=True)
    mission = models.ForeignKey(
        "places.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    location_encrypted = models.TextField(blank=True)
    transcript_consent = models.BooleanField(_("transcript may be kept"), null=True, blank=True)
    followup = models.CharField(
        _("follow-up"), max_length=16, choices=FollowUp.choices, default=FollowUp.NONE, blank=True
    )
    case_public_id = models.UUIDField(null=True, blank=True)
    case_code = models.CharField(_("case"), max_length=40, blank=True)
    case_url = models.CharField(max_length=200, blank=True)
    case_urgency = models.CharField(max_length=16, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handoff_at = models.DateTimeField(_("handed off"), null=True, blank=True)
    needs_reply = models.BooleanField(_("waiting for an answer"), default=False)
    first_response_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    followup_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    followup_sent_at = models.DateTimeField(null=True, blank=True)
    followup_note = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    revision = models.PositiveIntegerField(default=0)  # bumped on every message: concurrent writes retry

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes: ClassVar = [
            models.Index(fields=["status", "urgency", "handoff_at"]),
            models.Index(fields=["contact", "status"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["contact"], condition=~Q(status="closed"), name="helpdesk_one_open_conversation"
            )
        ]

    def __str__(self) -> str:
        return f"Conversation {self.public_id}"

    @property
    def short_code(self) -> str:
        return str(self.public_id)[:8].upper()


class Message(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("From her")
        OUT = "out", _("To her")

    class Author(models.TextChoices):
        PERSON = "person", _("Person")
        BOT = "bot", _("Bot")
        STAFF = "staff", _("Staff")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.CharField(max_length=8, choices=Author.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text_encrypted = models.TextField(blank=True)
    has_location = models.BooleanField(default=False)
    intent = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    purge_after = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.direction})"


class InboundReceipt(models.Model):
    """One provider message id per channel: a repeated webhook delivery is not a second message."""

    channel = models.CharField(max_length=32)
    provider_id = models.CharField(max_length=128)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook receipt")
        verbose_name_plural = _("webhook receipts")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["channel", "provider_id"], name="helpdesk_receipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.provider_id}"
