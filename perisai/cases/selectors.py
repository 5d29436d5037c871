"""Reads of cases. A case is opened only through `access_case_by_id` (scoped, audited; not found == forbidden).

Need-to-know scopes, by role (ADR 0002; roles.py holds the capabilities):

- own: cases assigned to the user (every role with cases.view);
- team: a mission officer's missions; a case worker's regions (home region of the case), for cases owned by
  the worker's organisation or by nobody yet, and the organisation's cases whose home is not known yet;
- organisation: a supervisor's organisation, plus the missions and regions the supervisor serves;
- all: administrators.

Sensitive sections (violence details, immigration status, the bot transcript, sensitive notes) are readable
only by users holding `Cap.CASE_SENSITIVE`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from perisai.core import audit
from perisai.core.models import User
from perisai.core.roles import Cap, Role

from .models import (
    OPEN_STATUSES,
    Approval,
    ApprovalStatus,
    Case,
    CaseTask,
    DutyShift,
    Referral,
    ReferralStatus,
    ServiceProvider,
    Status,
    Transfer,
    TransferStatus,
)

SENSITIVE_CAP: str = Cap.CASE_SENSITIVE


def can_see_sensitive(user: User) -> bool:
    return user.can(SENSITIVE_CAP)


def region_q(codes: frozenset[str] | set[str] | list[str]) -> Q:
    """Cases whose home region lies inside one of the given Kemendagri codes (any level)."""
    q = Q(pk__in=[])
    for code in codes:
        level = code.count(".") + 1
        if level == 1:
            q |= Q(home_province=code)
        elif level == 2:
            q |= Q(home_regency=code)
        else:  # a district or a village: the code itself, or codes below it (a range, so an index serves it)
            q |= Q(region_code=code) | Q(region_code__gt=code + ".", region_code__lt=code + "/")
    return q


@dataclass(frozen=True)
class CaseScope:
    level: str  # "none", "own", "team", "organisation", "all"
    user_id: int | None = None
    mission_ids: frozenset[int] = frozenset()
    region_codes: frozenset[str] = frozenset()
    organisation_id: int | None = None

    def q(self) -> Q:
        if self.level == "all":
            return Q()
        if self.level == "none" or self.user_id is None:
            return Q(pk__in=[])
        q = Q(assigned_to_id=self.user_id)
        if self.mission_ids:
            q |= Q(mission_id__in=self.mission_ids)
        if self.level == "team" and self.region_codes:
            owner = Q(organisation_id=None)
            if self.organisation_id:
                owner |= Q(organisation_id=self.organisation_id)
            q |= region_q(self.region_codes) & owner
        if self.level == "team" and self.organisation_id:
            q |= Q(organisation_id=self.organisation_id, region_code="")  # home not known yet
        if self.level == "organisation":
            if self.organisation_id:
                q |= Q(organisation_id=self.organisation_id)
            if self.region_codes:
                q |= region_q(self.region_codes)
        return q

    def branches(self) -> list[Q]:
        """The scope as a list of simple conditions whose union is `q()`: each one is served by its own
        partial index in queue order, so that a queue page is a few short ordered scans (see `queue_page`)."""
        if self.level == "all":
            return [Q()]
        if self.level == "none" or self.user_id is None:
            return []
        out = [Q(assigned_to_id=self.user_id)]
        out += [Q(mission_id=m) for m in sorted(self.mission_ids)]
        if self.level == "team" and self.region_codes:
            owner = Q(organisation_id=None)
            if self.organisation_id:
                owner |= Q(organisation_id=self.organisation_id)
            out += [region_q([code]) & owner for code in sorted(self.region_codes)]
        if self.level == "team" and self.organisation_id:
            out.append(Q(organisation_id=self.organisation_id, region_code=""))
        if self.level == "organisation":
            if self.organisation_id:
                out.append(Q(organisation_id=self.organisation_id))
            out += [region_q([code]) for code in sorted(self.region_codes)]
        return out


def case_scope(user: User | None) -> CaseScope:
    if user is None or not user.is_authenticated or not user.is_active or not user.can(Cap.CASE_VIEW):
        return CaseScope(level="none")
    if user.role == Role.ADMIN:
        return CaseScope(level="all", user_id=user.pk)
    missions = frozenset(user.missions.values_list("pk", flat=True))
    regions = frozenset(user.regions.values_list("code", flat=True))
    if user.role == Role.SUPERVISOR:
        return CaseScope(
            level="organisation",
            user_id=user.pk,
            mission_ids=missions,
            region_codes=regions,
            organisation_id=user.organisation_id,
        )
    if user.role == Role.MISSION_OFFICER:
        return CaseScope(level="team", user_id=user.pk, mission_ids=missions)
    if user.role == Role.CASE_WORKER:
        return CaseScope(
            level="team", user_id=user.pk, region_codes=regions, organisation_id=user.organisation_id
        )
    return CaseScope(level="own", user_id=user.pk)


def list_cases_visible_to(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_scope(user).q())


def access_case_by_id(*, user: User, public_id: uuid.UUID | str, audit_view: bool = True) -> Case:
    """The only way to open one case. Not found and forbidden look the same; every open is audited."""
    try:
        case = (
            list_cases_visible_to(user=user)
            .select_related("person", "mission", "organisation", "assigned_to")
            .get(public_id=public_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if audit_view:
        audit.record_view(actor=user, target=case)
    return case


# ---- the worker's queue ----------------------------------------------------------------------------------


QUEUE_ORDER = ("priority", "contact_due_at", "pk")


def list_queue(*, user: User, mine: bool = False, status: str = "open") -> QuerySet[Case]:
    """Cases in the user's scope, emergencies and the longest-waiting first (closed: the latest first).
    For pages of the open queue use `queue_page`, which reads the same rows faster."""
    qs = list_cases_visible_to(user=user)
    if mine:
        qs = qs.filter(assigned_to=user)
    if status != "open":
        return (
            qs.filter(status=Status.CLOSED)
            .select_related("person", "assigned_to")
            .order_by("-closed_at", "-pk")
        )
    return qs.filter(is_open=True).select_related("person", "assigned_to").order_by(*QUEUE_ORDER)


def _merged_top(user: User, *, mine: bool, extra: Q, count: int) -> list[int]:
    """Primary keys of the first `count` open cases in queue order: the top of each scope branch (one ordered
    index scan with a LIMIT each), merged. Equal to list_queue(...)[:count], without sorting the whole scope."""
    scope = case_scope(user)
    branches = [Q(assigned_to_id=user.pk)] if mine else scope.branches()
    keys: set[tuple[int, Any, int]] = set()
    for branch in branches:
        rows = (
            Case.objects.filter(branch, extra, is_open=True)
            .order_by(*QUEUE_ORDER)
            .values_list(*QUEUE_ORDER)[:count]
        )
        keys.update(rows)
    return [pk for _priority, _due, pk in sorted(keys)[:count]]


def queue_page(*, user: User, mine: bool = False, offset: int = 0, limit: int = 25) -> list[Case]:
    """One page of the open queue (plus one more case, to know whether a next page exists)."""
    pks = _merged_top(user, mine=mine, extra=Q(), count=offset + limit + 1)[offset:]
    found = Case.objects.select_related("person", "assigned_to").in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def list_waiting_emergencies(*, user: User, limit: int = 10) -> list[Case]:
    """Emergency cases nobody has contacted yet, in the user's scope: shown above the queue."""
    pks = _merged_top(user, mine=False, extra=Q(priority=0, first_contact_at=None), count=limit)
    found = Case.objects.select_related("person").in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


# ---- supervision -----------------------------------------------------------------------------------------


def list_overdue_contacts(*, user: User, now: dt.datetime | None = None, limit: int = 100) -> list[Case]:
    """Open cases in scope whose person was not contacted by the deadline, most urgent first."""
    now = now or timezone.now()
    pks = _merged_top(user, mine=False, extra=Q(first_contact_at=None, contact_due_at__lt=now), count=limit)
    found = Case.objects.select_related("assigned_to", "person").in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def list_overdue_tasks(*, user: User, now: dt.datetime | None = None) -> QuerySet[CaseTask]:
    now = now or timezone.now()
    cases = list_cases_visible_to(user=user).filter(status__in=OPEN_STATUSES)
    return (
        CaseTask.objects.filter(case__in=cases, done_at=None, due_at__lt=now)
        .select_related("case", "assigned_to")
        .order_by("due_at", "pk")
    )


def list_pending_approvals(*, user: User) -> QuerySet[Approval]:
    cases = list_cases_visible_to(user=user)
    return (
        Approval.objects.filter(case__in=cases, status=ApprovalStatus.PENDING)
        .select_related("case", "requested_by")
        .order_by("requested_at", "pk")
    )


# ---- referrals and transfers: what the receiving side sees -------------------------------------------------


def _receiver_q_referral(user: User) -> Q:
    if user.role == Role.ADMIN:
        return Q()
    if user.organisation_id is None:
        return Q(pk__in=[])
    return Q(provider__organisation_id=user.organisation_id)


def list_incoming_referrals(*, user: User) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(_receiver_q_referral(user))
        .select_related("case", "provider")
        .order_by("status", "-referred_at")
    )


def access_referral_for_provider(*, user: User, public_id: uuid.UUID | str) -> Referral:
    """A referral opened by the receiving provider's staff (or the referring side); audited."""
    try:
        referral = Referral.objects.select_related("case", "provider", "case__person").get(
            public_id=public_id
        )
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    receiving = user.role == Role.ADMIN or (
        user.organisation_id is not None and referral.provider.organisation_id == user.organisation_id
    )
    if not receiving and not list_cases_visible_to(user=user).filter(pk=referral.case_id).exists():
        raise Http404
    audit.record_view(actor=user, target=referral)
    return referral


def _receiver_q_transfer(user: User) -> Q:
    if user.role == Role.ADMIN:
        return Q()
    q = Q(to_mission_id__in=list(user.missions.values_list("pk", flat=True)))
    if user.organisation_id is not None:
        q |= Q(to_organisation_id=user.organisation_id)
    return q


def list_incoming_transfers(*, user: User) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(_receiver_q_transfer(user), status=TransferStatus.PENDING)
        .select_related("case", "to_mission", "to_organisation", "from_mission", "from_organisation")
        .order_by("requested_at")
    )


def access_transfer_for_receiver(*, user: User, public_id: uuid.UUID | str) -> Transfer:
    try:
        transfer = Transfer.objects.select_related("case").get(public_id=public_id)
    except (Transfer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not Transfer.objects.filter(_receiver_q_transfer(user), pk=transfer.pk).exists():
        raise Http404
    audit.record_view(actor=user, target=transfer)
    return transfer


def count_open_referrals(case: Case) -> int:
    return case.referrals.filter(status__in=[ReferralStatus.PENDING, ReferralStatus.ACCEPTED]).count()


# ---- the directory and suggestions ---------------------------------------------------------------------------


def region_chain(code: str) -> list[str]:
    """A Kemendagri code and its parents, most local first: 35.07.01.2001, 35.07.01, 35.07, 35."""
    parts = code.split(".") if code else []
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def suggest_providers(*, region_code: str, service: str = "", limit: int = 20) -> list[ServiceProvider]:
    """Providers serving the home village, then its district, regency, province, then national ones."""
    chain = region_chain(region_code)
    qs = ServiceProvider.objects.filter(active=True, region_code__in=[*chain, ""]).select_related(
        "organisation"
    )
    providers = [p for p in qs if not service or service in (p.services or [])]
    rank = {code: i for i, code in enumerate([*chain, ""])}
    providers.sort(key=lambda p: (rank.get(p.region_code, 99), p.name))
    return providers[:limit]


def list_providers(*, region_code: str = "", service: str = "") -> list[ServiceProvider]:
    qs = (
        ServiceProvider.objects.filter(active=True)
        .select_related("organisation")
        .order_by("region_code", "name")
    )
    if region_code:
        qs = qs.filter(
            Q(region_code="")
            | Q(region_code__in=region_chain(region_code))
            | Q(region_code__startswith=region_code + ".")
        )
    providers = list(qs[:500])
    if service:
        providers = [p for p in providers if service in (p.services or [])]
    return providers


# ---- who is on duty ------------------------------------------------------------------------------------------


def on_duty(*, mission_id: int | None, region_code: str, at: dt.datetime | None = None) -> list[DutyShift]:
    """The shifts covering `at`: for the mission, else for organisations serving the home region."""
    at = at or timezone.now()
    current = DutyShift.objects.filter(
        starts_at__lte=at, ends_at__gt=at, user__is_active=True
    ).select_related("user")
    if mission_id is not None:
        shifts = list(current.filter(mission_id=mission_id).order_by("starts_at", "pk"))
        if shifts:
            return shifts
    if region_code:
        chain = region_chain(region_code)
        shifts = list(
            current.filter(mission=None, organisation__region_id__in=chain).order_by("starts_at", "pk")
        )
        if shifts:
            return shifts
    return []


def fallback_responders(*, mission_id: int | None, region_code: str) -> list[User]:
    """Without anyone on duty: the mission's officers and supervisors, else the region's case workers."""
    users = User.objects.filter(is_active=True)
    if mission_id is not None:
        found = list(
            users.filter(missions=mission_id, role__in=[Role.MISSION_OFFICER, Role.SUPERVISOR]).order_by("pk")
        )
        if found:
            return found
    if region_code:
        chain = region_chain(region_code)
        return list(
            users.filter(regions__code__in=chain, role__in=[Role.CASE_WORKER, Role.SUPERVISOR])
            .distinct()
            .order_by("pk")
        )
    return []
