"""HR (or the schedule after a round closes) starts a matching run."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import MatchRun, MatchRunState
from tyonohjaus_plugin.models.matching import ACTIVE_RUN_STATES
from tyonohjaus_plugin.permissions import can_run_matching

#: A run queued or running longer than this was lost (worker killed): it is marked failed so
#: that the round can be matched again. Far above django-q2's task timeout.
STALE_AFTER = datetime.timedelta(minutes=30)


class MatchingAlreadyRunning(ActionRefused):
    """Another run of the round is queued or running."""

    default_message = _("Matching is running for this round. Wait for it to finish.")


class StartMatchRunAction(Action):
    """Queue a matching run of ``round``: one at a time per round (a partial unique constraint).

    ``user`` is None when the schedule starts it after the round closes.
    """

    log_action = "tyonohjaus_plugin.matching.started"

    def __init__(self, round, *, user=None):
        super().__init__(user=user)
        self.round = round

    def check(self):
        if self.user is not None and not can_run_matching(self.user):
            raise NotPermitted

    def perform(self) -> MatchRun:
        now = timezone.now()
        MatchRun.objects.filter(
            round=self.round, state__in=ACTIVE_RUN_STATES, created_at__lt=now - STALE_AFTER
        ).update(state=MatchRunState.FAILED, finished_at=now, error="stale")
        try:
            with transaction.atomic():
                return MatchRun.objects.create(round=self.round, started_by=self.user)
        except IntegrityError:
            raise MatchingAlreadyRunning("running") from None

    def committed(self, run):
        _enqueue(run.pk)


def _enqueue(run_id):
    enqueue("tyonohjaus_plugin.tasks.run_matching_task", run_id)
