"""The applicant withdraws their application."""

from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action
from tyonohjaus_plugin.actions.guards import ApplicationClosedForChanges, lock_for_applicant_change
from tyonohjaus_plugin.actions.meetings import end_active_engagement, place_freed
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    Application,
    ApplicationStatus,
    Delivery,
    EndReason,
    EventKind,
    FreedBy,
)
from tyonohjaus_plugin.outbox import due


class WithdrawalNotAllowed(ApplicationClosedForChanges):
    title = _("Cannot withdraw")


class WithdrawApplicationAction(Action):
    """The applicant withdraws until the round closes; every member's place is freed, and an
    active engagement ends (everyone gets the cancellations, the supervisor's place goes to the
    waiting list); the applicant gets an e-mail saying so (through the outbox).

    Not audit-logged: the applicant's own step, in the application's history instead.
    """

    def __init__(self, application, *, user):
        super().__init__(user=user)
        self.application = application

    def perform(self) -> Application:
        application = lock_for_applicant_change(self.application, self.user, WithdrawalNotAllowed)
        application.change_status(ApplicationStatus.WITHDRAWN, event=EventKind.WITHDRAWN)
        # A matched application's engagement ends with it; its place goes to the waiting list.
        freed = end_active_engagement(application.pk, EndReason.WITHDRAWN)
        place_freed(freed, FreedBy.WITHDRAWAL)
        Delivery.objects.add(due.status_changed(application))
        return application

    def committed(self, application):
        enqueue("tyonohjaus_plugin.tasks.send_outbox_task")
