"""Words for people for the stable codes of the optimizer and of boarding."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

UNASSIGNED_REASONS: dict[str, StrOrPromise] = {
    "declined": _("Stays (declined or refused)"),
    "no_assembly_point_within_reach": _("No assembly point within reach"),
    "no_leg_within_reach": _("The assembly points within reach have no transport"),
    "household_too_large_for_any_leg": _("Household too large for any leg within reach"),
    "lower_priority_displaced": _("Places went to more vulnerable people"),
    "no_capacity_within_reach": _("No capacity left within reach"),
    "confirmed_leg_full": _("No room left on the leg their household member confirmed"),
    "no_location": _("Location unknown: ask where they are"),
    "unfit_to_travel": _("Not fit to travel"),
    "leg_cancelled": _("Their leg was cancelled"),
}

SCAN_REASONS: dict[str, StrOrPromise] = {
    "unknown_code": _("Not found: the code or document number is not in this evacuation"),
    "not_in_evacuation": _("Not in this evacuation"),
    "stays": _("Recorded as staying"),
    "removed": _("Removed from the evacuation"),
    "consent_refused": _("Refused to be evacuated"),
    "unfit": _("Not fit to travel"),
    "other_leg": _("Has a place on another leg"),
    "boarded_elsewhere": _("Already boarded another leg"),
    "leg_full": _("This leg is full"),
    "leg_closed": _("This leg has left"),
    "no_place": _("Has no place on any leg"),
}

PRIORITY_LABELS: dict[int, StrOrPromise] = {
    4: _("Unaccompanied children"),
    3: _("Sick or injured"),
    2: _("Pregnant women"),
    1: _("Elderly or with a disability"),
    0: _("Everyone else"),
}


def reason_label(code: str) -> str:
    return str(UNASSIGNED_REASONS.get(code, code))


def scan_reason_label(code: str) -> str:
    return str(SCAN_REASONS.get(code, code))
