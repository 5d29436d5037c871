"""URL samples for the permission-matrix test (perisai/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NO_SUCH_JOB = "00000000-0000-4000-8000-000000000000"

SAMPLES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "registry:person_edit": lambda w: {"public_id": w["person"].public_id},
    "registry:person_status": lambda w: {"public_id": w["person"].public_id},
    "registry:person_reveal_status": lambda w: {"public_id": w["person"].public_id},
    "registry:person_merge": lambda w: {
        "public_id": w["person"].public_id,
        "other_id": w["person"].public_id,
    },
    "registry:import_job": lambda w: {"job_id": NO_SUCH_JOB},
    "registry:import_report": lambda w: {"job_id": NO_SUCH_JOB},
}
POST_ONLY: set[str] = set()
