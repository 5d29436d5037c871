"""The crisis module's JSON API, mounted at /api/v1/crisis."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["crisis"])
