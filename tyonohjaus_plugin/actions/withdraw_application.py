from django.db import transaction

from tyonohjaus_plugin.actions.guards import ApplicationClosedForChanges, lock_for_applicant_change
from tyonohjaus_plugin.models import Application, ApplicationEvent, ApplicationStatus

WithdrawalNotAllowed = ApplicationClosedForChanges


class WithdrawApplicationAction:
    """The applicant withdraws until the round closes; every member's place is freed."""

    def __init__(self, application, *, user):
        self.application = application
        self.user = user

    def execute(self) -> Application:
        with transaction.atomic():
            application = lock_for_applicant_change(self.application, self.user)
            application.status = ApplicationStatus.WITHDRAWN
            application.save(update_fields=["status", "updated_at"])
            application.participants.update(holds_place=False)
            ApplicationEvent.objects.create(
                application=application, kind="withdrawn", status=application.status
            )
        return application
