"""Governance: indicator frameworks and assessments, the GCM action plan, trainings, practices, local plan
lines and published statistics releases.

Texts that come from data (framework questions, GCM objective titles) are stored in English and Indonesian
(`*_en`, `*_id`); `perisai.governance.templatetags.governance.tr` picks the one of the active language.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    class Meta:
        abstract = True

    def tr(self, name: str) -> str:
        """The Indonesian or English text of a field, following the active language (English as fallback)."""
        language = (get_language() or "id")[:2]
        english = str(getattr(self, f"{name}_en", "") or "")
        if language == "id":
            return str(getattr(self, f"{name}_id", "") or "") or english
        return english or str(getattr(self, f"{name}_id", "") or "")


# ---------------------------------------------------------------------------------------------------------
# Frameworks: data, not code
# ---------------------------------------------------------------------------------------------------------


class Framework(Bilingual):
    class Kind(models.TextChoices):
        MGI = "mgi", _("Migration Governance Indicators (IOM)")
        SDG = "sdg", _("SDG indicator")
        CUSTOM = "custom", _("Other framework")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CUSTOM)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    source = models.TextField(_("source"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    bands = models.JSONField(_("bands"), default=list, blank=True)
    locked = models.BooleanField(
        _("official text"), default=False, help_text=_("Official questionnaires cannot be edited here.")
    )
    needs_completion = models.BooleanField(_("to be completed by an administrator"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return self.tr("name")

    def band_label(self, code: str | None) -> str:
        for band in self.bands:
            if band.get("code") == code:
                language = (get_language() or "id")[:2]
                return str(band.get(f"label_{language}") or band.get("label_en") or code)
        return ""


class Domain(Bilingual):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering: ClassVar = ["framework", "order", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["framework", "code"], name="governance_domain_code")
        ]

    def __str__(self) -> str:
        return self.tr("name")


class SubArea(Bilingual):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="subareas")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sub-area")
        verbose_name_plural = _("sub-areas")
        ordering: ClassVar = ["domain", "order", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["domain", "code"], name="governance_subarea_code")
        ]

    def __str__(self) -> str:
        return self.tr("name")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    YES_PARTIAL_NO = "yes_partial_no", _("Yes, partly or no")
    NUMBER = "number", _("A number")
    CHOICE = "choice", _("A choice from a list")
    TEXT = "text", _("Text")


class Indicator(Bilingual):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="indicators")
    subarea = models.ForeignKey(
        SubArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question_en = models.TextField(_("question (English)"))
    question_id = models.TextField(_("question (Indonesian)"), blank=True)
    answer_type = models.CharField(
        _("answer type"), max_length=16, choices=AnswerType.choices, default=AnswerType.YES_NO
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_id = models.TextField(_("guidance (Indonesian)"), blank=True)
    scoring = models.JSONField(_("scoring rule"), default=dict, blank=True)
    is_example = models.BooleanField(_("example to be replaced"), default=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering: ClassVar = ["framework", "domain__order", "order", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["framework", "code"], name="governance_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.tr('question')[:60]}"

    def choice_label(self, value: str) -> str:
        language = (get_language() or "id")[:2]
        for choice in self.choices:
            if str(choice.get("value")) == value:
                return str(choice.get(f"label_{language}") or choice.get("label_en") or value)
        return value


# ---------------------------------------------------------------------------------------------------------
# Assessments
# ---------------------------------------------------------------------------------------------------------

NATION = "ID"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTATION = "consultation", _("In consultation")
        APPROVED = "approved", _("Approved")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="assessments"
    )
    place_code = models.CharField(_("place"), max_length=13, db_index=True, default=NATION)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    as_of = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.TextField(_("source of the answers"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("baseline"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering: ClassVar = ["-as_of", "place_code"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["framework", "place_code", "as_of"], name="governance_assessment_place_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework.code} {self.place_code} {self.as_of}"

    @property
    def editable(self) -> bool:
        return self.status != self.Status.APPROVED


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(_("answer"), max_length=40, blank=True)
    number = models.DecimalField(_("number"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    comment = models.TextField(_("justification"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="governance_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value or self.number or ''}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")
        LAW = "law", _("Law or regulation")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("title"), max_length=300)
    citation = models.CharField(_("reference"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="governance/evidence/%Y/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering: ClassVar = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------------------
# The GCM national action plan
# ---------------------------------------------------------------------------------------------------------


class GcmObjective(Bilingual):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)

    class Meta:
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")
        ordering: ClassVar = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.tr('title')}"


class Institution(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        PROVINCE = "province", _("Provincial government")
        REGENCY = "regency", _("Regency or city government")
        VILLAGE = "village", _("Village government")
        MISSION = "mission", _("Mission abroad")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    abbr = models.CharField(_("abbreviation"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MINISTRY)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering: ClassVar = ["abbr", "name"]

    def __str__(self) -> str:
        return self.abbr or self.name


class PlanAction(models.Model):
    class Metric(models.TextChoices):
        REPORTED = "reported", _("Reported in progress reports")
        OFFICIALS_TRAINED = "officials_trained", _("Officials trained (from trainings)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(
        GcmObjective, verbose_name=_("GCM objective"), on_delete=models.PROTECT, related_name="actions"
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        Institution, verbose_name=_("lead institution"), on_delete=models.PROTECT, related_name="led_actions"
    )
    supporting = models.ManyToManyField(
        Institution, verbose_name=_("supporting institutions"), blank=True, related_name="supported_actions"
    )
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    metric = models.CharField(
        _("how progress is measured"), max_length=20, choices=Metric.choices, default=Metric.REPORTED
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    budget = models.DecimalField(_("budget (IDR)"), max_digits=18, decimal_places=0, null=True, blank=True)
    budget_source = models.CharField(_("source of funds"), max_length=200, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    mgi_indicators = models.ManyToManyField(
        Indicator, verbose_name=_("MGI indicators addressed"), blank=True, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering: ClassVar = ["objective__number", "code", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    AT_RISK = "at_risk", _("At risk")
    COMPLETED = "completed", _("Completed")


class ProgressReport(models.Model):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(
        _("period"), max_length=8, help_text=_("A year, half-year or quarter: 2026, 2026-S1, 2026-Q3.")
    )
    status = models.CharField(_("status"), max_length=16, choices=ProgressStatus.choices)
    value = models.DecimalField(_("achieved so far"), max_digits=14, decimal_places=2, null=True, blank=True)
    spent = models.DecimalField(_("spent (IDR)"), max_digits=18, decimal_places=0, null=True, blank=True)
    narrative = models.TextField(_("what was done"), blank=True)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Documents, links or laws, one per line.")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering: ClassVar = ["-period", "-reported_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["action", "period"], name="governance_progress_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.period}"


# ---------------------------------------------------------------------------------------------------------
# Trainings and drills
# ---------------------------------------------------------------------------------------------------------


class Training(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        DRILL = "drill", _("Drill or simulation")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (in person and online)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    curriculum = models.TextField(_("curriculum"), blank=True)
    mode = models.CharField(_("where"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("venue or platform"), max_length=200, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    organiser = models.ForeignKey(
        Institution,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    facilitators = models.TextField(_("facilitators"), blank=True, help_text=_("One per line."))
    action = models.ForeignKey(
        PlanAction,
        verbose_name=_("action-plan action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
    )
    objective = models.ForeignKey(
        GcmObjective,
        verbose_name=_("GCM objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pass_mark = models.DecimalField(_("pass mark (post-test)"), max_digits=5, decimal_places=2, default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering: ClassVar = ["-start_date", "pk"]

    def __str__(self) -> str:
        return self.title


class TrainingModule(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("module"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering: ClassVar = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """An official or worker who took part. Names are shown only to those who may edit trainings."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    full_name = models.CharField(_("full name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution_name = models.CharField(_("institution (if not listed)"), max_length=200, blank=True)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    pre_score = models.DecimalField(
        _("pre-test score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    post_score = models.DecimalField(
        _("post-test score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    attended = models.BooleanField(_("attended"), default=True)
    certificate_number = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering: ClassVar = ["training", "full_name", "pk"]

    def __str__(self) -> str:
        return f"participant {self.public_id}"


# ---------------------------------------------------------------------------------------------------------
# Practices
# ---------------------------------------------------------------------------------------------------------


class Practice(models.Model):
    class Topic(models.TextChoices):
        CRISIS = "crisis", _("Crisis preparedness and response")
        LOCAL_DEVELOPMENT = "local_development", _("Migration and local development")
        RECRUITMENT = "recruitment", _("Fair recruitment")
        PROTECTION = "protection", _("Protection and assistance")
        REINTEGRATION = "reintegration", _("Return and reintegration")
        REMITTANCES = "remittances", _("Remittances and financial inclusion")
        DATA = "data", _("Data and evidence")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, db_index=True)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objectives = models.ManyToManyField(
        GcmObjective, verbose_name=_("GCM objectives"), blank=True, related_name="practices"
    )
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    actions = models.ManyToManyField(
        PlanAction, verbose_name=_("actions"), blank=True, related_name="practices"
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), blank=True, related_name="practices"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering: ClassVar = ["title"]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------------------
# Local planning
# ---------------------------------------------------------------------------------------------------------


class PlanLine(models.Model):
    """A line of a local plan or budget tagged to migration, with its GCM objective."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "places.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    programme = models.CharField(_("programme"), max_length=300)
    activity = models.CharField(_("activity"), max_length=300, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("responsible institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget = models.DecimalField(_("budget (IDR)"), max_digits=18, decimal_places=0)
    objective = models.ForeignKey(
        GcmObjective, verbose_name=_("GCM objective"), on_delete=models.PROTECT, related_name="+"
    )
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering: ClassVar = ["-year", "objective__number", "pk"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.programme}"


# ---------------------------------------------------------------------------------------------------------
# Published statistics
# ---------------------------------------------------------------------------------------------------------


class StatRelease(models.Model):
    """One published set of aggregate tables. Dashboards and exports read only the latest published one."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BUILDING, db_index=True)
    sources = models.JSONField(default=dict, blank=True)
    cells = models.PositiveIntegerField(default=0)
    hidden = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("statistics release")
        verbose_name_plural = _("statistics releases")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"release {self.pk} {self.status}"


class StatCell(models.Model):
    """A published cell. A hidden cell keeps no count at all (n and value are NULL), so it cannot leak."""

    release = models.ForeignKey(StatRelease, on_delete=models.CASCADE, related_name="+")
    table = models.CharField(max_length=40)
    geo = models.CharField(max_length=16)
    parent = models.CharField(max_length=16, blank=True)
    level = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=64, blank=True)
    n = models.IntegerField(null=True)
    value = models.FloatField(null=True)
    hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("statistics cell")
        verbose_name_plural = _("statistics cells")
        indexes: ClassVar = [
            models.Index(fields=["release", "table", "geo"], name="governance_cell_table_geo"),
            models.Index(fields=["release", "table", "parent"], name="governance_cell_table_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.geo} {self.category}"
