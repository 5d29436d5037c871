from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_perisai_deploy(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if not settings.PERISAI_REQUIRE_2FA:
        problems.append(
            Error("Two-factor authentication is off.", hint="Unset PERISAI_REQUIRE_2FA.", id="perisai.E001")
        )
    if str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
        problems.append(
            Warning(
                "SQLite is the embedded default for a single machine; a national deployment uses PostgreSQL.",
                hint="Set DATABASE_URL=postgres://... (docs/deploy.md).",
                id="perisai.W001",
            )
        )
    console = sorted(name for name, cfg in settings.PERISAI_CHANNELS.items() if cfg.get("TYPE") == "console")
    if console:
        problems.append(
            Error(
                f"Channels {', '.join(console)} print messages to the console (demo only).",
                hint="Configure real gateways in PERISAI_CHANNELS (docs/deploy.md).",
                id="perisai.E003",
            )
        )
    if len(settings.PERISAI_BLIND_INDEX_KEY) < 32:
        problems.append(Error("PERISAI_BLIND_INDEX_KEY is shorter than 32 characters.", id="perisai.E002"))
    return problems
