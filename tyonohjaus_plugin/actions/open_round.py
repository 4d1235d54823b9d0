"""HR opens a round for applications."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.models import ApplicationRound, RoundState
from tyonohjaus_plugin.permissions import MANAGE_ROUNDS


class RoundChangeRefused(ActionRefused, ValidationError):
    """Also a ``ValidationError``: the round screens show it as a form error."""

    reason_messages = {
        "not_openable": _("Only an upcoming or closed round can be opened."),
        "already_open": _("This service already has an open round."),
    }


class OpenRoundAction(Action):
    """Open a round for applications; the database refuses a second open round of a service."""

    log_action = "tyonohjaus_plugin.round.opened"

    def __init__(self, round, *, user=None):
        super().__init__(user=user)
        self.round = round

    def check(self):
        if self.user is not None and not self.user.has_perm(MANAGE_ROUNDS):
            raise NotPermitted
        if self.round.state not in (RoundState.UPCOMING, RoundState.CLOSED):
            raise RoundChangeRefused("not_openable")

    def perform(self) -> ApplicationRound:
        try:
            with transaction.atomic():
                round = ApplicationRound.objects.select_for_update().get(pk=self.round.pk)
                round.state = RoundState.OPEN
                round.save(update_fields=["state"])
        except IntegrityError:
            raise RoundChangeRefused("already_open") from None
        return round
