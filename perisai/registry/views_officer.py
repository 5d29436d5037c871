"""Officer pages of the registry: search, person (with history), edit, status, duplicates and merge, import,
export. Each view parses input, calls one action or selector, and renders; the API (api.py) calls the same."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from perisai.core import audit, crypto
from perisai.core.models import User
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap
from perisai.core.scopes import scope_for
from perisai.places.models import Country, Mission

from . import duplicates, exports, imports, search
from .actions import MAX_TEXT, RegistryInputError, do_set_status, do_update_person
from .models import VULNERABILITY_LABELS, Channel, Person, PersonStatus, Purpose, Sector, Sex
from .selectors import (
    access_person_by_id,
    list_household_members,
    list_people_visible_to,
    list_person_history,
    person_as_input,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SETTABLE_STATUSES = (PersonStatus.ACTIVE, PersonStatus.RETURNED, PersonStatus.MOVED, PersonStatus.DECEASED)
MAX_UPLOAD = 100 * 1024 * 1024


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# ---- search ----------------------------------------------------------------------------------------------


@requires(Cap.PERSON_VIEW)
def officer_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {
        "q": query,
        "can_edit": user.can(Cap.PERSON_EDIT),
        "can_export": user.can(Cap.PERSON_EXPORT),
        "can_import": user.can(Cap.PERSON_IMPORT),
    }
    if query:
        result = search.search_people(user=user, text=query)
        context.update(hits=result.hits, kind=result.kind)
    else:
        people = (
            list_people_visible_to(user=user)
            .exclude(status=PersonStatus.MERGED)
            .select_related("country", "mission")
            .order_by("-pk")  # latest registrations first (the primary key: no sort of the whole scope)
        )
        context["page"] = Paginator(people, 25).get_page(request.GET.get("page"))
    template = "registry/officer/_results.html" if _is_htmx(request) else "registry/officer/search.html"
    return render(request, template, context)


# ---- the person page -------------------------------------------------------------------------------------


def _person_context(request: HttpRequest, person: Person, *, revealed: str | None = None) -> dict[str, Any]:
    user = _user(request)
    return {
        "person": person,
        "nik": crypto.decrypt(person.nik_encrypted) if person.nik_encrypted else "",
        "passport": crypto.decrypt(person.passport_encrypted) if person.passport_encrypted else "",
        "has_immigration_status": bool(person.immigration_status_encrypted),
        "immigration_status": revealed,
        "can_edit": user.can(Cap.PERSON_EDIT),
        "vulnerabilities": [label for flag, label in VULNERABILITY_LABELS.items() if person.has(flag)],
        "members": list_household_members(user=user, person=person).select_related("country"),
        "consents": person.consents.order_by("purpose"),
        "history": list_person_history(person=person),
        "statuses": [(s.value, s.label) for s in SETTABLE_STATUSES if s != person.status],
        "merged_into": (
            list_people_visible_to(user=user).filter(pk=person.merged_into_id).first()
            if person.merged_into_id
            else None
        ),
    }


@requires(Cap.PERSON_VIEW)
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = access_person_by_id(user=_user(request), public_id=public_id)
    return render(request, "registry/officer/person.html", _person_context(request, person))


@requires(Cap.PERSON_EDIT)
@require_http_methods(["GET", "POST"])
def person_reveal_status(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show the immigration status (POST, so that a link preview cannot do it); the showing is audited."""
    if request.method != "POST":
        return redirect("registry:person_detail", public_id=public_id)
    user = _user(request)
    person = access_person_by_id(user=user, public_id=public_id)
    value = crypto.decrypt(person.immigration_status_encrypted) if person.immigration_status_encrypted else ""
    audit.record(
        actor=user,
        action="person.reveal",
        target=person,
        sensitive=True,
        details={"field": "immigration_status"},
    )
    if _is_htmx(request):
        return render(request, "registry/officer/_immigration_status.html", {"immigration_status": value})
    return render(request, "registry/officer/person.html", _person_context(request, person, revealed=value))


@requires(Cap.PERSON_EDIT)
@require_http_methods(["GET", "POST"])
def person_status(request: HttpRequest, public_id: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("registry:person_detail", public_id=public_id)
    user = _user(request)
    person = access_person_by_id(user=user, public_id=public_id)
    status = request.POST.get("status", "")
    if status not in SETTABLE_STATUSES or person.status in (PersonStatus.MERGED, PersonStatus.ERASED):
        messages.error(request, _("This status cannot be set here."))
    else:
        do_set_status(person=person, status=status, actor=user)
        messages.success(
            request, _("Status changed to “%(status)s”.") % {"status": person.get_status_display()}
        )
    return redirect("registry:person_detail", public_id=person.public_id)


class OfficerPersonForm(forms.Form):
    """An officer's correction of a registration. Consents are the citizen's own and are not on this form."""

    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    nik = forms.CharField(label=gettext_lazy("NIK (16 digits)"), required=False, max_length=40)
    passport_number = forms.CharField(label=gettext_lazy("Passport number"), required=False, max_length=20)
    passport_expiry = forms.DateField(label=gettext_lazy("Passport expiry date"), required=False, widget=DATE)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = forms.DateField(label=gettext_lazy("Date of birth"), required=False, widget=DATE)
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    whatsapp = forms.CharField(
        label=gettext_lazy("WhatsApp number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    telegram = forms.CharField(label=gettext_lazy("Telegram username"), required=False, max_length=64)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country of stay"), choices=())
    city_name = forms.CharField(label=gettext_lazy("City"), required=False, max_length=100)
    address = forms.CharField(
        label=gettext_lazy("Address abroad"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    stay_since = forms.DateField(label=gettext_lazy("Staying since"), required=False, widget=DATE)
    stay_until = forms.DateField(label=gettext_lazy("Staying until"), required=False, widget=DATE)
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose of stay"), choices=Purpose.choices)
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    employer = forms.CharField(label=gettext_lazy("Employer"), required=False, max_length=200)
    agency = forms.CharField(label=gettext_lazy("Placement agency"), required=False, max_length=200)
    home_village = forms.CharField(
        label=gettext_lazy("Home village code (Kode Desa)"),
        required=False,
        max_length=13,
        help_text=gettext_lazy("The Kemendagri code, e.g. 35.07.01.2001."),
    )
    emergency_contact_name = forms.CharField(
        label=gettext_lazy("Emergency contact"), required=False, max_length=200
    )
    emergency_contact_phone = forms.CharField(
        label=gettext_lazy("Emergency contact phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=gettext_lazy("Vulnerabilities"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(str(int(flag)), label) for flag, label in VULNERABILITY_LABELS.items()],
    )
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )
    preferred_channel = forms.ChoiceField(label=gettext_lazy("Preferred channel"), choices=Channel.choices)
    new_immigration_status = forms.CharField(
        label=gettext_lazy("New immigration status"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Leave empty to keep the current one (it is not shown here)."),
    )
    clear_immigration_status = forms.BooleanField(
        label=gettext_lazy("Remove the immigration status"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            (c.iso2, str(c)) for c in Country.objects.exclude(iso2="ID").order_by("name")
        ]

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        data = person_as_input(person)
        initial = {name: getattr(data, name) for name in OfficerPersonForm.base_fields if hasattr(data, name)}
        initial["vulnerabilities"] = [str(int(f)) for f in VULNERABILITY_LABELS if person.vulnerabilities & f]
        return initial

    def apply_to(self, person: Person) -> Any:
        """The person's current values with this form's on top, as a PersonInput for do_update_person."""
        from .imports import fold

        data = person_as_input(person)
        d = self.cleaned_data
        for name in (
            "full_name",
            "nik",
            "passport_number",
            "passport_expiry",
            "sex",
            "birth_date",
            "phone",
            "whatsapp",
            "telegram",
            "email",
            "country",
            "city_name",
            "address",
            "stay_since",
            "stay_until",
            "purpose",
            "sector",
            "employer",
            "agency",
            "home_village",
            "emergency_contact_name",
            "emergency_contact_phone",
            "preferred_language",
            "preferred_channel",
        ):
            value = d.get(name)
            setattr(
                data,
                name,
                value
                if value is not None
                else (
                    "" if name not in ("passport_expiry", "birth_date", "stay_since", "stay_until") else None
                ),
            )
        if fold(data.city_name) != fold(person.city_name) or data.country != person.country_id:
            data.city_geonameid = None
            data.lat = data.lon = None
        flags = 0
        for value in d.get("vulnerabilities") or []:
            flags |= int(value)
        data.vulnerabilities = flags
        if d.get("clear_immigration_status"):
            data.immigration_status = ""
        elif d.get("new_immigration_status"):
            data.immigration_status = d["new_immigration_status"]
        return data


@requires(Cap.PERSON_EDIT)
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    person = access_person_by_id(user=user, public_id=public_id)
    if person.status in (PersonStatus.MERGED, PersonStatus.ERASED):
        raise Http404
    if request.method == "POST":
        form = OfficerPersonForm(request.POST)
        if form.is_valid():
            try:
                changed = do_update_person(person=person, data=form.apply_to(person), actor=user)
            except RegistryInputError as exc:
                for name, errors in exc.errors.items():
                    target = name if name in form.fields else None
                    for error in errors:
                        form.add_error(target, error)
            else:
                if changed:
                    messages.success(
                        request, _("Saved: %(fields)s.") % {"fields": ", ".join(sorted(changed))}
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("registry:person_detail", public_id=person.public_id)
    else:
        form = OfficerPersonForm(initial=OfficerPersonForm.initial_for(person))
    return render(request, "registry/officer/edit.html", {"person": person, "form": form})


# ---- duplicates ------------------------------------------------------------------------------------------


@requires(Cap.PERSON_EDIT)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    pairs = duplicates.list_duplicate_pairs(user=_user(request))
    return render(request, "registry/officer/duplicates.html", {"pairs": pairs})


@requires(Cap.PERSON_EDIT)
def person_merge(request: HttpRequest, public_id: str, other_id: str) -> HttpResponse:
    """Review two records side by side; merge the second into the first, or mark them as two people."""
    user = _user(request)
    survivor = access_person_by_id(user=user, public_id=public_id)
    duplicate = access_person_by_id(user=user, public_id=other_id)
    closed = (PersonStatus.MERGED, PersonStatus.ERASED)
    if survivor.pk == duplicate.pk or survivor.status in closed or duplicate.status in closed:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "dismiss":
            duplicates.do_dismiss_duplicate(first=survivor, second=duplicate, actor=user)
            messages.success(request, _("Marked as two different people."))
            return redirect("registry:duplicate_list")
        if action == "merge":
            choices = {
                name: request.POST[f"choice-{name}"]
                for name in duplicates.MERGE_FIELDS
                if request.POST.get(f"choice-{name}") in ("survivor", "duplicate")
            }
            try:
                duplicates.do_merge_people(
                    survivor=survivor, duplicate=duplicate, actor=user, choices=choices
                )
            except (duplicates.MergeError, IntegrityError):
                messages.error(request, _("These records could not be merged. Nothing was changed."))
            else:
                messages.success(request, _("The two records were merged into this one."))
                return redirect("registry:person_detail", public_id=survivor.public_id)
    rows = duplicates.people_for_comparison(survivor=survivor, duplicate=duplicate)
    return render(
        request, "registry/officer/merge.html", {"survivor": survivor, "duplicate": duplicate, "rows": rows}
    )


# ---- export ----------------------------------------------------------------------------------------------


def _missions_for(user: User) -> list[Mission]:
    scope = scope_for(user)
    missions = Mission.objects.filter(active=True).order_by("name")
    if not scope.everything:
        missions = missions.filter(pk__in=scope.mission_ids)
    return list(missions)


@requires(Cap.PERSON_EXPORT)
def person_export(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    missions = _missions_for(user)
    fmt = request.GET.get("format", "")
    status = request.GET.get("status", PersonStatus.ACTIVE)
    filters = exports.ExportFilters(
        status=status if status in ("", *PersonStatus.values) else PersonStatus.ACTIVE,
        country=request.GET.get("country", "")[:2],
        mission=request.GET.get("mission", "")[:64],
        sector=request.GET.get("sector", "") if request.GET.get("sector", "") in Sector.values else "",
    )
    if fmt in exports.FORMATS:
        return exports.http_response(exports.do_export_people(user=user, filters=filters, fmt=fmt))
    countries = (
        Country.objects.filter(
            iso2__in=list_people_visible_to(user=user).values("country_id").distinct()
        ).order_by("name")
        if scope_for(user).individuals
        else Country.objects.none()
    )
    return render(
        request,
        "registry/officer/export.html",
        {
            "filters": filters,
            "missions": missions,
            "countries": countries,
            "sectors": Sector.choices,
            "statuses": [(s.value, s.label) for s in SETTABLE_STATUSES],
            "formats": [("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("hxl", _("HXL-tagged CSV"))],
        },
    )


# ---- import ----------------------------------------------------------------------------------------------


def _import_form_context(user: User, **extra: Any) -> dict[str, Any]:
    scope = scope_for(user)
    countries = Country.objects.exclude(iso2="ID").order_by("name")
    if not scope.everything:
        countries = countries.filter(
            iso2__in=scope.country_codes | {m.country_id for m in _missions_for(user)}
        )
    return {"encodings": list(imports.ENCODINGS.items()), "countries": countries, **extra}


@requires(Cap.PERSON_IMPORT)
def person_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        encoding = request.POST.get("encoding", "")
        country = request.POST.get("country", "")[:2].upper()
        error = ""
        if upload is None:
            error = _("Choose a file to import.")
        elif upload.size and upload.size > MAX_UPLOAD:
            error = _("The file is too large (at most %(mb)d MB). Split it into several files.") % {
                "mb": MAX_UPLOAD // (1024 * 1024)
            }
        elif encoding not in imports.ENCODINGS:
            error = _("Choose an encoding from the list.")
        if not error and upload is not None:
            job = imports.ImportJob.create(
                owner=user,
                filename=upload.name or "upload.csv",
                chunks=upload.chunks(),
                encoding=encoding,
                country=country,
            )
            try:
                job.table()
            except imports.ImportFileError as exc:
                error = str(exc)
                job.source.unlink(missing_ok=True)
            else:
                return redirect("registry:import_job", job_id=job.id)
        return render(
            request,
            "registry/officer/import.html",
            _import_form_context(user, error=error, encoding=encoding, country=country),
            status=400,
        )
    return render(request, "registry/officer/import.html", _import_form_context(user))


def _int(value: str | None, *, limit: int) -> int:
    try:
        return max(0, min(int(value or 0), limit))
    except ValueError:
        return 0


def _job_or_404(request: HttpRequest, job_id: str) -> imports.ImportJob:
    job = imports.ImportJob.load(str(job_id), owner=_user(request))
    if job is None:
        raise Http404
    return job


@requires(Cap.PERSON_IMPORT)
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """One upload: choose the columns, preview (a dry run), import; then follow the import to its report."""
    user = _user(request)
    job = _job_or_404(request, job_id)
    context: dict[str, Any] = {"job": job, "fields": [(k, f.label) for k, f in imports.FIELDS.items()]}
    status = 200
    if request.method == "POST" and job.state in ("uploaded", "previewed"):
        action = request.POST.get("action")
        if action == "preview":
            job.overrides = {
                f"#{i + 1}": request.POST.get(f"col-{i}", "")
                for i in range(_int(request.POST.get("columns"), limit=500))
                if request.POST.get(f"col-{i}", "") in ("", *imports.FIELDS)
            }
            job.encoding = request.POST.get("encoding", job.encoding)
            job.encoding = job.encoding if job.encoding in imports.ENCODINGS else ""
            job.country = request.POST.get("country", job.country)[:2].upper()
            try:
                report = job.run(dry_run=True)
            except imports.ImportFileError as exc:
                context["error"] = str(exc)
                status = 400
            else:
                job.state = "previewed"
                job.result = report.as_dict(rows=0)
                context["preview"] = report
            job.save()
        elif action == "import" and job.state == "previewed":
            if job.result.get("total", 0) > imports.INLINE_ROWS:
                job.state = "queued"
                job.save()
                result = imports.import_people_task.enqueue(job.id)
                job.task_id = str(result.id)
                job.save()
            else:
                try:
                    job.finish(job.run(dry_run=False))
                except imports.ImportFileError as exc:
                    job.state, job.error = "failed", str(exc)
                    job.save()
            return redirect("registry:import_job", job_id=job.id)
    if job.state in ("uploaded", "previewed"):
        try:
            table = job.table()
        except imports.ImportFileError as exc:
            context["error"] = str(exc)
            status = 400
        else:
            mapping = job.mapping(table)
            samples = next(table.rows, (0, []))[1]
            context["columns"] = [
                {
                    "index": i,
                    "header": header or f"#{i + 1}",
                    "field": mapping.get(i, ""),
                    "sample": imports._cell_text(samples[i])[:40] if i < len(samples) else "",
                }
                for i, header in enumerate(table.header)
            ]
            context["header_line"] = table.header_line
    context.update(_import_form_context(user))
    if job.state == "done" and job.result:
        context["summary"] = imports.summary_text(job.result)
    template = (
        "registry/officer/_import_status.html" if _is_htmx(request) else "registry/officer/import_job.html"
    )
    return render(request, template, context, status=status)


@requires(Cap.PERSON_IMPORT)
def import_report(request: HttpRequest, job_id: str) -> HttpResponseBase:
    job = _job_or_404(request, job_id)
    path = job.folder / ("preview.csv" if request.GET.get("preview") else "report.csv")
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"perisai-import-{path.name}",
        content_type="text/csv; charset=utf-8",
    )


urlpatterns: list[URLPattern] = [
    path("people/", officer_search, name="officer_search"),
    path("people/duplicates/", duplicate_list, name="duplicate_list"),
    path("people/export/", person_export, name="person_export"),
    path("people/import/", person_import, name="person_import"),
    path("people/import/<uuid:job_id>/", import_job, name="import_job"),
    path("people/import/<uuid:job_id>/report.csv", import_report, name="import_report"),
    path("people/<uuid:public_id>/", person_detail, name="person_detail"),
    path("people/<uuid:public_id>/edit/", person_edit, name="person_edit"),
    path("people/<uuid:public_id>/status/", person_status, name="person_status"),
    path("people/<uuid:public_id>/immigration-status/", person_reveal_status, name="person_reveal_status"),
    path("people/<uuid:public_id>/merge/<uuid:other_id>/", person_merge, name="person_merge"),
]
