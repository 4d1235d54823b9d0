"""HR or the engagement's supervisor moves, cancels or marks a meeting held (an external
supervisor through their portal link: ``user=None`` and ``supervisor=``).

check → lock the meeting → validate against the plan rules → change, bump the iCalendar
sequence and queue the update for everyone → audit log → the sweep sends after the commit.
A move also locks the people taking part and is refused when it would overlap another meeting
of the supervisor or a participant (see ``engagements.plans.lock_people``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.engagements.plans import calendars, lock_people, people_of, plan_rules
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    Application,
    ApplicationStatus,
    Delivery,
    Engagement,
    EngagementParticipant,
    EngagementState,
    FreedBy,
    Meeting,
    MeetingState,
)
from tyonohjaus_plugin.models.workflow import ACTIVE_ENGAGEMENT_STATES, EndReason, is_allowed
from tyonohjaus_plugin.outbox.due import invitations_for
from tyonohjaus_plugin.permissions import CHANGE_ENGAGEMENTS, can_manage_meetings
from tyonohjaus_plugin.scheduling import (
    PlanError,
    Slot,
    move_slot,
    outside_hours_reason,
    overlaps,
)

NOT_PLANNED = "not_planned"  # held or cancelled already
IN_THE_PAST = "in_the_past"  # a meeting cannot move to, or be held, before/after its time
BLOCKED_DAY = "blocked_day"  # weekend, public holiday or a kept-free period
OUTSIDE_HOURS = "outside_hours"  # before or after the working day (or past midnight)
OVERLAP = "overlap"  # the supervisor or a participant has another meeting then


class MeetingChangeRefused(ActionRefused):
    reason_messages = {
        NOT_PLANNED: _("The meeting is no longer planned: it was held or cancelled."),
        IN_THE_PAST: _(
            "Choose a time in the future; a meeting is marked held only after it starts."
        ),
        BLOCKED_DAY: _(
            "That day is a weekend, a public holiday or in a period kept free of meetings. "
            "Tick “Allow outside working hours” to move the meeting there anyway."
        ),
        OUTSIDE_HOURS: _(
            "The meeting would be outside working hours (%(day_starts)s–%(day_ends)s). "
            "Tick “Allow outside working hours” to move it there anyway."
        ),
        OVERLAP: _(
            "The supervisor or a participant already has another meeting at that time. "
            "Choose another time."
        ),
    }


class _MeetingAction(Action):
    log_action = ""

    def __init__(self, meeting, *, user, supervisor=None):
        super().__init__(user=user)
        self.meeting = meeting
        #: An external supervisor through their portal link acts with ``user=None``.
        self.supervisor = supervisor
        self.data = None

    def check(self):
        if not can_manage_meetings(self.user, self.meeting.engagement, supervisor=self.supervisor):
            raise NotPermitted

    def perform(self) -> Meeting:
        meeting = (
            Meeting.objects.select_for_update()
            .select_related("engagement__supervisor")
            .get(pk=self.meeting.pk)
        )
        if meeting.state != MeetingState.PLANNED:
            raise MeetingChangeRefused(NOT_PLANNED)
        self.data = self.change(meeting)
        self.meeting = meeting
        return meeting

    def log_entry(self, meeting):
        return meeting, self.data

    def change(self, meeting) -> dict:
        raise NotImplementedError

    def queue_update(self, meeting) -> None:
        meeting.sequence += 1
        meeting.save()
        Delivery.objects.ensure(invitations_for(meeting))
        transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_reminders_task"))


class MoveMeetingAction(_MeetingAction):
    log_action = "tyonohjaus_plugin.meeting.moved"

    def __init__(
        self,
        meeting,
        *,
        user,
        day: datetime.date,
        at: datetime.time,
        outside_working_hours: bool = False,
        supervisor=None,
    ):
        super().__init__(meeting, user=user, supervisor=supervisor)
        self.day = day
        self.at = at
        #: Whoever may move the meeting chose a time outside working days or hours on purpose.
        self.outside_working_hours = outside_working_hours

    def change(self, meeting) -> dict:
        rules = plan_rules()
        slot = Slot(number=meeting.number, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
        allowed = self.outside_working_hours
        try:
            moved = move_slot(slot, self.day, self.at, rules, allow_blocked=allowed)
        except PlanError:
            raise MeetingChangeRefused(BLOCKED_DAY) from None
        if moved.starts_at <= timezone.now():
            raise MeetingChangeRefused(IN_THE_PAST)
        outside = outside_hours_reason(moved.starts_at, moved.ends_at, rules)
        if outside is not None and not allowed:
            raise MeetingChangeRefused(
                OUTSIDE_HOURS,
                day_starts=rules.day_starts.strftime("%H:%M"),
                day_ends=rules.day_ends.strftime("%H:%M"),
            )
        engagement = meeting.engagement
        participants = list(
            EngagementParticipant.objects.filter(engagement=engagement).values_list(
                "user_id", flat=True
            )
        )
        supervisor_user_id = engagement.supervisor.user_id
        lock_people([engagement.supervisor_id], [*participants, supervisor_user_id])
        busy = calendars(
            [engagement.supervisor_id],
            [*participants, supervisor_user_id],
            exclude_meeting=meeting.pk,
        )
        people = people_of(engagement.supervisor_id, supervisor_user_id, participants)
        taken = [interval for person in people for interval in busy.get(person, ())]
        if overlaps(moved.starts_at, moved.ends_at, taken):
            raise MeetingChangeRefused(OVERLAP)
        meeting.starts_at, meeting.ends_at = moved.starts_at, moved.ends_at
        self.queue_update(meeting)
        data = {"sequence": meeting.sequence}
        if outside is not None:
            data["outside_working_hours"] = True  # the person's explicit choice, for the log
        return data


class CancelMeetingAction(_MeetingAction):
    log_action = "tyonohjaus_plugin.meeting.cancelled"

    def change(self, meeting) -> dict:
        meeting.state = MeetingState.CANCELLED
        self.queue_update(meeting)
        return {"sequence": meeting.sequence}


class MarkMeetingHeldAction(_MeetingAction):
    """Only "held": nothing of the content is stored. Moves the engagement and the application
    along: the first held meeting starts it, the last one completes it."""

    log_action = "tyonohjaus_plugin.meeting.held"

    def change(self, meeting) -> dict:
        if meeting.starts_at > timezone.now():
            raise MeetingChangeRefused(IN_THE_PAST)
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["state", "updated_at"])
        engagement = Engagement.objects.select_for_update().get(pk=meeting.engagement_id)
        planned = engagement.meetings.filter(state=MeetingState.PLANNED).exists()
        target = EngagementState.IN_PROGRESS if planned else EngagementState.COMPLETED
        if engagement.state != target:
            engagement.change_state(target)
            status = ApplicationStatus.IN_PROGRESS if planned else ApplicationStatus.COMPLETED
            application = Application.objects.select_for_update().get(pk=engagement.application_id)
            # Only forward: a withdrawn or completed application stays as it is.
            if is_allowed(application.status, status, automatic=True):
                application.change_status(status, automatic=True)
        if meeting.number == 1 and planned:
            from tyonohjaus_plugin.actions.first_meeting import ask_after_first_meeting

            ask_after_first_meeting(engagement)
        return {"engagement": engagement.state}


def end_engagement(engagement, reason: str = EndReason.HR) -> int:
    """Cancel the planned meetings of a locked, active engagement (everyone gets the
    cancellations) and the engagement itself, for ``reason`` (an ``EndReason``). Returns the
    meetings cancelled. The caller queues the sweep and the waiting list after the commit."""
    planned = list(engagement.meetings.select_for_update().filter(state=MeetingState.PLANNED))
    for meeting in planned:
        meeting.state = MeetingState.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["state", "sequence", "updated_at"])
        Delivery.objects.ensure(invitations_for(meeting))
    engagement.change_state(EngagementState.CANCELLED, reason=reason)
    return len(planned)


def end_active_engagement(application_id: int, reason: str) -> int | None:
    """Inside ``atomic()``: end the application's active engagement, if any (a withdrawal of a
    matched application). Returns the supervisor id whose place was freed, or None."""
    engagement = (
        Engagement.objects.select_for_update()
        .filter(application_id=application_id, state__in=ACTIVE_ENGAGEMENT_STATES)
        .first()
    )
    if engagement is None:
        return None
    end_engagement(engagement, reason)
    return engagement.supervisor_id


def place_freed(supervisor_id: int | None, freed_by: str) -> None:
    """After the commit: send the cancellations and offer the supervisor's freed place to the
    waiting list (``tasks.fill_freed_places_task``; ids and a code only)."""
    if supervisor_id is None:
        return

    def queue():
        enqueue("tyonohjaus_plugin.tasks.send_reminders_task")
        enqueue("tyonohjaus_plugin.tasks.fill_freed_places_task", supervisor_id, freed_by)

    transaction.on_commit(queue)


class CancelEngagementAction(Action):
    """HR ends an engagement early: every planned meeting is cancelled (everyone gets the
    cancellations) and the engagement no longer takes the supervisor's place."""

    log_action = "tyonohjaus_plugin.engagement.cancelled"

    def __init__(self, engagement, *, user):
        super().__init__(user=user)
        self.engagement = engagement
        self.cancelled = 0

    def check(self):
        if not (self.user.is_active and self.user.has_perm(CHANGE_ENGAGEMENTS)):
            raise NotPermitted

    def perform(self) -> Engagement:
        engagement = Engagement.objects.select_for_update().get(pk=self.engagement.pk)
        if engagement.state in (EngagementState.COMPLETED, EngagementState.CANCELLED):
            raise MeetingChangeRefused(NOT_PLANNED)
        self.cancelled = end_engagement(engagement)
        self.engagement = engagement
        return engagement

    def log_entry(self, engagement):
        return engagement, {"meetings": self.cancelled}

    def committed(self, engagement):
        enqueue("tyonohjaus_plugin.tasks.send_reminders_task")
        enqueue(
            "tyonohjaus_plugin.tasks.fill_freed_places_task",
            engagement.supervisor_id,
            FreedBy.CANCELLED,
        )
