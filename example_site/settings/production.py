"""Production (DJANGO_ENV=production, the default): every secret and host from the environment;
HTTPS behind a TLS proxy, static files from whitenoise, mail through SMTP, errors to ADMINS."""

import os

import django
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, REDIS_URL, env_bool, env_list

DEBUG = False

try:
    SECRET_KEY = os.environ["SECRET_KEY"]
except KeyError as exc:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable (production settings), "
        "or DJANGO_ENV=dev for development."
    ) from exc

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The TLS proxy in front: the header it sets to "https" (it must overwrite one sent by a client);
# empty when Django serves TLS itself or nothing proxies.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# The client address the rate limits count by: the header the proxies append to and how many
# trusted proxies do (README, "Rate limits"); REMOTE_ADDR when nothing proxies.
_client_header = os.environ.get("CLIENT_ADDRESS_HEADER", "").strip()
TYONOHJAUS_PLUGIN = {
    **TYONOHJAUS_PLUGIN,  # noqa: F405
    "CLIENT_ADDRESS_META": (
        "HTTP_" + _client_header.upper().replace("-", "_") if _client_header else "REMOTE_ADDR"
    ),
    "CLIENT_ADDRESS_PROXIES": int(os.environ.get("CLIENT_ADDRESS_PROXIES", "1")),
}

if not REDIS_URL and not os.environ.get("CACHE_URL"):
    # Several web processes must share the rate limits' counts (check W008): without Redis, the
    # database cache (`python manage.py createcachetable`, run with `migrate`).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tyonohjaus_cache",
        }
    }

# Static files: `collectstatic` once per release; whitenoise serves them compressed, with hashed
# names cached for a year, from every web process (no static file server needed).
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[: _security + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_security + 1 :],
]

# Media (uploaded images and documents): a directory every web machine mounts (MEDIA_ROOT), or
# S3-compatible object storage with MEDIA_STORAGE=s3 (the `s3` extra, django-storages; bucket,
# endpoint and region from AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
# credentials as boto3 finds them: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine role).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()
if MEDIA_STORAGE == "filesystem":
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,  # private bucket: signed, expiring links
            "file_overwrite": False,
        },
    }
    if not _media["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, got {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _media,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # implicit TLS, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
# A hanging mail server must not hold a worker past its task timeout.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

# Server errors (500s, with their traceback) by mail to ADMINS: "ops@example.org, ...".
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
_admins = env_list("ADMINS")
# Django 6 takes addresses; 5.2 (name, address) pairs.
ADMINS = _admins if django.VERSION >= (6, 0) else [(address, address) for address in _admins]
