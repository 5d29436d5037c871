"""The finance module's JSON API, mounted at /api/v1/finance."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["finance"])
