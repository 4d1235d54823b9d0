from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.actions.matching_refused import (
    NO_ROOM,
    NO_TIME,
    NOT_FEASIBLE,
    NOT_MATCHABLE,
    MatchingRefused,
)
from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.matching.engine.feasibility import blockers
from tyonohjaus_plugin.matching.problem import (
    build_single_problem,
    off_round_applications,
    supervisor_key,
)
from tyonohjaus_plugin.models import Supervisor
from tyonohjaus_plugin.permissions import can_run_matching
from tyonohjaus_plugin.scheduling import PlanError
from tyonohjaus_plugin.signals import engagements_confirmed


class ConfirmOffRoundAction(Action):
    """HR gives an application from between rounds (or back on the board after an ended
    engagement, or waitlisted: ``off_round_applications``) a supervisor with a free place.

    The supervisor's row is locked first, so two HR users filling the last place at once are
    served one after the other and the second is refused instead of overbooking.
    """

    log_action = "tyonohjaus_plugin.matching.confirmed_off_round"

    def __init__(self, application, *, user, supervisor_id):
        super().__init__(user=user)
        self.application = application
        self.supervisor_id = supervisor_id

    def check(self):
        if not can_run_matching(self.user):
            raise NotPermitted

    def perform(self):
        supervisor = (
            Supervisor.objects.select_for_update()
            .filter(pk=self.supervisor_id, active=True)
            .first()
        )
        application = (
            off_round_applications().select_for_update().filter(pk=self.application.pk).first()
        )
        if supervisor is None or application is None:
            raise MatchingRefused(NOT_MATCHABLE)
        problem, loads = build_single_problem(application)
        key = supervisor_key(supervisor.pk)
        offer = next(offer for offer in problem.supervisors if offer.id == key)
        unit = problem.applications[0]
        pair = (unit.id, key)
        # An excluded pair (declared conflict, not a good fit) is never confirmed again.
        if blockers(
            unit, offer, forbidden=pair in problem.forbids, conflict=pair in problem.conflicts
        ):
            raise MatchingRefused(NOT_FEASIBLE)
        if loads[key] >= offer.capacity:
            raise MatchingRefused(NO_ROOM)
        try:
            (engagement,) = create_engagements(
                [(application, supervisor.pk)], run=None, user=self.user, now=clock_now()
            )
        except PlanError as exc:  # every slot taken: refuse, roll back, no 500
            raise MatchingRefused(NO_TIME) from exc
        return engagement

    def committed(self, engagement):
        engagements_confirmed.send(sender=Supervisor, engagement_ids=[engagement.pk])
