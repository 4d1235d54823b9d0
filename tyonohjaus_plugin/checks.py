"""System checks for configuration mistakes that would break the plugin's guarantees.

Ids are stable: ``tyonohjaus_plugin.E001`` … for errors, ``tyonohjaus_plugin.W001`` … for warnings.
Each has a test that feeds it a bad configuration (tests/test_checks.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.checks import Error, Warning, register
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from tyonohjaus_plugin.conf import (
    DEFAULTS,
    SETTING_NAME,
    TYPES,
    meeting_plan_rules,
    plugin_settings,
)
from tyonohjaus_plugin.core.encryption import GENERATE_KEY_HINT, key_problem

TAG = "tyonohjaus_plugin"

# Brokers other than the ORM and Redis; their keys in Q_CLUSTER pick them (see django_q.brokers).
_OTHER_BROKER_KEYS = ("sqs", "iron_mq", "mongo", "disque")


def _installed(app: str) -> bool:
    return any(
        entry == app or entry.startswith(app + ".apps.") for entry in settings.INSTALLED_APPS
    )


@register(TAG)
def check_time_zone(app_configs, **kwargs):
    if not settings.USE_TZ:
        return [
            Error(
                "USE_TZ is False.",
                hint="Rounds close and meetings are planned at exact instants: set USE_TZ = True.",
                id="tyonohjaus_plugin.E001",
            )
        ]
    return []


@register(TAG)
def check_i18n(app_configs, **kwargs):
    errors = []
    if not _installed("wagtail_localize"):
        errors.append(
            Error(
                "wagtail_localize is not in INSTALLED_APPS.",
                hint="Service pages and snippets are translated with wagtail-localize.",
                id="tyonohjaus_plugin.E004",
            )
        )
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        errors.append(
            Error(
                "WAGTAIL_I18N_ENABLED is not True.",
                hint="Set WAGTAIL_I18N_ENABLED = True and list the languages in "
                "WAGTAIL_CONTENT_LANGUAGES.",
                id="tyonohjaus_plugin.E006",
            )
        )
    return errors


@register(TAG)
def check_plugin_settings(app_configs, **kwargs):
    value = getattr(settings, SETTING_NAME, None)
    if value is None:
        return []
    if not isinstance(value, dict):
        return [
            Error(
                f"{SETTING_NAME} must be a dict.",
                id="tyonohjaus_plugin.E005",
            )
        ]
    errors = []
    for key in sorted(set(value) - set(DEFAULTS)):
        errors.append(
            Error(
                f"Unknown key {key!r} in {SETTING_NAME}.",
                hint="Known keys: " + ", ".join(sorted(DEFAULTS)) + ".",
                obj=SETTING_NAME,
                id="tyonohjaus_plugin.E005",
            )
        )
    for key, expected in TYPES.items():
        if key in value and not isinstance(value[key], expected):
            errors.append(
                Error(
                    f"{SETTING_NAME}[{key!r}] has the wrong type.",
                    hint=f"Expected {getattr(expected, '__name__', expected)}; "
                    f"the default is {DEFAULTS[key]!r}.",
                    obj=SETTING_NAME,
                    id="tyonohjaus_plugin.E005",
                )
            )
    for key in ("FEEDBACK_RATE_LIMITS", "FEEDBACK_ADDRESS_RATE_LIMITS"):
        limits = value.get(key)
        if isinstance(limits, list | tuple) and not all(
            isinstance(limit, list | tuple)
            and len(limit) == 2
            and all(isinstance(number, int) and number > 0 for number in limit)
            for limit in limits
        ):
            errors.append(
                Error(
                    f"{SETTING_NAME}[{key!r}] must be pairs of positive integers.",
                    hint="For example ((5, 60), (50, 3600)): 5 answers a minute, 50 an hour.",
                    obj=SETTING_NAME,
                    id="tyonohjaus_plugin.E005",
                )
            )
    for key, low, high in (
        ("MEETINGS_PER_ENGAGEMENT", 3, 5),
        ("MATCHING_KEEP_BONUS", 0, None),
        ("CLIENT_ADDRESS_PROXIES", 1, None),
        ("OUTBOX_BATCH_SIZE", 1, None),
        ("OUTBOX_MAX_SEND_TASKS", 1, None),
        ("OUTBOX_SEND_THREADS", 1, 32),
        ("OUTBOX_RETRY_AFTER_SECONDS", 1, None),
        ("READINESS_CLUSTER_MINUTES", 0, None),
        ("RETENTION_BATCH_SIZE", 1, 500),
    ):
        number = value.get(key)
        if isinstance(number, int) and (number < low or (high is not None and number > high)):
            errors.append(
                Error(
                    f"{SETTING_NAME}[{key!r}] is out of range.",
                    hint=f"Allowed: {low}" + (f" to {high}." if high else " or more."),
                    obj=SETTING_NAME,
                    id="tyonohjaus_plugin.E005",
                )
            )
    return errors


@register(TAG)
def check_meeting_plan(app_configs, **kwargs):
    """The meeting plan settings make a valid rule set, and the default time fits the day."""
    from datetime import time

    from tyonohjaus_plugin.scheduling import PlanError

    keys = (
        "MEETING_TIME, MEETING_MINUTES, MEETING_INTERVAL_DAYS, WORKING_HOURS, MEETING_GAP_MINUTES"
    )
    try:
        rules, at = meeting_plan_rules(), time.fromisoformat(plugin_settings.MEETING_TIME)
    except (PlanError, ValueError, TypeError) as exc:
        return [
            Error(
                f"{SETTING_NAME}: the meeting plan settings are invalid: {exc}.",
                hint=f"Check {keys}: times as 'HH:MM', WORKING_HOURS a (start, end) pair that "
                "fits a meeting, gap 0-240 minutes.",
                obj=SETTING_NAME,
                id="tyonohjaus_plugin.E008",
            )
        ]
    start = at.hour * 60 + at.minute
    if not (
        rules.day_starts <= at
        and start + rules.duration_minutes <= rules.day_ends.hour * 60 + rules.day_ends.minute
    ):
        return [
            Error(
                f"{SETTING_NAME}['MEETING_TIME'] does not fit inside WORKING_HOURS.",
                hint="The default meeting time and its length must lie within the working day.",
                obj=SETTING_NAME,
                id="tyonohjaus_plugin.E008",
            )
        ]
    return []


@register(TAG)
def check_encryption_keys(app_configs, **kwargs):
    """The free text is encrypted at rest: without a valid key nothing could be read or saved,
    so start-up (migrate, qcluster, runserver, check) fails instead."""
    keys = plugin_settings.ENCRYPTION_KEYS
    if keys and not isinstance(keys, list | tuple):
        return []  # E005 reports the type
    problem = key_problem(keys)
    if problem:
        return [
            Error(
                problem,
                hint=f"{GENERATE_KEY_HINT}, and list it in {SETTING_NAME}['ENCRYPTION_KEYS'] "
                "(the example site: TYONOHJAUS_ENCRYPTION_KEYS). Keep the keys apart from the "
                "database backups: without them the encrypted text cannot be read.",
                obj=SETTING_NAME,
                id="tyonohjaus_plugin.E009",
            )
        ]
    return []


@register(TAG, "urls")
def check_urls(app_configs, **kwargs):
    try:
        reverse("tyonohjaus_plugin:submit_feedback", args=[1])
    except NoReverseMatch:
        return [
            Error(
                "The plugin's URLs are not included.",
                hint='Add path("hr/", include("tyonohjaus_plugin.urls")) inside i18n_patterns().',
                id="tyonohjaus_plugin.E007",
            )
        ]
    return []


@register(TAG)
def check_admin_base_url(app_configs, **kwargs):
    if not getattr(settings, "WAGTAILADMIN_BASE_URL", ""):
        return [
            Warning(
                "WAGTAILADMIN_BASE_URL is not set.",
                hint="E-mails sent by background jobs need it to build absolute links.",
                id="tyonohjaus_plugin.W001",
            )
        ]
    return []


@register(TAG)
def check_q_cluster(app_configs, **kwargs):
    """django-q2 settings that keep jobs bounded and reminders single (RELIABILITY §1)."""
    if not _installed("django_q"):
        return [
            Error(
                "django_q is not in INSTALLED_APPS.",
                hint="Matching and reminders run as django-q2 tasks: add 'django_q'.",
                id="tyonohjaus_plugin.E002",
            )
        ]
    conf = getattr(settings, "Q_CLUSTER", None) or {}
    messages = []
    timeout = conf.get("timeout")
    retry = conf.get("retry", 60)  # django-q2's default
    if timeout is None:
        messages.append(
            Warning(
                "Q_CLUSTER has no 'timeout': a stuck task would hold a worker forever.",
                hint="Set a bounded timeout, e.g. 120 seconds.",
                id="tyonohjaus_plugin.W002",
            )
        )
    elif retry <= timeout:
        messages.append(
            Error(
                "Q_CLUSTER 'retry' is not greater than 'timeout'.",
                hint="A task still running after 'retry' seconds is handed out a second time. "
                "Set retry >= timeout + 60.",
                id="tyonohjaus_plugin.E003",
            )
        )
    elif retry < timeout + 60:
        messages.append(
            Warning(
                "Q_CLUSTER 'retry' is less than 60 seconds above 'timeout'.",
                hint="Leave a margin so that a slow task is not handed out again: "
                "retry >= timeout + 60.",
                id="tyonohjaus_plugin.W006",
            )
        )
    max_attempts = conf.get("max_attempts", 0)
    if not max_attempts or max_attempts > 5:
        messages.append(
            Warning(
                "Q_CLUSTER 'max_attempts' is unlimited or above 5.",
                hint="A task that kills its worker would be retried forever; use 3 to 5.",
                id="tyonohjaus_plugin.W003",
            )
        )
    if conf.get("catch_up", True):
        messages.append(
            Warning(
                "Q_CLUSTER 'catch_up' is not False.",
                hint="After downtime every missed schedule run would be replayed; the plugin's "
                "sweeps pick up due work themselves. Set catch_up = False.",
                id="tyonohjaus_plugin.W004",
            )
        )
    if "orm" not in conf and not any(key in conf for key in _OTHER_BROKER_KEYS):
        messages.append(
            Warning(
                "django-q2 uses the Redis broker, which delivers at most once.",
                hint="Tasks in flight are lost if a worker dies; the plugin's sweeps recover due "
                "work from the database. Silence this check if you accept that, or use the ORM "
                "broker ('orm': 'default').",
                id="tyonohjaus_plugin.W005",
            )
        )
    stale = plugin_settings.OUTBOX_STALE_AFTER_SECONDS
    if timeout is not None and isinstance(stale, int) and stale <= timeout:
        messages.append(
            Warning(
                "TYONOHJAUS_PLUGIN['OUTBOX_STALE_AFTER_SECONDS'] is not above Q_CLUSTER 'timeout'.",
                hint="A message claimed by a task that is still running could be reopened and "
                "sent twice; django-q2 stops a task at its timeout, so wait longer than that.",
                id="tyonohjaus_plugin.W007",
            )
        )
    return messages


# Caches that each process keeps for itself (or that keep nothing).
_UNSHARED_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(TAG, "caches")
def check_rate_limit_cache(app_configs, **kwargs):
    """The rate limits count in the default cache: in production it must be one that every
    process shares, or each worker counts for itself (or nothing is counted at all)."""
    if settings.DEBUG:
        return []
    backend = (getattr(settings, "CACHES", {}).get(DEFAULT_CACHE_ALIAS) or {}).get("BACKEND", "")
    try:
        cls = import_string(backend)
    except ImportError:
        return []  # Django's own cache checks report a backend that does not import
    unshared = tuple(import_string(path) for path in _UNSHARED_CACHES)
    if issubclass(cls, unshared):
        return [
            Warning(
                f"The rate limits count in the {DEFAULT_CACHE_ALIAS!r} cache, {cls.__name__}, "
                "which the server's processes do not share.",
                hint="Each process would count on its own, so the limits would multiply by the "
                "number of processes (or not hold at all). Use a shared cache in production: "
                "Redis, Memcached or the database cache.",
                obj="CACHES",
                id="tyonohjaus_plugin.W008",
            )
        ]
    return []


@register(TAG)
def check_retention_policy(app_configs, **kwargs):
    """The retention periods make one policy: nothing outlives the identity it describes."""
    days = {
        key: getattr(plugin_settings, key)
        for key in (
            "RETENTION_FREE_TEXT_DAYS",
            "RETENTION_EVALUATION_COMMENT_DAYS",
            "RETENTION_IDENTITY_DAYS",
            "RETENTION_FEEDBACK_COMMENT_DAYS",
            "RETENTION_AUDIT_LOG_DAYS",
        )
    }
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in days.values()):
        return []  # E005 reports the type
    errors = [
        Error(
            f"{SETTING_NAME}[{key!r}] must be at least 1 day.",
            hint="Retention periods are whole days; 1 anonymises the day after the data ends.",
            obj=SETTING_NAME,
            id="tyonohjaus_plugin.E010",
        )
        for key, value in days.items()
        if value < 1
    ]
    identity = days["RETENTION_IDENTITY_DAYS"]
    for key in (
        "RETENTION_FREE_TEXT_DAYS",
        "RETENTION_EVALUATION_COMMENT_DAYS",
        "RETENTION_AUDIT_LOG_DAYS",
    ):
        if days[key] > identity:
            errors.append(
                Error(
                    f"{SETTING_NAME}[{key!r}] ({days[key]}) is longer than "
                    f"RETENTION_IDENTITY_DAYS ({identity}).",
                    hint="Once the people are detached, free text and log entries about them "
                    "could no longer be found for a subject access request or an erasure: "
                    "keep them no longer than the identities.",
                    obj=SETTING_NAME,
                    id="tyonohjaus_plugin.E010",
                )
            )
    return errors
