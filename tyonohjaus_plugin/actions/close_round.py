from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log

from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.models import ApplicationRound, RoundState
from tyonohjaus_plugin.permissions import MANAGE_ROUNDS
from tyonohjaus_plugin.signals import round_closed


class CloseRoundAction:
    """Close a round now: lock the row first, then stamp the database's wall clock.

    Submissions whose transaction started before the stamp still count (they wait for this lock
    and then compare their own start time); nothing that starts later gets in.
    """

    def __init__(self, round, *, user=None, only_if_open=False):
        self.round = round
        self.user = user
        # The schedule closes only rounds still open, so two workers never close one twice.
        self.only_if_open = only_if_open
        self.changed = False

    def check(self):
        if self.user is not None and not self.user.has_perm(MANAGE_ROUNDS):
            raise PermissionDenied

    def execute(self) -> ApplicationRound:
        self.check()
        with transaction.atomic():
            round = ApplicationRound.objects.select_for_update().get(pk=self.round.pk)
            if self.only_if_open and round.state != RoundState.OPEN:
                return round
            now = clock_now()
            if now < round.closes_at:
                round.closes_at = max(now, round.opens_at)
            round.state = RoundState.CLOSED
            round.save(update_fields=["closes_at", "state"])
            self.changed = True
            log(instance=round, action="tyonohjaus_plugin.round.closed", user=self.user)
            transaction.on_commit(lambda: round_closed.send(sender=ApplicationRound, round=round))
        return round
