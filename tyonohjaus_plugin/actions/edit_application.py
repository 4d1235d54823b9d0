from django.db import transaction

from tyonohjaus_plugin.actions.guards import ApplicationClosedForChanges, lock_for_applicant_change
from tyonohjaus_plugin.models import Application, ApplicationEvent, EventKind

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


EditNotAllowed = ApplicationClosedForChanges


class EditApplicationAction:
    """The applicant changes their answers while the round takes applications."""

    def __init__(self, application, *, user, values: dict, theme_ids=None):
        self.application = application
        self.user = user
        self.values = {key: value for key, value in values.items() if key in EDITABLE_FIELDS}
        self.theme_ids = theme_ids

    def execute(self) -> Application:
        with transaction.atomic():
            application = lock_for_applicant_change(self.application, self.user)
            for key, value in self.values.items():
                setattr(application, key, value)
            application.save(update_fields=[*self.values, "updated_at"])
            if self.theme_ids is not None:
                application.themes.set(self.theme_ids)
            ApplicationEvent.objects.create(application=application, kind=EventKind.EDITED)
        return application
