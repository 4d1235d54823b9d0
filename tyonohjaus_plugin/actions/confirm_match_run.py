from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.actions.matching_refused import (
    NO_TIME,
    NOT_DONE,
    RUNNING,
    SUPERSEDED,
    MatchingRefused,
)
from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import Application, MatchRun, MatchRunState
from tyonohjaus_plugin.models.matching import ACTIVE_RUN_STATES
from tyonohjaus_plugin.permissions import can_run_matching
from tyonohjaus_plugin.scheduling import PlanError
from tyonohjaus_plugin.signals import engagements_confirmed


class ConfirmMatchRunAction(Action):
    """HR confirms the proposal of a round's latest run, whole or a selection of applications.

    check → lock the run and the applications → engagements, statuses, events → audit log →
    signal after commit. Applications that stopped waiting meanwhile (withdrawn, matched
    off the board) are skipped and counted, never overwritten.
    """

    log_action = "tyonohjaus_plugin.matching.confirmed"

    def __init__(self, run, *, user, application_ids=None):
        super().__init__(user=user)
        self.run = run
        self.application_ids = application_ids

    def check(self):
        if not can_run_matching(self.user):
            raise NotPermitted

    def perform(self) -> dict:
        run = MatchRun.objects.select_for_update().get(pk=self.run.pk)
        if run.state != MatchRunState.DONE:
            raise MatchingRefused(NOT_DONE)
        newer = MatchRun.objects.filter(round_id=run.round_id, created_at__gt=run.created_at)
        if newer.filter(state__in=ACTIVE_RUN_STATES).exists():
            raise MatchingRefused(RUNNING)
        if newer.filter(state=MatchRunState.DONE).exists():
            raise MatchingRefused(SUPERSEDED)
        proposals = dict(run.proposals.values_list("application_id", "supervisor_id"))
        wanted = set(proposals)
        if self.application_ids is not None:
            wanted &= set(self.application_ids)
        applications = list(
            Application.objects.select_for_update()
            .waiting()
            .filter(pk__in=wanted, round_id=run.round_id)
            .order_by("pk")
        )
        now = clock_now()
        try:
            engagements = create_engagements(
                [(application, proposals[application.pk]) for application in applications],
                run=run,
                user=self.user,
                now=now,
            )
        except PlanError as exc:  # every slot taken: refuse, roll back, no 500
            raise MatchingRefused(NO_TIME) from exc
        outcome = {"confirmed": len(engagements), "skipped": len(wanted) - len(engagements)}
        self.run = run
        self.engagement_ids = [engagement.pk for engagement in engagements]
        return outcome

    def log_entry(self, outcome):
        return self.run, outcome

    def committed(self, outcome):
        engagements_confirmed.send(sender=MatchRun, engagement_ids=self.engagement_ids)
