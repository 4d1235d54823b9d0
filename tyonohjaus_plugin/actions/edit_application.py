from django.db import transaction

from ..db import transaction_started_at
from ..models import Application, ApplicationEvent, ApplicationRound, EventKind
from .withdraw_application import WithdrawalNotAllowed

#: Answers the applicant may change until the round closes.
EDITABLE_FIELDS = (
    "languages",
    "situation",
    "goals",
    "availability",
    "supervisor_preference",
    "supervisor_wishes",
    "off_round_reason",
)


class EditNotAllowed(WithdrawalNotAllowed):
    """The round has closed or the application is no longer active."""


class EditApplicationAction:
    """The applicant changes their answers while the round takes applications."""

    def __init__(self, application, *, user, values: dict, theme_ids=None):
        self.application = application
        self.user = user
        self.values = {key: value for key, value in values.items() if key in EDITABLE_FIELDS}
        self.theme_ids = theme_ids

    def execute(self) -> Application:
        with transaction.atomic():
            started_at = transaction_started_at()
            if self.application.round_id is not None:
                round = ApplicationRound.objects.select_for_update().get(
                    pk=self.application.round_id
                )
                if not round.accepts_at(started_at):
                    raise EditNotAllowed
            application = Application.objects.select_for_update().get(
                pk=self.application.pk, applicant=self.user
            )
            if not application.is_active:
                raise EditNotAllowed
            for key, value in self.values.items():
                setattr(application, key, value)
            application.save(update_fields=[*self.values, "updated_at"])
            if self.theme_ids is not None:
                application.themes.set(self.theme_ids)
            ApplicationEvent.objects.create(application=application, kind=EventKind.EDITED)
        return application
