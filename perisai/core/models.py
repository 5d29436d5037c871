from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import crypto
from .messaging.base import title_of
from .roles import Role, role_has


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        MISSION = "mission", _("Mission abroad")
        PROTECTION_AGENCY = "protection_agency", _("Migrant-worker protection agency")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        NGO = "ngo", _("Non-governmental organisation")
        SHELTER = "shelter", _("Shelter")
        INTERNATIONAL = "international", _("International organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        "places.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.MIGRANT)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    missions = models.ManyToManyField(
        "places.Mission", verbose_name=_("missions"), blank=True, related_name="officers"
    )
    regions = models.ManyToManyField(
        "places.Region", verbose_name=_("regions served"), blank=True, related_name="case_workers"
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="id")

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def can(self, capability: str) -> bool:
        return self.is_active and role_has(self.role, capability)


class AuditEvent(models.Model):
    """Append-only: database triggers refuse UPDATE and DELETE (migration 0002); nothing edits it in-app."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("record type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True, db_index=True)
    sensitive = models.BooleanField(_("sensitive record"), default=False)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering: ClassVar = ["-at", "-id"]
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A scoped, revocable token for integrations. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return "psk_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class OutboxMessage(models.Model):
    """One message to one recipient on one channel. Sent by the task queue; delivery state per recipient.

    The idempotency key makes a repeated send a no-op; bodies of one-time codes are wiped once sent.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("Sign-in code")
        ALERT = "alert", _("Alert")
        REMINDER = "reminder", _("Reminder")
        CHAT = "chat", _("Chat reply")
        ENQUIRY = "enquiry", _("Family enquiry")

    idempotency_key = models.CharField(max_length=120, unique=True)
    channel = models.CharField(_("channel"), max_length=32, db_index=True)
    recipient = models.CharField(_("recipient"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="", db_default="")
    body = models.TextField(_("message"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    wipe_body_after_send = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_message_id = models.CharField(max_length=120, blank=True, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.pk} {self.status}"


class InboxMessage(models.Model):
    """A message delivered in the platform (the `platform` channel type): its user reads it on her
    "Messages" page. Subject and body are sealed at rest (core.crypto), like chat messages."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="inbox_messages"
    )
    idempotency_key = models.CharField(max_length=120, unique=True)  # the outbox message's: one delivery
    subject_encrypted = models.TextField(blank=True)
    body_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"inbox:{self.pk}"

    @property
    def subject(self) -> str:
        return crypto.decrypt(self.subject_encrypted)

    @property
    def body(self) -> str:
        return crypto.decrypt(self.body_encrypted)

    @property
    def title(self) -> str:
        """The subject, or the body's first line (what the list of messages shows)."""
        return title_of(self.subject, self.body, max_length=90)


class ScheduledRun(models.Model):
    """When each periodic job last ran, so that several workers enqueue it once per interval."""

    name = models.CharField(max_length=100, primary_key=True)
    last_run_at = models.DateTimeField()

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name
