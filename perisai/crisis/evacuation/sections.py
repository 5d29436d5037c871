"""The sections of a contingency plan's draft, in one table: model, label, fields edited, how an item reads.

Pages, the API, publishing (the frozen JSON of a version), the PDF and the readiness checklist all walk this
table, so a new field or section is added in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import (
    ContingencyPlan,
    PartnerAgreement,
    PlanItem,
    PlanRole,
    PlanSite,
    PlanWarden,
    Stock,
    TransportOption,
    Trigger,
    Zone,
)


@dataclass(frozen=True)
class Section:
    key: str
    model: type[PlanItem]
    label: StrOrPromise
    fields: tuple[str, ...]  # edited by people, in form order (checked_on is set by the action)
    refs: tuple[str, ...] = ()  # foreign keys to other rows of the same plan

    def items(self, plan: ContingencyPlan) -> models.QuerySet[Any]:
        return self.model.objects.filter(plan=plan)  # type: ignore[attr-defined,no-any-return]


SECTIONS: tuple[Section, ...] = (
    Section("zones", Zone, _("Zones"), ("name", "lat", "lon", "radius_km", "notes")),
    Section("triggers", Trigger, _("Triggers per Siaga level"), ("level", "indicators", "actions")),
    Section("wardens", PlanWarden, _("Wardens"), ("name", "phone", "zone", "capacity"), refs=("zone",)),
    Section(
        "sites",
        PlanSite,
        _("Assembly points and safe havens"),
        ("kind", "name", "zone", "address", "lat", "lon", "capacity", "contact_name", "contact_phone"),
        refs=("zone",),
    ),
    Section(
        "transport",
        TransportOption,
        _("Transport"),
        (
            "mode",
            "provider",
            "seats",
            "trips",
            "lead_time_hours",
            "departs_from",
            "destination",
            "to_indonesia",
            "contact_name",
            "contact_phone",
        ),
        refs=("departs_from",),
    ),
    Section("stocks", Stock, _("Stocks"), ("item", "quantity", "unit", "location", "expires_on")),
    Section(
        "partners",
        PartnerAgreement,
        _("Partner agreements"),
        ("partner", "kind", "scope", "contact_name", "contact_phone", "valid_until"),
    ),
    Section(
        "roles",
        PlanRole,
        _("Roles and call tree"),
        ("title", "holder_name", "phone", "deputy_name", "deputy_phone", "reports_to"),
        refs=("reports_to",),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}


def model_field(section: Section, name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", section.model._meta.get_field(name))


def field_label(section: Section, name: str) -> str:
    return str(model_field(section, name).verbose_name)


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def item_dict(section: Section, item: PlanItem) -> dict[str, Any]:
    """One row as JSON: its id, each edited field (references as the other row's id), when checked."""
    out: dict[str, Any] = {"id": item.pk}
    for name in section.fields:
        value = getattr(item, model_field(section, name).attname)
        out[name] = _json(value)
    out["checked_on"] = _json(item.checked_on)
    return out


def plan_content(plan: ContingencyPlan) -> dict[str, Any]:
    """The whole draft as JSON: what publishing freezes, and what the checklist and PDF read."""
    content: dict[str, Any] = {
        "plan": {
            "public_id": str(plan.public_id),
            "title": plan.title,
            "scenario": plan.scenario,
            "mission": plan.mission.code,
            "mission_name": plan.mission.name,
            "country": plan.mission.country_id,
            "assumptions": plan.assumptions,
            "max_distance_km": plan.max_distance_km,
        }
    }
    for section in SECTIONS:
        content[section.key] = [item_dict(section, item) for item in section.items(plan).order_by("pk")]
    return content


def display_value(section: Section, name: str, value: Any, content: dict[str, Any]) -> str:
    """A field of a frozen item as text for people (choices by label, references by name)."""
    if value is None or value == "":
        return ""
    field = model_field(section, name)
    if name in section.refs:
        target = {"zone": "zones", "departs_from": "sites", "reports_to": "roles"}[name]
        label_key = "title" if target == "roles" else "name"
        for other in content.get(target, []):
            if other.get("id") == value:
                return str(other.get(label_key, ""))
        return ""
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes")) if value else str(_("no"))
    return str(value)
