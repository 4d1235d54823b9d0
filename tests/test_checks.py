"""Each system check fires on a bad configuration and is silent on the good one."""

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.test import override_settings

from tyonohjaus_plugin import checks

GOOD_Q = {"name": "t", "orm": "default", "timeout": 60, "retry": 120, "max_attempts": 3,
          "catch_up": False}  # fmt: skip


def set_installed_apps(monkeypatch, apps):
    """Change INSTALLED_APPS as the checks see it, without reloading the app registry."""
    monkeypatch.setattr(django_settings, "INSTALLED_APPS", apps)


def ids(messages):
    return sorted(message.id for message in messages)


def test_test_settings_pass_every_plugin_check():
    # W008 (a per-process cache) is silenced there: the tests count rate limits in one process.
    assert [m for m in run_checks(tags=[checks.TAG]) if not m.is_silenced()] == []


def test_checks_run_with_manage_py_check():
    """The checks are registered: Django's own runner finds them."""
    with override_settings(USE_TZ=False):
        assert "tyonohjaus_plugin.E001" in ids(run_checks())


@override_settings(USE_TZ=False)
def test_e001_use_tz_off():
    assert ids(checks.check_time_zone(None)) == ["tyonohjaus_plugin.E001"]


def test_e001_silent_with_use_tz():
    assert checks.check_time_zone(None) == []


@pytest.mark.parametrize(
    "installed_apps",
    [["django.contrib.contenttypes"], ["django_q_extras"]],
)
def test_e002_django_q_missing(monkeypatch, installed_apps):
    set_installed_apps(monkeypatch, [*installed_apps, "django.contrib.auth", "wagtail_localize"])
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.E002"]


def test_e002_accepts_app_config_path(monkeypatch, settings):
    apps = [app for app in django_settings.INSTALLED_APPS if app != "django_q"]
    set_installed_apps(monkeypatch, [*apps, "django_q.apps.DjangoQConfig"])
    settings.Q_CLUSTER = GOOD_Q
    assert checks.check_q_cluster(None) == []


@pytest.mark.parametrize(("timeout", "retry"), [(120, 120), (120, 60), (250, 200)])
def test_e003_retry_not_greater_than_timeout(settings, timeout, retry):
    settings.Q_CLUSTER = {**GOOD_Q, "timeout": timeout, "retry": retry}
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.E003"]


def test_e003_uses_django_q_default_retry(settings):
    settings.Q_CLUSTER = {key: value for key, value in GOOD_Q.items() if key != "retry"}
    settings.Q_CLUSTER["timeout"] = 90  # django-q2's default retry is 60
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.E003"]


def test_w007_outbox_stale_time_not_above_the_task_timeout(settings):
    settings.Q_CLUSTER = {**GOOD_Q, "timeout": 120, "retry": 200}
    settings.TYONOHJAUS_PLUGIN = {"OUTBOX_STALE_AFTER_SECONDS": 120}
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.W007"]
    settings.TYONOHJAUS_PLUGIN = {"OUTBOX_STALE_AFTER_SECONDS": 121}
    assert ids(checks.check_q_cluster(None)) == []


def test_w006_retry_margin_too_small(settings):
    settings.Q_CLUSTER = {**GOOD_Q, "timeout": 120, "retry": 150}
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.W006"]


def test_w002_no_timeout(settings):
    settings.Q_CLUSTER = {key: value for key, value in GOOD_Q.items() if key != "timeout"}
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.W002"]


@pytest.mark.parametrize("max_attempts", [0, 6, None])
def test_w003_unbounded_attempts(settings, max_attempts):
    settings.Q_CLUSTER = {**GOOD_Q, "max_attempts": max_attempts}
    if max_attempts is None:
        del settings.Q_CLUSTER["max_attempts"]
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.W003"]


@pytest.mark.parametrize("catch_up", [True, None])
def test_w004_catch_up(settings, catch_up):
    settings.Q_CLUSTER = {**GOOD_Q, "catch_up": catch_up}
    if catch_up is None:
        del settings.Q_CLUSTER["catch_up"]  # django-q2 defaults to True
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.W004"]


def test_w005_redis_broker(settings):
    settings.Q_CLUSTER = {
        **{key: value for key, value in GOOD_Q.items() if key != "orm"},
        "redis": "redis://127.0.0.1:6379/0",
    }
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.W005"]


def test_w005_also_for_the_implicit_default_broker(settings):
    settings.Q_CLUSTER = {key: value for key, value in GOOD_Q.items() if key != "orm"}
    assert ids(checks.check_q_cluster(None)) == ["tyonohjaus_plugin.W005"]


def test_q_cluster_good_configuration_is_silent(settings):
    settings.Q_CLUSTER = GOOD_Q
    assert checks.check_q_cluster(None) == []


def test_e004_and_e006_localize_missing_and_i18n_off(monkeypatch, settings):
    apps = [app for app in django_settings.INSTALLED_APPS if "localize" not in app]
    set_installed_apps(monkeypatch, apps)
    settings.WAGTAIL_I18N_ENABLED = False
    assert ids(checks.check_i18n(None)) == ["tyonohjaus_plugin.E004", "tyonohjaus_plugin.E006"]


def test_i18n_good_configuration_is_silent():
    assert checks.check_i18n(None) == []


@pytest.mark.parametrize(
    "value",
    [
        {"BASE_TEMPALTE": "base.html"},  # typo
        {"BASE_TEMPLATE": 42},
        {"SHOW_SHARE_CONTROL": "yes"},
        ["BASE_TEMPLATE"],
        {"FEEDBACK_ADDRESS_RATE_LIMITS": ((100, 0),)},
        {"CLIENT_ADDRESS_PROXIES": 0},
    ],
)
def test_e005_bad_plugin_settings(settings, value):
    settings.TYONOHJAUS_PLUGIN = value
    assert ids(checks.check_plugin_settings(None)) == ["tyonohjaus_plugin.E005"]


@pytest.mark.parametrize(
    "value",
    [
        None,
        {},
        {"BASE_TEMPLATE": "intranet/base.html", "SHOW_SHARE_CONTROL": False},
        {"CLIENT_ADDRESS_META": "HTTP_X_FORWARDED_FOR", "CLIENT_ADDRESS_PROXIES": 2},
    ],
)
def test_e005_silent_on_valid_plugin_settings(settings, value):
    settings.TYONOHJAUS_PLUGIN = value
    assert checks.check_plugin_settings(None) == []


@pytest.mark.parametrize(
    "keys",
    [None, (), [], ["not-a-fernet-key"], [Fernet.generate_key().decode(), "x" * 44], [42]],
)
def test_e009_missing_or_malformed_encryption_key(settings, keys):
    plugin = dict(settings.TYONOHJAUS_PLUGIN)
    if keys is None:
        del plugin["ENCRYPTION_KEYS"]
    else:
        plugin["ENCRYPTION_KEYS"] = keys
    settings.TYONOHJAUS_PLUGIN = plugin
    (error,) = checks.check_encryption_keys(None)
    assert error.id == "tyonohjaus_plugin.E009"
    assert "ENCRYPTION_KEYS" in error.msg
    assert "Fernet.generate_key()" in error.hint
    # It fails start-up: the checks run by manage.py (migrate, qcluster, runserver) report it.
    assert "tyonohjaus_plugin.E009" in ids(run_checks(tags=[checks.TAG]))


def test_e009_names_the_bad_key_by_position_never_by_value(settings):
    good = Fernet.generate_key().decode()
    settings.TYONOHJAUS_PLUGIN = {"ENCRYPTION_KEYS": [good, "secret-but-broken"]}
    (error,) = checks.check_encryption_keys(None)
    assert "key number 2" in error.msg
    assert "secret-but-broken" not in error.msg + error.hint


def test_e009_silent_with_valid_keys(settings):
    settings.TYONOHJAUS_PLUGIN = {
        "ENCRYPTION_KEYS": (Fernet.generate_key().decode(), Fernet.generate_key())
    }
    assert checks.check_encryption_keys(None) == []


@pytest.mark.parametrize("value", ["", None])
def test_w001_admin_base_url_missing(settings, value):
    settings.WAGTAILADMIN_BASE_URL = value
    assert ids(checks.check_admin_base_url(None)) == ["tyonohjaus_plugin.W001"]


def test_w001_silent_with_admin_base_url():
    assert checks.check_admin_base_url(None) == []


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("backend", [LOCMEM, "django.core.cache.backends.dummy.DummyCache"])
def test_w008_rate_limits_in_a_per_process_cache_in_production(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert ids(checks.check_rate_limit_cache(None)) == ["tyonohjaus_plugin.W008"]
    # Django's own runner reports it too (unless the site silences it, as the tests do).
    settings.SILENCED_SYSTEM_CHECKS = []
    assert "tyonohjaus_plugin.W008" in ids(run_checks())


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
    ],
)
def test_w008_silent_on_a_shared_cache(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "tyonohjaus_cache"}}
    assert checks.check_rate_limit_cache(None) == []


def test_w008_silent_in_development(settings):
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": LOCMEM}}
    assert checks.check_rate_limit_cache(None) == []


def test_whole_project_passes_django_system_checks():
    """All checks (Django's, Wagtail's and ours) at warning level, as CI runs them."""
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
