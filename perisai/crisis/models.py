"""Crises, their areas and Siaga levels, feed events, alerts, the roster of people to account for, check-ins,
notes, wardens and family enquiries.

Append-only by the database (triggers installed by migration, as for the audit log): the timeline, check-ins
and notes. A correction is a new row, never an edit.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CrisisType(models.TextChoices):
    ARMED_CONFLICT = "armed_conflict", _("Armed conflict")
    EARTHQUAKE = "earthquake", _("Earthquake")
    TSUNAMI = "tsunami", _("Tsunami")
    FLOOD = "flood", _("Flood")
    CYCLONE = "cyclone", _("Cyclone")
    VOLCANO = "volcano", _("Volcanic eruption")
    EPIDEMIC = "epidemic", _("Epidemic")
    CIVIL_UNREST = "civil_unrest", _("Civil unrest")
    CHEMICAL = "chemical", _("Chemical or industrial hazard")
    OTHER = "other", _("Other")


class CrisisStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by a feed")
    MONITORING = "monitoring", _("Monitoring")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATUSES = (CrisisStatus.MONITORING, CrisisStatus.ACTIVE)


class Siaga(models.IntegerChoices):
    """Indonesian missions' alert levels: 3, then 2, then 1 (the highest: evacuation)."""

    SIAGA_1 = 1, _("Siaga 1 (evacuation)")
    SIAGA_2 = 2, _("Siaga 2 (limit movement, prepare to leave)")
    SIAGA_3 = 3, _("Siaga 3 (be alert)")


class FeedEventRecord(models.Model):
    """One event from a feed, de-duplicated on (source, authority, event_id); updates point at their root."""

    source = models.CharField(max_length=32)
    authority = models.CharField(max_length=255, blank=True)
    event_id = models.CharField(max_length=255)
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="updates")
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=500)
    severity = models.CharField(_("severity"), max_length=16)
    sent = models.DateTimeField(_("sent"))
    countries = models.JSONField(default=list)
    area = models.JSONField(null=True, blank=True)
    magnitude = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=16, default="actual")
    msg_type = models.CharField(max_length=16, default="alert")
    version = models.CharField(max_length=64, blank=True)
    url = models.CharField(max_length=500, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    first_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("feed event")
        verbose_name_plural = _("feed events")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["source", "authority", "event_id"], name="crisis_feedevent_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.event_id}"

    @property
    def thread(self) -> FeedEventRecord:
        return self.root or self


class FeedState(models.Model):
    """How each configured feed last went: a failing feed is visible, and never stops the others."""

    key = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=120)
    parser = models.CharField(_("parser"), max_length=32)
    url = models.CharField(_("address"), max_length=500)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_ok_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    events_seen = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.name


class Crisis(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=CrisisType.choices)
    country = models.ForeignKey(
        "places.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CrisisStatus.choices,
        default=CrisisStatus.MONITORING,
        db_index=True,
    )
    exercise = models.BooleanField(
        _("exercise (drill)"),
        default=False,
        help_text=_("A drill: messages are marked as an exercise and no real case is opened."),
    )
    missions = models.ManyToManyField(
        "places.Mission", verbose_name=_("responsible missions"), related_name="crises", blank=True
    )
    feed_event = models.ForeignKey(
        FeedEventRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="crises"
    )
    suggested_count = models.PositiveIntegerField(null=True, blank=True)
    suggested_vulnerable = models.PositiveIntegerField(null=True, blank=True)
    reask_after_minutes = models.PositiveIntegerField(
        _("ask again after (minutes)"),
        default=360,
        help_text=_("People who have not answered are asked again after this time. 0: never."),
    )
    reask_max = models.PositiveSmallIntegerField(_("ask again at most (times)"), default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    roster_refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CrisisArea(models.Model):
    class Source(models.TextChoices):
        DRAWN = "drawn", _("Typed or drawn")
        UPLOAD = "upload", _("Uploaded GeoJSON or KML")
        CIRCLE = "circle", _("Circle around a point")
        FEED = "feed", _("From a feed event")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="areas")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("Siaga level"), choices=Siaga.choices, default=Siaga.SIAGA_3)
    geometry = models.JSONField(_("area"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.DRAWN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    level_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("crisis area")
        verbose_name_plural = _("crisis areas")
        ordering: ClassVar = ["level", "name"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(level__in=[1, 2, 3]), name="crisis_area_level_1_to_3"),
            models.UniqueConstraint(fields=["crisis", "name"], name="crisis_area_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (Siaga {self.level})"


class TimelineEntry(models.Model):
    """Decisions and messages of a crisis, in order. Append-only (database triggers)."""

    class Kind(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested by a feed")
        FEED_UPDATE = "feed_update", _("Feed update")
        CREATED = "created", _("Crisis opened")
        STATUS = "status", _("Status changed")
        AREA = "area", _("Area added")
        LEVEL = "level", _("Siaga level changed")
        ALERT_DRAFTED = "alert_drafted", _("Alert drafted")
        ALERT_APPROVED = "alert_approved", _("Alert approved")
        ALERT_SENT = "alert_sent", _("Alert sent")
        REASK = "reask", _("Non-responders asked again")
        CALL_DOWN = "call_down", _("Call-down lists")
        NOTE = "note", _("Note")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    text = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering: ClassVar = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class Alert(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, waiting for approval")
        SENDING = "sending", _("Approved, sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Target(models.TextChoices):
        AREA = "area", _("People in one area")
        AREAS = "areas", _("People in every area of the crisis")
        COUNTRY = "country", _("Everyone registered in the country")
        UNACCOUNTED = "unaccounted", _("People not yet accounted for")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="alerts")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template = models.CharField(_("template"), max_length=32, blank=True)
    body_id = models.TextField(_("message in Indonesian"))
    body_en = models.TextField(_("message in English"))
    target = models.CharField(_("send to"), max_length=16, choices=Target.choices, default=Target.AREAS)
    target_area = models.ForeignKey(
        CrisisArea, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    exercise = models.BooleanField(default=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    fanout_leased_until = models.DateTimeField(null=True, blank=True)
    fanout_done_at = models.DateTimeField(null=True, blank=True)
    recipients_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering: ClassVar = ["-drafted_at"]
        constraints: ClassVar = [
            # The two-person rule, held by the database too: whoever drafts may not approve.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("drafted_by")),
                name="crisis_alert_two_person_rule",
            )
        ]

    def __str__(self) -> str:
        return f"alert {self.public_id}"


class AlertRecipient(models.Model):
    """One person sent one round of an alert (round 0, then re-asks). The outbox message's idempotency key is
    ``alert:<alert id>:<person id>:<round>``; its delivery state is the outbox message's."""

    # The unique (alert, person, round) index serves look-ups by alert: no second index on it.
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients", db_index=False)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(max_length=16)
    address = models.CharField(max_length=200, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("alert recipient")
        verbose_name_plural = _("alert recipients")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["alert", "person", "round"], name="crisis_recipient_unique")
        ]

    def __str__(self) -> str:
        return f"recipient {self.pk}"

    @staticmethod
    def message_key(alert_id: int, person_id: int, round_: int) -> str:
        return f"alert:{alert_id}:{person_id}:{round_}"


class DeliveryBatch(models.Model):
    """A slice of outbox messages on one channel, delivered by one task, leased so that a crashed worker's
    batch is picked up again (each message is sent at most once: the outbox skips what is already sent)."""

    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="batches")
    channel = models.CharField(max_length=16)
    message_ids = models.JSONField(default=list)
    run_after = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("delivery batch")
        verbose_name_plural = _("delivery batches")

    def __str__(self) -> str:
        return f"batch {self.pk} ({len(self.message_ids)} on {self.channel})"


class CheckInStatus(models.TextChoices):
    UNKNOWN = "unknown", _("No news yet")
    SAFE = "safe", _("Safe")
    NEED_HELP = "need_help", _("Needs help")
    NOT_THERE = "not_there", _("Not in the area")


class CheckInSource(models.TextChoices):
    LINK = "link", _("The person, through their link")
    SMS = "sms", _("The person, by SMS")
    WHATSAPP = "whatsapp", _("The person, by WhatsApp")
    TELEGRAM = "telegram", _("The person, by Telegram")
    EMAIL = "email", _("The person, by e-mail")
    PLATFORM = "platform", _("The person, in the platform")
    OFFICER = "officer", _("The person, to an officer")
    EMPLOYER = "employer", _("Their employer")
    FRIEND = "friend", _("A friend")
    FAMILY = "family", _("Their family")
    WARDEN = "warden", _("A warden")


FIRST_HAND_SOURCES = frozenset(
    {
        CheckInSource.LINK,
        CheckInSource.SMS,
        CheckInSource.WHATSAPP,
        CheckInSource.TELEGRAM,
        CheckInSource.EMAIL,
        CheckInSource.PLATFORM,
        CheckInSource.OFFICER,
    }
)
ON_BEHALF_SOURCES = (CheckInSource.EMPLOYER, CheckInSource.FRIEND, CheckInSource.FAMILY, CheckInSource.WARDEN)


class RosterEntry(models.Model):
    """A person the crisis must account for (inside or near an area, or sent an alert), with the status that
    counts now: the latest first-hand report, else the latest report on their behalf."""

    # Few indexes: a fan-out writes a roster row per person. (crisis, person) and (crisis, status) serve
    # every query.
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="roster", db_index=False)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(
        CrisisArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    near = models.BooleanField(default=False)  # placed only by city, near the area
    vulnerabilities = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=16, choices=CheckInStatus.choices, default=CheckInStatus.UNKNOWN)
    status_at = models.DateTimeField(null=True, blank=True)
    first_accounted_at = models.DateTimeField(null=True, blank=True)
    status_first_hand = models.BooleanField(default=False)
    conflicting = models.BooleanField(default=False)
    asked_count = models.PositiveSmallIntegerField(default=0)
    last_asked_at = models.DateTimeField(null=True, blank=True)
    case_code = models.CharField(max_length=40, blank=True)
    case_public_id = models.CharField(max_length=40, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["crisis", "person"], name="crisis_roster_unique")
        ]
        indexes: ClassVar = [models.Index(fields=["crisis", "status"])]

    def __str__(self) -> str:
        return f"roster {self.pk}"


class CheckIn(models.Model):
    """One report of a person's status. Append-only (database triggers): conflicting reports all stay."""

    # A surge writes thousands of these a second, each behind SQLite's single writer: every index is one more
    # page written per check-in. Kept: the reference (unique), the person (erasure) and (crisis, person, time),
    # which also serves every query by crisis alone.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=CheckInStatus.choices)
    source = models.CharField(max_length=16, choices=CheckInSource.choices)
    first_hand = models.BooleanField(default=True)
    reporter_name = models.CharField(_("reported by"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("reporter's contact"), max_length=200, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering: ClassVar = ["-received_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["crisis", "person", "received_at"])]

    def __str__(self) -> str:
        return f"check-in {self.public_id}"


class PersonNote(models.Model):
    """An officer's note on a person in a crisis. Append-only (database triggers)."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    author_label = models.CharField(max_length=150, blank=True)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class Warden(models.Model):
    """A community volunteer a mission relies on to call people (call-down lists)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey("places.Mission", on_delete=models.PROTECT, related_name="wardens")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20)
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("people per list"), default=30)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("warden")
        verbose_name_plural = _("wardens")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class CallDownAssignment(models.Model):
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="call_down")
    warden = models.ForeignKey(Warden, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call-down assignment")
        verbose_name_plural = _("call-down assignments")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["crisis", "person"], name="crisis_calldown_one_warden")
        ]

    def __str__(self) -> str:
        return f"call-down {self.pk}"


class FamilyEnquiry(models.Model):
    """A relative asks about a person. Only keyed hashes of what they typed are kept; a code goes only to
    the phone the person named as their family contact."""

    class Kind(models.TextChoices):
        NIK = "nik", _("NIK")
        PASSPORT = "passport", _("Passport number")
        PHONE = "phone", _("Phone number")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    identifier_index = models.CharField(max_length=64)
    relative_phone_index = models.CharField(max_length=64, db_index=True)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code_hash = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("family enquiry")
        verbose_name_plural = _("family enquiries")

    def __str__(self) -> str:
        return f"enquiry {self.public_id}"
