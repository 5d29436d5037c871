"""Reference data of the finance module, for administrators: exchange rates and placement-fee ceilings.
Nothing of any migrant's own finances is on these pages."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from perisai.core.models import User
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, currency
from .forms import CeilingForm, RateForm, RatesImportForm
from .models import CorridorCost, ExchangeRate, PlacementFeeCeiling
from .money import from_minor

REFERENCE_CAP = Cap.FINANCE_REFERENCE_EDIT


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # pragma: no cover
        raise PermissionDenied
    return request.user


def read_rates_csv(raw: bytes) -> list[actions.RateRow]:
    """currency,valid_on,idr_per_unit[,source] (a header row is required)."""
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"currency", "valid_on", "idr_per_unit"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(sorted(missing))})
    return [
        actions.RateRow(
            reader.line_num,
            row.get("currency") or "",
            row.get("valid_on") or "",
            row.get("idr_per_unit") or "",
            row.get("source") or "",
        )
        for row in reader
    ]


@requires(REFERENCE_CAP)
@require_http_methods(["GET", "POST"])
def reference(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rate_form = RateForm(request.POST if "add_rate" in request.POST else None)
    import_form = RatesImportForm(
        request.POST if "import_rates" in request.POST else None,
        request.FILES if "import_rates" in request.POST else None,
    )
    ceiling_form = CeilingForm(request.POST if "add_ceiling" in request.POST else None)
    import_report = None
    if request.method == "POST":
        if "add_rate" in request.POST and rate_form.is_valid():
            try:
                actions.do_set_rate(
                    actor=user,
                    currency_code=rate_form.cleaned_data["currency"],
                    valid_on=rate_form.cleaned_data["valid_on"].isoformat(),
                    rate=rate_form.cleaned_data["rate"],
                )
            except actions.FinanceInputError as error:
                rate_form.add_error("rate", " ".join(error.errors.get("rate", [])))
            else:
                messages.success(request, _("Rate saved."))
                return redirect("finance:reference")
        elif "import_rates" in request.POST and import_form.is_valid():
            try:
                rows = read_rates_csv(import_form.cleaned_data["file"].read())
            except UnicodeDecodeError:
                import_form.add_error("file", _("This file is not UTF-8 text."))
            except ValueError as exc:
                import_form.add_error("file", str(exc))
            else:
                import_report = actions.do_import_rates(
                    rows=rows, actor=user, source=import_form.cleaned_data["file"].name[:120]
                )
        elif "add_ceiling" in request.POST and ceiling_form.is_valid():
            d = ceiling_form.cleaned_data
            try:
                actions.do_update_ceiling(
                    actor=user, ceiling=None, country=d["country"], sector=d.get("sector") or "",
                    amount=d["amount"], currency_code=d["currency"], legal_basis=d["legal_basis"],
                    note=d.get("note") or "", verified=d.get("verified", False),
                )  # fmt: skip
            except actions.FinanceInputError as error:
                actions_errors(ceiling_form, error)
            else:
                messages.success(request, _("Ceiling saved."))
                return redirect("finance:reference")
    latest: dict[str, ExchangeRate] = {}
    for rate in ExchangeRate.objects.order_by("currency", "-valid_on"):
        latest.setdefault(rate.currency, rate)
    corridors: dict[str, CorridorCost] = {}
    for row in CorridorCost.objects.order_by("sending_country", "-quarter"):
        corridors.setdefault(row.sending_country, row)
    return render(
        request,
        "finance/reference.html",
        {
            "rates": list(latest.values()),
            "rate_count": ExchangeRate.objects.count(),
            "ceilings": [
                (c, currency.fmt(c.amount_minor, c.currency)) for c in PlacementFeeCeiling.objects.all()
            ],
            "corridors": list(corridors.values()),
            "rate_form": rate_form,
            "import_form": import_form,
            "ceiling_form": ceiling_form,
            "import_report": import_report,
        },
    )


def actions_errors(form: CeilingForm, error: actions.FinanceInputError) -> None:
    for name, problems in error.errors.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@requires(REFERENCE_CAP)
@require_http_methods(["GET", "POST"])
def ceiling_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ceiling = get_object_or_404(PlacementFeeCeiling, pk=pk)
    exp = currency.exponent(ceiling.currency)
    initial = {
        "country": ceiling.country,
        "sector": ceiling.sector,
        "amount": str(from_minor(ceiling.amount_minor, exp)),
        "currency": ceiling.currency,
        "legal_basis": ceiling.legal_basis,
        "note": ceiling.note,
        "verified": ceiling.verified,
    }
    form = CeilingForm(request.POST or None, initial=initial)
    form.fields["country"].disabled = True
    form.fields["sector"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_update_ceiling(
                actor=user, ceiling=ceiling, country=ceiling.country, sector=ceiling.sector,
                amount=d["amount"], currency_code=d["currency"], legal_basis=d["legal_basis"],
                note=d.get("note") or "", verified=d.get("verified", False),
            )  # fmt: skip
        except actions.FinanceInputError as error:
            actions_errors(form, error)
        else:
            messages.success(request, _("Ceiling saved."))
            return redirect("finance:reference")
    return render(request, "finance/ceiling_edit.html", {"form": form, "ceiling": ceiling})
