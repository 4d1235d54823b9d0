from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    EventKind,
)
from tyonohjaus_plugin.models.applications import ParticipantStatus
from tyonohjaus_plugin.models.workflow import is_allowed, reactivates, releases
from tyonohjaus_plugin.permissions import can_change_status, permitted_applications
from tyonohjaus_plugin.signals import application_status_changed


class StatusChangeRefused(Exception):
    """The change cannot be made; ``reason`` is a code the views translate."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


#: Reasons a change is refused.
STALE = "stale"  # someone changed the status since the form was shown
NOT_ALLOWED = "not_allowed"  # the workflow has no such step
PLACE_TAKEN = "place_taken"  # a member holds another application in the round meanwhile


class ChangeApplicationStatusAction:
    """HR moves one application to another status.

    check permission → lock and re-check the workflow in a transaction → event and audit log →
    signal after commit. ``expected_status`` is what the HR user saw: a change made meanwhile
    refuses instead of overwriting it.
    """

    def __init__(self, application, *, user, status, expected_status=None):
        self.application = application
        self.user = user
        self.status = status
        self.expected_status = expected_status

    def check(self):
        if not can_change_status(self.user):
            raise PermissionDenied

    def execute(self) -> Application:
        self.check()
        with transaction.atomic():
            application = (
                permitted_applications(self.user).select_for_update().get(pk=self.application.pk)
            )
            old_status = application.status
            if self.expected_status and old_status != self.expected_status:
                raise StatusChangeRefused(STALE)
            if not is_allowed(old_status, self.status):
                raise StatusChangeRefused(NOT_ALLOWED)
            application.status = self.status
            application.status_changed_at = clock_now()
            application.save(update_fields=["status", "status_changed_at", "updated_at"])
            self._update_places(application, old_status)
            ApplicationEvent.objects.create(
                application=application, kind=EventKind.STATUS_CHANGED, status=self.status
            )
            log(
                instance=application,
                action="tyonohjaus_plugin.application.status_changed",
                user=self.user,
                data={"from": old_status, "to": self.status},
            )
            transaction.on_commit(
                lambda: application_status_changed.send(
                    sender=Application,
                    application=application,
                    old_status=old_status,
                    user=self.user,
                )
            )
        self.application = application
        return application

    def _update_places(self, application, old_status):
        participants = ApplicationParticipant.objects.filter(application=application)
        if releases(old_status, self.status):
            participants.update(holds_place=False)
        elif reactivates(old_status, self.status):
            # The unique (round, user) constraint decides: if a member applied elsewhere in the
            # round meanwhile, the reconsideration is refused instead of double-booking them.
            try:
                with transaction.atomic():
                    participants.exclude(status=ParticipantStatus.DECLINED).update(holds_place=True)
            except IntegrityError:
                raise StatusChangeRefused(PLACE_TAKEN) from None
