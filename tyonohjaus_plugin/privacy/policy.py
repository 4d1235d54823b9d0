"""The retention policy: when each data class of an application falls due for removal.

An application's clock starts when it has ended: completed, withdrawn or rejected (its last
status change), or left unmatched once its round is matched or archived; never before its
round's programme has ended (nor, without a programme end, before the round closed). Matched and
in-progress applications are never due. The periods are settings (``conf.DEFAULTS``).
"""

from __future__ import annotations

import datetime
import operator
from functools import reduce

from django.db.models import Q
from django.utils import timezone

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.encryption import encrypted_field_names
from tyonohjaus_plugin.models import (
    Agreement,
    Application,
    EvaluationAnswer,
    FeedbackResponse,
    FirstMeetingAnswer,
)
from tyonohjaus_plugin.models.workflow import DONE_ROUND_STATES, ENDED_STATUSES, UNMATCHED_STATUSES

#: A unit is kept in the statistics only where at least this many applied in the round.
UNIT_MIN_APPLICANTS = 5


def free_text_days() -> int:
    return plugin_settings.RETENTION_FREE_TEXT_DAYS


def identity_days() -> int:
    return plugin_settings.RETENTION_IDENTITY_DAYS


def ended_before(cutoff: datetime.datetime) -> Q:
    """Applications that ended no later than ``cutoff`` (see the module's rule)."""
    cutoff_day = timezone.localdate(cutoff)
    ended = Q(status__in=ENDED_STATUSES) | Q(
        status__in=UNMATCHED_STATUSES, round__state__in=DONE_ROUND_STATES
    )
    changed = Q(status_changed_at__lte=cutoff) | Q(
        status_changed_at__isnull=True, submitted_at__lte=cutoff
    )
    round_done = (
        Q(round__isnull=True)
        | Q(round__programme_ends_on__lt=cutoff_day)
        | Q(round__programme_ends_on__isnull=True, round__closes_at__lte=cutoff)
    )
    return ended & changed & round_done


def cutoff(days: int, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


#: The application's free text (the answers and HR's note): exactly its encrypted fields.
FREE_TEXT_FIELDS = tuple(encrypted_field_names(Application))


def has_free_text() -> Q:
    # Encrypted columns keep "" as "": emptiness is checkable in SQL.
    return reduce(operator.or_, (~Q(**{name: ""}) for name in FREE_TEXT_FIELDS))


def free_text_due(now):
    """Applications whose answers and HR note are due to be emptied."""
    return Application.objects.filter(ended_before(cutoff(free_text_days(), now))).filter(
        has_free_text()
    )


def agreement_goals_due(now):
    """Agreements whose goals (free text the people wrote) go with the application's answers."""
    ended = Application.objects.filter(ended_before(cutoff(free_text_days(), now)))
    return Agreement.objects.filter(engagement__application__in=ended).exclude(goals="")


def identity_due(now):
    """Applications due to be anonymised (people detached); not yet anonymised."""
    return Application.objects.filter(
        ended_before(cutoff(identity_days(), now)), anonymised_at__isnull=True
    )


def first_meeting_comments_due(now):
    """Comments after the first meeting: free text about the application, emptied with its
    answers (on the free-text date)."""
    ended = Application.objects.filter(ended_before(cutoff(free_text_days(), now)))
    return FirstMeetingAnswer.objects.filter(engagement__application__in=ended).exclude(comment="")


def evaluation_comments_due(now):
    days = plugin_settings.RETENTION_EVALUATION_COMMENT_DAYS
    ended = Application.objects.filter(ended_before(cutoff(days, now)))
    return EvaluationAnswer.objects.filter(engagement__application__in=ended).exclude(comment="")


def feedback_comments_due(now):
    day = timezone.localdate(cutoff(plugin_settings.RETENTION_FEEDBACK_COMMENT_DAYS, now))
    return FeedbackResponse.objects.filter(created_on__lt=day).exclude(comment="")


def audit_log_cutoff(now) -> datetime.datetime:
    return cutoff(plugin_settings.RETENTION_AUDIT_LOG_DAYS, now)


def next_run_counts(now=None) -> dict[str, int]:
    """What the next run would change, counted as the run counts it (an application anonymised
    loses its free text and comments too and is counted once, as anonymised)."""
    now = now or timezone.now()
    anonymised = identity_due(now)
    return {
        # The applications' answers and the agreements' goals: one data class.
        "free_text": free_text_due(now).exclude(pk__in=anonymised.values("pk")).count()
        + agreement_goals_due(now)
        .exclude(engagement__application__in=anonymised.values("pk"))
        .count(),
        "identities": anonymised.count(),
        "evaluation_comments": evaluation_comments_due(now)
        .exclude(engagement__application__in=anonymised.values("pk"))
        .count(),
        "feedback_comments": feedback_comments_due(now).count(),
    }
