"""Local development and the demo: SQLite under var/, DEBUG on unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import STORAGES, demo_channels

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# In the demo SMS, WhatsApp, Telegram and e-mail print to the worker's console (sign-in codes, alerts);
# the in-platform inbox and the web chat are real.
PERISAI_CHANNELS = demo_channels()
