from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from perisai.core.models import User
from perisai.core.scopes import scope_for
from perisai.places.models import Country, Mission
from perisai.registry.models import Sector

from .alert_templates import TEMPLATES
from .models import (
    Alert,
    CheckInSource,
    CheckInStatus,
    Crisis,
    CrisisStatus,
    CrisisType,
    FamilyEnquiry,
    Siaga,
)


def missions_for(user: User) -> Any:
    scope = scope_for(user)
    qs = Mission.objects.filter(active=True).select_related("country")
    return qs if scope.everything else qs.filter(pk__in=scope.mission_ids)


class CrisisForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. Flood in Kelantan, December"))
    type = forms.ChoiceField(label=_("Type"), choices=CrisisType.choices)
    country = forms.ChoiceField(label=_("Country"), choices=())
    missions = forms.ModelMultipleChoiceField(
        label=_("Responsible missions"), queryset=Mission.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CrisisStatus.MONITORING, CrisisStatus.MONITORING.label),
            (CrisisStatus.ACTIVE, CrisisStatus.ACTIVE.label),
        ],
    )
    exercise = forms.BooleanField(
        label=_("This is an exercise (drill)"),
        required=False,
        help_text=_("Messages are marked as an exercise and no real case is opened."),
    )
    reask_after_minutes = forms.IntegerField(
        label=_("Ask again those who have not answered after (minutes)"),
        min_value=0,
        max_value=10080,
        initial=360,
    )
    reask_max = forms.IntegerField(label=_("Ask again at most (times)"), min_value=0, max_value=10, initial=2)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["missions"].queryset = missions_for(user)  # type: ignore[attr-defined]
        self.fields["country"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.iso2, str(c)) for c in Country.objects.exclude(iso2="ID").order_by("name")
        ]


class AreaForm(forms.Form):
    METHODS = [
        ("geojson", _("Type or paste GeoJSON")),
        ("upload", _("Upload a GeoJSON, KML or KMZ file")),
        ("circle", _("A circle around a point")),
    ]
    name = forms.CharField(label=_("Area name"), max_length=120, help_text=_("e.g. the province or city"))
    level = forms.TypedChoiceField(label=_("Siaga level"), choices=Siaga.choices, coerce=int, initial=3)
    method = forms.ChoiceField(
        label=_("How to give the area"), choices=METHODS, widget=forms.RadioSelect, initial="circle"
    )
    geojson = forms.CharField(
        label=_("GeoJSON"),
        required=False,
        max_length=2_000_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "A Polygon or MultiPolygon (or a FeatureCollection of them), coordinates [longitude, latitude]."
        ),
    )
    upload = forms.FileField(label=_("File"), required=False)
    lat = forms.FloatField(label=_("Latitude of the centre"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude of the centre"), required=False, min_value=-180, max_value=180)
    radius_km = forms.FloatField(label=_("Radius (km)"), required=False, min_value=0.1, max_value=2000)
    geometry = forms.CharField(required=False, widget=forms.HiddenInput)


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(label=_("New Siaga level"), choices=Siaga.choices, coerce=int)
    reason = forms.CharField(
        label=_("Reason for the decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CrisisStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class AlertForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Template"), choices=[(t.code, t.label) for t in TEMPLATES], required=False
    )
    body_id = forms.CharField(
        label=_("Message in Indonesian"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    body_en = forms.CharField(
        label=_("Message in English"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    target = forms.ChoiceField(label=_("Send to"), choices=Alert.Target.choices, widget=forms.RadioSelect)
    target_area = forms.ChoiceField(label=_("Area"), required=False, choices=())
    vulnerable_only = forms.BooleanField(label=_("Only people with a vulnerability"), required=False)
    sector = forms.ChoiceField(label=_("Only this sector of work"), required=False, choices=())

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_area"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(a.public_id), f"{a.name} (Siaga {a.level})") for a in crisis.areas.order_by("level", "name")
        ]
        self.fields["sector"].choices = [("", _("All")), *Sector.choices]  # type: ignore[attr-defined]


LOCATION_ERROR = _(
    "Your location could not be read. Press “Share my location” again, or write where you are in the message."
)


def read_location(lat: str, lon: str) -> tuple[float | None, float | None]:
    """The location sent with a check-in link's form: (latitude, longitude) in decimal degrees, or (None, None)
    when she shared none. ValidationError (LOCATION_ERROR) for half a location, a value that is not a number,
    or one out of range (-90..90, -180..180)."""
    lat, lon = (lat or "").strip(), (lon or "").strip()
    if not lat and not lon:
        return None, None
    try:
        if len(lat) > 32 or len(lon) > 32:
            raise ValueError
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        raise ValidationError(LOCATION_ERROR, code="location") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # False for NaN too
        raise ValidationError(LOCATION_ERROR, code="location")
    return latitude, longitude


class CheckinForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s, s) for s in (CheckInStatus.SAFE, CheckInStatus.NEED_HELP, CheckInStatus.NOT_THERE)]
    )
    message = forms.CharField(
        label=_("A short message (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    # Filled by the "Share my location" button (a few lines of script), only when she presses it.
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["location"] = read_location(data.get("lat", ""), data.get("lon", ""))
        except ValidationError as error:
            self.add_error(None, error)
        return data


class ReportForm(forms.Form):
    SOURCES = [
        (CheckInSource.OFFICER, _("The person told me themselves")),
        (CheckInSource.EMPLOYER, _("Their employer")),
        (CheckInSource.FRIEND, _("A friend")),
        (CheckInSource.FAMILY, _("Their family")),
        (CheckInSource.WARDEN, _("A warden")),
    ]
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (s.value, s.label) for s in (CheckInStatus.SAFE, CheckInStatus.NEED_HELP, CheckInStatus.NOT_THERE)
        ],
    )
    source = forms.ChoiceField(label=_("Who says so"), choices=SOURCES)
    reporter_name = forms.CharField(label=_("Their name or role"), required=False, max_length=200)
    reporter_contact = forms.CharField(label=_("Their phone or e-mail"), required=False, max_length=200)
    message = forms.CharField(label=_("What they said"), required=False, max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class WardenForm(forms.Form):
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=Mission.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone number"), max_length=40, widget=forms.TextInput(attrs={"type": "tel"})
    )
    city_name = forms.CharField(label=_("City"), required=False, max_length=100)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    capacity = forms.IntegerField(label=_("People per list"), min_value=1, max_value=500, initial=30)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions_for(user)  # type: ignore[attr-defined]


class FamilyEnquiryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I know their"), choices=FamilyEnquiry.Kind.choices, widget=forms.RadioSelect, initial="nik"
    )
    identifier = forms.CharField(
        label=_("NIK, passport number or phone number of your family member"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    relative_phone = forms.CharField(
        label=_("Your own phone number"),
        max_length=40,
        help_text=_("With + and the country code, e.g. +62 812 3456 7890. We send the code there."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class FamilyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
