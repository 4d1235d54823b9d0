"""The default meeting plan of new engagements, from the plugin's settings."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.models import ApplicationRound, Meeting
from tyonohjaus_plugin.scheduling import PlanRules, plan_meetings


def plan_rules() -> PlanRules:
    return PlanRules(
        meetings=plugin_settings.MEETINGS_PER_ENGAGEMENT,
        interval_days=plugin_settings.MEETING_INTERVAL_DAYS,
        duration_minutes=plugin_settings.MEETING_MINUTES,
        skip_july=plugin_settings.SKIP_JULY,
        skip_christmas=plugin_settings.SKIP_CHRISTMAS,
    )


def meeting_time() -> datetime.time:
    return datetime.time.fromisoformat(plugin_settings.MEETING_TIME)


def first_meeting_day(programme_starts_on, today: datetime.date) -> datetime.date:
    """The round's programme start, unless it is too close or past; else a fixed lead time."""
    earliest = today + datetime.timedelta(days=plugin_settings.FIRST_MEETING_AFTER_DAYS)
    if programme_starts_on and programme_starts_on >= earliest:
        return programme_starts_on
    return earliest


def plan_engagements(engagements) -> list[Meeting]:
    """Inside the confirming transaction: each engagement's meetings, stored in UTC."""
    rules, at = plan_rules(), meeting_time()
    today = timezone.localdate()
    starts = dict(
        ApplicationRound.objects.filter(
            pk__in={engagement.round_id for engagement in engagements}
        ).values_list("pk", "programme_starts_on")
    )
    meetings = [
        Meeting(
            engagement=engagement,
            number=slot.number,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        )
        for engagement in engagements
        for slot in plan_meetings(
            first_meeting_day(starts.get(engagement.round_id), today), at, rules
        )
    ]
    return Meeting.objects.bulk_create(meetings, batch_size=1000)
