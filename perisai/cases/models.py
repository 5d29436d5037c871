"""Protection cases: from the first call for help to a safe life at home.

A case is opened by the help bot, a crisis "need help" check-in, a walk-in, a call or an arrival list
(`intake.open_case`). It carries an assessment (vulnerabilities, ILO forced-labour indicators, risk level,
needs), a plan of tasks, append-only notes, documents, consents per purpose, referrals to service providers
and transfers between missions and organisations. Sensitive sections (violence details, immigration status,
the bot transcript) are encrypted at rest (core/crypto.py).

The latest assessment is copied onto the case (flags as bitmasks) so that queues and dashboards read one
table; the Assessment rows keep the history.
"""

from __future__ import annotations

import enum
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class CaseType(models.TextChoices):
    VIOLENCE = "violence", _("Violence or abuse")
    TRAFFICKING = "trafficking", _("Trafficking and forced labour")
    WAGES = "wages", _("Wage theft and contract violations")
    RECRUITMENT_FRAUD = "recruitment_fraud", _("Recruitment fraud")
    DETENTION = "detention", _("Detention and deportation")
    CRISIS_FOLLOWUP = "crisis_followup", _("Crisis follow-up")
    REINTEGRATION = "reintegration", _("Returnee reintegration")
    DEATH_ABROAD = "death_abroad", _("Death abroad (repatriation of remains)")


#: Case types whose subject's name is hidden until someone asks to see it (the showing is audited).
NAME_HIDDEN_TYPES = frozenset({CaseType.VIOLENCE, CaseType.TRAFFICKING})


class Source(models.TextChoices):
    HELPDESK = "helpdesk", _("Help bot hand-off")
    CRISIS_CHECKIN = "crisis_checkin", _("Crisis check-in: needs help")
    WALK_IN = "walk_in", _("Walk-in")
    CALL = "call", _("Call")
    ARRIVAL_LIST = "arrival_list", _("Arrival list")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


#: Queue order (emergency first) and the time within which the person must be contacted.
URGENCY_PRIORITY: dict[str, int] = {Urgency.EMERGENCY: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2}
CONTACT_WITHIN_MINUTES: dict[str, int] = {
    Urgency.EMERGENCY: 60,
    Urgency.HIGH: 24 * 60,
    Urgency.NORMAL: 72 * 60,
}


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSURE_REQUESTED = "closure_requested", _("Closure waiting for approval")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.OPEN.value, Status.CLOSURE_REQUESTED.value)


class RiskLevel(models.TextChoices):
    UNKNOWN = "", _("Not assessed")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PlanStatus(models.TextChoices):
    NONE = "", _("No plan yet")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")


class Outcome(models.TextChoices):
    SAFE = "safe", _("Safe; needs met")
    RETURNED_HOME = "returned_home", _("Returned home")
    REINTEGRATED = "reintegrated", _("Reintegrated in the home community")
    REFERRED = "referred", _("Continues with another service")
    WAGES_RECOVERED = "wages_recovered", _("Wages or compensation recovered")
    REMAINS_REPATRIATED = "remains_repatriated", _("Remains repatriated")
    DECLINED = "declined", _("The person declined further help")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    DUPLICATE = "duplicate", _("Duplicate case")
    OTHER = "other", _("Other")


class Service(models.TextChoices):
    """Services of the provider directory; also the needs of an assessment (same order: the bit index)."""

    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Health care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    POLICE = "police", _("Police")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    ECONOMIC_REINTEGRATION = "economic_reintegration", _("Economic reintegration")
    TRAVEL_DOCUMENTS = "travel_documents", _("Travel documents")


def service_bit(service: str) -> int:
    return 1 << Service.values.index(service)


def services_from_mask(mask: int) -> list[str]:
    return [s for i, s in enumerate(Service.values) if mask & (1 << i)]


class Vulnerability(enum.IntFlag):
    """The vulnerabilities of a case's subject, stored as a bitmask (Case.vulnerabilities)."""

    SICK = 1
    INJURED = 2
    ELDERLY = 4
    PREGNANT = 8
    DISABILITY = 16
    CHILD = 32
    UNACCOMPANIED_CHILD = 64
    TRAFFICKING_INDICATORS = 128


VULNERABILITY_LABELS: dict[Vulnerability, StrOrPromise] = {
    Vulnerability.SICK: _("Sick"),
    Vulnerability.INJURED: _("Injured"),
    Vulnerability.ELDERLY: _("Elderly"),
    Vulnerability.PREGNANT: _("Pregnant"),
    Vulnerability.DISABILITY: _("Disability"),
    Vulnerability.CHILD: _("Child"),
    Vulnerability.UNACCOMPANIED_CHILD: _("Unaccompanied child"),
    Vulnerability.TRAFFICKING_INDICATORS: _("Indicators of trafficking or forced labour"),
}


class IloIndicator(enum.IntFlag):
    """The ILO's eleven indicators of forced labour (ILO, *Indicators of Forced Labour*, 2012)."""

    ABUSE_OF_VULNERABILITY = 1
    DECEPTION = 2
    RESTRICTION_OF_MOVEMENT = 4
    ISOLATION = 8
    PHYSICAL_SEXUAL_VIOLENCE = 16
    INTIMIDATION_THREATS = 32
    RETENTION_OF_DOCUMENTS = 64
    WITHHOLDING_OF_WAGES = 128
    DEBT_BONDAGE = 256
    ABUSIVE_CONDITIONS = 512
    EXCESSIVE_OVERTIME = 1024


ILO_LABELS: dict[IloIndicator, StrOrPromise] = {
    IloIndicator.ABUSE_OF_VULNERABILITY: _("Abuse of vulnerability"),
    IloIndicator.DECEPTION: _("Deception"),
    IloIndicator.RESTRICTION_OF_MOVEMENT: _("Restriction of movement"),
    IloIndicator.ISOLATION: _("Isolation"),
    IloIndicator.PHYSICAL_SEXUAL_VIOLENCE: _("Physical and sexual violence"),
    IloIndicator.INTIMIDATION_THREATS: _("Intimidation and threats"),
    IloIndicator.RETENTION_OF_DOCUMENTS: _("Retention of identity documents"),
    IloIndicator.WITHHOLDING_OF_WAGES: _("Withholding of wages"),
    IloIndicator.DEBT_BONDAGE: _("Debt bondage"),
    IloIndicator.ABUSIVE_CONDITIONS: _("Abusive working and living conditions"),
    IloIndicator.EXCESSIVE_OVERTIME: _("Excessive overtime"),
}


def flag_labels(
    mask: int, labels: dict[Vulnerability, StrOrPromise] | dict[IloIndicator, StrOrPromise]
) -> list[str]:
    return [str(label) for flag, label in labels.items() if mask & int(flag)]


class CaseSequence(models.Model):
    """The last case number given in a year: case codes are C-<year>-<number>, without gaps or clashes."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("case code"), max_length=20, unique=True)
    case_type = models.CharField(_("case type"), max_length=24, choices=CaseType.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    priority = models.PositiveSmallIntegerField(default=2, editable=False)  # URGENCY_PRIORITY
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    # True while the status is open or waiting for closure: a column the queue's partial indexes can use
    # (SQLite cannot match a partial index on `status IN (...)` against a query's bound parameters).
    is_open = models.BooleanField(default=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("registered person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    subject_name = models.CharField(_("name"), max_length=200, blank=True)
    contact = models.CharField(_("how to reach them"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)

    mission = models.ForeignKey(
        "places.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    region_code = models.CharField(_("home region (Kemendagri code)"), max_length=13, blank=True)
    home_province = models.CharField(max_length=2, blank=True, editable=False)
    home_regency = models.CharField(max_length=5, blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    contact_due_at = models.DateTimeField(_("contact due"))
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    first_contact_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, blank=True, default=RiskLevel.UNKNOWN
    )
    vulnerabilities = models.PositiveIntegerField(_("vulnerabilities"), default=0)
    ilo_indicators = models.PositiveIntegerField(_("ILO forced-labour indicators"), default=0)
    needs = models.PositiveIntegerField(_("needs"), default=0)
    plan_status = models.CharField(
        _("plan"), max_length=10, choices=PlanStatus.choices, blank=True, default=PlanStatus.NONE
    )

    closure_outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reopened_count = models.PositiveSmallIntegerField(default=0, editable=False)

    # Mirrors kept for the reports: the "reporting" CaseConsent, and "arrival list or reintegration".
    reporting_consent = models.BooleanField(default=False, editable=False)
    is_returnee = models.BooleanField(default=False, editable=False)
    violence_details_encrypted = models.TextField(blank=True, editable=False)
    immigration_status_encrypted = models.TextField(blank=True, editable=False)
    transcript_encrypted = models.TextField(blank=True, editable=False)
    intake_details = models.JSONField(default=dict, blank=True)

    link_type = models.CharField(max_length=32, blank=True)
    link_id = models.CharField(max_length=100, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # offline intake
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["link_type", "link_id"],
                condition=~Q(link_id="") & ~Q(status="closed"),
                name="cases_case_one_open_case_per_link",
            )
        ]
        # The queue reads open cases in priority order with a LIMIT: partial indexes in that order. Each
        # dashboard query has a covering index (docs/benchmarks-cases.md: 200,000 cases).
        indexes: ClassVar = [
            models.Index(
                fields=["priority", "contact_due_at"],
                condition=Q(is_open=True),
                name="cases_open_queue",
            ),
            models.Index(
                fields=["assigned_to", "priority", "contact_due_at"],
                condition=Q(is_open=True),
                name="cases_own_queue",
            ),
            *[
                models.Index(
                    fields=[key, "priority", "contact_due_at"],
                    condition=Q(is_open=True),
                    name=f"cases_{name}_queue",
                )
                for key, name in (
                    ("mission", "mission"),
                    ("organisation", "org"),
                    ("home_province", "province"),
                    ("home_regency", "regency"),
                    ("region_code", "region"),
                )
            ],
            models.Index(fields=["link_type", "link_id"], name="cases_link"),
            models.Index(fields=["opened_at"], name="cases_opened"),
            # Reports count consenting cases only: partial indexes on that condition (a boolean column is
            # not an index key SQLite can seek on, but a partial index with the same term is used).
            models.Index(
                fields=["status", "case_type", "urgency"],
                condition=Q(reporting_consent=True),
                name="cases_report_open",
            ),
            models.Index(
                fields=["status", "organisation", "mission"],
                condition=Q(reporting_consent=True),
                name="cases_report_team",
            ),
            models.Index(
                fields=["status", "opened_at"],
                condition=Q(reporting_consent=True),
                name="cases_report_age",
            ),
            models.Index(
                fields=["case_type", "first_contact_minutes"],
                condition=Q(reporting_consent=True),
                name="cases_report_contact",
            ),
            models.Index(
                fields=["status", "case_type", "closure_days"],
                condition=Q(reporting_consent=True),
                name="cases_report_closure",
            ),
            models.Index(
                fields=["home_province", "home_regency", "sex", "vulnerabilities"],
                condition=Q(reporting_consent=True, is_returnee=True),
                name="cases_report_returnees",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        """The subject's name (a registered person's, else the one given at intake). Never in URLs or logs."""
        if self.person_id is not None and self.person is not None:
            return self.person.full_name
        return self.subject_name

    @property
    def name_hidden_by_default(self) -> bool:
        return self.case_type in NAME_HIDDEN_TYPES

    def returnee(self) -> bool:
        return self.source == Source.ARRIVAL_LIST or self.case_type == CaseType.REINTEGRATION

    def contact_overdue(self) -> bool:
        return self.first_contact_at is None and self.is_open and self.contact_due_at < timezone.now()


class CaseMember(models.Model):
    """Another person the case covers (a case can cover a family)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=40, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case member")
        verbose_name_plural = _("case members")

    def __str__(self) -> str:
        return f"member {self.pk} of {self.case_id}"


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Receive services")
    REFERRAL = "referral", _("Referral and transfer to other organisations")
    REPORTING = "reporting", _("Anonymous reporting (statistics)")
    TRACING = "tracing", _("Family tracing")


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    CAREGIVER = "caregiver", _("A caregiver or guardian")


class CaseConsent(models.Model):
    """Consent per purpose: who gave it, who recorded it, when; withdrawn consents keep their row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"), default=False)
    given_by = models.CharField(_("given by"), max_length=12, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("caregiver's name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case consent")
        verbose_name_plural = _("case consents")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "purpose"], name="cases_consent_one_per_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {'yes' if self.granted else 'no'}"


class Assessment(models.Model):
    """One assessment (append-only history); the latest is copied onto the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    vulnerabilities = models.PositiveIntegerField(default=0)
    ilo_indicators = models.PositiveIntegerField(default=0)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    needs = models.PositiveIntegerField(default=0)
    notes_encrypted = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"assessment {self.pk} of {self.case_id}"


class CaseTask(models.Model):
    """A task of the case plan, with a due date and a reminder to whoever does it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    service = models.CharField(_("service"), max_length=24, choices=Service.choices, blank=True)
    due_at = models.DateTimeField(_("due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        indexes: ClassVar = [models.Index(fields=["done_at", "due_at"], name="cases_task_due")]

    def __str__(self) -> str:
        return f"task {self.pk} of {self.case_id}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    CONTACT = "contact", _("Contact with the person")
    INTAKE = "intake", _("Intake")
    SYSTEM = "system", _("System")


class CaseNote(models.Model):
    """Append-only: notes are never edited or deleted in the application. The text is encrypted at rest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    body_encrypted = models.TextField()
    sensitive = models.BooleanField(_("sensitive"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"note {self.pk} of {self.case_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Case notes are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CaseDocument(models.Model):
    """An uploaded file, stored under MEDIA_ROOT with a random name and served only by a scoped view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(max_length=64, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return f"document {self.pk} of {self.case_id}"


class ApprovalKind(models.TextChoices):
    PLAN = "plan", _("Case plan")
    CLOSURE = "closure", _("Closure")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")


class Approval(models.Model):
    """A supervisor's sign-off on a plan or a closure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=8, choices=ApprovalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes: ClassVar = [models.Index(fields=["status", "kind"], name="cases_approval_status")]

    def __str__(self) -> str:
        return f"{self.kind} approval {self.pk}"


class ServiceProvider(models.Model):
    """The directory of service providers by region (province, regency, district or village) and service."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation on Perisai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_providers",
        help_text=_("Its staff accept or decline referrals in Perisai."),
    )
    services = models.JSONField(_("services"), default=list)
    region_code = models.CharField(
        _("area served (Kemendagri code)"), max_length=13, blank=True, db_index=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(_("service"), max_length=24, choices=Service.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    note = models.TextField(_("note for the provider"), blank=True)
    response_reason = models.TextField(_("reason"), blank=True)
    consent_override_reason = models.TextField(blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"referral {self.pk}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiver")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(models.Model):
    """Moving a case to another mission or organisation: ownership moves only when the receiver accepts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    to_mission = models.ForeignKey(
        "places.Mission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_mission = models.ForeignKey(
        "places.Mission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    reason = models.TextField(_("reason for the transfer"))
    response_reason = models.TextField(_("reason"), blank=True)
    consent_override_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"transfer {self.pk}"


class DutyShift(models.Model):
    """Who is on duty for a mission (or an organisation at home), to be paged for emergency cases."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="duty_shifts",
    )
    mission = models.ForeignKey(
        "places.Mission", verbose_name=_("mission"), null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE
    )
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        indexes: ClassVar = [models.Index(fields=["mission", "starts_at", "ends_at"], name="cases_duty")]

    def __str__(self) -> str:
        return f"duty {self.pk}"


class EntryPoint(models.TextChoices):
    TANJUNG_PINANG = "tanjung_pinang", "Tanjung Pinang"
    NUNUKAN = "nunukan", "Nunukan"
    ENTIKONG = "entikong", "Entikong"
    SOEKARNO_HATTA = "soekarno_hatta", "Soekarno-Hatta"
    OTHER = "other", _("Other entry point")


class ArrivalBatch(models.Model):
    """One imported arrival list of deportees; the row-by-row report is kept with it (no names: case codes)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry_point = models.CharField(_("entry point"), max_length=20, choices=EntryPoint.choices)
    arrival_date = models.DateField(_("arrival date"))
    filename = models.CharField(max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)
    report = models.JSONField(default=list)  # [{"line", "outcome", "case", "messages"}]

    class Meta:
        verbose_name = _("arrival list")
        verbose_name_plural = _("arrival lists")

    def __str__(self) -> str:
        return f"arrivals {self.entry_point} {self.arrival_date}"


class SyncConflict(models.Model):
    """A field changed both on a field worker's device and on the server: both values are kept and shown."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflicts")
    field = models.CharField(max_length=32)
    device_value = models.TextField(blank=True)
    server_value = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=8, blank=True)  # "device" or "server"

    class Meta:
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")

    def __str__(self) -> str:
        return f"conflict {self.pk} on {self.field}"
