"""Settings for `bench_helpdesk.py --keep-connections`: the local settings with persistent SQLite connections,
to measure what the platform's per-request SQLite connection costs (a setting the lead decides)."""

from perisai.settings.local import *  # noqa: F403
from perisai.settings.local import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 600
