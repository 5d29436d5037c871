"""Preparedness, evacuation and after.

Preparedness: a contingency plan per mission and scenario. Its draft is kept as rows (zones, Siaga
triggers, wardens, assembly points and safe havens, transport, stocks, partner agreements, roles with a call
tree); publishing freezes the draft into a numbered ``PlanVersion`` (JSON), so every published version stays
readable and printable exactly as it was.

Evacuation: an ``Operation`` (one crisis, one mission) copies the sites and transport of a published plan
into its own ``Site`` and ``Leg`` rows; ``Evacuee`` rows are the people to move (registered citizens and
their households, people who asked to leave, foreign nationals the mission agreed to help). A ``PlanRun``
is one run of the optimizer on the task queue. Manifests are numbered snapshots per leg. Boarding scans are
idempotent by the phone's client UUID. ``EvacueeEvent`` is each person's path (append-only by the
database). After the crisis: costs and lessons, for the after-action report.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# ---- preparedness -----------------------------------------------------------------------------------


class Scenario(models.TextChoices):
    CONFLICT = "conflict", _("Armed conflict")
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood")
    EPIDEMIC = "epidemic", _("Epidemic")
    UNREST = "unrest", _("Civil unrest")
    CHEMICAL = "chemical", _("Chemical hazard")


# The crisis module's type for each scenario (perisai.crisis.models.CrisisType).
SCENARIO_CRISIS_TYPE = {
    Scenario.CONFLICT: "armed_conflict",
    Scenario.EARTHQUAKE: "earthquake",
    Scenario.FLOOD: "flood",
    Scenario.EPIDEMIC: "epidemic",
    Scenario.UNREST: "civil_unrest",
    Scenario.CHEMICAL: "chemical",
}


class ContingencyPlan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(
        "places.Mission",
        verbose_name=_("mission"),
        on_delete=models.PROTECT,
        related_name="contingency_plans",
    )
    scenario = models.CharField(_("scenario"), max_length=16, choices=Scenario.choices)
    title = models.CharField(_("title"), max_length=200)
    assumptions = models.TextField(_("scenario and assumptions"), blank=True)
    max_distance_km = models.FloatField(
        _("maximum distance to an assembly point (km)"),
        default=15.0,
        help_text=_("Nobody is sent to an assembly point farther than this."),
    )
    current_version = models.PositiveIntegerField(default=0)  # 0: never published
    published_at = models.DateTimeField(null=True, blank=True)
    draft_changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contingency plan")
        verbose_name_plural = _("contingency plans")
        ordering: ClassVar = ["mission__name", "scenario"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mission", "scenario"], name="evacuation_one_plan_per_scenario")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_at is None or self.draft_changed_at > self.published_at


class PlanItem(models.Model):
    """Common to the rows of a plan's draft: when the facts (a contact, a capacity) were last checked."""

    checked_on = models.DateField(_("last checked"), default=timezone.localdate)

    class Meta:
        abstract = True


class Zone(PlanItem):
    """An area the plan covers (a district, a city); wardens each cover one; drills turn them into areas."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=120)
    lat = models.FloatField(_("latitude of the centre"))
    lon = models.FloatField(_("longitude of the centre"))
    radius_km = models.FloatField(_("radius (km)"), default=10.0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "name"], name="evacuation_zone_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Trigger(PlanItem):
    """What moves the mission to a Siaga level, and what it then does."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="triggers")
    level = models.PositiveSmallIntegerField(
        _("Siaga level"), choices=[(3, _("Siaga 3")), (2, _("Siaga 2")), (1, _("Siaga 1"))]
    )
    indicators = models.TextField(_("indicators (when)"))
    actions = models.TextField(_("actions (what we do)"))

    class Meta:
        verbose_name = _("trigger")
        verbose_name_plural = _("triggers")
        ordering: ClassVar = ["-level"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "level"], name="evacuation_trigger_one_per_level")
        ]

    def __str__(self) -> str:
        return f"Siaga {self.level}"


class PlanWarden(PlanItem):
    """A community leader who relays messages and counts people in one zone (gets call-down lists)."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="wardens")
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone covered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("people per call-down list"), default=30)
    warden = models.ForeignKey(
        "crisis.Warden", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("warden")
        verbose_name_plural = _("wardens")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class SiteKind(models.TextChoices):
    ASSEMBLY_POINT = "assembly", _("Assembly point")
    SAFE_HAVEN = "safe_haven", _("Safe haven")


class PlanSite(PlanItem):
    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="sites")
    kind = models.CharField(
        _("kind"), max_length=16, choices=SiteKind.choices, default=SiteKind.ASSEMBLY_POINT
    )
    name = models.CharField(_("name"), max_length=150)
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering: ClassVar = ["kind", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "name"], name="evacuation_plansite_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TransportMode(models.TextChoices):
    BUS = "bus", _("Bus")
    CHARTER_FLIGHT = "charter_flight", _("Charter flight")
    SCHEDULED_FLIGHT = "scheduled_flight", _("Scheduled flight")
    MILITARY_FLIGHT = "military_flight", _("Military aircraft")
    SHIP = "ship", _("Ship")
    TRAIN = "train", _("Train")
    OTHER = "other", _("Other")


class TransportOption(PlanItem):
    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="transport")
    mode = models.CharField(_("mode"), max_length=24, choices=TransportMode.choices)
    provider = models.CharField(_("provider"), max_length=200)
    seats = models.PositiveIntegerField(_("seats per trip"))
    trips = models.PositiveSmallIntegerField(_("trips or vehicles available"), default=1)
    lead_time_hours = models.PositiveIntegerField(_("lead time (hours)"))
    departs_from = models.ForeignKey(
        PlanSite,
        verbose_name=_("leaves from (assembly point)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    destination = models.CharField(_("destination"), max_length=200)
    to_indonesia = models.BooleanField(_("goes to Indonesia"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("transport option")
        verbose_name_plural = _("transport options")
        ordering: ClassVar = ["lead_time_hours", "pk"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.provider}"


class Stock(PlanItem):
    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="stocks")
    item = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    location = models.CharField(_("where it is kept"), max_length=200, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        ordering: ClassVar = ["item"]

    def __str__(self) -> str:
        return self.item


class PartnerKind(models.TextChoices):
    STATE = "state", _("Another state")
    IOM = "iom", _("IOM")
    UN = "un", _("UN agency")
    AIRLINE = "airline", _("Airline")
    SHIPPING = "shipping", _("Shipping line")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = "other", _("Other")


class PartnerAgreement(PlanItem):
    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="partners")
    partner = models.CharField(_("partner"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    scope = models.TextField(_("what is agreed"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")
        ordering: ClassVar = ["partner"]

    def __str__(self) -> str:
        return self.partner


class PlanRole(PlanItem):
    """A role in the crisis team; ``reports_to`` makes the call tree (the head at the root)."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("role"), max_length=150)
    holder_name = models.CharField(_("held by"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    deputy_name = models.CharField(_("deputy"), max_length=200, blank=True)
    deputy_phone = models.CharField(_("deputy's phone"), max_length=40, blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("is called by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """A published version of a plan: the whole draft frozen as JSON. Never changed after publishing."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering: ClassVar = ["-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "number"], name="evacuation_planversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Drill(models.Model):
    """An exercise: the plan's chain (alert, check-in, plan, manifest) run on an exercise crisis."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ContingencyPlan, on_delete=models.PROTECT, related_name="drills")
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    crisis = models.ForeignKey("crisis.Crisis", on_delete=models.PROTECT, related_name="+")
    operation = models.OneToOneField(
        "Operation", null=True, blank=True, on_delete=models.SET_NULL, related_name="drill"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering: ClassVar = ["-started_at"]

    def __str__(self) -> str:
        return f"drill {self.public_id}"


# ---- evacuation ------------------------------------------------------------------------------------


class OperationStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    UNDER_WAY = "under_way", _("Under way")
    CLOSED = "closed", _("Closed")


class Operation(models.Model):
    """One evacuation: a crisis, the mission running it, the plan version it started from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    crisis = models.ForeignKey("crisis.Crisis", on_delete=models.PROTECT, related_name="evacuations")
    mission = models.ForeignKey("places.Mission", on_delete=models.PROTECT, related_name="evacuations")
    plan_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="operations"
    )
    exercise = models.BooleanField(_("exercise (drill)"), default=False)
    title = models.CharField(_("title"), max_length=200)
    max_distance_km = models.FloatField(_("maximum distance to an assembly point (km)"), default=15.0)
    status = models.CharField(
        _("status"), max_length=16, choices=OperationStatus.choices, default=OperationStatus.PLANNING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evacuation")
        verbose_name_plural = _("evacuations")
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["crisis", "mission"], name="evacuation_one_per_crisis_mission")
        ]

    def __str__(self) -> str:
        return self.title


class Site(models.Model):
    """An assembly point or safe haven of one evacuation (copied from the plan, or added on the day)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="sites")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SiteKind.choices, default=SiteKind.ASSEMBLY_POINT
    )
    name = models.CharField(_("name"), max_length=150)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering: ClassVar = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class LegStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    BOARDING = "boarding", _("Boarding")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")


class Leg(models.Model):
    """One bus, flight or sailing from an assembly point, with its seats and departure time."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="legs")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(
        Site, verbose_name=_("leaves from"), on_delete=models.PROTECT, related_name="legs"
    )
    mode = models.CharField(_("mode"), max_length=24, choices=TransportMode.choices)
    label = models.CharField(_("name (e.g. bus 1, flight number)"), max_length=80)
    seats = models.PositiveIntegerField(_("seats"))
    departs_at = models.DateTimeField(_("departs at"))
    destination = models.CharField(_("destination"), max_length=200)
    to_indonesia = models.BooleanField(_("goes to Indonesia"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=LegStatus.choices, default=LegStatus.PLANNED
    )
    added_on_the_day = models.BooleanField(default=False)
    departed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        ordering: ClassVar = ["departs_at", "pk"]

    def __str__(self) -> str:
        return self.label


class Eligibility(models.TextChoices):
    CITIZEN = "citizen", _("Indonesian citizen")
    SPOUSE = "spouse", _("Spouse of a citizen")
    CHILD = "child", _("Child of a citizen")
    FOREIGN_ASSISTED = "foreign", _("Foreign national assisted")


class EvacueeSource(models.TextChoices):
    AFFECTED = "affected", _("In a crisis area")
    ASKED = "asked", _("Asked to leave")
    HOUSEHOLD = "household", _("Household member")
    FOREIGN = "foreign", _("Foreign national entered by an officer")


class Consent(models.TextChoices):
    UNKNOWN = "unknown", _("Not asked yet")
    GIVEN = "given", _("Agrees to be evacuated")
    REFUSED = "refused", _("Refuses")


class Health(models.TextChoices):
    NOT_SCREENED = "not_screened", _("Not screened")
    FIT = "fit", _("Fit to travel")
    NEEDS_ASSISTANCE = "assistance", _("Fit, needs assistance")
    SICK_OR_INJURED = "sick", _("Sick or injured: travels with medical escort")
    UNFIT = "unfit", _("Not fit to travel")


class DocumentType(models.TextChoices):
    NONE = "none", _("None yet")
    PASSPORT = "passport", _("Passport")
    EMERGENCY = "splp", _("Emergency travel document (SPLP)")
    FOREIGN_PASSPORT = "foreign_passport", _("Foreign passport")


class StayReason(models.TextChoices):
    CHOSE_TO_STAY = "chose", _("Chose to stay")
    FAMILY = "family", _("Family ties (e.g. a spouse who cannot leave)")
    WORK = "work", _("Work or property")
    UNREACHABLE = "unreachable", _("Could not reach an assembly point")
    HEALTH = "health", _("Not fit to travel")
    LEFT_ALONE = "left_alone", _("Left by their own means")
    OTHER = "other", _("Other")


class Evacuee(models.Model):
    """A person to move. Registered citizens point at their registry record; foreign nationals (and family
    members not registered) carry their own name, nationality and document here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexes: every lookup starts from the evacuation, so composite indexes below replace single ones.
    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="evacuees", db_index=False
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    nationality = models.ForeignKey(
        "places.Country",
        verbose_name=_("nationality"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    household = models.CharField(max_length=40)  # travels with the same key
    source = models.CharField(max_length=16, choices=EvacueeSource.choices)
    eligibility = models.CharField(_("eligibility"), max_length=16, choices=Eligibility.choices)
    area_name = models.CharField(max_length=120, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    vulnerabilities = models.PositiveSmallIntegerField(default=0)
    priority = models.PositiveSmallIntegerField(default=0)
    consent = models.CharField(
        _("consent to evacuate"), max_length=16, choices=Consent.choices, default="unknown"
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    health = models.CharField(
        _("health screening"), max_length=16, choices=Health.choices, default=Health.NOT_SCREENED
    )
    document_type = models.CharField(
        _("travel document"), max_length=20, choices=DocumentType.choices, default=DocumentType.NONE
    )
    document_encrypted = models.TextField(blank=True, editable=False)
    document_index = models.CharField(max_length=40, blank=True, editable=False)
    # Planning
    assigned_site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_leg = models.ForeignKey(
        Leg, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned"
    )
    unassigned_reason = models.CharField(max_length=40, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stayed_at = models.DateTimeField(null=True, blank=True)
    stay_reason = models.CharField(_("why they stay"), max_length=16, choices=StayReason.choices, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)  # added in error
    # The path
    alerted_at = models.DateTimeField(null=True, blank=True)
    accounted_at = models.DateTimeField(null=True, blank=True)
    at_assembly_at = models.DateTimeField(null=True, blank=True)
    boarded_at = models.DateTimeField(null=True, blank=True)
    boarded_leg = models.ForeignKey(
        Leg, null=True, blank=True, on_delete=models.SET_NULL, related_name="boarded"
    )
    arrived_at = models.DateTimeField(null=True, blank=True)
    arrived_where = models.CharField(max_length=200, blank=True)
    arrived_in_indonesia = models.BooleanField(default=False)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handed_over_region = models.CharField(max_length=13, blank=True)
    case_code = models.CharField(max_length=40, blank=True)
    case_public_id = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evacuee")
        verbose_name_plural = _("evacuees")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["operation", "person"],
                condition=Q(person__isnull=False),
                name="evacuation_evacuee_once_per_operation",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["operation", "assigned_leg"]),
            models.Index(fields=["operation", "document_index"]),
            models.Index(fields=["operation", "household"]),
        ]

    def __str__(self) -> str:
        return f"evacuee {self.public_id}"

    @property
    def name(self) -> str:
        if self.person_id is not None and not self.full_name:
            return self.person.full_name  # type: ignore[union-attr]
        return self.full_name

    @property
    def active(self) -> bool:
        return self.removed_at is None and self.stayed_at is None


class EventKind(models.TextChoices):
    ADDED = "added", _("Added to the evacuation")
    CONSENT = "consent", _("Consent recorded")
    SCREENED = "screened", _("Health screening")
    DOCUMENT = "document", _("Travel document")
    ASSIGNED = "assigned", _("Assigned a place")
    CONFIRMED = "confirmed", _("Confirmed their place")
    STAYED = "stayed", _("Stays")
    AT_ASSEMBLY = "at_assembly", _("At the assembly point")
    BOARDED = "boarded", _("Boarded")
    ARRIVED = "arrived", _("Arrived")
    HANDED_OVER = "handed_over", _("Handed over to the home region")
    CASE = "case", _("Reintegration case")
    REMOVED = "removed", _("Removed (added in error)")


class EvacueeEvent(models.Model):
    """A step on a person's path. Append-only (database triggers): a correction is a new row."""

    evacuee = models.ForeignKey(Evacuee, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    leg = models.ForeignKey(Leg, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    details = models.JSONField(default=dict, blank=True)  # codes, never personal data

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class ScanOutcome(models.TextChoices):
    BOARDED = "boarded", _("Boarded")
    ALREADY = "already", _("Already boarded on this leg")
    CONFLICT = "conflict", _("Conflict: not boarded")
    UNKNOWN = "unknown", _("Not found")


class BoardingScan(models.Model):
    """One boarding attempt from a phone (a QR scan or a typed document number), idempotent by the UUID
    the phone gave it, so a queue synced twice boards nobody twice."""

    client_uuid = models.UUIDField(unique=True)
    leg = models.ForeignKey(Leg, on_delete=models.CASCADE, related_name="scans")
    evacuee = models.ForeignKey(Evacuee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step = models.CharField(max_length=8, default="board")  # "assembly" (arrived there) | "board"
    method = models.CharField(max_length=8)  # "qr" | "document"
    scanned_at = models.DateTimeField()  # on the phone (may be offline)
    received_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=ScanOutcome.choices)
    reason = models.CharField(max_length=32, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("boarding scan")
        verbose_name_plural = _("boarding scans")
        ordering: ClassVar = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"scan {self.client_uuid}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the solver")
    RUNNING = "running", _("Solving")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlanRun(models.Model):
    """One run of the optimizer (on the task queue)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    time_limit_s = models.FloatField(default=10.0)
    counts = models.JSONField(default=dict, blank=True)  # people, households, points, legs, confirmed...
    result = models.JSONField(null=True, blank=True)  # the optimizer's JSON (ids are ours, see problem.py)
    total_distance_km = models.FloatField(null=True, blank=True)
    bound_km = models.FloatField(null=True, blank=True)
    solve_seconds = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")
        ordering: ClassVar = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.public_id}"


class Manifest(models.Model):
    """A numbered issue of a leg's passenger list; each issue is kept, so changes can be traced."""

    leg = models.ForeignKey(Leg, on_delete=models.CASCADE, related_name="manifests")
    number = models.PositiveIntegerField()
    evacuee_ids = models.JSONField(default=list)
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("manifest")
        verbose_name_plural = _("manifests")
        ordering: ClassVar = ["-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["leg", "number"], name="evacuation_manifest_unique_number")
        ]

    def __str__(self) -> str:
        return f"manifest {self.leg_id}/{self.number}"

    @property
    def count(self) -> int:
        return len(self.evacuee_ids)


# ---- after the crisis ------------------------------------------------------------------------------


class CostCategory(models.TextChoices):
    TRANSPORT = "transport", _("Transport")
    ACCOMMODATION = "accommodation", _("Accommodation")
    FOOD = "food", _("Food and water")
    MEDICAL = "medical", _("Medical care")
    DOCUMENTS = "documents", _("Travel documents")
    STAFF = "staff", _("Staff and security")
    OTHER = "other", _("Other")


class CostItem(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(_("category"), max_length=16, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering: ClassVar = ["category", "pk"]

    def __str__(self) -> str:
        return self.description


class LessonKind(models.TextChoices):
    WENT_WELL = "well", _("Went well")
    IMPROVE = "improve", _("To improve")


class Lesson(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="lessons")
    kind = models.CharField(_("kind"), max_length=16, choices=LessonKind.choices)
    text = models.TextField(_("what happened"))
    recommendation = models.TextField(_("recommendation"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering: ClassVar = ["kind", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
