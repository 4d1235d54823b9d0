"""Agreeing the first meeting: proposals from the supervisor's availability and everyone's
calendars, and the whole series once a first time is chosen.

Both lock the people first (``plans.lock_people``) and only then read the calendars, like every
other plan and move: two confirms or choices touching one person never book them twice.
The planning itself is the pure ``scheduling.slots`` (no Django); this module only maps rows onto
its types and back.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.engagements.plans import (
    calendars,
    first_meeting_day,
    lock_people,
    people_of,
    plan_rules,
)
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    ApplicationRound,
    Delivery,
    DeliveryKind,
    EngagementParticipant,
    EngagementState,
    Meeting,
    SlotProposal,
    Supervisor,
    SupervisorAvailability,
    SupervisorBlockedPeriod,
)
from tyonohjaus_plugin.models.outbox import supervisor_recipient_key, user_key
from tyonohjaus_plugin.scheduling import (
    Availability,
    BlockedPeriod,
    PlanRules,
    Proposal,
    plan_series,
    propose_slots,
)


def engagement_rules(engagement) -> PlanRules:
    """The plan rules with this engagement's own number and length of meetings."""
    return replace(
        plan_rules(), meetings=engagement.meeting_count, duration_minutes=engagement.meeting_minutes
    )


def supervisor_terms(supervisor_ids) -> dict:
    """{supervisor id: (availability windows, blocked periods)} as the planner's types."""
    terms = {pk: ([], []) for pk in supervisor_ids}
    for row in SupervisorAvailability.objects.filter(supervisor_id__in=terms):
        terms[row.supervisor_id][0].append(
            Availability(row.weekday, row.starts, row.ends, row.location)
        )
    for row in SupervisorBlockedPeriod.objects.filter(supervisor_id__in=terms):
        terms[row.supervisor_id][1].append(BlockedPeriod(row.first_day, row.last_day))
    return terms


def _open_proposals(supervisor_ids, exclude_engagements=()) -> dict:
    """Times already offered to other groups of the same supervisors (still being chosen): kept
    free, so that two groups are not offered one hour."""
    busy: dict = {}
    rows = (
        SlotProposal.objects.filter(
            engagement__supervisor_id__in=set(supervisor_ids),
            engagement__state=EngagementState.SCHEDULING,
            ends_at__gt=timezone.now(),
        )
        .exclude(engagement_id__in=list(exclude_engagements))
        .values_list("engagement__supervisor_id", "starts_at", "ends_at")
    )
    for supervisor_id, starts_at, ends_at in rows:
        busy.setdefault(("s", supervisor_id), []).append((starts_at, ends_at))
    return busy


def participant_ids(engagements) -> dict:
    """{engagement id: [user id, ...]} of the participants."""
    ids = {engagement.pk: [] for engagement in engagements}
    for engagement_id, user_id in EngagementParticipant.objects.filter(
        engagement_id__in=ids, user__isnull=False
    ).values_list("engagement_id", "user_id"):
        ids[engagement_id].append(user_id)
    return ids


def propose(engagements, participants, today: datetime.date) -> dict:
    """Inside ``atomic()``: up to ``SLOT_PROPOSALS`` ``SlotProposal`` rows per engagement
    (``participants``: engagement id -> user ids), from the first meeting day on. Returns
    {engagement id: proposals}; an empty list means nothing fits (HR has to step in)."""
    supervisor_users = dict(
        Supervisor.objects.filter(pk__in={e.supervisor_id for e in engagements}).values_list(
            "pk", "user_id"
        )
    )
    user_ids = {pk for ids in participants.values() for pk in ids} | set(supervisor_users.values())
    lock_people(supervisor_users, user_ids)
    busy = calendars(supervisor_users, user_ids)
    for person, intervals in _open_proposals(supervisor_users, [e.pk for e in engagements]).items():
        busy.setdefault(person, []).extend(intervals)
    terms = supervisor_terms(supervisor_users)
    starts = dict(
        ApplicationRound.objects.filter(pk__in={e.round_id for e in engagements}).values_list(
            "pk", "programme_starts_on"
        )
    )
    rows, result = [], {}
    for engagement in sorted(engagements, key=lambda e: e.pk):
        people = people_of(
            engagement.supervisor_id,
            supervisor_users.get(engagement.supervisor_id),
            participants.get(engagement.pk, ()),
        )
        availability, blocked = terms[engagement.supervisor_id]
        proposals = propose_slots(
            first_meeting_day(starts.get(engagement.round_id), today),
            availability=availability,
            blocked=blocked,
            busy=[interval for person in people for interval in busy.get(person, ())],
            rules=engagement_rules(engagement),
            count=plugin_settings.SLOT_PROPOSALS,
        )
        result[engagement.pk] = [
            SlotProposal(
                engagement=engagement,
                number=number,
                starts_at=proposal.starts_at,
                ends_at=proposal.ends_at,
                location=proposal.location[:200],
            )
            for number, proposal in enumerate(proposals, start=1)
        ]
        rows += result[engagement.pk]
        # The next engagement of this supervisor is offered other times.
        for proposal in proposals:
            busy.setdefault(("s", engagement.supervisor_id), []).append(
                (proposal.starts_at, proposal.ends_at)
            )
    SlotProposal.objects.bulk_create(rows)
    return result


def custom_first(engagement, starts_at: datetime.datetime, location: str = "") -> Proposal:
    """A first meeting that HR or the supervisor chose outside the proposals."""
    return Proposal(
        starts_at, starts_at + datetime.timedelta(minutes=engagement.meeting_minutes), location
    )


def plan_from(engagement, first: Proposal, *, custom: bool = False) -> list[Meeting]:
    """Inside ``atomic()``, for a locked engagement that is choosing its time: the series from
    ``first`` (``PlanError`` TAKEN when it is no longer free, NO_TIME when the rest finds no
    room), stored, the engagement PLANNED and everyone's invitations queued (sequence 0).

    ``custom``: a time picked by hand (checked against the working days and hours by the
    caller) counts as inside the supervisor's availability: the rest of the series then keeps
    its weekday and time where that is free.
    """
    supervisor = engagement.supervisor
    participants = participant_ids([engagement])[engagement.pk]
    lock_people([supervisor.pk], [*participants, supervisor.user_id])
    busy = calendars([supervisor.pk], [*participants, supervisor.user_id])
    people = people_of(supervisor.pk, supervisor.user_id, participants)
    availability, blocked = supervisor_terms([supervisor.pk])[supervisor.pk]
    rules = engagement_rules(engagement)
    if custom:
        zone = ZoneInfo(rules.timezone)
        local_start, local_end = first.starts_at.astimezone(zone), first.ends_at.astimezone(zone)
        if availability:
            availability = [
                *availability,
                Availability(
                    local_start.weekday(),
                    local_start.time().replace(tzinfo=None),
                    local_end.time().replace(tzinfo=None),
                    first.location,
                ),
            ]
        # A hand-picked day inside a blocked period is the supervisor's own choice.
        blocked = [p for p in blocked if not p.first <= local_start.date() <= p.last]
    slots = plan_series(
        first,
        availability=availability,
        blocked=blocked,
        busy=[interval for person in people for interval in busy.get(person, ())],
        rules=rules,
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(engagement=engagement, number=s.number, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in slots
    )
    engagement.change_state(EngagementState.PLANNED)
    keys = [user_key(pk) for pk in participants] + [supervisor_recipient_key(supervisor)]
    now = timezone.now()
    Delivery.objects.ensure(
        (DeliveryKind.INVITATION, meeting.pk, key, "seq0", now)
        for meeting in meetings
        for key in dict.fromkeys(keys)
    )
    transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_reminders_task"))
    return meetings
