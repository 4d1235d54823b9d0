"""Settings shared by every environment of the example site.

Everything that differs between machines comes from environment variables (the README's table):
read with dj-database-url for the database and plain ``os.environ`` for the rest — a dozen
variables do not need a settings library, and each one's parsing is visible here.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}.")


INSTALLED_APPS = [
    "tyonohjaus_plugin",
    "example_site.home",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_q",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before the host check, the HTTPS redirect and the sessions.
    "tyonohjaus_plugin.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before LocaleMiddleware, whose redirect of a 404 to the language prefix replaces the
    # response: the header stays on that redirect too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_site.urls"
WSGI_APPLICATION = "example_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://user:pass@127.0.0.1:5432/tyonohjaus.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# Redis: REDIS_URL for both the cache and django-q2's broker, or CACHE_URL / Q_REDIS_URL to put
# them on different servers (or databases: redis://redis:6379/1).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_URL = os.environ.get("CACHE_URL", REDIS_URL)
Q_REDIS_URL = os.environ.get("Q_REDIS_URL", REDIS_URL)

if CACHE_URL:
    CACHES = {
        "default": {
            # A Redis outage makes the cache miss instead of answering 500 (core/cache.py).
            "BACKEND": "tyonohjaus_plugin.core.cache.DegradingRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tyonohjaus",
        }
    }

# django-q2: ORM broker on the default database unless Q_REDIS_URL (or REDIS_URL) is set.
# retry > timeout + 60, bounded attempts, no replay of missed runs (see RELIABILITY.md).
Q_TIMEOUT = int(os.environ.get("Q_TIMEOUT", "120"))
Q_CLUSTER = {
    "name": "tyonohjaus",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": Q_TIMEOUT,
    "retry": Q_TIMEOUT + 80,
    "max_attempts": 5,
    "catch_up": False,
    "save_limit": 250,
    "ack_failures": True,
    "label": "django-q2",
}
if Q_REDIS_URL:
    Q_CLUSTER["redis"] = Q_REDIS_URL
    # At-most-once delivery is accepted: the plugin's sweeps recover due work from the database.
    SILENCED_SYSTEM_CHECKS = ["tyonohjaus_plugin.W005"]
else:
    Q_CLUSTER["orm"] = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Finnish first, then Swedish and English.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "static"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
# Uploaded images and documents: with several web machines, a volume they all mount (NFS) or
# object storage (production.py, MEDIA_STORAGE=s3).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

WAGTAIL_SITE_NAME = _("Intranet")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tyonohjaus@example.org")

TYONOHJAUS_PLUGIN = {
    "BASE_TEMPLATE": "base.html",
    # How long the outbox waits before it takes back a message whose worker died (above
    # Q_TIMEOUT: check W007) and before it retries a failed one.
    "OUTBOX_STALE_AFTER_SECONDS": int(os.environ.get("OUTBOX_STALE_AFTER_SECONDS", "300")),
    "OUTBOX_RETRY_AFTER_SECONDS": int(os.environ.get("OUTBOX_RETRY_AFTER_SECONDS", "120")),
    # Fernet keys that encrypt the free text in the database, comma-separated, the first one
    # encrypting (README, "Encryption keys"). Required in production (check E009); dev.py keeps
    # a generated one beside the SQLite database.
    "ENCRYPTION_KEYS": env_list("TYONOHJAUS_ENCRYPTION_KEYS"),
}

# Logs to stdout (systemd's journal, the container's log), one line per record; LOG_FORMAT=json
# for a log collector. django-q2 logs at INFO (a cluster starting, its workers, task failures)
# and so does the plugin (its sweeps' counts, matching runs), without personal data.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}.")
_LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"
_LOG_TIME = "%Y-%m-%dT%H:%M:%S%z"  # with the offset: machines may log in different zones
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Only the chosen formatter: dictConfig builds every one listed (JSON needs the server extra).
    "formatters": {
        LOG_FORMAT: {
            "text": {"format": _LOG_FIELDS, "datefmt": _LOG_TIME},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": _LOG_FIELDS,
                "datefmt": _LOG_TIME,
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        }[LOG_FORMAT]
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        # django-q2 adds its own handler only when no logger above it has one: it logs here.
        "django-q": {"level": LOG_LEVEL},
        "tyonohjaus_plugin": {"level": LOG_LEVEL},
        # "django" keeps Django's own set-up: errors mailed to ADMINS (production), and to stdout.
    },
}
