"""System checks: a help-bot channel that receives webhooks must have the secret that authenticates them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

REQUIRED = {
    "telegram": ("BOT_TOKEN", "SECRET_TOKEN"),
    "whatsapp": ("ACCESS_TOKEN", "PHONE_NUMBER_ID", "APP_SECRET", "VERIFY_TOKEN"),
    "sms_http": ("URL", "TOKEN", "SECRET"),
}


@register()
def check_channels(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for name, config in (getattr(settings, "PERISAI_CHANNELS", {}) or {}).items():
        kind = str((config or {}).get("TYPE", ""))
        missing = [key for key in REQUIRED.get(kind, ()) if not (config or {}).get(key)]
        if missing:
            problems.append(
                Error(
                    f"PERISAI_CHANNELS[{name!r}] ({kind}) lacks {', '.join(missing)}.",
                    hint="Webhooks without their secret are refused, and nothing can be sent.",
                    id="perisai.helpdesk.E001",
                )
            )
    return problems
