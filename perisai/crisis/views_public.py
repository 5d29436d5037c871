"""Pages without sign-in: a person's check-in link, a warden's call-down list, family enquiries.

The check-in page is built for a slow, cheap phone: one small HTML page, three buttons, no JavaScript needed
(a few lines of script add a "Share my location" button where the phone can). The link's signed token is
the credential (no cookie is needed, so the form is exempt from CSRF: a forged post would need the secret
link itself).
"""

from __future__ import annotations

import time
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from perisai.core import audit
from perisai.core.middleware import client_ip
from perisai.core.permissions import PUBLIC, requires

from . import actions, selectors
from .forms import CheckinForm, FamilyCodeForm, FamilyEnquiryForm, read_location
from .models import CallDownAssignment, CheckIn, CheckInSource, CheckInStatus, Crisis, Warden
from .tokens import read_checkin_token, read_warden_token

SESSION_ENQUIRY = "crisis_family_enquiry"


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "crisis/public/invalid_link.html", status=404)


_CACHE_SECONDS = 2.0
_crises: dict[int, tuple[float, Crisis | None]] = {}


def _crisis(crisis_id: int) -> Crisis | None:
    """The crisis of a link, kept two seconds per process (a surge asks for the same one thousands of times;
    a status change shows within two seconds)."""
    now = time.monotonic()
    cached = _crises.get(crisis_id)
    if cached is not None and now - cached[0] < _CACHE_SECONDS:
        return cached[1]
    crisis = (
        Crisis.objects.only("pk", "public_id", "title", "status", "exercise").filter(pk=crisis_id).first()
    )
    if len(_crises) > 1000:
        _crises.clear()
    _crises[crisis_id] = (now, crisis)
    return crisis


_STATUSES = frozenset({CheckInStatus.SAFE, CheckInStatus.NEED_HELP, CheckInStatus.NOT_THERE})
_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"
_pages: dict[tuple[str, int, str, bool, str], str] = {}


def _done_page(crisis: Crisis, status: str) -> str:
    """The confirmation page, the same for everyone but the check-in's reference: rendered once per
    language, crisis and status, then the reference is put in (it is the only per-person content)."""
    key = (get_language() or "id", crisis.pk, crisis.title, crisis.exercise, status)
    page = _pages.get(key)
    if page is None:
        shown = CheckIn(status=status, public_id=uuid.UUID(_PLACEHOLDER))
        page = render_to_string(
            "crisis/public/checkin_done.html",
            {"crisis": crisis, "checkin": shown, "need_help": status == CheckInStatus.NEED_HELP},
        )
        if len(_pages) > 1000:
            _pages.clear()
        _pages[key] = page
    return page


@requires(PUBLIC)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """Safe / need help / not in the area, with an optional short message."""
    found = read_checkin_token(token)
    if found is None:
        return _invalid_link(request)
    crisis_id, person_id = found
    crisis = _crisis(crisis_id)
    if crisis is None:
        return _invalid_link(request)
    status = request.POST.get("status", "") if request.method == "POST" else ""
    if status in _STATUSES and crisis.is_open:
        # Three buttons, a short text and perhaps a shared location: read directly (a Form costs more than the
        # rest of a surge's request). A location that cannot be read is left to the form below, which says so.
        try:
            lat, lon = read_location(request.POST.get("lat", ""), request.POST.get("lon", ""))
        except ValidationError:
            pass
        else:
            try:
                recorded = actions.do_record_checkin(
                    crisis=crisis,
                    person_id=person_id,
                    status=status,
                    source=CheckInSource.LINK,
                    message=request.POST.get("message", "")[:500],
                    lat=lat,
                    lon=lon,
                )
            except IntegrityError:
                return _invalid_link(request)
            return HttpResponse(
                _done_page(crisis, recorded.status).replace(_PLACEHOLDER, str(recorded.public_id))
            )
    form = CheckinForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()  # says what to do (press a button, share again); what she typed comes back
    return render(request, "crisis/public/checkin.html", {"crisis": crisis, "form": form, "token": token})


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def warden_list(request: HttpRequest, token: str) -> HttpResponse:
    """A warden's call-down list: the people to call, and a quick report for each (source: warden)."""
    found = read_warden_token(token)
    if found is None:
        return _invalid_link(request)
    crisis = Crisis.objects.filter(pk=found[0]).first()
    warden = Warden.objects.filter(pk=found[1], active=True).first()
    if crisis is None or warden is None or not crisis.is_open:
        return _invalid_link(request)
    if request.method == "POST":
        person_id = request.POST.get("person")
        status = request.POST.get("status", "")
        assignment = (
            CallDownAssignment.objects.filter(
                crisis=crisis, warden=warden, person__public_id=person_id
            ).first()
            if person_id and _is_uuid(person_id)
            else None
        )
        if assignment is None or status not in CheckInStatus.values:
            messages.error(request, _("Choose a person on your list and their status."))
        else:
            actions.do_record_checkin(
                crisis=crisis,
                person_id=assignment.person_id,
                status=status,
                source=CheckInSource.WARDEN,
                reporter_name=warden.name,
                reporter_contact=warden.phone,
                message=request.POST.get("message", "")[:500],
            )
            messages.success(request, _("Recorded. Thank you."))
        return redirect("crisis:warden_list", token=token)
    rows = selectors.warden_list(crisis=crisis, warden=warden)
    audit.record(
        actor=None,
        action="crisis.warden_list_view",
        target=crisis,
        sensitive=True,
        details={"warden": warden.pk, "people": len(rows)},
    )
    return render(
        request, "crisis/public/warden_list.html", {"crisis": crisis, "warden": warden, "rows": rows}
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def family(request: HttpRequest) -> HttpResponse:
    """A relative asks about a person by NIK, passport or phone (never by name)."""
    form = FamilyEnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = actions.do_start_family_enquiry(
                kind=data["kind"],
                identifier=data["identifier"],
                relative_phone=data["relative_phone"],
                ip_address=client_ip(request),
            )
        except actions.TooManyEnquiries:
            form.add_error(None, _("Too many enquiries. Wait an hour and try again."))
        except actions.CrisisInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            request.session[SESSION_ENQUIRY] = str(enquiry.public_id)
            return redirect("crisis:family_code")
    return render(request, "crisis/public/family.html", {"form": form})


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def family_code(request: HttpRequest) -> HttpResponse:
    form = FamilyCodeForm(request.POST or None)
    enquiry_id = request.session.get(SESSION_ENQUIRY)
    if request.method == "POST" and form.is_valid():
        answer = (
            actions.check_family_code(enquiry_public_id=enquiry_id, code=form.cleaned_data["code"])
            if enquiry_id
            else None
        )
        if answer is not None:
            request.session.pop(SESSION_ENQUIRY, None)
            return render(request, "crisis/public/family_answer.html", {"answer": answer})
        form.add_error("code", _("That code is not right or has expired."))
    return render(request, "crisis/public/family_code.html", {"form": form, "has_enquiry": bool(enquiry_id)})
