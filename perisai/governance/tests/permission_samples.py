"""URL samples for the permission matrix (perisai/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _framework() -> Any:
    from perisai.governance.models import Domain, Framework, Indicator

    framework, created = Framework.objects.get_or_create(code="matrix", defaults={"name_en": "Matrix"})
    if created:
        domain = Domain.objects.create(framework=framework, code="1", name_en="One")
        Indicator.objects.create(framework=framework, domain=domain, code="1.1", question_en="Q?")
    return framework


def _assessment() -> Any:
    from perisai.governance.models import Assessment

    framework = _framework()
    day = dt.date(2026, 1, 1) + dt.timedelta(days=Assessment.objects.count())
    return Assessment.objects.create(framework=framework, place_code="ID", as_of=day)


def _action() -> Any:
    from perisai.governance.models import GcmObjective, Institution, PlanAction

    objective, _c = GcmObjective.objects.get_or_create(
        number=1, defaults={"title_en": "One", "title_id": "Satu"}
    )
    lead, _c = Institution.objects.get_or_create(code="kemlu", defaults={"name": "Kementerian Luar Negeri"})
    return PlanAction.objects.create(objective=objective, title="Action", lead=lead)


def _training() -> Any:
    from perisai.governance.models import Training

    return Training.objects.create(
        title="Training", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 6)
    )


def _participant() -> Any:
    from perisai.governance.models import Participant

    return Participant.objects.create(training=_training(), full_name="Ani", sex="F", institution_name="Desa")


def _practice() -> Any:
    from perisai.governance.models import Practice

    return Practice.objects.create(title="Practice", summary="Summary", topic="crisis", source="Source")


SAMPLES = {
    "governance:framework_detail": lambda w: {"code": _framework().code},
    "governance:indicator_new": lambda w: {"code": _framework().code},
    "governance:indicator_edit": lambda w: {
        "code": _framework().code,
        "indicator_id": _framework().indicators.first().pk,
    },
    "governance:assessment_detail": lambda w: {"public_id": _assessment().public_id},
    "governance:assessment_answers": lambda w: {"public_id": _assessment().public_id},
    "governance:assessment_evidence": lambda w: {"public_id": _assessment().public_id},
    "governance:assessment_status": lambda w: {"public_id": _assessment().public_id},
    "governance:assessment_follow_up": lambda w: {"public_id": _assessment().public_id},
    "governance:assessment_pdf": lambda w: {"public_id": _assessment().public_id},
    "governance:evidence_file": lambda w: {"evidence_id": 999999},
    "governance:plan_objective": lambda w: {"number": _action().objective.number},
    "governance:action_detail": lambda w: {"public_id": _action().public_id},
    "governance:action_edit": lambda w: {"public_id": _action().public_id},
    "governance:action_progress": lambda w: {"public_id": _action().public_id},
    "governance:training_detail": lambda w: {"public_id": _training().public_id},
    "governance:training_edit": lambda w: {"public_id": _training().public_id},
    "governance:participant_add": lambda w: {"public_id": _training().public_id},
    "governance:participant_import": lambda w: {"public_id": _training().public_id},
    "governance:participant_remove": lambda w: (
        lambda p: {"public_id": p.training.public_id, "participant_id": p.public_id}
    )(_participant()),
    "governance:participant_certificate": lambda w: (
        lambda p: {"public_id": p.training.public_id, "participant_id": p.public_id}
    )(_participant()),
    "governance:practice_detail": lambda w: {"public_id": _practice().public_id},
    "governance:practice_edit": lambda w: {"public_id": _practice().public_id},
    "governance:stats_export": lambda w: {"table": "people_abroad", "fmt": "csv"},
    "governance:local_profile": lambda w: {"code": "ID"},
    "governance:local_profile_pdf": lambda w: {"code": "ID"},
    "governance:plan_line_new": lambda w: {"code": "ID"},
}

POST_ONLY = {
    "governance:assessment_status",
    "governance:assessment_follow_up",
    "governance:action_progress",
    "governance:participant_add",
    "governance:participant_import",
    "governance:participant_remove",
    "governance:stats_publish",
}
