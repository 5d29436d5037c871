"""Forms of the case pages. They parse; the actions validate the domain rules and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.core.models import Organisation, User
from perisai.core.roles import Cap, Role, role_has
from perisai.places.models import Mission

from .actions import MAX_TEXT
from .models import (
    ILO_LABELS,
    VULNERABILITY_LABELS,
    CaseType,
    ConsentGiver,
    ConsentPurpose,
    EntryPoint,
    Outcome,
    RiskLevel,
    Service,
    Urgency,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SEX_CHOICES = [("", "—"), ("F", _("Female")), ("M", _("Male"))]
INTAKE_SOURCES = [("walk_in", _("Walk-in")), ("call", _("Call"))]


def _text(
    label: Any, *, required: bool = False, rows: int = 0, max_length: int = 200, **kw: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows, "maxlength": max_length}) if rows else None
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget, **kw)


def flag_choices(labels: Any) -> list[tuple[str, Any]]:
    return [(str(int(flag)), label) for flag, label in labels.items()]


def mask_of(values: list[str] | None) -> int:
    mask = 0
    for value in values or []:
        mask |= int(value)
    return mask


def mask_to_values(mask: int, labels: Any) -> list[str]:
    return [str(int(flag)) for flag in labels if mask & int(flag)]


class RegionSearchMixin(forms.Form):
    """A home region chosen without JavaScript: type a village name, press "Search", pick from the list."""

    village_query = forms.CharField(label=_("Search the home village"), required=False, max_length=100)
    region_code = forms.CharField(
        label=_("Home region (Kemendagri code)"),
        required=False,
        max_length=13,
        help_text=_("A village code, or the regency or province code when the village is not known."),
    )


class IntakeForm(RegionSearchMixin):
    source = forms.ChoiceField(label=_("How the person came"), choices=INTAKE_SOURCES, initial="walk_in")
    case_type = forms.ChoiceField(label=_("Type of case"), choices=CaseType.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        help_text=_("An emergency must be contacted within one hour: the officer on duty is paged."),
    )
    subject_name = _text(_("Name of the person"), required=True)
    contact = _text(_("How to reach them"), help_text=_("Phone, WhatsApp, Telegram or where they stay."))
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    mission = forms.ModelChoiceField(
        label=_("Mission abroad (if any)"), queryset=Mission.objects.none(), required=False
    )
    summary = _text(_("What happened, what they need"), required=True, rows=4, max_length=MAX_TEXT)
    violence_details = _text(
        _("Violence details (sensitive)"),
        rows=3,
        max_length=MAX_TEXT,
        help_text=_("Kept encrypted; readable only by the roles granted sensitive sections."),
    )
    immigration_status = _text(_("Immigration status (sensitive)"))
    consents = forms.MultipleChoiceField(
        label=_("The person consents to"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    given_by = forms.ChoiceField(label=_("Consent given by"), choices=ConsentGiver.choices, initial="person")
    giver_name = _text(_("Caregiver's name"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = Mission.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]


class EditIntakeForm(RegionSearchMixin):
    case_type = forms.ChoiceField(label=_("Type of case"), choices=CaseType.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    subject_name = _text(_("Name of the person"))
    contact = _text(_("How to reach them"))
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    summary = _text(_("What happened, what they need"), required=True, rows=4, max_length=MAX_TEXT)


class AssessmentForm(forms.Form):
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        choices=flag_choices(VULNERABILITY_LABELS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ilo_indicators = forms.MultipleChoiceField(
        label=_("ILO indicators of forced labour"),
        choices=flag_choices(ILO_LABELS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=[c for c in RiskLevel.choices if c[0]])
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = _text(_("Assessment notes"), rows=3, max_length=10_000)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Consents")), ("no", _("Does not consent / withdraws"))],
        coerce=lambda v: v == "yes",
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    giver_name = _text(_("Caregiver's name"))


class NoteForm(forms.Form):
    body = _text(_("Note"), required=True, rows=3, max_length=10_000)
    contact = forms.BooleanField(label=_("This was a contact with the person"), required=False)
    sensitive = forms.BooleanField(
        label=_("Sensitive (readable only by the roles granted it)"), required=False
    )


class TaskForm(forms.Form):
    title = _text(_("Task"), required=True)
    service = forms.ChoiceField(label=_("Service"), choices=[("", "—"), *Service.choices], required=False)
    due_date = forms.DateField(label=_("Due"), widget=DATE)

    def due_at(self) -> dt.datetime:
        day: dt.date = self.cleaned_data["due_date"]
        return dt.datetime.combine(day, dt.time(17, 0), tzinfo=timezone.get_current_timezone())


class DocumentForm(forms.Form):
    title = _text(_("Title"), required=True)
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or WebP)"))


class MemberForm(forms.Form):
    name = _text(_("Name"), required=True)
    relation = _text(_("Relation"), max_length=40)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)


class SensitiveForm(forms.Form):
    violence_details = _text(_("Violence details"), rows=4, max_length=10_000)
    immigration_status = _text(_("Immigration status"))


class ClosureForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = _text(_("Why the case can be closed"), required=True, rows=3, max_length=MAX_TEXT)


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), required=True, rows=2, max_length=MAX_TEXT)


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    provider = forms.UUIDField(label=_("Provider"), widget=forms.HiddenInput, required=False)
    note = _text(_("Note for the provider"), rows=3, max_length=MAX_TEXT)
    override_reason = _text(
        _("Override of missing consent: written reason (supervisors only)"), rows=2, max_length=MAX_TEXT
    )


class TransferForm(forms.Form):
    to_mission = forms.ModelChoiceField(
        label=_("To a mission"), queryset=Mission.objects.none(), required=False
    )
    to_organisation = forms.ModelChoiceField(
        label=_("Or to an organisation"), queryset=Organisation.objects.none(), required=False
    )
    reason = _text(_("Reason for the transfer"), required=True, rows=3, max_length=MAX_TEXT)
    override_reason = _text(
        _("Override of missing consent: written reason (supervisors only)"), rows=2, max_length=MAX_TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_mission"].queryset = Mission.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["to_organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason (needed to decline)"), rows=2, max_length=MAX_TEXT)


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Send back"))],
        widget=forms.RadioSelect,
    )
    comment = _text(_("Comment (needed to send back)"), rows=2, max_length=MAX_TEXT)


class ProviderForm(forms.Form):
    name = _text(_("Name"), required=True)
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    region_code = forms.CharField(
        label=_("Area served (Kemendagri code)"),
        required=False,
        max_length=13,
        help_text=_("Province (35), regency (35.07), district or village; empty for the whole country."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation on Perisai"), queryset=Organisation.objects.none(), required=False
    )
    phone = _text(_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = _text(_("Address"), rows=2, max_length=MAX_TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]


class DutyShiftForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=Mission.objects.none(), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Or organisation at home"), queryset=Organisation.objects.none(), required=False
    )
    phone = _text(_("Duty phone (SMS)"), max_length=40, help_text=_("With + and country code."))
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [r for r in Role.values if role_has(r, Cap.CASE_EDIT)]
        users = User.objects.filter(is_active=True, role__in=roles).order_by("username")
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["mission"].queryset = Mission.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]


class ArrivalImportForm(forms.Form):
    file = forms.FileField(label=_("Arrival list (XLSX or CSV)"))
    entry_point = forms.ChoiceField(label=_("Entry point"), choices=EntryPoint.choices)
    arrival_date = forms.DateField(label=_("Arrival date"), widget=DATE)
    country = forms.ChoiceField(label=_("Deported from (for rows that name no country)"), choices=())
    case_type = forms.ChoiceField(
        label=_("Type of the cases opened"),
        choices=[
            (CaseType.REINTEGRATION, CaseType.REINTEGRATION.label),
            (CaseType.DETENTION, CaseType.DETENTION.label),
        ],
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        required=False,
        choices=[("", _("Detect (UTF-8)")), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from perisai.places.models import Country

        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.iso2, str(c)) for c in Country.objects.exclude(iso2="ID").order_by("name")
        ]


class DashboardFilterForm(forms.Form):
    province = forms.CharField(label=_("Province code"), required=False, max_length=2)
    since = forms.DateField(label=_("Opened since"), required=False, widget=DATE)
