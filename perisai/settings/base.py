"""Settings shared by every environment. Everything deployment-specific comes from the environment."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = BASE_DIR / "perisai"
VAR_DIR = Path(os.environ.get("PERISAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret(name: str, nbytes: int = 50) -> str:
    """A secret from the environment, or one generated once and kept under var/ for local use."""
    value = os.environ.get(name)
    if value:
        return value
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / f"{name.lower()}.txt"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = local_secret("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# Field encryption (NIK, passport, immigration status) and the keyed blind index used for exact search.
# PERISAI_FIELD_KEYS: comma-separated secrets, newest first (rotation: docs/deploy.md).
PERISAI_FIELD_KEYS = env_list("PERISAI_FIELD_KEYS", []) or [local_secret("PERISAI_FIELD_KEY", 32)]
PERISAI_BLIND_INDEX_KEY = local_secret("PERISAI_BLIND_INDEX_KEY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "perisai.core",
    "perisai.places",
    "perisai.registry",
    "perisai.crisis",
    "perisai.crisis.evacuation",
    "perisai.helpdesk",
    "perisai.cases",
    "perisai.finance",
    "perisai.governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "perisai.core.middleware.RequestContextMiddleware",
    "perisai.core.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perisai.urls"
WSGI_APPLICATION = "perisai.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perisai.core.context_processors.navigation",
            ],
        },
    }
]


def database_config() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "perisai.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and one writer work at once; the busy timeout queues writers instead of failing.
        # A 64 MiB page cache per connection and the file memory-mapped (up to 1 GiB, shared by every process
        # through the OS's cache) keep the hot index pages of a large database in memory: with SQLite's
        # defaults (2 MB cache, read() for every other page) a check-in spent most of its time fetching pages.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;"
            ),
        }
        config["CONN_MAX_AGE"] = 600  # one connection per thread, kept: opening one costs more than a query
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling and lockout (django-axes): 5 failures per user and address lock for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Idle sessions expire: every request renews a 30-minute window.
SESSION_COOKIE_AGE = int(os.environ.get("PERISAI_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

OTP_TOTP_ISSUER = "Perisai"
# Roles that can open sensitive records must use TOTP two-factor authentication.
PERISAI_REQUIRE_2FA = env_bool("PERISAI_REQUIRE_2FA", True)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [Path(os.environ.get("PERISAI_LOCALE_DIR", PACKAGE_DIR / "locale"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "messaging", "feeds", "imports"],
    }
}

# Logging never carries message bodies or personal data: the audit log is the record of who saw what.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PERISAI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Outbound messaging (perisai.core.messaging): channel types are a plug-in family registered here.
PERISAI_CHANNEL_TYPES = [
    "perisai.core.messaging.types.console.ConsoleType",
    "perisai.core.messaging.types.email.EmailType",
    "perisai.core.messaging.types.platform.PlatformType",
    "perisai.helpdesk.channels.types.webchat.WebchatType",
    "perisai.helpdesk.channels.types.telegram.TelegramType",
    "perisai.helpdesk.channels.types.whatsapp.WhatsAppType",
    "perisai.helpdesk.channels.types.sms_http.SmsHttpType",
]
# Channel name -> {"TYPE": type code, **options}. Deployments configure real gateways here.
# In production they come from the environment as JSON (docs/deploy.md), e.g.
# PERISAI_CHANNELS='{"sms": {"TYPE": "sms_http", "URL": "...", "TOKEN": "...", "SECRET": "..."}}'.
# The in-platform inbox needs no gateway: it is always there unless the JSON names "platform" itself.
PERISAI_CHANNELS: dict[str, dict[str, object]] = {
    "platform": {"TYPE": "platform"},
    **json.loads(os.environ.get("PERISAI_CHANNELS", "{}")),
}


def demo_channels() -> dict[str, dict[str, object]]:
    """Demo and tests: SMS, WhatsApp, Telegram and e-mail print to the worker's console; the platform inbox
    and the web chat are the real ones."""
    channels: dict[str, dict[str, object]] = {
        name: {"TYPE": "console"} for name in ("sms", "whatsapp", "telegram", "email")
    }
    channels["platform"] = {"TYPE": "platform"}
    channels["webchat"] = {"TYPE": "webchat"}
    return channels


# Periodic jobs run by `perisai worker`: name -> (dotted task path, interval seconds).
PERISAI_PERIODIC_TASKS: dict[str, tuple[str, int]] = {
    "passport-reminders": ("perisai.registry.tasks.send_passport_reminders", 6 * 3600),
    "crisis-feeds": ("perisai.crisis.tasks.poll_feeds", 300),
    "crisis-reask": ("perisai.crisis.tasks.reask_non_responders", 300),
    "crisis-resume": ("perisai.crisis.tasks.resume_stalled_work", 60),
    "case-reminders": ("perisai.cases.tasks.send_case_reminders", 600),
    "helpdesk-purge": ("perisai.helpdesk.tasks.purge_expired_transcripts", 3600),
    "helpdesk-followups": ("perisai.helpdesk.tasks.send_due_followups", 3600),
    "finance-recurring": ("perisai.finance.tasks.materialise_recurring_entries", 3600),
    "governance-statistics": ("perisai.governance.tasks.publish_statistics", 86400),
}

# Public address of this deployment, used in links sent by SMS or chat (never personal data in them).
PERISAI_PUBLIC_URL = os.environ.get("PERISAI_PUBLIC_URL", "http://127.0.0.1:8000")
PERISAI_BASE_URL = PERISAI_PUBLIC_URL
# Crisis feeds polled by the worker, as JSON in the environment:
# [{"name": "GDACS", "parser": "gdacs", "url": "https://www.gdacs.org/xml/rss.xml"}, ...] (see crisis/ingest.py).
PERISAI_FEEDS: list[dict[str, object]] = json.loads(os.environ.get("PERISAI_FEEDS", "[]"))
# Messages per second each channel may send (provider rate limits); the outbox paces mass alerts by these.
PERISAI_CHANNEL_RATES = {
    "sms": 30,
    "whatsapp": 80,
    "telegram": 30,
    "email": 50,
    "platform": 500,
    "webchat": 500,
}

# Registration forms carry long free text; a 10 MB field is refused with a message, not a blank error page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
