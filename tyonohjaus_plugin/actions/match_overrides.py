from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.actions.matching_refused import (
    NO_ROOM,
    NOT_FEASIBLE,
    NOT_MATCHABLE,
    MatchingRefused,
)
from tyonohjaus_plugin.matching.engine.feasibility import blockers
from tyonohjaus_plugin.matching.problem import (
    build_application_problem,
    matchable_applications,
    supervisor_key,
)
from tyonohjaus_plugin.models import MatchOverride, OverrideKind, Supervisor
from tyonohjaus_plugin.permissions import can_run_matching

LOG_ACTIONS = {
    OverrideKind.PIN: "tyonohjaus_plugin.matching.pinned",
    OverrideKind.FORBID: "tyonohjaus_plugin.matching.forbidden",
}


class SetMatchOverrideAction(Action):
    """HR pins (the next run must propose this pair) or forbids (never) a pair in a round.

    A pin replaces the application's earlier pin and must itself be feasible and fit the
    supervisor's places left; a forbid replaces a pin on the same pair.
    """

    def __init__(self, round, *, user, application_id, supervisor_id, kind):
        super().__init__(user=user)
        self.log_action = LOG_ACTIONS[kind]
        self.round = round
        self.application_id = application_id
        self.supervisor_id = supervisor_id
        self.kind = kind

    def check(self):
        if not can_run_matching(self.user):
            raise NotPermitted

    def perform(self) -> MatchOverride:
        application = (
            matchable_applications(self.round)
            .select_for_update()
            .filter(pk=self.application_id)
            .first()
        )
        supervisor = Supervisor.objects.filter(pk=self.supervisor_id, active=True).first()
        if application is None or supervisor is None:
            raise MatchingRefused(NOT_MATCHABLE)
        if self.kind == OverrideKind.PIN:
            self._check_pin(application, supervisor)
            MatchOverride.objects.filter(
                round=self.round, application=application, kind=OverrideKind.PIN
            ).exclude(supervisor=supervisor).delete()
        try:
            with transaction.atomic():
                override, _created = MatchOverride.objects.update_or_create(
                    round=self.round,
                    application=application,
                    supervisor=supervisor,
                    defaults={"kind": self.kind, "created_by": self.user},
                )
        except IntegrityError:
            raise MatchingRefused(NOT_MATCHABLE) from None
        return override

    def log_entry(self, override):
        return override, {"round": self.round.pk}

    def _check_pin(self, application, supervisor):
        problem = build_application_problem(application, self.round)
        unit = problem.applications[0]
        offer = next(o for o in problem.supervisors if o.id == supervisor_key(supervisor.pk))
        if blockers(unit, offer, conflict=(unit.id, offer.id) in problem.conflicts):
            raise MatchingRefused(NOT_FEASIBLE)
        pinned = (
            MatchOverride.objects.filter(
                round=self.round, supervisor=supervisor, kind=OverrideKind.PIN
            )
            .exclude(application=application)
            .count()
        )
        if pinned + 1 > offer.capacity:
            raise MatchingRefused(NO_ROOM)


class RemoveMatchOverrideAction(Action):
    """HR takes back a pin or a forbid."""

    def __init__(self, override, *, user):
        super().__init__(user=user)
        self.override = override

    def check(self):
        if not can_run_matching(self.user):
            raise NotPermitted

    def perform(self) -> None:
        override = MatchOverride.objects.select_for_update().filter(pk=self.override.pk).first()
        if override is None:
            return  # removed meanwhile: the outcome HR asked for
        # Logged before the delete: the entry's label needs the row.
        log(
            instance=override,
            action="tyonohjaus_plugin.matching.override_removed",
            user=self.user,
            data={"round": override.round_id, "kind": override.kind},
        )
        override.delete()
