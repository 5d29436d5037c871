"""Pages: trainings and drills (participants, scores, certificates) and the library of practices."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core import audit
from perisai.core.permissions import request_user as _user
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from . import actions, selectors
from .forms import ParticipantForm, ParticipantImportForm, PracticeForm, PracticeSearchForm, TrainingForm
from .models import Institution, Practice
from .views_assessments import add_errors

MAX_IMPORT_ROWS = 2000


@requires(Cap.STATS_VIEW)
def training_list(request: HttpRequest) -> HttpResponse:
    trainings = list(selectors.list_trainings())
    return render(
        request,
        "governance/training_list.html",
        {"trainings": trainings, "rollup": selectors.training_rollup(trainings)},
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def training_edit(request: HttpRequest, public_id: uuid.UUID | None = None) -> HttpResponse:
    training = selectors.get_training(public_id) if public_id else None
    initial = TrainingForm.initial_for(training) if training else {"action": request.GET.get("action", "")}
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            training = actions.do_save_training(actor=_user(request), data=form.to_input(), training=training)
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Training saved. Now add its participants."))
            return redirect("governance:training_detail", public_id=training.public_id)
    return render(request, "governance/training_form.html", {"form": form, "training": training})


def _detail_context(
    request: HttpRequest, training: object, form: ParticipantForm | None = None
) -> dict[str, object]:
    from .models import Training

    assert isinstance(training, Training)  # noqa: S101
    can_edit = _user(request).can(Cap.GOVERNANCE_EDIT)
    return {
        "training": training,
        "rollup": selectors.training_rollup([training]),
        "modules": training.modules.all(),
        "can_edit": can_edit,
        "participants": training.participants.select_related("institution", "region") if can_edit else [],
        "form": form or ParticipantForm(),
        "import_form": ParticipantImportForm(),
    }


@requires(Cap.STATS_VIEW)
def training_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    training = selectors.get_training(public_id)
    return render(request, "governance/training_detail.html", _detail_context(request, training))


@requires(Cap.GOVERNANCE_EDIT)
@require_POST
def participant_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    training = selectors.get_training(public_id)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_participant(actor=_user(request), training=training, data=form.to_input())
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Participant saved."))
            return redirect("governance:training_detail", public_id=training.public_id)
    return render(request, "governance/training_detail.html", _detail_context(request, training, form))


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal(-1)  # refused by the action with a clear message


@requires(Cap.GOVERNANCE_EDIT)
@require_POST
def participant_import(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A CSV list of participants: all rows or none; every bad row is reported with its line number."""
    training = selectors.get_training(public_id)
    form = ParticipantImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file."))
        return redirect("governance:training_detail", public_id=training.public_id)
    raw = form.cleaned_data["file"].read(2 * 1024 * 1024 + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        messages.error(request, _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."))
        return redirect("governance:training_detail", public_id=training.public_id)
    reader = csv.DictReader(io.StringIO(text))
    institutions = {i.abbr.lower(): i.pk for i in Institution.objects.exclude(abbr="")}
    institutions.update({i.code: i.pk for i in Institution.objects.all()})
    problems: list[str] = []
    count = 0
    try:
        with transaction.atomic():
            for line, row in enumerate(reader, start=2):
                if line - 1 > MAX_IMPORT_ROWS:
                    problems.append(_("At most %(n)d rows at a time.") % {"n": MAX_IMPORT_ROWS})
                    break
                name = (row.get("institution") or "").strip()
                data = actions.ParticipantInput(
                    full_name=row.get("full_name") or "",
                    sex=(row.get("sex") or "").strip().upper()[:1],
                    institution=institutions.get(name.lower()),
                    institution_name="" if name.lower() in institutions else name,
                    region_code=(row.get("region_code") or "").strip(),
                    position=row.get("position") or "",
                    pre_score=_decimal(row.get("pre_score") or ""),
                    post_score=_decimal(row.get("post_score") or ""),
                    attended=(row.get("attended") or "yes").strip().lower()
                    in ("yes", "ya", "y", "1", "true"),
                )
                try:
                    actions.do_add_participant(actor=_user(request), training=training, data=data)
                    count += 1
                except actions.GovernanceInputError as error:
                    for msgs in error.errors.values():
                        problems.extend(
                            _("Line %(line)d: %(problem)s") % {"line": line, "problem": m} for m in msgs
                        )
            if problems:
                raise actions.GovernanceInputError({"": problems})
    except actions.GovernanceInputError:
        for problem in problems[:20]:
            messages.error(request, problem)
        messages.error(request, _("Nothing was imported. Correct the file and upload it again."))
    else:
        messages.success(request, _("%(n)d participants imported.") % {"n": count})
    return redirect("governance:training_detail", public_id=training.public_id)


@requires(Cap.GOVERNANCE_EDIT)
@require_POST
def participant_remove(request: HttpRequest, public_id: uuid.UUID, participant_id: uuid.UUID) -> HttpResponse:
    training = selectors.get_training(public_id)
    participant = selectors.get_participant(training, participant_id)
    actions.do_remove_participant(actor=_user(request), participant=participant)
    messages.success(request, _("Participant removed."))
    return redirect("governance:training_detail", public_id=training.public_id)


@requires(Cap.GOVERNANCE_EDIT)
def participant_certificate(
    request: HttpRequest, public_id: uuid.UUID, participant_id: uuid.UUID
) -> HttpResponse:
    from .pdf import certificate_pdf

    training = selectors.get_training(public_id)
    participant = selectors.get_participant(training, participant_id)
    if not participant.certificate_number:
        messages.error(
            request, _("No certificate: the participant did not attend or did not reach the pass mark.")
        )
        return redirect("governance:training_detail", public_id=training.public_id)
    audit.record(
        actor=_user(request),
        action="training.certificate",
        target=training,
        details={"participant": str(participant.public_id)},
    )
    response = HttpResponse(certificate_pdf(training, participant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{participant.certificate_number}.pdf"'
    return response


# ---- practices ----


@requires(Cap.STATS_VIEW)
def practice_list(request: HttpRequest) -> HttpResponse:
    form = PracticeSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    practices = selectors.search_practices(
        text=filters.get("q") or "",
        topic=filters.get("topic") or "",
        region=filters.get("region") or "",
        objective=filters.get("objective"),
    )
    return render(request, "governance/practice_list.html", {"form": form, "practices": practices[:200]})


@requires(Cap.STATS_VIEW)
def practice_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    practice = selectors.get_practice(public_id)
    return render(
        request,
        "governance/practice_detail.html",
        {
            "practice": practice,
            "objectives": practice.objectives.order_by("number"),
            "actions": practice.actions.select_related("objective"),
            "indicators": practice.indicators.select_related("framework"),
        },
    )


@requires(Cap.GOVERNANCE_EDIT)
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, public_id: uuid.UUID | None = None) -> HttpResponse:
    practice = selectors.get_practice(public_id) if public_id else None
    initial = {}
    if practice is not None:
        initial = {
            "title": practice.title,
            "summary": practice.summary,
            "topic": practice.topic,
            "region_code": practice.region_id or "",
            "objectives": [o.number for o in practice.objectives.all()],
            "source": practice.source,
            "source_url": practice.source_url,
            "linked_actions": [a.pk for a in practice.actions.all()],
            "indicators": [i.pk for i in practice.indicators.all()],
        }
    form = PracticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            practice = actions.do_save_practice(actor=_user(request), data=form.to_input(), practice=practice)
        except actions.GovernanceInputError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Practice saved."))
            return redirect("governance:practice_detail", public_id=practice.public_id)
    return render(
        request,
        "governance/practice_form.html",
        {"form": form, "practice": practice, "topics": Practice.Topic},
    )


urlpatterns: list[URLPattern] = [
    path("trainings/", training_list, name="training_list"),
    path("trainings/new/", training_edit, name="training_new"),
    path("trainings/<uuid:public_id>/", training_detail, name="training_detail"),
    path("trainings/<uuid:public_id>/edit/", training_edit, name="training_edit"),
    path("trainings/<uuid:public_id>/participants/", participant_add, name="participant_add"),
    path("trainings/<uuid:public_id>/participants/import/", participant_import, name="participant_import"),
    path(
        "trainings/<uuid:public_id>/participants/<uuid:participant_id>/remove/",
        participant_remove,
        name="participant_remove",
    ),
    path(
        "trainings/<uuid:public_id>/participants/<uuid:participant_id>/certificate.pdf",
        participant_certificate,
        name="participant_certificate",
    ),
    path("practices/", practice_list, name="practice_list"),
    path("practices/new/", practice_edit, name="practice_new"),
    path("practices/<uuid:public_id>/", practice_detail, name="practice_detail"),
    path("practices/<uuid:public_id>/edit/", practice_edit, name="practice_edit"),
]
