"""HR or the schedule closes a round."""

from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.models import ApplicationRound, RoundState
from tyonohjaus_plugin.permissions import MANAGE_ROUNDS
from tyonohjaus_plugin.signals import round_closed


class CloseRoundAction(Action):
    """Close a round now: lock the row first, then stamp the database's wall clock.

    Submissions whose transaction started before the stamp still count (they wait for this lock
    and then compare their own start time); nothing that starts later gets in.
    """

    log_action = "tyonohjaus_plugin.round.closed"

    def __init__(self, round, *, user=None, only_if_open=False):
        super().__init__(user=user)
        self.round = round
        # The schedule closes only rounds still open, so two workers never close one twice.
        self.only_if_open = only_if_open
        self.changed = False

    def check(self):
        if self.user is not None and not self.user.has_perm(MANAGE_ROUNDS):
            raise NotPermitted

    def perform(self) -> ApplicationRound:
        round = ApplicationRound.objects.select_for_update().get(pk=self.round.pk)
        if self.only_if_open and round.state != RoundState.OPEN:
            return round
        now = clock_now()
        if now < round.closes_at:
            round.closes_at = max(now, round.opens_at)
        round.state = RoundState.CLOSED
        round.save(update_fields=["closes_at", "state"])
        self.changed = True
        return round

    def log_entry(self, round):
        return (round, None) if self.changed else None

    def committed(self, round):
        if self.changed:
            round_closed.send(sender=ApplicationRound, round=round)
