"""Alert templates, written once in English and translated to Indonesian in the catalogues. The officer edits
the filled-in text before saving a draft. ``{link}`` marks where each person's own check-in link goes (it is
added at the end when missing); the reply keywords work in both languages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django_stubs_ext import StrOrPromise

from .models import Crisis, CrisisArea
from .sms import SmsLength, sms_length

#: the longest token the links carry (crisis and person ids in base 36, a 16-character signature)
LINK_TOKEN_SAMPLE = "k" + "z" * 4 + "." + "z" * 5 + "." + "A" * 16


@dataclass(frozen=True)
class Template:
    code: str
    label: StrOrPromise


TEMPLATES = [
    Template("checkin", gettext_lazy("Are you safe? (check-in)")),
    Template("siaga", gettext_lazy("Siaga level in an area")),
    Template("evacuate", gettext_lazy("Siaga 1: prepare to evacuate")),
    Template("all_clear", gettext_lazy("Situation improving")),
]
TEMPLATE_CODES = [t.code for t in TEMPLATES]


def _text(code: str, values: dict[str, object]) -> str:
    if code == "siaga":
        text = _(
            "[%(mission)s] SIAGA %(level)s in %(area)s (%(title)s). Stay alert, keep your passport with you "
            "and your phone charged. Reply SAFE, HELP or NOT THERE, or open {link}"
        )
    elif code == "evacuate":
        text = _(
            "[%(mission)s] SIAGA 1 in %(area)s: prepare to evacuate. Follow the local authorities and the "
            "embassy. Hotline %(hotline)s. Reply SAFE, HELP or NOT THERE, or open {link}"
        )
    elif code == "all_clear":
        text = _(
            "[%(mission)s] %(title)s: the situation is improving. Reply SAFE if you are safe, or open {link}"
        )
    else:
        text = _("[%(mission)s] %(title)s: are you safe? Reply SAFE, HELP or NOT THERE, or open {link}")
    return text % values


def render_template(code: str, *, crisis: Crisis, area: CrisisArea | None, language: str) -> str:
    mission = crisis.missions.order_by("pk").first()
    top = area or crisis.areas.order_by("level", "name").first()
    values: dict[str, object] = {
        "mission": mission.name if mission is not None else "KBRI",
        "title": crisis.title,
        "area": top.name if top is not None else str(crisis.country),
        "level": top.level if top is not None else 3,
        "hotline": (mission.hotline or mission.phone) if mission is not None else "",
    }
    with override(language):
        return _text(code, values)


def length_with_link(body: str, link_prefix: str, *, prefix: str = "") -> SmsLength:
    """The SMS length of a message once its personal link (and an exercise mark) is in."""
    link = link_prefix + LINK_TOKEN_SAMPLE + "/"
    text = body.replace("{link}", link) if "{link}" in body else body.rstrip() + " " + link
    return sms_length(prefix + text)
