"""The installable web app: manifest, service worker (scope /finance/) and the offline fallback page.

The service worker's source is static/finance/sw.js; it is served from /finance/sw.js so that its scope is
the finance pages, with the list of files to keep on the phone (their hashed static URLs) written in. They
hold no personal data, so they are public; the pages they cache are hers and are dropped from the phone's
cache when she signs out or deletes everything.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from perisai.core.permissions import PUBLIC, requires

SHELL_STATIC = [
    "perisai/app.css",
    "vendor/htmx/htmx.min.js",
    "finance/finance.css",
    "finance/finance.js",
    "finance/icon.svg",
    "finance/icon-192.png",
]


@lru_cache(maxsize=4)
def _read_static(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found if isinstance(found, str) else found[0], encoding="utf-8") as handle:
        return handle.read()


def shell_urls() -> list[str]:
    pages = [reverse("finance:home"), reverse("finance:quick"), reverse("finance:offline")]
    return pages + [static(p) for p in SHELL_STATIC]


@requires(PUBLIC)
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    urls = shell_urls()
    source = _read_static("finance/sw.js")
    version = hashlib.sha256(
        (json.dumps(urls) + source + _read_static("finance/finance.js")).encode()
    ).hexdigest()[:12]
    body = source.replace("__VERSION__", version).replace("__SHELL__", json.dumps(urls))
    body = body.replace("__OFFLINE__", json.dumps(reverse("finance:offline")))
    body = body.replace("__STATIC__", json.dumps(urlsplit(settings.STATIC_URL).path or "/static/"))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("finance:home")
    return response


@requires(PUBLIC)
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    data = json.loads(_read_static("finance/manifest.webmanifest"))
    data.update(
        name=_("Perisai Money"),
        short_name=_("Money"),
        description=_("Write down your money, even without internet."),
        start_url=reverse("finance:home"),
        scope=reverse("finance:home"),
        lang=getattr(request, "LANGUAGE_CODE", "id"),
    )
    for icon in data.get("icons", []):
        icon["src"] = static(icon["src"])
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@requires(PUBLIC)
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "finance/offline.html")
