from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Cap
from .selectors import count_unread_inbox_messages

# (capability, url name, label). The menu shows what the user's role may open, nothing else.
NAVIGATION: list[tuple[str, str, object]] = [
    ("authenticated", "core:home", _("Home")),
    ("authenticated", "core:inbox", _("Messages")),
    (Cap.SELF_SERVICE, "registry:my_card", _("My card")),
    (Cap.PERSON_VIEW, "registry:officer_search", _("Registry")),
    (Cap.STATS_VIEW, "core:statistics", _("Statistics")),
    (Cap.PLACES_VIEW, "places:missions", _("Missions")),
    (Cap.AUDIT_VIEW, "core:audit_log", _("Audit log")),
    (Cap.TOKENS_MANAGE, "core:tokens", _("API tokens")),
]


@lru_cache(maxsize=1)
def all_navigation() -> list[tuple[str, str, object]]:
    """The core items, then those each app lists in `perisai/<app>/navigation.py` (ITEMS), in app order."""
    items = list(NAVIGATION)
    for config in apps.get_app_configs():
        if not config.name.startswith("perisai."):
            continue
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(module.ITEMS)
    return items


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for capability, url_name, label in all_navigation():
        if capability == "authenticated" or user.can(capability):
            try:
                items.append({"url": reverse(url_name), "label": label, "name": url_name})
            except Exception:  # noqa: S112  (a module whose pages are not installed yet)
                continue
    for item in items:
        if item["name"] == "core:inbox":  # how many platform messages she has not opened yet
            item["count"] = count_unread_inbox_messages(user=user)
    return {"nav_items": items}
