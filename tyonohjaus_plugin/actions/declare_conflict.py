"""The supervisor declares whether they have an earlier relationship with the people of a
pending engagement (an internal supervisor in the admin, an external one through their portal
link).

No earlier relationship: ``declared_at``, then the first-meeting times are agreed
(``engagements.services.start_scheduling``). A conflict: the engagement is cancelled with
``EndReason.CONFLICT``, the pair is excluded from every later matching (``ExcludedPair``) and the
application goes back to the board (IN_REVIEW). Nothing else is asked or stored: HR sees only
"declared conflict". The audit log holds ids and codes.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.engagements.services import start_scheduling
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    Application,
    ApplicationStatus,
    EndReason,
    Engagement,
    EngagementParticipant,
    EngagementState,
    ExcludedPair,
    ExclusionReason,
)
from tyonohjaus_plugin.models.workflow import is_allowed
from tyonohjaus_plugin.permissions import is_own_external

DECLARED = "tyonohjaus_plugin.engagement.declared"
CONFLICT_DECLARED = "tyonohjaus_plugin.engagement.conflict_declared"


class DeclarationRefused(ActionRefused):
    title = _("The declaration was not saved")
    default_message = _(
        "This engagement no longer waits for a declaration: it was declared or ended already."
    )


def may_declare(user, engagement, supervisor=None) -> bool:
    """Only the engagement's own supervisor: the logged-in user linked to it, or an external
    supervisor through their portal link (``user=None``)."""
    if user is None:
        return is_own_external(supervisor, engagement)
    return user.is_active and engagement.supervisor.user_id == user.pk


class DeclareConflictAction(Action):
    def __init__(self, engagement, *, user=None, supervisor=None, conflict: bool):
        super().__init__(user=user)
        self.engagement = engagement
        self.supervisor = supervisor
        self.conflict = conflict
        self.log_action = CONFLICT_DECLARED if conflict else DECLARED
        self.application_change = None

    def check(self):
        if not may_declare(self.user, self.engagement, self.supervisor):
            raise NotPermitted
        if self.engagement.state != EngagementState.PENDING:
            raise DeclarationRefused

    def perform(self) -> Engagement:
        engagement = Engagement.objects.select_for_update().get(pk=self.engagement.pk)
        if engagement.state != EngagementState.PENDING:
            raise DeclarationRefused  # declared in another tab, or HR cancelled it meanwhile
        now = timezone.now()
        if self.conflict:
            self.declare_conflict(engagement, now)
        else:
            engagement.declared_at = now
            engagement.save(update_fields=["declared_at"])
            people = [
                (engagement.application_id, user_id)
                for user_id in EngagementParticipant.objects.filter(
                    engagement=engagement, user__isnull=False
                ).values_list("user_id", flat=True)
            ]
            start_scheduling([engagement], people, now)  # on to scheduling (or planned)
        self.engagement = engagement
        return engagement

    def declare_conflict(self, engagement, now) -> None:
        engagement.change_state(EngagementState.CANCELLED, reason=EndReason.CONFLICT, now=now)
        ExcludedPair.objects.get_or_create(
            application_id=engagement.application_id,
            supervisor_id=engagement.supervisor_id,
            defaults={"reason": ExclusionReason.CONFLICT},
        )
        application = Application.objects.select_for_update().get(pk=engagement.application_id)
        # Back to the board, unless it was withdrawn (or anonymised) meanwhile: it stays so.
        if application.anonymised_at is None and is_allowed(
            application.status, ApplicationStatus.IN_REVIEW, automatic=True
        ):
            old = application.change_status(ApplicationStatus.IN_REVIEW, automatic=True, now=now)
            self.application_change = (application, old)

    def log_entry(self, engagement):
        if self.application_change is not None:
            application, old = self.application_change
            log(
                instance=application,
                action="tyonohjaus_plugin.application.status_changed",
                user=self.user,
                data={"from": old, "to": ApplicationStatus.IN_REVIEW},
            )
        data = {"state": engagement.state}
        if self.user is None:
            data["supervisor"] = engagement.supervisor_id  # acted through the portal link
        return engagement, data

    def committed(self, engagement):
        enqueue("tyonohjaus_plugin.tasks.send_reminders_task")
