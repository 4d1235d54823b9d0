"""Checks shared by the applicant's own changes (edit, withdraw)."""

from tyonohjaus_plugin.core.db import transaction_started_at
from tyonohjaus_plugin.models import Application, ApplicationRound


class ApplicationClosedForChanges(Exception):
    """The round has closed or the application is no longer active."""


def lock_for_applicant_change(application, user) -> Application:
    """Inside ``atomic()``: lock the round and the application; refuse after the close.

    The round's close is judged by the transaction's start time, as for submissions, so a
    change racing HR's close is decided the same way.
    """
    started_at = transaction_started_at()
    if application.round_id is not None:
        round = ApplicationRound.objects.select_for_update().get(pk=application.round_id)
        if not round.accepts_at(started_at):
            raise ApplicationClosedForChanges
    locked = Application.objects.select_for_update().get(pk=application.pk, applicant=user)
    if not locked.is_active:
        raise ApplicationClosedForChanges
    return locked
