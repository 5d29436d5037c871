from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from perisai.core import crypto
from perisai.core.models import User
from perisai.core.permissions import requires
from perisai.core.roles import Cap

from .models import VULNERABILITY_LABELS
from .selectors import access_person_by_id, list_people_visible_to


@requires(Cap.PERSON_VIEW)
def officer_search(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    query = request.GET.get("q", "").strip()[:100]
    people = list_people_visible_to(user=user).select_related("country", "mission")
    if query:
        digits = crypto.normalise_identifier(query)
        if digits.isdigit() and len(digits) == 16:
            people = people.filter(nik_index=crypto.blind_index("nik", digits))
        elif query.startswith("+"):
            people = people.filter(phone=query.replace(" ", ""))
        else:
            people = people.filter(name_key__contains=query.lower())
    page = Paginator(people.order_by("full_name"), 25).get_page(request.GET.get("page"))
    return render(request, "registry/officer_search.html", {"page": page, "q": query})


@requires(Cap.PERSON_VIEW)
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = access_person_by_id(user=user, public_id=public_id)
    vulnerabilities = [label for flag, label in VULNERABILITY_LABELS.items() if person.has(flag)]
    return render(
        request, "registry/person_detail.html", {"person": person, "vulnerabilities": vulnerabilities}
    )
