"""Checks shared by the applicant's own changes (edit, withdraw)."""

from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import ActionRefused
from tyonohjaus_plugin.core.db import transaction_started_at
from tyonohjaus_plugin.models import Application, ApplicationRound


class ApplicationClosedForChanges(ActionRefused):
    """The round has closed or the application is no longer active."""

    code = "closed"
    default_message = _("The round has closed or the application is no longer active. Contact HR.")


def lock_for_applicant_change(application, user, refused=ApplicationClosedForChanges):
    """Inside ``atomic()``: lock the round and the application; refuse after the close.

    The round's close is judged by the transaction's start time, as for submissions, so a
    change racing HR's close is decided the same way.
    """
    started_at = transaction_started_at()
    if application.round_id is not None:
        round = ApplicationRound.objects.select_for_update().get(pk=application.round_id)
        if not round.accepts_at(started_at):
            raise refused
    locked = Application.objects.select_for_update().get(pk=application.pk, applicant=user)
    if not locked.is_active:
        raise refused
    return locked
