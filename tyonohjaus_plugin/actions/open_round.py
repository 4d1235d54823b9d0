from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from tyonohjaus_plugin.models import ApplicationRound, RoundState
from tyonohjaus_plugin.permissions import MANAGE_ROUNDS


class OpenRoundAction:
    """Open a round for applications; the database refuses a second open round of a service."""

    def __init__(self, round, *, user=None):
        self.round = round
        self.user = user

    def check(self):
        if self.user is not None and not self.user.has_perm(MANAGE_ROUNDS):
            raise PermissionDenied
        if self.round.state not in (RoundState.UPCOMING, RoundState.CLOSED):
            raise ValidationError(_("Only an upcoming or closed round can be opened."))

    def execute(self) -> ApplicationRound:
        self.check()
        try:
            with transaction.atomic():
                round = ApplicationRound.objects.select_for_update().get(pk=self.round.pk)
                round.state = RoundState.OPEN
                round.save(update_fields=["state"])
                log(instance=round, action="tyonohjaus_plugin.round.opened", user=self.user)
        except IntegrityError as exc:
            raise ValidationError(_("This service already has an open round.")) from exc
        return round
