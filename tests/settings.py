"""Minimal settings for the plugin's tests. DATABASE_URL selects the database (default: SQLite).

The site around the plugin is ``tests.testapp`` (a home page model, base.html and URLs), so these
tests need nothing of the example project; its own tests use ``tests.example.settings``.
"""

import base64
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "tests-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "tyonohjaus_plugin",
    "tests.testapp",  # the home page model, base.html and the URLs
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
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
    "csp.middleware.CSPMiddleware",
]

# RELIABILITY test 26: a strict policy (django-csp) on every page, plugin and admin, with a nonce
# for what cannot be a file. Report-only, so the browser reports every violation
# (tests/browser/test_csp.py counts them) without blocking Wagtail admin's own inline code in the
# other browser tests; a site enforces the same directives with CONTENT_SECURITY_POLICY.
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "tests.testapp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE"})

# The free text is encrypted at rest (tyonohjaus_plugin.E009 without a key). A fixed key, built
# here, the same in every process (the worker tests' qclusters read what pytest wrote). A test that
# sets TYONOHJAUS_PLUGIN keeps it: {**django_settings.TYONOHJAUS_PLUGIN, ...}.
TEST_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"tyonohjaus tests: not a secret!!").decode()
TYONOHJAUS_PLUGIN = {"ENCRYPTION_KEYS": [TEST_ENCRYPTION_KEY]}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The tests count rate limits in one process, where the local-memory cache is shared by all.
SILENCED_SYSTEM_CHECKS = ["tyonohjaus_plugin.W008"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

Q_CLUSTER = {
    "name": "tyonohjaus-tests",
    "orm": "default",
    "sync": True,
    "timeout": 60,
    "retry": 120,
    "max_attempts": 3,
    "catch_up": False,
}

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
LOGIN_URL = "login"

WAGTAIL_SITE_NAME = "Test intranet"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The test database is created once per run; allow a different name for parallel local runs.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}
