from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .messaging.types.email.type import flag


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
    for name, cfg in sorted(_channels_of_type("email")):
        if cfg.get("PASSWORD") and not (flag(cfg.get("USE_TLS")) or flag(cfg.get("USE_SSL"))):
            problems.append(
                Warning(
                    f"PERISAI_CHANNELS[{name!r}] sends its SMTP password without TLS.",
                    hint="Set USE_TLS (STARTTLS, port 587) or USE_SSL (port 465) (docs/deploy.md).",
                    id="perisai.W002",
                )
            )
    return problems


@register()
def check_email_channels(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An e-mail channel needs its server and its From address; STARTTLS and implicit TLS exclude each other."""
    problems: list[CheckMessage] = []
    for name, cfg in sorted(_channels_of_type("email")):
        missing = [key for key in ("HOST", "FROM") if not cfg.get(key)]
        if missing:
            problems.append(
                Error(
                    f"PERISAI_CHANNELS[{name!r}] (email) lacks {', '.join(missing)}.",
                    hint="Nothing can be sent by e-mail without them (docs/deploy.md).",
                    id="perisai.E004",
                )
            )
        if flag(cfg.get("USE_TLS")) and flag(cfg.get("USE_SSL")):
            problems.append(
                Error(
                    f"PERISAI_CHANNELS[{name!r}] sets both USE_TLS and USE_SSL.",
                    hint="USE_TLS is STARTTLS (port 587), USE_SSL is implicit TLS (port 465): choose one.",
                    id="perisai.E005",
                )
            )
    return problems


def _channels_of_type(code: str) -> list[tuple[str, dict[str, Any]]]:
    channels = getattr(settings, "PERISAI_CHANNELS", {}) or {}
    return [(name, dict(cfg)) for name, cfg in channels.items() if (cfg or {}).get("TYPE") == code]
