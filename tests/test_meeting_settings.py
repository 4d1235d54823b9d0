"""The meeting plan settings (working hours, gap, time, length): bad values are reported by the
system check tyonohjaus_plugin.E008 at start-up, not at the first confirm."""

import pytest

from tyonohjaus_plugin import checks
from tyonohjaus_plugin.engagements.plans import plan_rules


def e008(settings, value):
    settings.TYONOHJAUS_PLUGIN = value
    return [message.id for message in checks.check_meeting_plan(None)]


@pytest.mark.parametrize(
    "value",
    [
        {"WORKING_HOURS": ("16:00", "08:00")},
        {"WORKING_HOURS": ("08:00", "09:00")},  # no room for a 90-minute meeting
        {"WORKING_HOURS": ("8 am", "16:00")},
        {"WORKING_HOURS": ("08:00",)},
        {"WORKING_HOURS": "08:00-16:00"},
        {"MEETING_GAP_MINUTES": -5},
        {"MEETING_GAP_MINUTES": 600},
        {"MEETING_TIME": "25:00"},
        {"MEETING_TIME": "15:00"},  # 15:00-16:30 ends after the working day
        {"MEETING_TIME": "07:30"},
        {"MEETING_MINUTES": 120},
        {"MEETING_INTERVAL_DAYS": 2},
    ],
)
def test_e008_bad_meeting_plan_settings(settings, value):
    assert e008(settings, value) == ["tyonohjaus_plugin.E008"]


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"WORKING_HOURS": ("09:00", "17:00"), "MEETING_TIME": "15:30", "MEETING_GAP_MINUTES": 0},
        {"WORKING_HOURS": ["08:00", "09:30"], "MEETING_TIME": "08:00"},
    ],
)
def test_e008_silent_on_good_settings(settings, value):
    assert e008(settings, value) == []


def test_the_settings_reach_the_plan_rules(settings):
    settings.TYONOHJAUS_PLUGIN = {"WORKING_HOURS": ("09:00", "17:00"), "MEETING_GAP_MINUTES": 30}
    rules = plan_rules()
    assert (rules.day_starts.hour, rules.day_ends.hour, rules.gap_minutes) == (9, 17, 30)
