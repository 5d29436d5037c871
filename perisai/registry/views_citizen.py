"""The citizen's own pages: lapor diri, sign in with a code, my card, update, consents, gone home, erase."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.core.forms import add_action_errors as _add_errors
from perisai.core.models import User
from perisai.core.permissions import PUBLIC, requires
from perisai.core.roles import Cap
from perisai.places.selectors import region_path, search_regions

from . import actions, signin
from .forms import (
    CodeForm,
    ConsentForm,
    MemberEditFormSet,
    MemberFormSet,
    PersonForm,
    SignInForm,
    add_member_errors,
    member_initial,
    member_rows,
)
from .household import HouseholdInputError, do_save_household_members
from .models import Consent, Person, PersonStatus
from .selectors import list_own_household_members, own_person, person_form_initial

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _village_choices(form: PersonForm) -> list[tuple[str, str]]:
    query = (form.data.get("village_query") or "").strip() if form.is_bound else ""
    current = form.data.get("home_village") if form.is_bound else form.initial.get("home_village")
    regions = list(search_regions(query=query, level=4, limit=25)) if query else []
    choices = [(r.code, region_path(r)) for r in regions]
    if current and current not in {c for c, _l in choices}:
        from perisai.places.models import Region

        region = Region.objects.filter(code=current).first()
        if region is not None:
            choices.insert(0, (region.code, region_path(region)))
    return choices


def _render_form(request: HttpRequest, template: str, form: PersonForm, **extra: Any) -> HttpResponse:
    return render(request, template, {"form": form, "village_choices": _village_choices(form), **extra})


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Lapor diri in one page. Nothing entered is lost on an error: the page comes back filled in."""
    if request.user.is_authenticated and getattr(request.user, "person", None) is not None:
        return redirect("registry:my_card")
    form = PersonForm(request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE})
    members = MemberFormSet(request.POST or None, prefix="members")
    if (
        request.method == "POST"
        and "search_village" not in request.POST
        and form.is_valid()
        and members.is_valid()
    ):
        try:
            with transaction.atomic():
                user_for_person = request.user if request.user.is_authenticated else None
                head = actions.do_register_person(data=form.to_input(), actor=None, user=user_for_person)
                do_save_household_members(head=head, rows=member_rows(members), actor=None)
        except actions.RegistryInputError as error:
            _add_errors(form, error)
        except HouseholdInputError as error:
            add_member_errors(members, error.errors)
        else:
            user = signin.user_for(head)
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _("Thank you. You are registered with %(mission)s.")
                % {"mission": head.mission.name if head.mission else _("your mission")},
            )
            return redirect("registry:my_card")
    return _render_form(request, "registry/citizen/register.html", form, members=members)


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        person = signin.find_person_for_sign_in(identifier)
        request.session.pop("signin_person", None)
        if person is not None:
            if signin.do_send_sign_in_code(person=person, identifier=identifier):
                request.session["signin_person"] = person.pk
            else:
                form.add_error(None, _("Too many codes were sent. Wait 15 minutes and try again."))
                return render(request, "registry/citizen/sign_in.html", {"form": form})
        # The same answer whether or not the number is registered.
        return redirect("registry:sign_in_code")
    return render(request, "registry/citizen/sign_in.html", {"form": form})


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person_id = request.session.get("signin_person")
        person = (
            signin.check_sign_in_code(person_id=person_id, code=form.cleaned_data["code"])
            if person_id
            else None
        )
        if person is not None:
            request.session.pop("signin_person", None)
            login(request, signin.user_for(person), backend=BACKEND)
            return redirect("registry:my_card")
        form.add_error("code", _("That code is not right or has expired. Ask for a new code if needed."))
    return render(request, "registry/citizen/sign_in_code.html", {"form": form})


@requires(Cap.SELF_SERVICE)
def my_card(request: HttpRequest) -> HttpResponse:
    person = own_person(user=request.user)  # type: ignore[arg-type]
    if person is None:
        return redirect("registry:register")
    return render(request, "registry/citizen/card.html", {"person": person, **_card_context(person)})


def _card_context(person: Person) -> dict[str, Any]:
    from .selectors import passport_reminder_due

    consents = {c.purpose: c for c in person.consents.all()}
    return {
        "mission": person.mission,
        "emergency_numbers": person.country.emergency_numbers,
        "passport_due": passport_reminder_due(person),
        "consents": consents,
        "members": person.household.members.exclude(pk=person.pk) if person.household is not None else [],
    }


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_update(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = own_person(user=user)
    if person is None:
        return redirect("registry:register")
    form = PersonForm(request.POST or None, initial=person_form_initial(person))
    # A post without the household rows (an older page) changes no member.
    members = MemberEditFormSet(
        request.POST if "members-TOTAL_FORMS" in request.POST else None,
        prefix="members",
        initial=member_initial(list_own_household_members(person=person)),
    )
    if (
        request.method == "POST"
        and "search_village" not in request.POST
        and form.is_valid()
        and (not members.is_bound or members.is_valid())
    ):
        rows = member_rows(members) if members.is_bound else []
        try:
            with transaction.atomic():
                changed = actions.do_update_person(person=person, data=form.to_input(), actor=user)
                household = do_save_household_members(head=person, rows=rows, actor=user)
        except actions.RegistryInputError as error:
            _add_errors(form, error)
        except HouseholdInputError as error:
            add_member_errors(members, error.errors)
        else:
            if changed or any(household.counts().values()):
                messages.success(request, _("Your registration is updated."))
            return redirect("registry:my_card")
    return _render_form(request, "registry/citizen/update.html", form, person=person, members=members)


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_consents(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = own_person(user=user)
    if person is None:
        return redirect("registry:register")
    current = {c.purpose: c for c in person.consents.all()}
    family = current.get(Consent.Purpose.FAMILY_STATUS)
    initial: dict[str, object] = {
        f"consent_{p}": bool(current.get(p) and current[p].granted) for p in Consent.Purpose.values
    }
    if family is not None:
        initial.update(
            family_contact_name=family.family_contact_name, family_contact_phone=family.family_contact_phone
        )
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from .validation import FieldError

        try:
            with transaction.atomic():
                for purpose in Consent.Purpose.values:
                    actions.do_set_consent(
                        person=person,
                        purpose=purpose,
                        granted=form.cleaned_data[f"consent_{purpose}"],
                        actor=user,
                        family_contact_name=form.cleaned_data.get("family_contact_name") or "",
                        family_contact_phone=form.cleaned_data.get("family_contact_phone") or "",
                    )
        except FieldError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("registry:my_card")
    return render(request, "registry/citizen/consents.html", {"form": form, "person": person})


@requires(Cap.SELF_SERVICE)
@require_POST
def my_gone_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = own_person(user=user)
    if person is not None:
        actions.do_set_status(person=person, status=PersonStatus.RETURNED, actor=user)
        messages.success(request, _("Welcome home. Your mission knows you are no longer abroad."))
    return redirect("registry:my_card")


@requires(Cap.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_erase(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    person = own_person(user=user)
    if person is None:
        return redirect("registry:register")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        actions.do_erase_person(person=person, actor=user)
        logout(request)
        messages.success(request, _("Your data is erased. Only a record that an erasure happened remains."))
        return redirect("registry:register")
    return render(request, "registry/citizen/erase.html", {"person": person})


@requires(PUBLIC)
def city_options(request: HttpRequest) -> HttpResponse:
    """htmx partial: suggestions for the city field from the offline gazetteer."""
    from perisai.places.gazetteer import search_cities

    query = request.GET.get("city_name", "")[:100].strip()
    country = request.GET.get("country", "")[:2].upper() or None
    matches = search_cities(query, country=country, limit=8) if len(query) >= 2 else []
    return render(request, "registry/citizen/_city_options.html", {"matches": matches})


urlpatterns: list[URLPattern] = [
    path("lapor-diri/", register, name="register"),
    path("masuk/", sign_in, name="sign_in"),
    path("masuk/kode/", sign_in_code, name="sign_in_code"),
    path("saya/", my_card, name="my_card"),
    path("saya/ubah/", my_update, name="my_update"),
    path("saya/persetujuan/", my_consents, name="my_consents"),
    path("saya/pulang/", my_gone_home, name="my_gone_home"),
    path("saya/hapus/", my_erase, name="my_erase"),
    path("kota/", city_options, name="city_options"),
]
