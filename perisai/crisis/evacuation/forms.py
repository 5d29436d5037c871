from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from perisai.places.models import Country

from .models import (
    Consent,
    ContingencyPlan,
    CostCategory,
    DocumentType,
    Eligibility,
    Health,
    LessonKind,
    PlanRole,
    PlanSite,
    Scenario,
    SiteKind,
    StayReason,
    TransportMode,
    Zone,
)
from .sections import Section, model_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PlanForm(forms.Form):
    mission = forms.ChoiceField(label=_("Mission"))
    scenario = forms.ChoiceField(label=_("Scenario"), choices=Scenario.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    assumptions = forms.CharField(
        label=_("Scenario and assumptions"), required=False, widget=TEXTAREA, max_length=4000
    )
    max_distance_km = forms.FloatField(
        label=_("Maximum distance to an assembly point (km)"), min_value=0.1, max_value=500, initial=15
    )

    def __init__(self, *args: Any, missions: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = missions or []  # type: ignore[attr-defined]


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    assumptions = forms.CharField(
        label=_("Scenario and assumptions"), required=False, widget=TEXTAREA, max_length=4000
    )
    max_distance_km = forms.FloatField(
        label=_("Maximum distance to an assembly point (km)"), min_value=0.1, max_value=500
    )


class PublishForm(forms.Form):
    note = forms.CharField(label=_("What changed in this version"), required=False, max_length=500)


def section_form(section: Section, plan: ContingencyPlan, *args: Any, **kwargs: Any) -> forms.ModelForm[Any]:
    """The ModelForm of one section, its references limited to rows of the same plan."""
    widgets: dict[str, Any] = {}
    for name in section.fields:
        kind = model_field(section, name).get_internal_type()
        if kind == "TextField":
            widgets[name] = TEXTAREA
        elif kind == "DateField":
            widgets[name] = DATE
    form_class = forms.modelform_factory(section.model, fields=section.fields, widgets=widgets)
    form = form_class(*args, **kwargs)
    limits = {"zone": Zone.objects.filter(plan=plan), "reports_to": PlanRole.objects.filter(plan=plan)}
    limits["departs_from"] = PlanSite.objects.filter(plan=plan, kind=SiteKind.ASSEMBLY_POINT)  # type: ignore[assignment]
    for name, qs in limits.items():
        if name in form.fields:
            if kwargs.get("instance") is not None and name == "reports_to":
                qs = qs.exclude(pk=kwargs["instance"].pk)
            form.fields[name].queryset = qs  # type: ignore[attr-defined]
    for name, limit in (("lat", 90), ("lon", 180)):
        if name in form.fields:
            form.fields[name].validators += [MinValueValidator(-limit), MaxValueValidator(limit)]
            form.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})
    return form


class StartOperationForm(forms.Form):
    crisis = forms.ChoiceField(label=_("Crisis"))
    mission = forms.ChoiceField(label=_("Mission"))
    plan_version = forms.ChoiceField(label=_("Contingency plan"), required=False)

    def __init__(
        self,
        *args: Any,
        crises: list[tuple[str, str]],
        missions: list[tuple[str, str]],
        versions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crisis"].choices = crises  # type: ignore[attr-defined]
        self.fields["mission"].choices = missions  # type: ignore[attr-defined]
        self.fields["plan_version"].choices = [("", _("None (enter sites and legs by hand)")), *versions]  # type: ignore[attr-defined]


class LevelForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"))
    level = forms.TypedChoiceField(
        label=_("Siaga level"), coerce=int, choices=[(3, _("Siaga 3")), (2, _("Siaga 2")), (1, _("Siaga 1"))]
    )
    reason = forms.CharField(label=_("Reason (on record)"), max_length=500)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]


class AlertForm(forms.Form):
    body_id = forms.CharField(label=_("Message in Indonesian"), widget=TEXTAREA, max_length=1000)
    body_en = forms.CharField(label=_("Message in English"), widget=TEXTAREA, max_length=1000)


class PlanRunForm(forms.Form):
    levels = forms.TypedMultipleChoiceField(
        label=_("People in areas at"),
        coerce=int,
        choices=[(1, _("Siaga 1")), (2, _("Siaga 2")), (3, _("Siaga 3"))],
        initial=[1],
        widget=forms.CheckboxSelectMultiple,
    )
    time_limit = forms.FloatField(
        label=_("Time for the solver (seconds)"), min_value=1, max_value=60, initial=10
    )


class LegForm(forms.Form):
    site = forms.ChoiceField(label=_("Leaves from (assembly point)"))
    mode = forms.ChoiceField(label=_("Mode"), choices=TransportMode.choices)
    label = forms.CharField(label=_("Name (e.g. bus 3, flight number)"), max_length=80)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000)
    departs_at = forms.DateTimeField(label=_("Departs at"), widget=DATETIME)
    destination = forms.CharField(label=_("Destination"), max_length=200)
    to_indonesia = forms.BooleanField(label=_("Goes to Indonesia"), required=False)

    def __init__(self, *args: Any, sites: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = sites  # type: ignore[attr-defined]


class SiteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=0, max_value=1_000_000)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=40)


def nationality_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.iso2, str(c)) for c in Country.objects.exclude(iso2="ID").order_by("name")]


class ForeignNationalForm(forms.Form):
    full_name = forms.CharField(label=_("Full name (as in the travel document)"), max_length=200)
    nationality = forms.ChoiceField(label=_("Nationality"))
    eligibility = forms.ChoiceField(label=_("Travels with us as"))
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), ("F", _("Female")), ("M", _("Male"))]
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    document_type = forms.ChoiceField(
        label=_("Travel document"), choices=DocumentType.choices, initial=DocumentType.FOREIGN_PASSPORT
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=30)
    site = forms.ChoiceField(label=_("Where they are (assembly point)"), required=False)

    def __init__(self, *args: Any, family: bool, sites: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = nationality_choices()  # type: ignore[attr-defined]
        if family:
            self.fields["eligibility"].choices = [  # type: ignore[attr-defined]
                (Eligibility.SPOUSE.value, Eligibility.SPOUSE.label),
                (Eligibility.CHILD.value, Eligibility.CHILD.label),
            ]
            del self.fields["site"]
        else:
            self.fields["eligibility"].choices = [  # type: ignore[attr-defined]
                (Eligibility.FOREIGN_ASSISTED.value, Eligibility.FOREIGN_ASSISTED.label)
            ]
            self.fields["site"].choices = [("", "—"), *sites]  # type: ignore[attr-defined]
            self.fields["site"].required = True


class EvacueeForm(forms.Form):
    consent = forms.ChoiceField(label=_("Consent to evacuate"), choices=Consent.choices)
    health = forms.ChoiceField(label=_("Health screening"), choices=Health.choices)
    document_type = forms.ChoiceField(label=_("Travel document"), choices=DocumentType.choices)
    document_number = forms.CharField(
        label=_("New document number (leave empty to keep)"), required=False, max_length=30
    )


class StayForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the person stays"), choices=StayReason.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, NIK, passport or phone"), max_length=100)


class CostForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = forms.CharField(
        label=_("Amount"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="IDR")


class LessonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LessonKind.choices)
    text = forms.CharField(label=_("What happened"), widget=TEXTAREA, max_length=4000)
    recommendation = forms.CharField(
        label=_("Recommendation"), required=False, widget=TEXTAREA, max_length=4000
    )


class BoardForm(forms.Form):
    """The boarding phone's form without JavaScript (with it, the same fields go through the offline queue)."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    step = forms.ChoiceField(
        label=_("Step"),
        choices=[("board", _("Boarding")), ("assembly", _("Arrival at the assembly point"))],
        initial="board",
        widget=forms.RadioSelect,
    )
    document = forms.CharField(
        label=_("Passport or SPLP number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("Asked: the person agrees to be evacuated"), required=False, initial=True
    )
