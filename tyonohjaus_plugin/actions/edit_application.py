"""The applicant changes their answers."""

from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action
from tyonohjaus_plugin.actions.guards import ApplicationClosedForChanges, lock_for_applicant_change
from tyonohjaus_plugin.models import Application, ApplicationEvent, EventKind
from tyonohjaus_plugin.models.applications import EDITABLE_FIELDS


class EditNotAllowed(ApplicationClosedForChanges):
    title = _("Cannot edit")


class EditApplicationAction(Action):
    """The applicant changes their answers while the round takes applications.

    Not audit-logged (the answers are confidential); the history says "edited".
    """

    def __init__(self, application, *, user, values: dict, theme_ids=None):
        super().__init__(user=user)
        self.application = application
        self.values = {key: value for key, value in values.items() if key in EDITABLE_FIELDS}
        self.theme_ids = theme_ids

    def perform(self) -> Application:
        application = lock_for_applicant_change(self.application, self.user, EditNotAllowed)
        for key, value in self.values.items():
            setattr(application, key, value)
        application.save(update_fields=[*self.values, "updated_at"])
        if self.theme_ids is not None:
            application.themes.set(self.theme_ids)
        ApplicationEvent.objects.create(application=application, kind=EventKind.EDITED)
        return application
