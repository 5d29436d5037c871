"""Pages of one leg: manifests (PDF, CSV), boarding on a phone (works offline: a service worker keeps the page,
an IndexedDB queue keeps the scans, the sync endpoint is idempotent by the phone's UUID), conflicts,
departure and arrival, hand-over to home regions."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from perisai.core import audit
from perisai.core.permissions import PUBLIC, requires
from perisai.core.permissions import request_user as _user
from perisai.core.roles import Cap

from . import actions, selectors
from .forms import BoardForm
from .labels import scan_reason_label
from .models import Evacuee, Leg, LegStatus, ScanOutcome
from .pdf import manifest_pdf
from .views_ops import _csv_response
from .views_plans import pdf_response

MAX_BATCH = 500


def _leg(request: HttpRequest, leg_id: str) -> Leg:
    return selectors.access_leg_by_id(user=_user(request), public_id=leg_id)


@requires(Cap.CRISIS_VIEW)
def leg_detail(request: HttpRequest, leg_id: str) -> HttpResponse:
    leg = _leg(request, leg_id)
    manifests = selectors.manifest_changes(leg=leg)
    latest = manifests[0] if manifests else None
    rows = selectors.manifest_rows(manifest=latest) if latest else []
    arrived = (
        Evacuee.objects.filter(boarded_leg=leg)
        .exclude(arrived_at=None)
        .select_related("person")
        .order_by("handed_over_at", "household", "pk")
    )
    return render(
        request,
        "evacuation/leg.html",
        {
            "leg": leg,
            "operation": leg.operation,
            "manifests": manifests,
            "latest": latest,
            "rows": rows,
            "assigned": Evacuee.objects.filter(assigned_leg=leg, removed_at=None, stayed_at=None).count(),
            "boarded": Evacuee.objects.filter(boarded_leg=leg).count(),
            "problems": [
                (s, scan_reason_label(s.reason))
                for s in selectors.list_scans(leg=leg, problems_only=True)[:100]
            ],
            "arrived": arrived,
            "can_manage": _user(request).can(Cap.CRISIS_MANAGE),
        },
    )


@requires(Cap.CRISIS_MANAGE)
@require_POST
def leg_issue_manifest(request: HttpRequest, leg_id: str) -> HttpResponse:
    leg = _leg(request, leg_id)
    manifest = actions.do_issue_manifest(leg=leg, actor=_user(request))
    messages.success(
        request,
        _("Manifest %(n)d issued: %(count)d people (%(added)d added, %(removed)d removed since the last).")
        % {
            "n": manifest.number,
            "count": manifest.count,
            "added": manifest.added,
            "removed": manifest.removed,
        },
    )
    return redirect("evacuation:leg_detail", leg_id=leg.public_id)


def _manifest(leg: Leg, number: int) -> Any:
    from django.http import Http404

    manifest = leg.manifests.filter(number=number).first()
    if manifest is None:
        raise Http404
    return manifest


@requires(Cap.CRISIS_MANAGE)
def leg_manifest_pdf(request: HttpRequest, leg_id: str, number: int) -> HttpResponse:
    leg = _leg(request, leg_id)
    manifest = _manifest(leg, number)
    rows = selectors.manifest_rows(manifest=manifest)
    audit.record(
        actor=_user(request),
        action="evacuation.manifest_export",
        target=leg,
        sensitive=True,
        details={"number": number, "format": "pdf", "count": len(rows)},
    )
    data = manifest_pdf(leg=leg, manifest=manifest, rows=rows, exercise=leg.operation.exercise)
    return pdf_response(data, f"manifest-{leg.public_id}-{number}.pdf")


@requires(Cap.CRISIS_MANAGE)
def leg_manifest_csv(request: HttpRequest, leg_id: str, number: int) -> HttpResponse:
    from .pdf import both

    leg = _leg(request, leg_id)
    manifest = _manifest(leg, number)
    rows = selectors.manifest_rows(manifest=manifest)
    audit.record(
        actor=_user(request),
        action="evacuation.manifest_export",
        target=leg,
        sensitive=True,
        details={"number": number, "format": "csv", "count": len(rows)},
    )
    header = [
        "#",
        both(lambda: _("Name")),
        both(lambda: _("Sex")),
        both(lambda: _("Date of birth")),
        both(lambda: _("Nationality")),
        both(lambda: _("Eligibility")),
        both(lambda: _("Travel document")),
        both(lambda: _("Document number")),
        both(lambda: _("Consent to evacuate")),
        both(lambda: _("Health screening")),
        both(lambda: _("Priority")),
        both(lambda: _("Household")),
        both(lambda: _("Boarded")),
        both(lambda: _("Boarding code")),
    ]
    from .pdf import _choice_labels

    labels = _choice_labels()
    body = [
        [
            r.number,
            r.name,
            r.sex,
            r.birth_date.isoformat() if r.birth_date else "",
            r.nationality,
            labels["eligibility"][r.evacuee.eligibility],
            labels["document_type"][r.evacuee.document_type],
            r.document_number,
            labels["consent"][r.evacuee.consent],
            labels["health"][r.evacuee.health],
            r.priority,
            r.household,
            "1" if r.boarded else "",
            r.token,
        ]
        for r in rows
    ]
    return _csv_response([header, *body], f"manifest-{leg.public_id}-{number}.csv")


# ---- boarding on a phone ---------------------------------------------------------------------------


@requires(Cap.CRISIS_MANAGE)
def leg_board(request: HttpRequest, leg_id: str) -> HttpResponse:
    """The phone page at the assembly point. It carries the leg's list (QR short code, name, salted hash of
    the document number) so that a scan shows who it is even offline."""
    leg = _leg(request, leg_id)
    form = BoardForm(initial={"client_uuid": uuid.uuid4(), "step": "board", "consent": True})
    people = selectors.offline_list(leg=leg)
    response = render(
        request,
        "evacuation/board.html",
        {
            "leg": leg,
            "operation": leg.operation,
            "form": form,
            "people": people,
            "strings": _board_strings(),
            "boarded": sum(1 for p in people if p["boarded"]),
            "listed": len(people),
            "problems": [
                (s, scan_reason_label(s.reason))
                for s in selectors.list_scans(leg=leg, problems_only=True)[:20]
            ],
        },
    )
    response["Cache-Control"] = "no-store" if request.GET.get("nocache") else "private, no-cache"
    return response


def _board_strings() -> dict[str, str]:
    return {
        "online": _("Online"),
        "offline": _("Offline: scans are kept on this phone and sent later"),
        "waiting": _("%(n)s waiting to be sent."),
        "nothing_waiting": _("Nothing waiting to be sent."),
        "queued": _("waiting to be sent"),
        "unknown": _("unknown"),
        "unknown_offline": _("Not on this leg's list (checked when sent)"),
        "signin_again": _(
            "Could not send: sign in again on this phone, then press Send now. Nothing is lost."
        ),
    }


def _result_json(result: actions.ScanResult) -> dict[str, Any]:
    return {
        "client_uuid": result.client_uuid,
        "outcome": result.outcome,
        "ok": result.outcome in (ScanOutcome.BOARDED, ScanOutcome.ALREADY),
        "reason": result.reason,
        "message": scan_reason_label(result.reason)
        if result.reason
        else str(ScanOutcome(result.outcome).label),
        "name": result.evacuee.name if result.evacuee is not None else "",
    }


@requires(Cap.CRISIS_MANAGE)
@require_POST
def leg_board_sync(request: HttpRequest, leg_id: str) -> HttpResponse:
    """JSON from the phone's queue: {"scans": [{"client_uuid", "step", "token" | "document", "scanned_at",
    "consent"}]} -> {"results": [...]}. A plain form post (no JavaScript) boards one and comes back."""
    leg = _leg(request, leg_id)
    user = _user(request)
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
            scans = payload["scans"]
            if not isinstance(scans, list) or len(scans) > MAX_BATCH:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return JsonResponse({"error": _("The phone sent a damaged list.")}, status=400)
        results = []
        for item in scans:
            if not isinstance(item, dict):
                continue
            try:
                result = actions.do_record_scan(
                    leg=leg,
                    actor=user,
                    client_uuid=str(item.get("client_uuid", "")),
                    step=str(item.get("step", "board")),
                    token=str(item.get("token", ""))[:64],
                    document=str(item.get("document", ""))[:30],
                    scanned_at=_parse_time(item.get("scanned_at")),
                    consent_confirmed=bool(item.get("consent")),
                )
            except actions.EvacuationInputError as exc:
                results.append(
                    {
                        "client_uuid": str(item.get("client_uuid", "")),
                        "outcome": "invalid",
                        "ok": False,
                        "message": str(exc),
                    }
                )
                continue
            results.append(_result_json(result))
        return JsonResponse({"results": results})
    form = BoardForm(request.POST)
    if form.is_valid() and (form.cleaned_data["document"] or form.cleaned_data["token"]):
        data = form.cleaned_data
        result = actions.do_record_scan(
            leg=leg,
            actor=user,
            client_uuid=str(data["client_uuid"]),
            step=data["step"],
            token=data["token"],
            document=data["document"],
            consent_confirmed=data["consent"],
        )
        info = _result_json(result)
        text = f"{info['name']}: {info['message']}" if info["name"] else info["message"]
        (messages.success if info["ok"] else messages.error)(request, text)
    else:
        messages.error(request, _("Type the passport or SPLP number."))
    return redirect("evacuation:leg_board", leg_id=leg.public_id)


def _parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


@requires(Cap.CRISIS_MANAGE)
@require_POST
def leg_scan_resolve(request: HttpRequest, leg_id: str, scan_id: int) -> HttpResponse:
    leg = _leg(request, leg_id)
    scan = selectors.access_scan(leg=leg, scan_id=scan_id)
    try:
        result = actions.do_resolve_scan(scan=scan, actor=_user(request))
    except actions.EvacuationInputError as exc:
        messages.error(request, " ".join(p for ps in exc.errors.values() for p in ps))
    else:
        if result.outcome == ScanOutcome.BOARDED:
            messages.success(
                request, _("%(name)s boarded.") % {"name": result.evacuee.name if result.evacuee else ""}
            )
        else:
            messages.error(request, scan_reason_label(result.reason))
    return redirect("evacuation:leg_detail", leg_id=leg.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def leg_status(request: HttpRequest, leg_id: str) -> HttpResponse:
    leg = _leg(request, leg_id)
    try:
        actions.do_set_leg_status(
            leg=leg,
            actor=_user(request),
            status=request.POST.get("status", ""),
            where=request.POST.get("where", "")[:200],
        )
    except actions.EvacuationInputError as exc:
        messages.error(request, " ".join(p for ps in exc.errors.values() for p in ps))
    else:
        messages.success(
            request, _("Leg status: %(status)s.") % {"status": LegStatus(request.POST["status"]).label}
        )
    return redirect("evacuation:leg_detail", leg_id=leg.public_id)


@requires(Cap.CRISIS_MANAGE)
@require_POST
def leg_hand_over(request: HttpRequest, leg_id: str) -> HttpResponse:
    leg = _leg(request, leg_id)
    ids = [v for v in request.POST.getlist("evacuee") if v]
    case_ids = set(request.POST.getlist("case"))
    people = list(Evacuee.objects.filter(boarded_leg=leg, public_id__in=_uuids(ids)))
    if not people:
        messages.error(request, _("Tick the people handed over."))
        return redirect("evacuation:leg_detail", leg_id=leg.public_id)
    try:
        done = actions.do_hand_over(
            evacuees=people,
            actor=_user(request),
            region_code=request.POST.get("region_code", "").strip()[:13],
            open_reintegration_case=[e.pk for e in people if str(e.public_id) in case_ids],
        )
    except actions.EvacuationInputError as exc:
        messages.error(request, " ".join(p for ps in exc.errors.values() for p in ps))
    else:
        messages.success(request, _("%(n)d people handed over to their home region.") % {"n": done})
    return redirect("evacuation:leg_detail", leg_id=leg.public_id)


def _uuids(values: list[str]) -> list[uuid.UUID]:
    out = []
    for v in values:
        try:
            out.append(uuid.UUID(v))
        except ValueError:
            continue
    return out


@requires(PUBLIC)
@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The boarding page's service worker, served from /evacuation/ so that its scope covers the page. Plain
    JavaScript, no data."""
    path = Path(__file__).with_name("static") / "evacuation" / "sw.js"
    response = HttpResponse(path.read_text(encoding="utf-8"), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/evacuation/"
    return response
