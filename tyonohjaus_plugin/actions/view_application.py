"""HR opens an application's detail."""

from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.models import Application
from tyonohjaus_plugin.permissions import can_view_applications, can_view_confidential


class ViewApplicationAction(Action):
    """HR opens an application's detail: the permission, and the application scoped to the user.

    Returns ``(application, confidential)``: whether the free text may show. The read itself is
    audit-logged by the view once per page shown (``core.views.AuditedReadMixin``), as every
    screen that shows an application's answers is.
    """

    def __init__(self, pk, *, user):
        super().__init__(user=user)
        self.pk = pk

    def check(self):
        if not can_view_applications(self.user):
            raise NotPermitted

    def perform(self):
        application = (
            Application.objects.visible_to(self.user).select_related("round").get(pk=self.pk)
        )
        return application, can_view_confidential(self.user)
