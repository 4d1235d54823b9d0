"""HR moves one application to another status, one by one or in bulk."""

from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.actions.meetings import end_active_engagement, place_freed
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import Application, ApplicationStatus, Delivery, EndReason, FreedBy
from tyonohjaus_plugin.models.applications import PlaceTaken
from tyonohjaus_plugin.models.workflow import StatusChangeNotAllowed
from tyonohjaus_plugin.outbox import due
from tyonohjaus_plugin.permissions import can_change_status
from tyonohjaus_plugin.signals import application_status_changed

#: Reasons a change is refused.
STALE = "stale"  # someone changed the status since the form was shown
NOT_ALLOWED = "not_allowed"  # the workflow has no such step
PLACE_TAKEN = "place_taken"  # a member holds another application in the round meanwhile


class StatusChangeRefused(ActionRefused):
    reason_messages = {
        STALE: _(
            "Someone changed the status of this application meanwhile. Check it and try again."
        ),
        NOT_ALLOWED: _("The application cannot move from “%(from)s” to “%(to)s”."),
        PLACE_TAKEN: _(
            "Someone in this application has applied again in the same round, so it cannot be "
            "taken back into review."
        ),
    }

    def __init__(self, reason, *, source="", target=""):
        labels = dict(ApplicationStatus.choices)
        super().__init__(
            reason, **{"from": labels.get(source, source), "to": labels.get(target, target)}
        )


class ChangeApplicationStatusAction(Action):
    """HR moves one application to another status.

    check permission → lock and re-check the workflow in a transaction → event, the applicant's
    e-mail in the outbox and audit log → signal and sending after commit. ``expected_status`` is
    what the HR user saw: a change made meanwhile refuses instead of overwriting it.
    """

    log_action = "tyonohjaus_plugin.application.status_changed"

    def __init__(self, application, *, user, status, expected_status=None):
        super().__init__(user=user)
        self.application = application
        self.status = status
        self.expected_status = expected_status
        self.old_status = None

    def check(self):
        if not can_change_status(self.user):
            raise NotPermitted

    def perform(self) -> Application:
        application = (
            Application.objects.visible_to(self.user)
            .select_for_update()
            .get(pk=self.application.pk)
        )
        if self.expected_status and application.status != self.expected_status:
            raise StatusChangeRefused(STALE, source=application.status, target=self.status)
        try:
            self.old_status = application.change_status(self.status)
        except StatusChangeNotAllowed:
            raise StatusChangeRefused(
                NOT_ALLOWED, source=application.status, target=self.status
            ) from None
        except PlaceTaken:
            raise StatusChangeRefused(
                PLACE_TAKEN, source=application.status, target=self.status
            ) from None
        if self.status == ApplicationStatus.WITHDRAWN:
            # As the applicant's own withdrawal: the engagement ends, the place is offered on.
            freed = end_active_engagement(application.pk, EndReason.WITHDRAWN)
            place_freed(freed, FreedBy.WITHDRAWAL)
        elif self.status == ApplicationStatus.WAITLISTED:
            # A matched application back to waiting: its engagement ends (HR's step), so no
            # meetings or place stay behind, and the place is offered on.
            freed = end_active_engagement(application.pk, EndReason.HR)
            place_freed(freed, FreedBy.CANCELLED)
        Delivery.objects.add(due.status_changed(application))
        self.application = application
        return application

    def log_entry(self, application):
        return application, {"from": self.old_status, "to": self.status}

    def committed(self, application):
        enqueue("tyonohjaus_plugin.tasks.send_outbox_task")
        application_status_changed.send(
            sender=Application, application=application, old_status=self.old_status, user=self.user
        )
