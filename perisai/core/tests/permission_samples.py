"""URL samples for the permission-matrix test (perisai/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _migrants_message(world: dict[str, Any]) -> dict[str, Any]:
    """A message in the migrant's inbox: she opens it (200), every other role gets "not found" (404)."""
    from perisai.core.actions import do_deliver_inbox_message
    from perisai.core.roles import Role

    message = do_deliver_inbox_message(
        user=world["users"][Role.MIGRANT], subject="", body="Perisai: halo", idempotency_key="matrix:inbox"
    )
    return {"public_id": message.public_id}


SAMPLES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "core:inbox_message": _migrants_message,
}
POST_ONLY: set[str] = set()
