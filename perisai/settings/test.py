"""Tests: the database comes from DATABASE_URL (SQLite by default, PostgreSQL in the second pass)."""

import os
import tempfile

os.environ.setdefault("PERISAI_VAR_DIR", os.path.join(tempfile.gettempdir(), "perisai-test-var"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")
os.environ.setdefault("PERISAI_BLIND_INDEX_KEY", "test-blind-index-key")
os.environ.setdefault("PERISAI_FIELD_KEYS", "test-field-key-one")

from .base import *  # noqa: F403
from .base import STORAGES, demo_channels

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; Argon2 is tested explicitly
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "messaging", "feeds", "imports"],
    }
}
AXES_ENABLED = True
PERISAI_CHANNELS = demo_channels()
