"""HR or the engagement's supervisor moves, cancels or marks a meeting held.

check → lock the meeting → validate against the plan rules → change, bump the iCalendar
sequence and queue the update for everyone → audit log → the sweep sends after the commit.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from tyonohjaus_plugin.engagements.plans import plan_rules
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Delivery,
    Engagement,
    EngagementState,
    EventKind,
    Meeting,
    MeetingState,
)
from tyonohjaus_plugin.outbox.due import invitations_for
from tyonohjaus_plugin.permissions import CHANGE_ENGAGEMENTS, can_manage_meetings
from tyonohjaus_plugin.scheduling import PlanError, Slot, move_slot


class MeetingChangeRefused(Exception):
    """``reason`` is a code the views translate."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


NOT_PLANNED = "not_planned"  # held or cancelled already
IN_THE_PAST = "in_the_past"  # a meeting cannot move to, or be held, before/after its time
BLOCKED_DAY = "blocked_day"  # weekend, public holiday or a kept-free period


class _MeetingAction:
    log_action = ""

    def __init__(self, meeting, *, user):
        self.meeting = meeting
        self.user = user

    def check(self):
        if not can_manage_meetings(self.user, self.meeting.engagement):
            raise PermissionDenied

    def execute(self) -> Meeting:
        self.check()
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update()
                .select_related("engagement__supervisor")
                .get(pk=self.meeting.pk)
            )
            if meeting.state != MeetingState.PLANNED:
                raise MeetingChangeRefused(NOT_PLANNED)
            data = self.change(meeting)
            log(instance=meeting, action=self.log_action, user=self.user, data=data)
        self.meeting = meeting
        return meeting

    def change(self, meeting) -> dict:
        raise NotImplementedError

    def queue_update(self, meeting) -> None:
        meeting.sequence += 1
        meeting.save()
        Delivery.objects.ensure(invitations_for(meeting))
        transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_reminders_task"))


class MoveMeetingAction(_MeetingAction):
    log_action = "tyonohjaus_plugin.meeting.moved"

    def __init__(self, meeting, *, user, day: datetime.date, at: datetime.time):
        super().__init__(meeting, user=user)
        self.day = day
        self.at = at

    def change(self, meeting) -> dict:
        slot = Slot(number=meeting.number, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
        try:
            moved = move_slot(slot, self.day, self.at, plan_rules())
        except PlanError:
            raise MeetingChangeRefused(BLOCKED_DAY) from None
        if moved.starts_at <= timezone.now():
            raise MeetingChangeRefused(IN_THE_PAST)
        meeting.starts_at, meeting.ends_at = moved.starts_at, moved.ends_at
        self.queue_update(meeting)
        return {"sequence": meeting.sequence}


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
            engagement.state = target
            engagement.save(update_fields=["state"])
            status = ApplicationStatus.IN_PROGRESS if planned else ApplicationStatus.COMPLETED
            changed = (
                Application.objects.filter(pk=engagement.application_id)
                .exclude(status=status)
                .update(status=status, status_changed_at=timezone.now())
            )
            if changed:
                ApplicationEvent.objects.create(
                    application_id=engagement.application_id,
                    kind=EventKind.STATUS_CHANGED,
                    status=status,
                )
        return {"engagement": engagement.state}


class CancelEngagementAction:
    """HR ends an engagement early: every planned meeting is cancelled (everyone gets the
    cancellations) and the engagement no longer takes the supervisor's place."""

    def __init__(self, engagement, *, user):
        self.engagement = engagement
        self.user = user

    def check(self):
        if not (self.user.is_active and self.user.has_perm(CHANGE_ENGAGEMENTS)):
            raise PermissionDenied

    def execute(self) -> Engagement:
        self.check()
        with transaction.atomic():
            engagement = Engagement.objects.select_for_update().get(pk=self.engagement.pk)
            if engagement.state in (EngagementState.COMPLETED, EngagementState.CANCELLED):
                raise MeetingChangeRefused(NOT_PLANNED)
            planned = list(
                engagement.meetings.select_for_update().filter(state=MeetingState.PLANNED)
            )
            for meeting in planned:
                meeting.state = MeetingState.CANCELLED
                meeting.sequence += 1
                meeting.save(update_fields=["state", "sequence", "updated_at"])
                Delivery.objects.ensure(invitations_for(meeting))
            engagement.state = EngagementState.CANCELLED
            engagement.save(update_fields=["state"])
            log(
                instance=engagement,
                action="tyonohjaus_plugin.engagement.cancelled",
                user=self.user,
                data={"meetings": len(planned)},
            )
            transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_reminders_task"))
        self.engagement = engagement
        return engagement
