"""The retention job: anonymise what the policy says is due (``privacy.policy``).

Not one transaction: applications are anonymised a few at a time, each batch in its own
transaction (``anonymise_applications``), so a run killed midway leaves each application either
done or untouched, and the next run finishes the rest. A run that changed something gets one
``AnonymisationRun`` and one audit entry with its counts; a run with nothing due writes nothing
(running it again changes 0 rows).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.jobs import finished_tasks
from tyonohjaus_plugin.log_actions import ANONYMISED, PERSON_ERASED
from tyonohjaus_plugin.models import AnonymisationRun, AnonymisationTrigger
from tyonohjaus_plugin.privacy import policy
from tyonohjaus_plugin.privacy.anonymise import EMPTY_FREE_TEXT, anonymise_applications

logger = logging.getLogger("tyonohjaus_plugin.retention")

#: Rows per UPDATE of the bulk steps (free text, comments).
BATCH = 500

COUNT_KEYS = (
    "free_text",
    "identities",
    "evaluation_comments",
    "feedback_comments",
    "audit_log_entries",
    "task_records",
)


#: The record of data protection itself stays: counts and ids only, and the proof that an
#: anonymisation or an erasure happened.
KEPT_ACTIONS = (ANONYMISED, PERSON_ERASED)


def _audit_entries(now):
    return ModelLogEntry.objects.filter(
        action__startswith="tyonohjaus_plugin.", timestamp__lt=policy.audit_log_cutoff(now)
    ).exclude(action__in=KEPT_ACTIONS)


def due_counts(now) -> dict[str, int]:
    """What a run at ``now`` would change (``--dry-run``; the dashboard)."""
    counts = policy.next_run_counts(now)
    counts["audit_log_entries"] = _audit_entries(now).count()
    counts["task_records"] = finished_tasks(policy.audit_log_cutoff(now)).count()
    return {key: counts[key] for key in COUNT_KEYS}


def _in_batches(queryset, update) -> int:
    changed = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return changed
        changed += queryset.model.objects.filter(pk__in=ids).update(**update)


def run_retention(now=None, *, trigger=AnonymisationTrigger.SCHEDULE, user=None) -> dict:
    """Apply the policy at ``now`` (default: the present). Returns the counts per data class."""
    now = now or timezone.now()
    started = timezone.now()
    counts = dict.fromkeys(COUNT_KEYS, 0)
    # Identities first: anonymising empties the free text too, so the next step counts only
    # applications that keep their people a while longer.
    due = list(policy.identity_due(now).order_by("pk").values_list("pk", flat=True))
    size = plugin_settings.RETENTION_BATCH_SIZE
    for start in range(0, len(due), size):
        counts["identities"] += anonymise_applications(due[start : start + size], now)
    counts["free_text"] = _in_batches(policy.free_text_due(now), EMPTY_FREE_TEXT)
    # Part of the application's free text (counted with it, as its applications are).
    _in_batches(policy.first_meeting_comments_due(now), {"comment": ""})
    counts["free_text"] += _in_batches(policy.agreement_goals_due(now), {"goals": ""})
    counts["evaluation_comments"] = _in_batches(
        policy.evaluation_comments_due(now), {"comment": ""}
    )
    counts["feedback_comments"] = _in_batches(policy.feedback_comments_due(now), {"comment": ""})
    counts["audit_log_entries"], _ = _audit_entries(now).delete()
    counts["task_records"], _ = finished_tasks(policy.audit_log_cutoff(now)).delete()
    if any(counts.values()):
        with transaction.atomic():
            run = AnonymisationRun.objects.create(
                trigger=trigger,
                started_at=started,
                finished_at=timezone.now(),
                policy_now=now,
                counts=counts,
            )
            log(instance=run, action=ANONYMISED, user=user, data=counts)
        logger.info("Retention run #%s: %s", run.pk, counts)
    return counts
