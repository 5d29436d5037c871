from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.places.models import Country

from .actions import MAX_TEXT, PersonInput
from .household import RELATION_CODES, MemberRow
from .models import VULNERABILITY_LABELS, Channel, Consent, Person, Purpose, Sector, Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def country_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.iso2, str(c)) for c in Country.objects.exclude(iso2="ID").order_by("name")]


class PersonForm(forms.Form):
    """Lapor diri. Used by citizens (register, update) and by officers (edit). Only what is needed is required."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, help_text=_("As in your passport or ID card.")
    )
    nik = forms.CharField(
        label=_("NIK (16 digits)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    passport_number = forms.CharField(label=_("Passport number"), required=False, max_length=20)
    passport_expiry = forms.DateField(label=_("Passport expiry date"), required=False, widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("With + and country code, e.g. +60 12 345 6789."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    telegram = forms.CharField(label=_("Telegram username"), required=False, max_length=64)
    email = forms.EmailField(label=_("E-mail"), required=False)
    country = forms.ChoiceField(label=_("Country where you stay"), choices=())
    city_name = forms.CharField(
        label=_("City"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "city-options"}),
    )
    city_geonameid = forms.IntegerField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_TEXT}),
    )
    stay_since = forms.DateField(label=_("Staying since"), required=False, widget=DATE)
    stay_until = forms.DateField(label=_("Staying until"), required=False, widget=DATE)
    purpose = forms.ChoiceField(label=_("Why you are abroad"), choices=Purpose.choices, initial=Purpose.WORK)
    sector = forms.ChoiceField(
        label=_("Sector of work"), choices=[("", "—"), *Sector.choices], required=False
    )
    employer = forms.CharField(label=_("Employer"), required=False, max_length=200)
    agency = forms.CharField(label=_("Placement agency"), required=False, max_length=200)
    village_query = forms.CharField(label=_("Search your home village"), required=False, max_length=100)
    home_village = forms.CharField(label=_("Home village"), required=False, max_length=13)
    emergency_contact_name = forms.CharField(
        label=_("Emergency contact in Indonesia"), required=False, max_length=200
    )
    emergency_contact_phone = forms.CharField(
        label=_("Their phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Anything we should know to help you in a crisis?"),
        required=False,
        choices=[(str(int(flag)), label) for flag, label in VULNERABILITY_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )
    preferred_channel = forms.ChoiceField(
        label=_("How should we contact you?"), choices=Channel.choices, initial=Channel.WHATSAPP
    )
    immigration_status = forms.CharField(
        label=_("Immigration status (optional)"),
        required=False,
        max_length=200,
        help_text=_("Optional. Kept encrypted and shown only to the officers who must know."),
    )
    consent_crisis_contact = forms.BooleanField(
        label=Consent.Purpose.CRISIS_CONTACT.label, required=False, initial=True
    )
    consent_family_status = forms.BooleanField(label=Consent.Purpose.FAMILY_STATUS.label, required=False)
    consent_statistics = forms.BooleanField(label=Consent.Purpose.STATISTICS.label, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
        # An oversized field (a pasted 10 MB text) is cut for the page that comes back, with a message, so the
        # rest of what was entered is kept and the phone does not download megabytes.
        self.oversized: dict[str, int] = {}
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]
            for name, field in self.fields.items():
                limit = getattr(field, "max_length", None) or MAX_TEXT
                value = data.get(name)
                if isinstance(value, str) and len(value) > limit:
                    self.oversized[name] = len(value)
                    data[name] = value[:limit]
            self.data = data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, length in self.oversized.items():
            limit = getattr(self.fields[name], "max_length", None) or MAX_TEXT
            self.add_error(
                name,
                _("This is too long (%(n)d characters; at most %(max)d). It was cut; check it before saving.")
                % {"n": length, "max": limit},
            )
        return cleaned

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        flags = 0
        for value in d.get("vulnerabilities") or []:
            flags |= int(value)
        return PersonInput(
            full_name=d["full_name"],
            country=d["country"],
            nik=d.get("nik") or "",
            passport_number=d.get("passport_number") or "",
            passport_expiry=d.get("passport_expiry"),
            sex=d.get("sex") or "",
            birth_date=d.get("birth_date"),
            phone=d.get("phone") or "",
            whatsapp=d.get("whatsapp") or "",
            telegram=d.get("telegram") or "",
            email=d.get("email") or "",
            city_geonameid=d.get("city_geonameid"),
            city_name=d.get("city_name") or "",
            lat=d.get("lat"),
            lon=d.get("lon"),
            address=d.get("address") or "",
            stay_since=d.get("stay_since"),
            stay_until=d.get("stay_until"),
            purpose=d.get("purpose") or Purpose.WORK,
            sector=d.get("sector") or "",
            employer=d.get("employer") or "",
            agency=d.get("agency") or "",
            home_village=d.get("home_village") or "",
            emergency_contact_name=d.get("emergency_contact_name") or "",
            emergency_contact_phone=d.get("emergency_contact_phone") or "",
            vulnerabilities=flags,
            immigration_status=d.get("immigration_status") or "",
            preferred_language=d.get("preferred_language") or "id",
            preferred_channel=d.get("preferred_channel") or Channel.WHATSAPP,
            consents={
                Consent.Purpose.CRISIS_CONTACT: bool(d.get("consent_crisis_contact")),
                Consent.Purpose.FAMILY_STATUS: bool(d.get("consent_family_status")),
                Consent.Purpose.STATISTICS: bool(d.get("consent_statistics")),
            },
        )


class MemberForm(forms.Form):
    """A household member abroad registered by the citizen (a child or a spouse)."""

    RELATIONS = [("spouse", _("Spouse")), ("child", _("Child")), ("other", _("Other family"))]
    member_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    relation = forms.ChoiceField(label=_("Relation"), choices=RELATIONS, required=False)
    member_birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    member_sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=2, max_num=8)


class MemberEditForm(MemberForm):
    """A member on the update page: an existing one carries its id (and may be removed); a blank row adds one."""

    member_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    remove = forms.BooleanField(label=_("Remove from my registration"), required=False)


MemberEditFormSet = forms.formset_factory(MemberEditForm, extra=2, max_num=8)

# PersonInput's field -> the member form's field, to show a member's problem next to what caused it.
MEMBER_FIELDS = {
    "full_name": "member_name",
    "birth_date": "member_birth_date",
    "sex": "member_sex",
    "household_role": "relation",
}


def member_rows(formset: forms.BaseFormSet[Any]) -> list[MemberRow]:
    """One MemberRow per form of a valid formset, in order (empty rows included: indexes match the forms)."""
    rows = []
    for form in formset:
        d = form.cleaned_data
        rows.append(
            MemberRow(
                name=d.get("member_name") or "",
                relation=d.get("relation") or "",
                birth_date=d.get("member_birth_date"),
                sex=d.get("member_sex") or "",
                public_id=d.get("member_id"),
                remove=bool(d.get("remove")),
            )
        )
    return rows


def add_member_errors(formset: forms.BaseFormSet[Any], errors: dict[int, dict[str, list[str]]]) -> None:
    for index, problems in errors.items():
        form = formset.forms[index]
        for name, messages in problems.items():
            target = MEMBER_FIELDS.get(name)
            for message in messages:
                form.add_error(target, message)


def member_initial(members: Iterable[Person]) -> list[dict[str, Any]]:
    return [
        {
            "member_id": m.public_id,
            "member_name": m.full_name,
            "relation": m.household_role if m.household_role in RELATION_CODES else "other",
            "member_birth_date": m.birth_date,
            "member_sex": m.sex,
        }
        for m in members
    ]


class SignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("Your phone number (with +country code) or e-mail"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we sent you"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ConsentForm(forms.Form):
    consent_crisis_contact = forms.BooleanField(label=Consent.Purpose.CRISIS_CONTACT.label, required=False)
    consent_family_status = forms.BooleanField(label=Consent.Purpose.FAMILY_STATUS.label, required=False)
    family_contact_name = forms.CharField(label=_("Family member's name"), required=False, max_length=200)
    family_contact_phone = forms.CharField(
        label=_("Family member's phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    consent_statistics = forms.BooleanField(label=Consent.Purpose.STATISTICS.label, required=False)
