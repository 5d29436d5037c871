"""Contract 1 (docs: /tmp/prompts/contracts.md): how other modules open a protection case.

The help bot, crisis check-ins ("I need help"), walk-ins, calls and arrival lists all come through
`open_case`. It is atomic and audited; an emergency pages the on-duty officer of the mission at once (the
outbox, and the case at the top of their queue). With a `link_id` it is idempotent: the same
(link_type, link_id) returns the same open case, with a note attached instead of a second case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actions import CaseInputError, case_url, do_open_case
from .models import Case

if TYPE_CHECKING:
    from perisai.core.models import User
    from perisai.places.models import Mission
    from perisai.registry.models import Person

__all__ = ["CaseInputError", "case_url", "open_case"]


def open_case(
    *,
    source: str,
    case_type: str,
    urgency: str,
    summary: str,
    person: Person | None = None,
    subject_name: str = "",
    contact: str = "",
    mission: Mission | None = None,
    region_code: str = "",
    details: dict[str, object] | None = None,
    transcript: str = "",
    transcript_consented: bool = False,
    link_type: str = "",
    link_id: str = "",
    actor: User | None = None,
) -> Case:
    """Open a protection case (or return the open case of the same link).

    - source: "helpdesk" | "crisis_checkin" | "walk_in" | "call" | "arrival_list"
    - case_type: "violence" | "trafficking" | "wages" | "recruitment_fraud" | "detention" |
      "crisis_followup" | "reintegration" | "death_abroad"
    - urgency: "emergency" (contact within one hour; the on-duty officer is paged) | "high" | "normal"
    - transcript: kept (encrypted, readable only by roles granted sensitive sections) only when
      `transcript_consented` is true.
    - details: JSON-serialisable facts from the caller (e.g. the check-in id, a location); no secrets.

    Raises CaseInputError (a ValueError with `.errors`: field -> messages) for an unknown source, type or
    urgency, or text that is too long. Returns the Case (`public_id`, `code` like "C-2026-000123").
    """
    return do_open_case(
        source=source,
        case_type=case_type,
        urgency=urgency,
        summary=summary,
        person=person,
        subject_name=subject_name,
        contact=contact,
        mission=mission,
        region_code=region_code,
        details=details,
        transcript=transcript,
        transcript_consented=transcript_consented,
        link_type=link_type,
        link_id=link_id,
        actor=actor,
    )
