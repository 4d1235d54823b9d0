"""HR exports a person's data on a subject access request."""

from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.log_actions import PERSON_EXPORTED
from tyonohjaus_plugin.models import PersonDataExport
from tyonohjaus_plugin.permissions import can_export_person_data


class ExportPersonDataAction(Action):
    """Recorded before the data leaves the server: one audit entry on a record that names no
    one ("Person data export #n"), with the person's id and the format as its data."""

    log_action = PERSON_EXPORTED

    def __init__(self, person_id: int, *, user, format: str):
        super().__init__(user=user)
        self.person_id = int(person_id)
        self.format = format

    def check(self):
        if not can_export_person_data(self.user):
            raise NotPermitted

    def perform(self) -> PersonDataExport:
        return PersonDataExport.objects.create(format=self.format)

    def log_entry(self, record):
        return record, {"user_id": self.person_id, "format": self.format}
