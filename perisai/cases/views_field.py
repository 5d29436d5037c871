"""The field intake page for borders and shelters: works offline (static/cases/field.js keeps records in
IndexedDB and a service worker keeps the page), syncs through the API (`/api/v1/cases/field-sync`), and
works without JavaScript as a plain form posted to the same code path (fieldsync.sync_record)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from perisai.core.models import User
from perisai.core.permissions import PUBLIC, requires
from perisai.core.roles import Cap

from . import fieldsync
from .forms import SEX_CHOICES
from .models import VULNERABILITY_LABELS, CaseType, ConsentGiver, ConsentPurpose, Urgency

SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "cases" / "field-sw.js"


class FieldIntakeForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    subject_name = forms.CharField(label=gettext_lazy("Name of the person"), max_length=200)
    contact = forms.CharField(label=gettext_lazy("How to reach them"), max_length=200, required=False)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=SEX_CHOICES, required=False)
    birth_year = forms.IntegerField(
        label=gettext_lazy("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    region_code = forms.CharField(
        label=gettext_lazy("Home village code (Kemendagri)"),
        max_length=13,
        required=False,
        help_text=gettext_lazy("e.g. 35.07.01.2001; or the regency, e.g. 35.07."),
    )
    case_type = forms.ChoiceField(label=gettext_lazy("Type of case"), choices=CaseType.choices)
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    summary = forms.CharField(
        label=gettext_lazy("What happened, what they need"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=gettext_lazy("Vulnerabilities"),
        required=False,
        choices=[(flag.name.lower(), label) for flag, label in VULNERABILITY_LABELS.items() if flag.name],
        widget=forms.CheckboxSelectMultiple,
    )
    consents = forms.MultipleChoiceField(
        label=gettext_lazy("The person consents to"),
        required=False,
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    given_by = forms.ChoiceField(label=gettext_lazy("Consent given by"), choices=ConsentGiver.choices)
    giver_name = forms.CharField(label=gettext_lazy("Caregiver's name"), max_length=200, required=False)


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def field(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = FieldIntakeForm(request.POST or None, initial={"client_uuid": uuid.uuid4(), "given_by": "person"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        values = {k: v for k, v in d.items() if k != "client_uuid"}
        answer = fieldsync.sync_record(
            actor=user, record={"client_uuid": str(d["client_uuid"]), "values": values}
        )
        if answer["outcome"] in ("created", "updated", "unchanged", "conflict"):
            messages.success(request, _("Case %(code)s is saved.") % {"code": answer["code"]})
            return redirect("cases:field")
        for field_name, problems in (answer.get("errors") or {}).items():
            for problem in problems:
                form.add_error(field_name if field_name in form.fields else None, problem)
    return render(request, "cases/field.html", {"form": form})


@requires(PUBLIC)
def field_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (static code, no data) served under /cases/field/ so that it may keep that page."""
    response = HttpResponse(SERVICE_WORKER.read_text(encoding="utf-8"), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns: list[URLPattern] = [
    path("field/", field, name="field"),
    path("field/sw.js", field_service_worker, name="field_sw"),
]
