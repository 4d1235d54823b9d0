"""What "nobody is double-booked" means, checked over the whole database (shared by the
engagement, concurrency and demo tests)."""

from collections import defaultdict
from zoneinfo import ZoneInfo

from tyonohjaus_plugin.models import EngagementParticipant, Meeting


def meetings_by_person():
    """{person: [meeting, ...]} over every meeting that is not cancelled; a person is
    ("s", supervisor id) or ("u", user id), an internal supervisor both."""
    participants = defaultdict(set)
    for engagement_id, user_id in EngagementParticipant.objects.values_list(
        "engagement_id", "user_id"
    ):
        participants[engagement_id].add(user_id)
    people = defaultdict(list)
    meetings = Meeting.objects.exclude(state="cancelled").select_related("engagement__supervisor")
    for meeting in meetings:
        supervisor = meeting.engagement.supervisor
        keys = {("s", supervisor.pk)} | {("u", u) for u in participants[meeting.engagement_id]}
        if supervisor.user_id is not None:
            keys.add(("u", supervisor.user_id))
        for key in keys:
            people[key].append(meeting)
    return people


def double_bookings():
    """Every (person, meeting, meeting) where one person's two meetings overlap in time."""
    found = []
    for person, meetings in meetings_by_person().items():
        meetings.sort(key=lambda m: m.starts_at)
        for index, meeting in enumerate(meetings):
            for later in meetings[index + 1 :]:
                if later.starts_at >= meeting.ends_at:
                    break
                found.append((person, meeting.pk, later.pk))
    return found


def outside_working_hours(meetings):
    from tyonohjaus_plugin.engagements.plans import plan_rules
    from tyonohjaus_plugin.scheduling import outside_hours_reason

    rules = plan_rules()
    return [
        (m.pk, m.starts_at.astimezone(ZoneInfo(rules.timezone)).isoformat())
        for m in meetings
        if outside_hours_reason(m.starts_at, m.ends_at, rules) is not None
    ]
