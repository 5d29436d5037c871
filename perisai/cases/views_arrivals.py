"""Arrival lists of deportees: upload, row-by-row report (case codes, never names)."""

from __future__ import annotations

import csv
import io
import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from perisai.core import audit
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import imports
from .forms import ArrivalImportForm
from .models import ArrivalBatch, EntryPoint

MAX_UPLOAD = 50 * 1024 * 1024


@requires(Cap.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def arrivals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ArrivalImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD:
            form.add_error("file", _("The file is too large (at most 50 MB)."))
        else:
            d = form.cleaned_data
            try:
                report = imports.import_upload(
                    chunks=upload.chunks(),
                    filename=upload.name or "arrivals.csv",
                    actor=user,
                    entry_point=d["entry_point"],
                    arrival_date=d["arrival_date"],
                    default_country=d["country"],
                    case_type=d["case_type"],
                    encoding=d["encoding"] or "",
                )
            except imports.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if report.batch is None:
                    raise Http404
                return redirect("cases:arrival_batch", batch_id=report.batch.public_id)
    batches = ArrivalBatch.objects.filter(imported_by=user).order_by("-imported_at")[:20]
    return render(request, "cases/arrivals.html", {"form": form, "batches": batches})


def _batch(request: HttpRequest, batch_id: uuid.UUID) -> ArrivalBatch:
    user = _user(request)
    batch = ArrivalBatch.objects.filter(public_id=batch_id).first()
    if batch is None or (user.role != "admin" and batch.imported_by_id != user.pk):
        raise Http404
    return batch


@requires(Cap.CASE_EDIT)
def arrival_batch(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, batch_id)
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["line", "outcome", "case", "messages"])
        for row in batch.report:
            writer.writerow([row["line"], row["outcome"], row["case"], " | ".join(row["messages"])])
        audit.record(actor=_user(request), action="case.arrivals_report", target=batch)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="arrivals-{batch.arrival_date}-report.csv"'
        return response
    from .models import Case

    codes = [r["case"] for r in batch.report if r["case"]]
    cases = {c.code: c for c in Case.objects.filter(code__in=codes).only("code", "public_id")}
    rows = [
        {**r, "public_id": cases[r["case"]].public_id if r["case"] in cases else None} for r in batch.report
    ]
    return render(
        request,
        "cases/arrival_batch.html",
        {"batch": batch, "rows": rows, "entry_label": EntryPoint(batch.entry_point).label},
    )


urlpatterns: list[URLPattern] = [
    path("arrivals/", arrivals, name="arrivals"),
    path("arrivals/<uuid:batch_id>/", arrival_batch, name="arrival_batch"),
]
