"""Preparedness and evacuation JSON API, mounted at /api/v1/evacuation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["evacuation"])
