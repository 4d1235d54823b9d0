import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from tyonohjaus_plugin.models import MatchRun, MatchRunState
from tyonohjaus_plugin.models.matching import ACTIVE_RUN_STATES
from tyonohjaus_plugin.permissions import can_run_matching

#: A run queued or running longer than this was lost (worker killed): it is marked failed so
#: that the round can be matched again. Far above django-q2's task timeout.
STALE_AFTER = datetime.timedelta(minutes=30)


class MatchingAlreadyRunning(Exception):
    """Another run of the round is queued or running."""


class StartMatchRunAction:
    """Queue a matching run of ``round``: one at a time per round (a partial unique constraint).

    ``user`` is None when the schedule starts it after the round closes.
    """

    def __init__(self, round, *, user=None):
        self.round = round
        self.user = user

    def check(self):
        if self.user is not None and not can_run_matching(self.user):
            raise PermissionDenied

    def execute(self) -> MatchRun:
        self.check()
        now = timezone.now()
        with transaction.atomic():
            MatchRun.objects.filter(
                round=self.round, state__in=ACTIVE_RUN_STATES, created_at__lt=now - STALE_AFTER
            ).update(state=MatchRunState.FAILED, finished_at=now, error="stale")
            try:
                with transaction.atomic():
                    run = MatchRun.objects.create(round=self.round, started_by=self.user)
            except IntegrityError:
                raise MatchingAlreadyRunning from None
            log(instance=run, action="tyonohjaus_plugin.matching.started", user=self.user)
            transaction.on_commit(lambda: _enqueue(run.pk))
        return run


def _enqueue(run_id):
    from tyonohjaus_plugin.jobs import enqueue

    enqueue("tyonohjaus_plugin.tasks.run_matching_task", run_id)
