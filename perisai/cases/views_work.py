"""Pages around the cases: what is offered to my organisation (referrals, transfers), supervision, the provider
directory and the duty roster."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, forms
from .models import ConsentPurpose, DutyShift, ReferralStatus, Service, TransferStatus
from .selectors import (
    access_referral_for_provider,
    access_transfer_for_receiver,
    list_incoming_referrals,
    list_incoming_transfers,
    list_overdue_contacts,
    list_overdue_tasks,
    list_pending_approvals,
    list_providers,
)


@requires(Cap.CASE_VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    referrals = list_incoming_referrals(user=user)
    return render(
        request,
        "cases/inbox.html",
        {
            "pending": list(referrals.filter(status=ReferralStatus.PENDING)[:100]),
            "accepted": list(referrals.filter(status=ReferralStatus.ACCEPTED)[:100]),
            "transfers": list(list_incoming_transfers(user=user)[:100]),
        },
    )


@requires(Cap.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """What a provider sees of a referral: the service asked, the note, the person's name and contact (shared
    because the person consented to referral, or a supervisor overrode it, on record) — not the case file."""
    user = _user(request)
    item = access_referral_for_provider(user=user, public_id=referral_id)
    receiving = user.role == "admin" or (
        user.organisation_id is not None and item.provider.organisation_id == user.organisation_id
    )
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST":
        if not receiving or not user.can(Cap.CASE_EDIT):
            messages.error(request, _("Only the provider's staff can answer this referral."))
            return redirect("cases:referral", referral_id=item.public_id)
        if form.is_valid():
            try:
                actions.do_respond_referral(
                    referral=item,
                    actor=user,
                    accept=form.cleaned_data["decision"] == "accept",
                    reason=form.cleaned_data["reason"],
                )
            except actions.CaseInputError as error:
                for field, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Your answer is sent."))
                return redirect("cases:inbox")
    case = item.case
    return render(
        request,
        "cases/referral.html",
        {
            "referral": item,
            "case": case,
            "form": form,
            "receiving": receiving,
            "shared": bool(item.consent_override_reason)
            or actions.has_consent(case, ConsentPurpose.REFERRAL),
            "service_label": Service(item.service).label,
        },
    )


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def transfer_detail(request: HttpRequest, transfer_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    item = access_transfer_for_receiver(user=user, public_id=transfer_id)
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST" and item.status == TransferStatus.PENDING and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            actions.do_respond_transfer(
                transfer=item, actor=user, accept=accept, reason=form.cleaned_data["reason"]
            )
        except actions.CaseInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            if accept:
                messages.success(request, _("The case is now yours."))
                return redirect("cases:detail", public_id=item.case.public_id)
            messages.success(request, _("Your answer is sent."))
            return redirect("cases:inbox")
    return render(request, "cases/transfer_detail.html", {"transfer": item, "case": item.case, "form": form})


@requires(Cap.CASE_SUPERVISE)
def supervision(request: HttpRequest) -> HttpResponse:
    """Overdue work for the supervisor: people not contacted in time, overdue tasks, sign-offs waiting."""
    user = _user(request)
    now = timezone.now()
    return render(
        request,
        "cases/supervision.html",
        {
            "overdue_contacts": list_overdue_contacts(user=user, now=now),
            "overdue_tasks": list(list_overdue_tasks(user=user, now=now)[:100]),
            "approvals": list(list_pending_approvals(user=user)[:100]),
            "approval_form": forms.ApprovalForm(),
            "now": now,
        },
    )


@requires(Cap.CASE_VIEW)
def providers(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()[:13]
    service = request.GET.get("service", "")
    service = service if service in Service.values else ""
    return render(
        request,
        "cases/providers.html",
        {
            "providers": list_providers(region_code=region, service=service),
            "region": region,
            "service": service,
            "services": Service.choices,
            "service_labels": dict(Service.choices),
            "can_add": _user(request).can(Cap.CASE_SUPERVISE),
        },
    )


@requires(Cap.CASE_SUPERVISE)
@require_http_methods(["GET", "POST"])
def provider_new(request: HttpRequest) -> HttpResponse:
    form = forms.ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_save_provider(
                actor=_user(request),
                name=d["name"],
                services=d["services"],
                region_code=d["region_code"],
                organisation=d["organisation"],
                phone=d["phone"],
                email=d["email"],
                address=d["address"],
            )
        except actions.CaseInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The provider is in the directory."))
            return redirect("cases:providers")
    return render(request, "cases/provider_form.html", {"form": form})


@requires(Cap.CASE_SUPERVISE)
@require_http_methods(["GET", "POST"])
def duty(request: HttpRequest) -> HttpResponse:
    """The duty roster: who is paged for emergency cases of a mission or an organisation."""
    form = forms.DutyShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_duty_shift(
                actor=_user(request),
                user=d["user"],
                mission=d["mission"],
                organisation=d["organisation"],
                phone=d["phone"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
            )
        except actions.CaseInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The shift is on the roster."))
            return redirect("cases:duty")
    now = timezone.now()
    shifts = (
        DutyShift.objects.filter(ends_at__gt=now)
        .select_related("user", "mission", "organisation")
        .order_by("starts_at")[:100]
    )
    return render(request, "cases/duty.html", {"form": form, "shifts": shifts, "now": now})


urlpatterns: list[URLPattern] = [
    path("inbox/", inbox, name="inbox"),
    path("referrals/<uuid:referral_id>/", referral, name="referral"),
    path("transfers/<uuid:transfer_id>/", transfer_detail, name="transfer_detail"),
    path("supervision/", supervision, name="supervision"),
    path("providers/", providers, name="providers"),
    path("providers/new/", provider_new, name="provider_new"),
    path("duty/", duty, name="duty"),
]
