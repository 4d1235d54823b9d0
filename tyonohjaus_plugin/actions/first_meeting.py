"""After the first meeting: each participant and the supervisor answer "we continue" or "not a
good fit". One "not a good fit" ends the engagement in the same transaction: the remaining
meetings are cancelled (everyone gets the cancellations), the pair is excluded for good, the
application goes back to HR's board (matched with the off-round rules) and the supervisor's
freed place goes to the waiting list.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.actions.meetings import end_engagement, place_freed
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    Application,
    ApplicationStatus,
    Delivery,
    DeliveryKind,
    EndReason,
    Engagement,
    EngagementState,
    ExcludedPair,
    ExclusionReason,
    FirstMeetingAnswer,
    FreedBy,
    MeetingState,
)
from tyonohjaus_plugin.models.workflow import is_allowed
from tyonohjaus_plugin.outbox.due import engagement_recipients

#: The engagement states in which the question is open.
OPEN_STATES = (EngagementState.PLANNED, EngagementState.IN_PROGRESS)

ANSWERED = "answered"
CLOSED = "closed"  # the engagement ended, or its first meeting has not been held


class FirstMeetingRefused(ActionRefused):
    title = _("The answer was not saved")
    reason_messages = {
        ANSWERED: _("You have answered already: one answer per person."),
        CLOSED: _(
            "This question is not open: the first meeting has not been held yet, or the "
            "engagement has ended."
        ),
    }


def ask_after_first_meeting(engagement, now=None) -> None:
    """Inside the transaction that marks meeting 1 held: one question to every participant and
    the supervisor (the outbox's unique key keeps it one, however often this runs)."""
    now = now or timezone.now()
    Delivery.objects.ensure(
        (DeliveryKind.FIRST_MEETING_QUESTION, engagement.pk, key, "", now)
        for key in engagement_recipients(engagement)
    )
    transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_outbox_task"))


def question_open(engagement) -> bool:
    return (
        engagement.state in OPEN_STATES
        and engagement.meetings.filter(number=1, state=MeetingState.HELD).exists()
    )


class AnswerFirstMeetingAction(Action):
    """One person's answer. ``participant``: an ``EngagementParticipant`` of the engagement,
    answering as ``user``; ``supervisor``: the engagement's supervisor, with their ``user``
    (internal, in the admin) or without one (external, through their portal)."""

    log_action = "tyonohjaus_plugin.engagement.first_meeting_answered"

    def __init__(
        self, engagement, *, user=None, participant=None, supervisor=None, go_on, comment=""
    ):
        super().__init__(user=user)
        self.engagement = engagement
        self.participant = participant
        self.supervisor = supervisor
        self.go_on = bool(go_on)
        self.comment = comment or ""
        self.ended = False

    def check(self):
        engagement = self.engagement
        if (self.participant is None) == (self.supervisor is None):
            raise NotPermitted
        if self.participant is not None:
            if (
                self.user is None
                or self.participant.engagement_id != engagement.pk
                or self.participant.user_id != self.user.pk
            ):
                raise NotPermitted
        elif self.supervisor.pk != engagement.supervisor_id or (
            self.supervisor.user_id is not None
            and (self.user is None or self.supervisor.user_id != self.user.pk)
        ):
            raise NotPermitted

    def perform(self) -> FirstMeetingAnswer:
        engagement = (
            Engagement.objects.select_for_update()
            .select_related("supervisor")
            .get(pk=self.engagement.pk)
        )
        if not question_open(engagement):
            raise FirstMeetingRefused(CLOSED)
        try:
            with transaction.atomic():
                answer = FirstMeetingAnswer.objects.create(
                    engagement=engagement,
                    participant=self.participant,
                    by_supervisor=self.supervisor is not None,
                    go_on=self.go_on,
                    comment=self.comment,
                    answered_at=timezone.now(),
                )
        except IntegrityError:
            raise FirstMeetingRefused(ANSWERED) from None
        if not self.go_on:
            self.end(engagement)
        self.engagement = engagement
        return answer

    def end(self, engagement) -> None:
        end_engagement(engagement, EndReason.NOT_A_FIT)
        ExcludedPair.objects.get_or_create(
            application_id=engagement.application_id,
            supervisor_id=engagement.supervisor_id,
            defaults={"reason": ExclusionReason.NOT_A_FIT},
        )
        application = Application.objects.select_for_update().get(pk=engagement.application_id)
        # Back to the board; a withdrawn or completed application stays as it is.
        if is_allowed(application.status, ApplicationStatus.IN_REVIEW, automatic=True):
            application.change_status(ApplicationStatus.IN_REVIEW, automatic=True)
        place_freed(engagement.supervisor_id, FreedBy.NOT_A_FIT)
        self.ended = True

    def log_entry(self, answer):
        # Codes only: who answered is the role, never the comment.
        role = "supervisor" if answer.by_supervisor else "participant"
        return self.engagement, {"go_on": answer.go_on, "by": role}
