"""The governance module's JSON API, mounted at /api/v1/governance."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["governance"])
