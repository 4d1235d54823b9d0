"""HR downloads applications."""

from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.models import ApplicationExport
from tyonohjaus_plugin.permissions import can_export_applications, can_view_confidential


class ExportApplicationsAction(Action):
    """HR downloads applications: the export is recorded before any row leaves the server.

    ``filters`` holds codes and ids only (the caller drops search text, which may be a name).
    """

    log_action = "tyonohjaus_plugin.application.exported"

    def __init__(self, *, user, format, row_count, filters=None):
        super().__init__(user=user)
        self.format = format
        self.row_count = row_count
        self.filters = filters or {}
        self.confidential = False

    def check(self):
        if not can_export_applications(self.user):
            raise NotPermitted

    def perform(self) -> ApplicationExport:
        self.confidential = can_view_confidential(self.user)
        return ApplicationExport.objects.create(
            format=self.format,
            row_count=self.row_count,
            confidential=self.confidential,
            filters=self.filters,
        )

    def log_entry(self, record):
        return record, {
            "format": self.format,
            "rows": self.row_count,
            "confidential": self.confidential,
            "filters": self.filters,
        }
