from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log

from tyonohjaus_plugin.models import ApplicationExport
from tyonohjaus_plugin.permissions import can_export_applications, can_view_confidential


class ExportApplicationsAction:
    """HR downloads applications: the export is recorded before any row leaves the server.

    ``filters`` holds codes and ids only (the caller drops search text, which may be a name).
    """

    def __init__(self, *, user, format, row_count, filters=None):
        self.user = user
        self.format = format
        self.row_count = row_count
        self.filters = filters or {}

    def check(self):
        if not can_export_applications(self.user):
            raise PermissionDenied

    def execute(self) -> ApplicationExport:
        self.check()
        confidential = can_view_confidential(self.user)
        with transaction.atomic():
            record = ApplicationExport.objects.create(
                format=self.format,
                row_count=self.row_count,
                confidential=confidential,
                filters=self.filters,
            )
            log(
                instance=record,
                action="tyonohjaus_plugin.application.exported",
                user=self.user,
                data={
                    "format": self.format,
                    "rows": self.row_count,
                    "confidential": confidential,
                    "filters": self.filters,
                },
            )
        return record
