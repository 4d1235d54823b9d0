from django.db import transaction

from ..db import transaction_started_at
from ..models import Application, ApplicationEvent, ApplicationRound, ApplicationStatus


class WithdrawalNotAllowed(Exception):
    """The round has closed or the application is no longer active."""


class WithdrawApplicationAction:
    """The applicant withdraws until the round closes; every member's place is freed."""

    def __init__(self, application, *, user):
        self.application = application
        self.user = user

    def execute(self) -> Application:
        with transaction.atomic():
            started_at = transaction_started_at()
            if self.application.round_id is not None:
                round = ApplicationRound.objects.select_for_update().get(
                    pk=self.application.round_id
                )
                if not round.accepts_at(started_at):
                    raise WithdrawalNotAllowed
            application = Application.objects.select_for_update().get(
                pk=self.application.pk, applicant=self.user
            )
            if not application.is_active:
                raise WithdrawalNotAllowed
            application.status = ApplicationStatus.WITHDRAWN
            application.save(update_fields=["status", "updated_at"])
            application.participants.update(holds_place=False)
            ApplicationEvent.objects.create(
                application=application, kind="withdrawn", status=application.status
            )
        return application
