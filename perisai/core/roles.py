"""Roles and what each may do. This table is the single source of truth for permissions.

A capability is a short string `<area>.<verb>`. Views and API operations declare the capability they need
(`perisai.core.permissions.requires`); the permission-matrix test walks every URL and checks it against
this table for every role.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MIGRANT = "migrant", _("Migrant")
    MISSION_OFFICER = "mission_officer", _("Mission officer")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


class Cap:
    """Capabilities. Keep in sync with CAPABILITIES below (a test checks every constant is granted or not)."""

    SELF_SERVICE = "self.service"  # a migrant's own registration, check-ins, finances
    PERSON_VIEW = "registry.view"  # open individual registrations (scoped)
    PERSON_EDIT = "registry.edit"
    PERSON_EXPORT = "registry.export"
    PERSON_IMPORT = "registry.import"
    CRISIS_VIEW = "crisis.view"
    CRISIS_MANAGE = "crisis.manage"
    ALERT_APPROVE = "crisis.approve_alert"
    CASE_VIEW = "cases.view"
    CASE_EDIT = "cases.edit"
    CASE_SUPERVISE = "cases.supervise"
    CASE_SENSITIVE = "cases.sensitive"  # restricted case notes (violence, health): need-to-know
    HELPDESK_ANSWER = "helpdesk.answer"
    HELPDESK_EDIT_FLOWS = "helpdesk.edit_flows"
    STATS_VIEW = "stats.view"  # aggregates only
    GOVERNANCE_EDIT = "governance.edit"
    FINANCE_REFERENCE_EDIT = "finance.reference"  # remittance corridors, fee ceilings
    PLACES_VIEW = "places.view"
    PLACES_EDIT = "places.edit"
    AUDIT_VIEW = "audit.view"
    USERS_MANAGE = "users.manage"
    TOKENS_MANAGE = "tokens.manage"


ALL_CAPS: frozenset[str] = frozenset(
    value for name, value in vars(Cap).items() if not name.startswith("_") and isinstance(value, str)
)

_STAFF_COMMON = {Cap.PLACES_VIEW, Cap.STATS_VIEW}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.MIGRANT: frozenset({Cap.SELF_SERVICE}),
    Role.MISSION_OFFICER: frozenset(
        _STAFF_COMMON
        | {
            Cap.PERSON_VIEW,
            Cap.PERSON_EDIT,
            Cap.PERSON_EXPORT,
            Cap.PERSON_IMPORT,
            Cap.CRISIS_VIEW,
            Cap.CRISIS_MANAGE,
            Cap.CASE_VIEW,
            Cap.CASE_EDIT,
            Cap.HELPDESK_ANSWER,
        }
    ),
    Role.CASE_WORKER: frozenset(_STAFF_COMMON | {Cap.CASE_VIEW, Cap.CASE_EDIT, Cap.HELPDESK_ANSWER}),
    Role.SUPERVISOR: frozenset(
        _STAFF_COMMON
        | {
            Cap.PERSON_VIEW,
            Cap.CRISIS_VIEW,
            Cap.CRISIS_MANAGE,
            Cap.ALERT_APPROVE,
            Cap.CASE_VIEW,
            Cap.CASE_EDIT,
            Cap.CASE_SUPERVISE,
            Cap.CASE_SENSITIVE,
            Cap.HELPDESK_ANSWER,
            Cap.HELPDESK_EDIT_FLOWS,
        }
    ),
    Role.ANALYST: frozenset({Cap.STATS_VIEW, Cap.PLACES_VIEW, Cap.GOVERNANCE_EDIT}),
    Role.ADMIN: frozenset(ALL_CAPS - {Cap.SELF_SERVICE}),
}

# Roles that can open sensitive records: two-factor authentication is required for them.
SENSITIVE_ROLES: frozenset[str] = frozenset(
    role for role, caps in CAPABILITIES.items() if caps & {Cap.PERSON_VIEW, Cap.CASE_VIEW, Cap.AUDIT_VIEW}
)
STAFF_ROLES: frozenset[str] = frozenset(set(Role.values) - {Role.MIGRANT})


def role_has(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
