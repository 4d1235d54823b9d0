from django.core.exceptions import PermissionDenied
from wagtail.log_actions import log

from tyonohjaus_plugin.permissions import (
    can_view_applications,
    can_view_confidential,
    permitted_applications,
)


class ViewApplicationAction:
    """HR opens an application's detail: the read is audit-logged, with whether free text showed."""

    def __init__(self, pk, *, user):
        self.pk = pk
        self.user = user

    def check(self):
        if not can_view_applications(self.user):
            raise PermissionDenied

    def execute(self):
        self.check()
        application = permitted_applications(self.user).select_related("round").get(pk=self.pk)
        confidential = can_view_confidential(self.user)
        log(
            instance=application,
            action="tyonohjaus_plugin.application.viewed",
            user=self.user,
            data={"confidential": confidential},
        )
        return application, confidential
