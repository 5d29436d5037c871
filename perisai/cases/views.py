"""Case pages: the queue, intake, the case page and its actions, documents. Each view parses input, calls one
action or selector, and renders; the API (api.py) calls the same functions."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core import crypto
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap
from perisai.places.models import Region
from perisai.places.selectors import region_path, search_regions

from . import actions, forms
from .models import (
    ILO_LABELS,
    NAME_HIDDEN_TYPES,
    VULNERABILITY_LABELS,
    Approval,
    ApprovalStatus,
    Case,
    CaseDocument,
    CaseTask,
    ConsentPurpose,
    PlanStatus,
    Referral,
    Service,
    SyncConflict,
    flag_labels,
    services_from_mask,
)
from .selectors import (
    SENSITIVE_CAP,
    access_case_by_id,
    can_see_sensitive,
    list_queue,
    list_waiting_emergencies,
    queue_page,
)

PAGE = 25


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _case(request: HttpRequest, public_id: Any, *, audit_view: bool = True) -> Case:
    return access_case_by_id(user=_user(request), public_id=public_id, audit_view=audit_view)


def _back(case: Case, anchor: str = "") -> HttpResponse:
    response = redirect("cases:detail", public_id=case.public_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _error_messages(request: HttpRequest, error: actions.CaseInputError) -> None:
    for problems in error.errors.values():
        for problem in problems:
            messages.error(request, problem)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else problem)


def region_choices(form: Any) -> list[tuple[str, str]]:
    """Villages matching the typed name (the no-JavaScript search), and the region already chosen."""
    data = form.data if form.is_bound else {}
    query = (data.get("village_query") or "").strip()
    current = data.get("region_code") if form.is_bound else form.initial.get("region_code")
    choices = (
        [(r.code, region_path(r)) for r in search_regions(query=query, level=4, limit=25)] if query else []
    )
    if current and current not in {c for c, _label in choices}:
        region = Region.objects.filter(code=current).first()
        choices.insert(0, (current, region_path(region) if region else current))
    return choices


# ---- the queue -------------------------------------------------------------------------------------------------


@requires(Cap.CASE_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    mine = request.GET.get("mine") == "1"
    status = "closed" if request.GET.get("status") == "closed" else "open"
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    if status == "open":
        rows = queue_page(user=user, mine=mine, offset=(page - 1) * PAGE, limit=PAGE)
    else:
        rows = list(list_queue(user=user, mine=mine, status=status)[(page - 1) * PAGE : page * PAGE + 1])
    return render(
        request,
        "cases/queue.html",
        {
            "cases": rows[:PAGE],
            "has_next": len(rows) > PAGE,
            "page": page,
            "mine": mine,
            "status": status,
            "emergencies": list_waiting_emergencies(user=user) if status == "open" else [],
            "can_edit": user.can(Cap.CASE_EDIT),
            "can_supervise": user.can(Cap.CASE_SUPERVISE),
            "hidden_types": NAME_HIDDEN_TYPES,
        },
    )


# ---- intake -----------------------------------------------------------------------------------------------------


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Intake of a walk-in or a call. Nothing typed is lost on an error: the page comes back filled in."""
    user = _user(request)
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST" and "search_village" not in request.POST and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                case = actions.do_open_case(
                    source=d["source"],
                    case_type=d["case_type"],
                    urgency=d["urgency"],
                    summary=d["summary"],
                    subject_name=d["subject_name"],
                    contact=d["contact"],
                    mission=d["mission"],
                    region_code=d["region_code"],
                    sex=d["sex"],
                    birth_year=d["birth_year"],
                    violence_details=d["violence_details"],
                    immigration_status=d["immigration_status"],
                    actor=user,
                )
                if case.assigned_to_id is None:
                    actions.do_assign_case(case=case, actor=user, assignee=user)
                for purpose in ConsentPurpose.values:
                    if purpose in d["consents"]:
                        actions.do_set_consent(
                            case=case,
                            actor=user,
                            purpose=purpose,
                            granted=True,
                            given_by=d["given_by"],
                            giver_name=d["giver_name"],
                        )
        except actions.CaseInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Case %(code)s is open.") % {"code": case.code})
            return _back(case)
    return render(request, "cases/new.html", {"form": form, "region_choices": region_choices(form)})


# ---- the case page ---------------------------------------------------------------------------------------------


def detail_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    consents = {c.purpose: c for c in case.consents.select_related("recorded_by")}
    sensitive = can_see_sensitive(user)
    notes = list(case.notes.select_related("author")[:100])
    for note in notes:
        note.text = (  # type: ignore[attr-defined]
            crypto.decrypt(note.body_encrypted) if (sensitive or not note.sensitive) else None
        )
    return {
        "case": case,
        "name_hidden": case.case_type in NAME_HIDDEN_TYPES and "revealed_name" not in extra,
        "can_edit": user.can(Cap.CASE_EDIT),
        "can_supervise": user.can(Cap.CASE_SUPERVISE),
        "can_see_sensitive": sensitive,
        "has_sensitive": bool(
            case.violence_details_encrypted or case.immigration_status_encrypted or case.transcript_encrypted
        ),
        "vulnerabilities": flag_labels(case.vulnerabilities, VULNERABILITY_LABELS),
        "ilo": flag_labels(case.ilo_indicators, ILO_LABELS),
        "needs": [Service(s).label for s in services_from_mask(case.needs)],
        "consents": [(p, label, consents.get(p)) for p, label in ConsentPurpose.choices],
        "tasks": case.tasks.select_related("assigned_to").order_by("done_at", "due_at"),
        "notes": notes,
        "documents": case.documents.order_by("-uploaded_at"),
        "referrals": case.referrals.select_related("provider").order_by("-referred_at"),
        "transfers": case.transfers.select_related("to_mission", "to_organisation").order_by("-requested_at"),
        "approvals": case.approvals.select_related("requested_by", "decided_by").order_by("-requested_at"),
        "members": case.members.order_by("pk"),
        "conflicts": case.conflicts.filter(resolved_at=None).order_by("pk"),
        "consent_form": forms.ConsentForm(initial={"given_by": "person", "granted": "yes"}),
        "note_form": forms.NoteForm(),
        "task_form": forms.TaskForm(),
        "document_form": forms.DocumentForm(),
        "member_form": forms.MemberForm(),
        "closure_form": forms.ClosureForm(),
        "reopen_form": forms.ReasonForm(),
        "pending_plan": case.plan_status == PlanStatus.SUBMITTED,
        "now": timezone.now(),
        **extra,
    }


@requires(Cap.CASE_VIEW)
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id)
    return render(request, "cases/detail.html", detail_context(request, case))


@requires(Cap.CASE_VIEW)
@require_POST
def reveal_name(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Show a hidden name (POST, so that a link preview cannot); the showing is in the audit log."""
    case = _case(request, public_id, audit_view=False)
    name = actions.reveal_name(case=case, actor=_user(request))
    if _is_htmx(request):
        return render(request, "cases/_name.html", {"name": name})
    return render(request, "cases/detail.html", detail_context(request, case, revealed_name=name))


@requires(SENSITIVE_CAP)
@require_POST
def reveal_sensitive(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = _case(request, public_id, audit_view=False)
    values = actions.reveal_sensitive(case=case, actor=user)
    form = forms.SensitiveForm(initial=values)
    return render(
        request, "cases/detail.html", detail_context(request, case, sensitive=values, sensitive_form=form)
    )


@requires(SENSITIVE_CAP)
@require_POST
def sensitive_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = _case(request, public_id, audit_view=False)
    if not user.can(Cap.CASE_EDIT):
        raise PermissionDenied
    form = forms.SensitiveForm(request.POST)
    if form.is_valid():
        try:
            changed = actions.do_set_sensitive(
                case=case,
                actor=user,
                violence_details=form.cleaned_data["violence_details"],
                immigration_status=form.cleaned_data["immigration_status"],
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            if changed:
                messages.success(request, _("The sensitive section is saved."))
    else:
        _form_errors(request, form)
    return _back(case, "sensitive")


@requires(Cap.CASE_EDIT)
@require_POST
def contact(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    actions.do_record_contact(case=case, actor=_user(request), note=request.POST.get("note", "")[:4000])
    messages.success(request, _("Contact recorded."))
    return _back(case)


@requires(Cap.CASE_EDIT)
@require_POST
def take(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = _case(request, public_id, audit_view=False)
    actions.do_assign_case(case=case, actor=user, assignee=user)
    messages.success(request, _("The case is now yours."))
    return _back(case)


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = _case(request, public_id)
    initial = {
        "case_type": case.case_type,
        "urgency": case.urgency,
        "subject_name": case.subject_name,
        "contact": case.contact,
        "sex": case.sex,
        "birth_year": case.birth_year,
        "region_code": case.region_code,
        "summary": case.summary,
    }
    form = forms.EditIntakeForm(request.POST or None, initial=initial)
    if request.method == "POST" and "search_village" not in request.POST and form.is_valid():
        try:
            actions.do_update_intake(case=case, actor=user, values=form.cleaned_data)
        except actions.CaseInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The case is saved."))
            return _back(case)
    return render(
        request, "cases/edit.html", {"case": case, "form": form, "region_choices": region_choices(form)}
    )


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = _case(request, public_id)
    initial = {
        "vulnerabilities": forms.mask_to_values(case.vulnerabilities, VULNERABILITY_LABELS),
        "ilo_indicators": forms.mask_to_values(case.ilo_indicators, ILO_LABELS),
        "risk_level": case.risk_level,
        "needs": services_from_mask(case.needs),
    }
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        needs = 0
        for service in d["needs"]:
            needs |= 1 << Service.values.index(service)
        try:
            actions.do_record_assessment(
                case=case,
                actor=user,
                vulnerabilities=forms.mask_of(d["vulnerabilities"]),
                ilo_indicators=forms.mask_of(d["ilo_indicators"]),
                risk_level=d["risk_level"],
                needs=needs,
                notes=d["notes"],
            )
        except actions.CaseInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The assessment is saved."))
            return _back(case, "assessment")
    history = case.assessments.select_related("assessed_by").order_by("-assessed_at")[:20]
    return render(request, "cases/assessment.html", {"case": case, "form": form, "history": history})


@requires(Cap.CASE_EDIT)
@require_POST
def consent(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    form = forms.ConsentForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_set_consent(
                case=case,
                actor=_user(request),
                purpose=d["purpose"],
                granted=d["granted"],
                given_by=d["given_by"],
                giver_name=d["giver_name"],
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Consent recorded."))
    else:
        _form_errors(request, form)
    return _back(case, "consent")


@requires(Cap.CASE_EDIT)
@require_POST
def note(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_note(
                case=case,
                actor=_user(request),
                body=d["body"],
                kind="contact" if d["contact"] else "note",
                sensitive=d["sensitive"],
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Note added."))
    else:
        _form_errors(request, form)
    return _back(case, "notes")


@requires(Cap.CASE_EDIT)
@require_POST
def member_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_member(
                case=case,
                actor=_user(request),
                name=d["name"],
                relation=d["relation"],
                birth_year=d["birth_year"],
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
    else:
        _form_errors(request, form)
    return _back(case, "members")


@requires(Cap.CASE_EDIT)
@require_POST
def task_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    form = forms.TaskForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_task(
                case=case,
                actor=_user(request),
                title=form.cleaned_data["title"],
                service=form.cleaned_data["service"],
                due_at=form.due_at(),
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Task added to the plan."))
    else:
        _form_errors(request, form)
    return _back(case, "plan")


@requires(Cap.CASE_EDIT)
@require_POST
def task_done(request: HttpRequest, public_id: uuid.UUID, task_id: int) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    task = get_object_or_404(CaseTask, pk=task_id, case=case)
    actions.do_complete_task(task=task, actor=_user(request))
    return _back(case, "plan")


@requires(Cap.CASE_EDIT)
@require_POST
def plan_submit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    try:
        actions.do_submit_plan(case=case, actor=_user(request))
    except actions.CaseInputError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The plan is sent to the supervisor for approval."))
    return _back(case, "plan")


@requires(Cap.CASE_EDIT)
@require_POST
def closure_request(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    form = forms.ClosureForm(request.POST)
    if form.is_valid():
        try:
            actions.do_request_closure(
                case=case,
                actor=_user(request),
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Closure requested: a supervisor must approve it."))
    else:
        _form_errors(request, form)
    return _back(case, "closure")


@requires(Cap.CASE_EDIT)
@require_POST
def reopen(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.do_reopen_case(case=case, actor=_user(request), reason=form.cleaned_data["reason"])
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The case is open again."))
    else:
        _form_errors(request, form)
    return _back(case, "closure")


@requires(Cap.CASE_SUPERVISE)
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    user = _user(request)
    approval = Approval.objects.filter(pk=approval_id).first()
    if approval is None:
        raise Http404
    case = _case(request, approval.case.public_id, audit_view=False)
    form = forms.ApprovalForm(request.POST)
    if form.is_valid():
        try:
            actions.do_decide_approval(
                approval=approval,
                actor=user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            messages.success(
                request,
                _("Approved.")
                if approval.status == ApprovalStatus.APPROVED
                else _("Sent back to the case worker."),
            )
    else:
        _form_errors(request, form)
    if request.POST.get("next") == "supervision":
        return redirect("cases:supervision")
    return _back(case, "closure")


@requires(Cap.CASE_EDIT)
@require_POST
def conflict_resolve(request: HttpRequest, public_id: uuid.UUID, conflict_id: int) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    conflict = get_object_or_404(SyncConflict, pk=conflict_id, case=case)
    try:
        actions.do_resolve_conflict(
            conflict=conflict, actor=_user(request), keep=request.POST.get("keep", "")
        )
    except actions.CaseInputError as error:
        _error_messages(request, error)
    return _back(case)


# ---- documents -------------------------------------------------------------------------------------------------


@requires(Cap.CASE_EDIT)
@require_POST
def document_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            actions.do_add_document(
                case=case,
                actor=_user(request),
                title=form.cleaned_data["title"],
                chunks=upload.chunks(),
                size=upload.size or 0,
            )
        except actions.CaseInputError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Document added."))
    else:
        _form_errors(request, form)
    return _back(case, "documents")


@requires(Cap.CASE_VIEW)
def document(request: HttpRequest, public_id: uuid.UUID, document_id: int) -> HttpResponseBase:
    """A document of a case the user may open: never from a public URL; every download is audited."""
    from perisai.core import audit

    user = _user(request)
    case = _case(request, public_id, audit_view=False)
    doc = get_object_or_404(CaseDocument, pk=document_id, case=case)
    file_path = actions.document_path(doc)
    if not file_path.exists():
        raise Http404
    audit.record(
        actor=user, action="case.document_open", target=case, sensitive=True, details={"document": doc.pk}
    )
    response = FileResponse(
        file_path.open("rb"),
        as_attachment=True,
        filename=f"{case.code}-{doc.pk}{doc.extension}",
        content_type=doc.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---- referrals and transfers (the referring side) -------------------------------------------------------------


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Refer to a provider, suggested from the home village upwards; blocked without the referral consent."""
    from .models import ServiceProvider
    from .selectors import suggest_providers

    user = _user(request)
    case = _case(request, public_id)
    service = request.POST.get("service") or request.GET.get("service") or ""
    if service not in Service.values:
        first_need = services_from_mask(case.needs)
        service = first_need[0] if first_need else Service.SHELTER
    form = forms.ReferralForm(request.POST or None, initial={"service": service})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        provider = (
            ServiceProvider.objects.filter(public_id=d["provider"], active=True).first()
            if d["provider"]
            else None
        )
        if provider is None:
            form.add_error(None, _("Choose a provider."))
        else:
            try:
                actions.do_refer(
                    case=case,
                    actor=user,
                    provider=provider,
                    service=d["service"],
                    note=d["note"],
                    override_reason=d["override_reason"],
                )
            except actions.CaseInputError as error:
                for field, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Referred to %(provider)s.") % {"provider": provider.name})
                return _back(case, "referrals")
    return render(
        request,
        "cases/refer.html",
        {
            "case": case,
            "form": form,
            "service": service,
            "services": Service.choices,
            "suggestions": suggest_providers(region_code=case.region_code, service=service),
            "has_consent": actions.has_consent(case, ConsentPurpose.REFERRAL),
            "can_override": user.can(Cap.CASE_SUPERVISE),
        },
    )


@requires(Cap.CASE_EDIT)
@require_POST
def referral_done(request: HttpRequest, public_id: uuid.UUID, referral_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id, audit_view=False)
    referral = get_object_or_404(Referral, public_id=referral_id, case=case)
    try:
        actions.do_complete_referral(referral=referral, actor=_user(request))
    except actions.CaseInputError as error:
        _error_messages(request, error)
    return _back(case, "referrals")


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = _case(request, public_id)
    form = forms.TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_request_transfer(
                case=case,
                actor=user,
                to_mission=d["to_mission"],
                to_organisation=d["to_organisation"],
                reason=d["reason"],
                override_reason=d["override_reason"],
            )
        except actions.CaseInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Transfer requested: the case moves when the receiver accepts."))
            return _back(case, "referrals")
    from perisai.core.models import Organisation

    suggested = (
        Organisation.objects.filter(region_id__in=_chain(case.region_code)).exclude(
            pk=case.organisation_id or 0
        )
        if case.region_code
        else Organisation.objects.none()
    )
    return render(
        request,
        "cases/transfer.html",
        {
            "case": case,
            "form": form,
            "suggested": suggested,
            "has_consent": actions.has_consent(case, ConsentPurpose.REFERRAL),
            "can_override": user.can(Cap.CASE_SUPERVISE),
        },
    )


def _chain(code: str) -> list[str]:
    from .selectors import region_chain

    return region_chain(code)


urlpatterns: list[URLPattern] = [
    path("", queue, name="queue"),
    path("new/", new, name="new"),
    path("<uuid:public_id>/", detail, name="detail"),
    path("<uuid:public_id>/name/", reveal_name, name="reveal_name"),
    path("<uuid:public_id>/sensitive/", reveal_sensitive, name="reveal_sensitive"),
    path("<uuid:public_id>/sensitive/edit/", sensitive_edit, name="sensitive_edit"),
    path("<uuid:public_id>/contact/", contact, name="contact"),
    path("<uuid:public_id>/take/", take, name="take"),
    path("<uuid:public_id>/edit/", edit, name="edit"),
    path("<uuid:public_id>/assessment/", assessment, name="assessment"),
    path("<uuid:public_id>/consent/", consent, name="consent"),
    path("<uuid:public_id>/notes/", note, name="note"),
    path("<uuid:public_id>/members/", member_add, name="member_add"),
    path("<uuid:public_id>/tasks/", task_add, name="task_add"),
    path("<uuid:public_id>/tasks/<int:task_id>/done/", task_done, name="task_done"),
    path("<uuid:public_id>/plan/submit/", plan_submit, name="plan_submit"),
    path("<uuid:public_id>/closure/", closure_request, name="closure_request"),
    path("<uuid:public_id>/reopen/", reopen, name="reopen"),
    path("<uuid:public_id>/conflicts/<int:conflict_id>/", conflict_resolve, name="conflict_resolve"),
    path("<uuid:public_id>/documents/", document_add, name="document_add"),
    path("<uuid:public_id>/documents/<int:document_id>/", document, name="document"),
    path("<uuid:public_id>/refer/", refer, name="refer"),
    path("<uuid:public_id>/referrals/<uuid:referral_id>/done/", referral_done, name="referral_done"),
    path("<uuid:public_id>/transfer/", transfer, name="transfer"),
    path("approvals/<int:approval_id>/", approval_decide, name="approval_decide"),
]
