"""The helpdesk module's JSON API, mounted at /api/v1/helpdesk."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["helpdesk"])
