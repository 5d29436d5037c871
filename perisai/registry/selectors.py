"""Reads of the registry. Individuals are fetched only through these, which apply the viewer's scope."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from perisai.core import audit
from perisai.core.models import User
from perisai.core.scopes import Scope, scope_for

from .models import Person, PersonStatus


def person_scope_q(scope: Scope) -> Q:
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.self_user_id:
        q |= Q(user_id=scope.self_user_id)
    if scope.mission_ids:
        q |= Q(mission_id__in=scope.mission_ids)
    for code in scope.region_codes:
        level = code.count(".") + 1
        if level == 1:
            q |= Q(home_province=code)
        elif level == 2:
            q |= Q(home_regency=code)
        else:
            q |= Q(home_village__code__startswith=code + ".") | Q(home_village_id=code)
    return q


def list_people_visible_to(*, user: User) -> QuerySet[Person]:
    return Person.objects.filter(person_scope_q(scope_for(user))).exclude(status=PersonStatus.ERASED)


def access_person_by_id(*, user: User, public_id: uuid.UUID | str) -> Person:
    """The only way to open one person's record. Not found and forbidden look the same; the view is audited."""
    try:
        person = list_people_visible_to(user=user).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    audit.record_view(actor=user, target=person)
    return person


def count_people_by_mission(*, user: User) -> list[dict[str, object]]:
    return list(
        list_people_visible_to(user=user)
        .filter(status=PersonStatus.ACTIVE)
        .values("mission__name", "mission__code")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
