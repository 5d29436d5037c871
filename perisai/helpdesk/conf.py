"""Help-bot settings, each with a safe default (set in settings where a deployment differs)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

MAX_TEXT = 2000  # characters of one message kept and read; the rest is cut (and she is told)


def live_window() -> dt.timedelta:
    """How long a message is kept without transcript consent: long enough for a human to answer."""
    return dt.timedelta(hours=int(getattr(settings, "PERISAI_HELPDESK_LIVE_HOURS", 24)))


def transcript_period() -> dt.timedelta:
    """How long a transcript is kept when she agreed."""
    return dt.timedelta(days=int(getattr(settings, "PERISAI_HELPDESK_TRANSCRIPT_DAYS", 90)))


def followup_delay() -> dt.timedelta:
    """How long after a conversation is closed the bot asks how she is (only if she agreed)."""
    return dt.timedelta(days=float(getattr(settings, "PERISAI_HELPDESK_FOLLOWUP_DAYS", 3)))


def idle_close() -> dt.timedelta:
    """A conversation with the bot (not with a human) that has been quiet this long is closed."""
    return dt.timedelta(hours=int(getattr(settings, "PERISAI_HELPDESK_IDLE_HOURS", 24)))


def whatsapp_window() -> dt.timedelta:
    """WhatsApp allows free-form messages only this long after her last message."""
    return dt.timedelta(hours=24)


def exit_url() -> str:
    """Where the quick-exit button goes. Empty: the neutral page of this site."""
    return str(getattr(settings, "PERISAI_HELPDESK_EXIT_URL", "") or "")


def webchat_channel() -> str:
    return str(getattr(settings, "PERISAI_HELPDESK_WEBCHAT_CHANNEL", "webchat"))


def default_flow() -> str:
    return str(getattr(settings, "PERISAI_HELPDESK_FLOW", "main"))


def channel_type_code(name: str) -> str:
    """The type code ("whatsapp", "telegram"...) configured for a channel name, or "" if none."""
    if name == webchat_channel():
        return "webchat"
    config = getattr(settings, "PERISAI_CHANNELS", {}).get(name) or {}
    return str(config.get("TYPE", ""))
