"""The example site is configured by environment variables only."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


def load(module, monkeypatch, **env):
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        *(f"EMAIL_{part}" for part in ("HOST_USER", "HOST_PASSWORD", "USE_TLS", "USE_SSL")),
        "EMAIL_TIMEOUT",
        "CACHE_URL",
        "Q_REDIS_URL",
        "SECURE_PROXY_SSL_HEADER",
        "CLIENT_ADDRESS_HEADER",
        "CLIENT_ADDRESS_PROXIES",
        "MEDIA_STORAGE",
        "AWS_STORAGE_BUCKET_NAME",
        "ADMINS",
        "LOG_FORMAT",
        "LOG_LEVEL",
        "Q_TIMEOUT",
        "OUTBOX_STALE_AFTER_SECONDS",
        "OUTBOX_RETRY_AFTER_SECONDS",
        "TYONOHJAUS_ENCRYPTION_KEYS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in list(sys.modules):
        if name.startswith("example_site.settings"):
            del sys.modules[name]
    return importlib.import_module(module)


def test_defaults_are_sqlite_orm_broker_and_local_cache(monkeypatch):
    settings = load("example_site.settings.dev", monkeypatch)
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.Q_CLUSTER["orm"] == "default"
    assert "redis" not in settings.Q_CLUSTER
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.TIME_ZONE == "Europe/Helsinki"
    assert [code for code, _name in settings.LANGUAGES] == ["fi", "sv", "en"]


def test_database_url_and_redis_url_switch_to_scale_out(monkeypatch):
    settings = load(
        "example_site.settings.dev",
        monkeypatch,
        DATABASE_URL="postgres://u:p@db.internal:5432/intranet",
        REDIS_URL="redis://cache.internal:6379/1",
    )
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db.internal"
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "transaction_mode" not in database.get("OPTIONS", {})
    assert settings.Q_CLUSTER["redis"] == "redis://cache.internal:6379/1"
    assert "orm" not in settings.Q_CLUSTER
    assert settings.CACHES["default"]["BACKEND"].endswith("DegradingRedisCache")
    assert settings.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert settings.CACHES["default"]["OPTIONS"]["socket_timeout"] <= 1
    assert "tyonohjaus_plugin.W005" in settings.SILENCED_SYSTEM_CHECKS


def test_q_cluster_of_the_example_site_is_safe(monkeypatch):
    q = load("example_site.settings.dev", monkeypatch).Q_CLUSTER
    assert q["retry"] >= q["timeout"] + 60
    assert 3 <= q["max_attempts"] <= 5
    assert q["catch_up"] is False


def test_task_and_outbox_timings_from_the_environment(monkeypatch):
    settings = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        Q_TIMEOUT="30",
        OUTBOX_STALE_AFTER_SECONDS="40",
        OUTBOX_RETRY_AFTER_SECONDS="15",
    )
    assert (settings.Q_CLUSTER["timeout"], settings.Q_CLUSTER["retry"]) == (30, 110)
    plugin = settings.TYONOHJAUS_PLUGIN
    assert (plugin["OUTBOX_STALE_AFTER_SECONDS"], plugin["OUTBOX_RETRY_AFTER_SECONDS"]) == (40, 15)


def test_production_needs_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load("example_site.settings.production", monkeypatch)


def test_encryption_keys_from_the_environment_the_first_encrypting(monkeypatch, tmp_path):
    settings = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        TYONOHJAUS_ENCRYPTION_KEYS=" new-key, old-key ",
    )
    assert settings.TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"] == ["new-key", "old-key"]
    # Production makes none: the check E009 fails start-up (test below).
    bare = load("example_site.settings.production", monkeypatch, SECRET_KEY="x" * 60)
    assert bare.TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"] == []


def test_dev_keeps_a_generated_key_beside_the_sqlite_database(monkeypatch, tmp_path):
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    first = load("example_site.settings.dev", monkeypatch, DATABASE_URL=database)
    (key,) = first.TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"]
    key_file = tmp_path / "demo.sqlite3.key"
    assert key_file.read_text().strip() == key
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    Fernet(key)
    restarted = load("example_site.settings.dev", monkeypatch, DATABASE_URL=database)
    assert restarted.TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"] == [key]
    given = load(
        "example_site.settings.dev",
        monkeypatch,
        DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}",
        TYONOHJAUS_ENCRYPTION_KEYS=key,
    )
    assert given.TYONOHJAUS_PLUGIN["ENCRYPTION_KEYS"] == [key]
    assert not (tmp_path / "other.sqlite3.key").exists()


def test_production_reads_hosts_from_the_environment(monkeypatch):
    settings = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="intranet.example.org, www.intranet.example.org",
    )
    assert settings.DEBUG is False
    assert settings.ALLOWED_HOSTS == ["intranet.example.org", "www.intranet.example.org"]
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE


def test_production_caches_where_every_process_counts_the_same(monkeypatch):
    """Rate limits need one count for all web processes (check W008): the database cache
    without Redis, Redis with it; never the local-memory cache of development."""
    without = load("example_site.settings.production", monkeypatch, SECRET_KEY="x" * 60)
    assert without.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    with_redis = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        REDIS_URL="redis://cache.internal:6379/1",
    )
    assert with_redis.CACHES["default"]["BACKEND"].endswith("DegradingRedisCache")


def test_production_mail_is_configured_by_the_environment(monkeypatch):
    default = load("example_site.settings.production", monkeypatch, SECRET_KEY="x" * 60)
    assert default.EMAIL_USE_TLS is False and default.EMAIL_USE_SSL is False
    assert default.EMAIL_TIMEOUT == 20  # a hanging server never holds a worker past its task
    settings = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="intranet",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="true",
        EMAIL_TIMEOUT="5",
    )
    assert (settings.EMAIL_HOST, settings.EMAIL_PORT) == ("smtp.example.org", 587)
    assert (settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD) == ("intranet", "s3cret")
    assert settings.EMAIL_USE_TLS is True and settings.EMAIL_TIMEOUT == 5
    with pytest.raises(ImproperlyConfigured, match="not both"):
        load(
            "example_site.settings.production",
            monkeypatch,
            SECRET_KEY="x" * 60,
            EMAIL_USE_TLS="1",
            EMAIL_USE_SSL="yes",
        )
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS"):
        load(
            "example_site.settings.production", monkeypatch, SECRET_KEY="x" * 60, EMAIL_USE_TLS="si"
        )


def test_cache_and_broker_on_separate_redis_servers(monkeypatch):
    settings = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        CACHE_URL="redis://cache.internal:6379/1",
        Q_REDIS_URL="redis://queue.internal:6379/0",
    )
    assert settings.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert settings.Q_CLUSTER["redis"] == "redis://queue.internal:6379/0"
    broker_only = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        Q_REDIS_URL="redis://queue.internal:6379/0",
    )
    assert broker_only.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    assert broker_only.Q_CLUSTER["redis"] == "redis://queue.internal:6379/0"


def test_production_behind_a_tls_proxy(monkeypatch):
    default = load("example_site.settings.production", monkeypatch, SECRET_KEY="x" * 60)
    assert default.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert default.SECURE_SSL_REDIRECT is True
    assert default.TYONOHJAUS_PLUGIN["CLIENT_ADDRESS_META"] == "REMOTE_ADDR"
    settings = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme",
        CLIENT_ADDRESS_HEADER="X-Forwarded-For",
        CLIENT_ADDRESS_PROXIES="2",
    )
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_SCHEME", "https")
    assert settings.TYONOHJAUS_PLUGIN["CLIENT_ADDRESS_META"] == "HTTP_X_FORWARDED_FOR"
    assert settings.TYONOHJAUS_PLUGIN["CLIENT_ADDRESS_PROXIES"] == 2
    assert settings.TYONOHJAUS_PLUGIN["BASE_TEMPLATE"] == "base.html"  # the rest kept
    direct = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        SECURE_PROXY_SSL_HEADER="",
    )
    assert direct.SECURE_PROXY_SSL_HEADER is None


def test_production_serves_static_files_and_stores_media(monkeypatch):
    settings = load("example_site.settings.production", monkeypatch, SECRET_KEY="x" * 60)
    middleware = settings.MIDDLEWARE
    assert middleware[0] == "tyonohjaus_plugin.health.HealthMiddleware"
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith(
        "CompressedManifestStaticFilesStorage"
    )
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    s3 = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="intranet-media",
    )
    assert s3.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3.STORAGES["default"]["OPTIONS"]["bucket_name"] == "intranet-media"
    assert s3.STORAGES["default"]["OPTIONS"]["querystring_auth"] is True
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        load("example_site.settings.production", monkeypatch, SECRET_KEY="x", MEDIA_STORAGE="s3")
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        load("example_site.settings.production", monkeypatch, SECRET_KEY="x", MEDIA_STORAGE="ftp")


def test_production_mails_errors_to_admins(monkeypatch):
    settings = load(
        "example_site.settings.production",
        monkeypatch,
        SECRET_KEY="x" * 60,
        ADMINS="ops@example.org, it@example.org",
    )
    addresses = [entry if isinstance(entry, str) else entry[1] for entry in settings.ADMINS]
    assert addresses == ["ops@example.org", "it@example.org"]
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        load("example_site.settings.production", monkeypatch, SECRET_KEY="x", LOG_FORMAT="xml")


def test_django_env_chooses_the_settings(monkeypatch):
    from example_site import settings_module

    monkeypatch.delenv("DJANGO_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert settings_module() == "example_site.settings.dev"  # a bare checkout
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    assert settings_module() == "example_site.settings.production"  # a deployment's variables
    monkeypatch.setenv("DJANGO_ENV", "dev")
    assert settings_module() == "example_site.settings.dev"
    monkeypatch.setenv("DJANGO_ENV", "staging")
    with pytest.raises(SystemExit, match="DJANGO_ENV"):
        settings_module()


ROOT = Path(__file__).resolve().parents[2]


def _run(code_or_args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "intranet.example.org", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_manage_py_and_wsgi_run_the_same_settings_and_log_json():
    """The day-one bug: `manage.py qcluster` ran the dev settings (DEBUG, mail to files) while
    wsgi.py ran production. Both now follow DJANGO_ENV; django-q2 and the plugin log at INFO."""
    show = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"
    wsgi = _run(f"import example_site.wsgi; {show}", DJANGO_ENV="production")
    manage = _run(
        [
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            show + "; import logging; "
            "logging.getLogger('django-q').info('cluster starting');"
            "logging.getLogger('tyonohjaus_plugin.tasks').info('sweep: %d sent', 3)",
        ],
        DJANGO_ENV="production",
        LOG_FORMAT="json",
    )
    lines = manage.stdout.strip().splitlines()
    assert wsgi.stdout.strip() == lines[0] == "example_site.settings.production False"
    records = [json.loads(line) for line in lines[1:]]
    assert [(r["logger"], r["level"], r["message"]) for r in records] == [
        ("django-q", "INFO", "cluster starting"),
        ("tyonohjaus_plugin.tasks", "INFO", "sweep: 3 sent"),
    ]
    dev = _run(["manage.py", "shell", "-v", "0", "-c", show], DJANGO_ENV="dev")
    assert dev.stdout.strip() == "example_site.settings.dev True"


def test_production_without_an_encryption_key_fails_start_up():
    """RELIABILITY test 18: the checks every manage.py start runs (migrate, qcluster) stop it."""
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _run(["manage.py", "check"], DJANGO_ENV="production", TYONOHJAUS_ENCRYPTION_KEYS="")
    assert "tyonohjaus_plugin.E009" in failed.value.stderr
    assert "Fernet.generate_key()" in failed.value.stderr
    key = Fernet.generate_key().decode()
    passed = _run(["manage.py", "check"], DJANGO_ENV="production", TYONOHJAUS_ENCRYPTION_KEYS=key)
    assert "E009" not in passed.stdout + passed.stderr


@pytest.fixture(autouse=True)
def _forget_imported_settings():
    yield
    for name in list(sys.modules):
        if name.startswith("example_site.settings"):
            del sys.modules[name]
