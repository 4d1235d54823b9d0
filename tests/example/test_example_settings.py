"""The example site is configured by environment variables only."""

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured


def load(module, monkeypatch, **env):
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        *(f"EMAIL_{part}" for part in ("HOST_USER", "HOST_PASSWORD", "USE_TLS", "USE_SSL")),
        "EMAIL_TIMEOUT",
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
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert settings.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert "tyonohjaus_plugin.W005" in settings.SILENCED_SYSTEM_CHECKS


def test_q_cluster_of_the_example_site_is_safe(monkeypatch):
    q = load("example_site.settings.dev", monkeypatch).Q_CLUSTER
    assert q["retry"] >= q["timeout"] + 60
    assert 3 <= q["max_attempts"] <= 5
    assert q["catch_up"] is False


def test_production_needs_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load("example_site.settings.production", monkeypatch)


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
    assert with_redis.CACHES["default"]["BACKEND"].endswith("RedisCache")


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


@pytest.fixture(autouse=True)
def _forget_imported_settings():
    yield
    for name in list(sys.modules):
        if name.startswith("example_site.settings"):
            del sys.modules[name]
