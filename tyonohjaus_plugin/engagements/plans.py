"""The default meeting plan of new engagements, from the plugin's settings, and the people's
calendars it (and a move) is checked against: nobody is in two meetings at once."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from tyonohjaus_plugin.conf import meeting_plan_rules, plugin_settings
from tyonohjaus_plugin.models import (
    ApplicationRound,
    EngagementParticipant,
    Meeting,
    MeetingState,
    Supervisor,
)
from tyonohjaus_plugin.scheduling import PlanRules, plan_free_meetings


def plan_rules() -> PlanRules:
    return meeting_plan_rules()


def meeting_time() -> datetime.time:
    return datetime.time.fromisoformat(plugin_settings.MEETING_TIME)


def first_meeting_day(programme_starts_on, today: datetime.date) -> datetime.date:
    """The round's programme start, unless it is too close or past; else a fixed lead time."""
    earliest = today + datetime.timedelta(days=plugin_settings.FIRST_MEETING_AFTER_DAYS)
    if programme_starts_on and programme_starts_on >= earliest:
        return programme_starts_on
    return earliest


def lock_people(supervisor_ids, user_ids) -> None:
    """Inside ``atomic()``: lock the rows of everyone whose calendar is about to change.

    This is the no-double-booking guarantee under concurrency: every plan and every move locks
    the supervisors' rows, then the people's user rows, each in id order (no deadlock), and only
    then reads the calendars it checks against. A second confirm or move touching any of the same
    people waits for the first to commit and then sees its meetings (READ COMMITTED reads a fresh
    snapshot per statement). A database exclusion constraint cannot say this: a meeting's people
    are rows of other tables (supervisor, participants), and overlaps are per person.
    """
    list(
        Supervisor.objects.select_for_update()
        .filter(pk__in=set(supervisor_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=set(user_ids) - {None})
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _key(kind, pk):
    return (kind, pk)


def calendars(supervisor_ids, user_ids, *, exclude_meeting=None) -> dict:
    """Every person's meetings still to come (not cancelled), as {person: [(start, end), ...]};
    a person is ("s", supervisor id) or ("u", user id): an internal supervisor is both, so their
    meetings as a participant count too."""
    user_ids = set(user_ids) - {None}
    rows = list(
        Meeting.objects.filter(
            Q(engagement__supervisor_id__in=set(supervisor_ids))
            | Q(engagement__supervisor__user_id__in=user_ids)
            | Q(engagement__participants__user_id__in=user_ids),
            ends_at__gt=timezone.now(),
        )
        .exclude(state=MeetingState.CANCELLED)
        .exclude(pk=exclude_meeting)
        .values_list(
            "pk",
            "engagement_id",
            "engagement__supervisor_id",
            "engagement__supervisor__user_id",
            "starts_at",
            "ends_at",
        )
        .distinct()
    )
    participants = {}
    for engagement_id, user_id in EngagementParticipant.objects.filter(
        engagement_id__in={row[1] for row in rows}
    ).values_list("engagement_id", "user_id"):
        participants.setdefault(engagement_id, []).append(user_id)
    busy: dict = {}
    for _pk, engagement_id, supervisor_id, supervisor_user_id, starts_at, ends_at in rows:
        people = {_key("s", supervisor_id), _key("u", supervisor_user_id)}
        people |= {_key("u", user_id) for user_id in participants.get(engagement_id, ())}
        for person in people:
            busy.setdefault(person, []).append((starts_at, ends_at))
    return busy


def people_of(supervisor_id, supervisor_user_id, participant_ids) -> set:
    people = {_key("s", supervisor_id)} | {_key("u", pk) for pk in participant_ids}
    if supervisor_user_id is not None:
        people.add(_key("u", supervisor_user_id))
    return people


def plan_engagements(engagements, participants) -> list[Meeting]:
    """Inside the confirming transaction: each engagement's meetings, stored in UTC, in the free
    slots of its supervisor and participants (``participants``: engagement id -> user ids).

    Engagements are planned one after the other, each seeing the meetings planned before it, so
    a supervisor's engagements from one round spread over the week instead of sharing a time.
    """
    rules, at = plan_rules(), meeting_time()
    today = timezone.localdate()
    starts = dict(
        ApplicationRound.objects.filter(
            pk__in={engagement.round_id for engagement in engagements}
        ).values_list("pk", "programme_starts_on")
    )
    supervisor_users = dict(
        Supervisor.objects.filter(pk__in={e.supervisor_id for e in engagements}).values_list(
            "pk", "user_id"
        )
    )
    user_ids = {pk for ids in participants.values() for pk in ids} | set(supervisor_users.values())
    lock_people(supervisor_users, user_ids)
    busy = calendars(supervisor_users, user_ids)
    meetings = []
    for engagement in sorted(engagements, key=lambda e: e.pk or 0):
        people = people_of(
            engagement.supervisor_id,
            supervisor_users.get(engagement.supervisor_id),
            participants.get(engagement.pk, ()),
        )
        taken = [interval for person in people for interval in busy.get(person, ())]
        first = first_meeting_day(starts.get(engagement.round_id), today)
        own = replace(
            rules, meetings=engagement.meeting_count, duration_minutes=engagement.meeting_minutes
        )
        for slot in plan_free_meetings(first, at, taken, own):
            meetings.append(
                Meeting(
                    engagement=engagement,
                    number=slot.number,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                )
            )
            for person in people:
                busy.setdefault(person, []).append((slot.starts_at, slot.ends_at))
    return Meeting.objects.bulk_create(meetings, batch_size=1000)
