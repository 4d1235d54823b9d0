"""The plugin's settings: one namespaced ``TYONOHJAUS_PLUGIN`` dict with documented defaults.

Read a value with ``plugin_settings.BASE_TEMPLATE``. Unknown keys in the site's dict are reported by
the system check ``tyonohjaus_plugin.E005`` rather than silently ignored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

SETTING_NAME = "TYONOHJAUS_PLUGIN"

#: Every setting the plugin reads, with its default. Keep the comments: they are the reference docs.
DEFAULTS: dict[str, Any] = {
    # Template the plugin's pages extend. It must define the blocks ``title``, ``content``,
    # ``extra_css`` and ``extra_js`` (as Wagtail's project template does).
    "BASE_TEMPLATE": "base.html",
    # Show the "Share" control (copy the page's canonical URL) on service pages.
    "SHOW_SHARE_CONTROL": True,
    # Feedback answers accepted per browser (client address and session together), and per
    # client address from all its browsers (a proxy's or NAT's ceiling): (count, seconds)
    # windows, kept in the cache (it must be shared by every process: check W008).
    "FEEDBACK_RATE_LIMITS": ((5, 60), (50, 3600)),
    "FEEDBACK_ADDRESS_RATE_LIMITS": ((100, 60), (1000, 3600)),
    # request.META key holding the client's address. Behind proxies, the header they write, e.g.
    # "HTTP_X_FORWARDED_FOR", and in CLIENT_ADDRESS_PROXIES how many trusted proxies append to it
    # (the client is that many entries from the right; what it sent itself is further left).
    "CLIENT_ADDRESS_META": "REMOTE_ADDR",
    "CLIENT_ADDRESS_PROXIES": 1,
    # Dotted path of a function (user) -> {"unit_code", "unit_name", "preferred_language"}.
    "EMPLOYEE_PROFILE_RESOLVER": "tyonohjaus_plugin.applications.profiles.default_profile_resolver",
    # Co-applicants of a small group (besides the applicant) and of a team.
    "GROUP_CO_APPLICANTS": (1, 3),
    "TEAM_CO_APPLICANTS": (1, 15),
    # Application submissions accepted per user: (count, seconds) windows, kept in the cache.
    "APPLICATION_RATE_LIMITS": ((10, 3600),),
    # Days an invitation link to confirm a group or team application stays valid.
    "INVITATION_MAX_AGE_DAYS": 21,
    # Score bonus for each pair of the previous proposal that a re-run keeps. Far above any pair's
    # preference (at most 110 with the default weights), so a re-run moves as few people as
    # possible and only when a pin, forbid or new capacity requires it.
    "MATCHING_KEEP_BONUS": 1000,
    # Start matching a round automatically when it closes (by HR or at its closing time).
    "MATCHING_AUTO_START": True,
    # Meetings planned per engagement (3-5); the matching board's cost estimate uses it too.
    "MEETINGS_PER_ENGAGEMENT": 4,
    # The default meeting plan: local time "HH:MM" (Europe/Helsinki), length, days between
    # meetings, and whether July and Christmas to Epiphany are kept free.
    "MEETING_TIME": "14:00",
    "MEETING_MINUTES": 90,
    "MEETING_INTERVAL_DAYS": 21,
    "SKIP_JULY": True,
    "SKIP_CHRISTMAS": True,
    # Working hours ("HH:MM", "HH:MM", Europe/Helsinki): the default plan puts every meeting inside
    # them, and a move outside them (or to a day off) needs an explicit "allow" on the move form.
    "WORKING_HOURS": ("08:00", "16:00"),
    # Minutes kept free between two meetings of one person (supervisor or participant) when the
    # default plan is made (0-240). Moves are only refused for a real overlap.
    "MEETING_GAP_MINUTES": 15,
    # Days from confirming a match to the first meeting when the round has no programme start.
    "FIRST_MEETING_AFTER_DAYS": 14,
    # The process after a confirm (issue 18): the supervisor first declares any conflict of
    # interest (False: the confirm goes straight on); up to SLOT_PROPOSALS first-meeting times that
    # fit the supervisor's availability are then proposed and the people choose (False: the whole
    # series is planned at once at MEETING_TIME, as before); HR hears when the time is not agreed
    # within SLOT_ANSWER_DAYS.
    "CONFLICT_DECLARATION": True,
    "AGREED_MEETING_TIMES": True,
    "SLOT_PROPOSALS": 3,
    "SLOT_ANSWER_DAYS": 5,
    # Days an external supervisor's access link stays valid (HR can revoke every link sooner).
    "SUPERVISOR_LINK_DAYS": 30,
    # A place freed by a withdrawal, a "not a good fit" or more capacity is offered to the best
    # waiting application: HR confirms in one click, or, when True, it is confirmed at once.
    "WAITING_LIST_AUTO_CONFIRM": False,
    # Reminders: hours before a meeting; hours before a round closes (to co-applicants who have
    # not confirmed); days an application may wait before it shows in HR's daily digest.
    "MEETING_REMINDER_HOURS": 48,
    "ROUND_CLOSING_REMINDER_HOURS": 48,
    "HR_DIGEST_WAITING_DAYS": 7,
    # Calendar alarm in the .ics invitations, minutes before the meeting (0: none).
    "ICS_ALARM_MINUTES": 30,
    # Days an end-evaluation link stays valid.
    "EVALUATION_MAX_AGE_DAYS": 60,
    # Seconds after which a message still "sending" counts as lost with its worker (reopened,
    # or flagged "uncertain"). Keep it above Q_CLUSTER's timeout (check W007).
    "OUTBOX_STALE_AFTER_SECONDS": 300,
    # Seconds a message waits after a failed attempt (the mail server down or refusing), so an
    # outage does not use up its attempts (5) at once.
    "OUTBOX_RETRY_AFTER_SECONDS": 120,
    # Sending scales with workers: the sweep queues one send task per OUTBOX_BATCH_SIZE due
    # messages, at most OUTBOX_MAX_SEND_TASKS (about the workers of all clusters together); a
    # task that finds a full batch queues the next one, so any worker of any cluster continues.
    # OUTBOX_SEND_THREADS > 1 sends a task's batch over that many threads, each with its own
    # database and SMTP connection (PostgreSQL): more messages a second from one worker when the
    # mail server is slow, but a killed worker then leaves one message in doubt (possibly sent
    # twice) per thread instead of one in all (RELIABILITY §1.2), and the database needs that
    # many more connections per worker. Add workers first; threads only for a slow mail server.
    "OUTBOX_BATCH_SIZE": 100,
    "OUTBOX_MAX_SEND_TASKS": 8,
    "OUTBOX_SEND_THREADS": 1,
    # /readyz (tyonohjaus_plugin.health.HealthMiddleware) fails when no qcluster's scheduler has
    # run within this many minutes; 0 leaves the workers out of the web's readiness.
    "READINESS_CLUSTER_MINUTES": 5,
    # Retention (days), per data class; the retention job (hourly, ``manage.py
    # tyonohjaus_retention``) anonymises what is due. An application's clock starts when it ends:
    # completed, withdrawn or rejected (its last status change), or left unmatched once its round
    # is matched or archived, and never before its round's programme ends. Free text: the answers
    # and HR's note. Evaluation comments: the end evaluation's free comment (the score stays).
    # Identities: the links to people (applicant, members, engagement participants), their
    # messages in the outbox, and the unit unless it had at least five applicants in the round.
    # Feedback comments: from the day given. Audit log: the plugin's log entries and its finished
    # background-task records, from their time. Free text and comments must go no later than the
    # identities, the audit log no later either (check E010).
    "RETENTION_FREE_TEXT_DAYS": 180,
    "RETENTION_EVALUATION_COMMENT_DAYS": 180,
    "RETENTION_IDENTITY_DAYS": 365,
    "RETENTION_FEEDBACK_COMMENT_DAYS": 365,
    "RETENTION_AUDIT_LOG_DAYS": 90,
    # Applications the retention job anonymises per transaction: each is whole or untouched
    # after a killed worker whatever the size; larger batches are faster, smaller hold locks
    # for less time.
    "RETENTION_BATCH_SIZE": 50,
    # Fernet keys (url-safe base64, ``Fernet.generate_key()``) that encrypt the free-text answers,
    # HR's notes and evaluation comments in the database (core/encryption.py). The first key
    # encrypts, every key decrypts: to rotate, put a new key first, restart, run
    # ``manage.py tyonohjaus_reencrypt``, then remove the old key. Required (check E009); never
    # derived from SECRET_KEY. Losing every key loses those texts: back the keys up apart from
    # the database backups.
    "ENCRYPTION_KEYS": (),
}

#: Expected Python type of each setting, checked by ``tyonohjaus_plugin.E005``.
TYPES: dict[str, type | tuple[type, ...]] = {
    "BASE_TEMPLATE": str,
    "SHOW_SHARE_CONTROL": bool,
    "FEEDBACK_RATE_LIMITS": (list, tuple),
    "FEEDBACK_ADDRESS_RATE_LIMITS": (list, tuple),
    "CLIENT_ADDRESS_META": str,
    "CLIENT_ADDRESS_PROXIES": int,
    "EMPLOYEE_PROFILE_RESOLVER": str,
    "GROUP_CO_APPLICANTS": (list, tuple),
    "TEAM_CO_APPLICANTS": (list, tuple),
    "APPLICATION_RATE_LIMITS": (list, tuple),
    "INVITATION_MAX_AGE_DAYS": int,
    "CONFLICT_DECLARATION": bool,
    "AGREED_MEETING_TIMES": bool,
    "SLOT_PROPOSALS": int,
    "SLOT_ANSWER_DAYS": int,
    "SUPERVISOR_LINK_DAYS": int,
    "WAITING_LIST_AUTO_CONFIRM": bool,
    "MATCHING_KEEP_BONUS": int,
    "MATCHING_AUTO_START": bool,
    "MEETINGS_PER_ENGAGEMENT": int,
    "MEETING_TIME": str,
    "MEETING_MINUTES": int,
    "MEETING_INTERVAL_DAYS": int,
    "SKIP_JULY": bool,
    "SKIP_CHRISTMAS": bool,
    "WORKING_HOURS": (list, tuple),
    "MEETING_GAP_MINUTES": int,
    "FIRST_MEETING_AFTER_DAYS": int,
    "MEETING_REMINDER_HOURS": int,
    "ROUND_CLOSING_REMINDER_HOURS": int,
    "HR_DIGEST_WAITING_DAYS": int,
    "ICS_ALARM_MINUTES": int,
    "EVALUATION_MAX_AGE_DAYS": int,
    "OUTBOX_STALE_AFTER_SECONDS": int,
    "OUTBOX_RETRY_AFTER_SECONDS": int,
    "OUTBOX_BATCH_SIZE": int,
    "OUTBOX_MAX_SEND_TASKS": int,
    "OUTBOX_SEND_THREADS": int,
    "READINESS_CLUSTER_MINUTES": int,
    "RETENTION_FREE_TEXT_DAYS": int,
    "RETENTION_EVALUATION_COMMENT_DAYS": int,
    "RETENTION_IDENTITY_DAYS": int,
    "RETENTION_FEEDBACK_COMMENT_DAYS": int,
    "RETENTION_AUDIT_LOG_DAYS": int,
    "RETENTION_BATCH_SIZE": int,
    "ENCRYPTION_KEYS": (list, tuple),
}


class PluginSettings:
    """Attribute access to the merged settings; unknown names raise ``AttributeError``."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] | None = None

    @property
    def user_settings(self) -> dict[str, Any]:
        return dict(getattr(settings, SETTING_NAME, None) or {})

    def unknown_keys(self) -> list[str]:
        return sorted(set(self.user_settings) - set(DEFAULTS))

    def _merged(self) -> dict[str, Any]:
        if self._cache is None:
            self._cache = {**DEFAULTS, **self.user_settings}
        return self._cache

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown {SETTING_NAME} setting: {name!r}")
        return self._merged()[name]

    def reload(self) -> None:
        self._cache = None


plugin_settings = PluginSettings()


def meeting_plan_rules():
    """The meeting plan rules (``scheduling.PlanRules``) from the settings. Raises ``PlanError``,
    ``ValueError`` or ``TypeError`` on a bad value; the system check ``tyonohjaus_plugin.E008``
    reports it at start-up."""
    from datetime import time

    from tyonohjaus_plugin.scheduling import PlanRules

    day_starts, day_ends = plugin_settings.WORKING_HOURS
    return PlanRules(
        meetings=plugin_settings.MEETINGS_PER_ENGAGEMENT,
        interval_days=plugin_settings.MEETING_INTERVAL_DAYS,
        duration_minutes=plugin_settings.MEETING_MINUTES,
        skip_july=plugin_settings.SKIP_JULY,
        skip_christmas=plugin_settings.SKIP_CHRISTMAS,
        day_starts=time.fromisoformat(day_starts),
        day_ends=time.fromisoformat(day_ends),
        gap_minutes=plugin_settings.MEETING_GAP_MINUTES,
    )


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        plugin_settings.reload()


setting_changed.connect(_reload, dispatch_uid="tyonohjaus_plugin.conf.reload")
