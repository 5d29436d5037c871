from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import ChannelType


@lru_cache(maxsize=1)
def channel_types() -> dict[str, type[ChannelType]]:
    types: dict[str, type[ChannelType]] = {}
    for path in settings.PERISAI_CHANNEL_TYPES:
        cls = import_string(path)
        if not cls.code:
            raise ImproperlyConfigured(f"{path} has no code")
        types[cls.code] = cls
    return types


def get_channel(name: str) -> ChannelType:
    config: dict[str, Any] = dict(settings.PERISAI_CHANNELS.get(name) or {})
    if not config:
        raise ImproperlyConfigured(f"No channel named {name!r} in PERISAI_CHANNELS")
    type_code = config.pop("TYPE")
    cls = channel_types().get(type_code)
    if cls is None:
        raise ImproperlyConfigured(f"Channel {name!r} uses unknown type {type_code!r}")
    return cls(**{k.lower(): v for k, v in config.items()})
