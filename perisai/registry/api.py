"""The registry's JSON API (people search, person, import, export)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["registry"])
