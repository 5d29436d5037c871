"""Who may see what: one place that turns a user into a scope. Each app's selectors apply it to its models."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import User
from .roles import Role


@dataclass(frozen=True)
class Scope:
    """What slice of individual records a user may open. `everything` is for administrators only."""

    everything: bool = False
    mission_ids: frozenset[int] = field(default_factory=frozenset)
    country_codes: frozenset[str] = field(default_factory=frozenset)
    region_codes: frozenset[str] = field(default_factory=frozenset)
    organisation_id: int | None = None
    self_user_id: int | None = None

    @property
    def individuals(self) -> bool:
        """False for a scope that may see no individual at all (analysts, anonymous)."""
        return bool(
            self.everything
            or self.mission_ids
            or self.region_codes
            or self.organisation_id
            or self.self_user_id
        )


NOTHING = Scope()


def scope_for(user: User | None) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    role = user.role
    if role == Role.ADMIN:
        return Scope(everything=True)
    if role == Role.ANALYST:
        return NOTHING  # aggregates only, never an individual
    if role == Role.MIGRANT:
        return Scope(self_user_id=user.pk)
    mission_ids = frozenset(user.missions.values_list("pk", flat=True))
    country_codes = frozenset(
        user.missions.values_list("jurisdictions__country_id", flat=True).exclude(
            jurisdictions__country_id=None
        )
    )
    region_codes = frozenset(user.regions.values_list("code", flat=True))
    if role == Role.MISSION_OFFICER:
        return Scope(mission_ids=mission_ids, country_codes=country_codes)
    if role == Role.CASE_WORKER:
        return Scope(region_codes=region_codes, organisation_id=user.organisation_id)
    if role == Role.SUPERVISOR:
        return Scope(
            mission_ids=mission_ids,
            country_codes=country_codes,
            region_codes=region_codes,
            organisation_id=user.organisation_id,
        )
    return NOTHING
