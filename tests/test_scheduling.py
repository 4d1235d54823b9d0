"""The pure meeting planner: Finnish holidays, July, Christmas, weekends, DST, working hours and
free slots. No database."""

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tyonohjaus_plugin.scheduling import (
    PlanError,
    PlanRules,
    Slot,
    blocked_reason,
    move_slot,
    next_allowed_day,
    outside_hours_reason,
    overlaps,
    plan_free_meetings,
    plan_meetings,
)
from tyonohjaus_plugin.scheduling import plan as plan_module

HELSINKI = ZoneInfo("Europe/Helsinki")
RULES = PlanRules()
EVERY_DAY = PlanRules(weekdays_only=False)  # to reach holidays that fall on weekends


def local_days(slots):
    return [s.starts_at.astimezone(HELSINKI).date() for s in slots]


def d(text):
    return date.fromisoformat(text)


def days(*texts):
    return [d(t) for t in texts]


# (first date, rules, expected meeting days); the comment names the day that was skipped.
HOLIDAY_PLANS = [
    # Good Friday 26.3.2027, then Sat, Sun and Easter Monday 29.3. -> Tue 30.3.
    ("2027-03-05", RULES, ("2027-03-05", "2027-03-30", "2027-04-20", "2027-05-11")),
    # Easter Monday 29.3.2027 -> Tue 30.3.
    ("2027-03-08", RULES, ("2027-03-08", "2027-03-30", "2027-04-20", "2027-05-11")),
    # Ascension Day Thu 6.5.2027 -> Fri 7.5.
    ("2027-04-15", RULES, ("2027-04-15", "2027-05-07", "2027-05-28", "2027-06-18")),
    # Midsummer Eve Fri 25.6.2027 -> Mon 28.6.; then 19.7. is July -> Mon 2.8. (1.8. is Sunday).
    ("2027-06-04", RULES, ("2027-06-04", "2027-06-28", "2027-08-02", "2027-08-23")),
    # Midsummer Day Sat 26.6.2027 (weekends allowed) -> Sun 27.6.
    ("2027-06-05", EVERY_DAY, ("2027-06-05", "2027-06-27", "2027-08-01", "2027-08-22")),
    # Independence Day Sun 6.12.2026 (weekends allowed) -> Mon 7.12.; 28.12. -> Thu 7.1.2027.
    ("2026-11-15", EVERY_DAY, ("2026-11-15", "2026-12-07", "2027-01-07", "2027-01-28")),
    # Independence Day Mon 6.12.2027 -> Tue 7.12.; 28.12. is Christmas -> Fri 7.1.2028.
    ("2027-11-15", RULES, ("2027-11-15", "2027-12-07", "2028-01-07", "2028-01-28")),
    # May Day Fri 1.5.2026 -> Mon 4.5.
    ("2026-04-10", RULES, ("2026-04-10", "2026-05-04", "2026-05-25", "2026-06-15")),
    # Christmas Eve Thu 24.12.2026 with the window open: 24., 25., 26.-27. (weekend) -> Mon 28.12.
    (
        "2026-12-03",
        replace(RULES, skip_christmas=False),
        ("2026-12-03", "2026-12-28", "2027-01-18", "2027-02-08"),
    ),
    # Epiphany Wed 6.1.2027 with the window open -> Thu 7.1.
    (
        "2026-12-16",
        replace(RULES, skip_christmas=False),
        ("2026-12-16", "2027-01-07", "2027-01-28", "2027-02-18"),
    ),
]


@pytest.mark.parametrize(("first", "rules", "expected"), HOLIDAY_PLANS)
def test_holidays_move_to_next_allowed_day(first, rules, expected):
    slots = plan_meetings(d(first), time(14), rules)
    assert local_days(slots) == days(*expected)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2027-03-26", "Good Friday"),
        ("2027-03-29", "Easter Monday"),
        ("2027-05-06", "Ascension Day"),
        ("2027-06-25", "Midsummer Eve"),
        ("2027-06-26", "Midsummer Day"),
        ("2026-12-06", "Independence Day"),
        ("2027-12-06", "Independence Day"),
        ("2026-05-01", "May Day"),
        ("2030-04-19", "Good Friday"),  # Easter-based dates come from the package, any year
        ("2028-06-23", "Midsummer Eve"),  # first Friday from 19 June
    ],
)
def test_finnish_holidays_are_blocked(day, name):
    # Midsummer Eve is not a statutory holiday; this pins that `holidays` FI still lists it.
    assert blocked_reason(d(day), EVERY_DAY) == "holiday", name


def test_ordinary_days_around_holidays_are_allowed():
    for day in ("2027-03-25", "2027-03-30", "2027-05-07", "2027-06-24", "2028-06-22"):
        assert blocked_reason(d(day), EVERY_DAY) is None, day


@pytest.mark.parametrize(
    ("first", "expected_winter", "expected_summer"),
    [
        # Crosses 28.3.2027 (EET -> EEST): 14:00 is 12:00Z, then 11:00Z.
        ("2027-03-08", 1, 3),
        # Crosses 31.10.2027 (EEST -> EET): 14:00 is 11:00Z, then 12:00Z.
        ("2027-10-11", 3, 1),
    ],
)
def test_local_time_survives_dst(first, expected_winter, expected_summer):
    slots = plan_meetings(d(first), time(14), RULES)
    local = [s.starts_at.astimezone(HELSINKI) for s in slots]
    assert [t.time() for t in local] == [time(14)] * 4
    assert all(s.starts_at.tzinfo is UTC for s in slots)
    utc_hours = [s.starts_at.hour for s in slots]
    assert utc_hours.count(12) == expected_winter
    assert utc_hours.count(11) == expected_summer


def test_dst_spring_series_concrete_instants():
    slots = plan_meetings(d("2027-03-08"), time(14), RULES)
    assert [s.starts_at for s in slots] == [
        datetime(2027, 3, 8, 12, tzinfo=UTC),
        datetime(2027, 3, 30, 11, tzinfo=UTC),
        datetime(2027, 4, 20, 11, tzinfo=UTC),
        datetime(2027, 5, 11, 11, tzinfo=UTC),
    ]
    assert [s.ends_at - s.starts_at for s in slots] == [timedelta(minutes=90)] * 4


def test_dst_autumn_series_concrete_instants():
    slots = plan_meetings(d("2027-10-11"), time(14), replace(RULES, meetings=3))
    assert [s.starts_at for s in slots] == [
        datetime(2027, 10, 11, 11, tzinfo=UTC),
        datetime(2027, 11, 1, 12, tzinfo=UTC),
        datetime(2027, 11, 22, 12, tzinfo=UTC),
    ]


def test_nonexistent_and_repeated_hours_are_deterministic():
    # 03:30 does not exist on 25.3.2029 (fold=0: read as winter time, i.e. 04:30 summer time)
    # and happens twice on 31.10.2027 (fold=0: the first, summer-time one). (28.3.2027 would
    # be Easter Sunday, a holiday.)
    spring = plan_meetings(d("2029-03-25"), time(3, 30), EVERY_DAY)[0]
    autumn = plan_meetings(d("2027-10-31"), time(3, 30), EVERY_DAY)[0]
    assert spring.starts_at == datetime(2029, 3, 25, 1, 30, tzinfo=UTC)
    assert spring.starts_at.astimezone(HELSINKI).time() == time(4, 30)
    assert autumn.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_july_skipped_when_configured():
    skipped = plan_meetings(d("2029-06-20"), time(10), RULES)
    kept = plan_meetings(d("2029-06-20"), time(10), replace(RULES, skip_july=False))
    # 11.7.2029 falls in July -> Wed 1.8.2029.
    assert local_days(skipped) == days("2029-06-20", "2029-08-01", "2029-08-22", "2029-09-12")
    assert local_days(kept) == days("2029-06-20", "2029-07-11", "2029-08-01", "2029-08-22")


def test_july_lands_on_next_working_day_after_first_of_august():
    # 1.8.2026 is a Saturday.
    assert next_allowed_day(d("2026-07-10"), RULES) == d("2026-08-03")
    assert next_allowed_day(d("2026-07-10"), replace(RULES, skip_july=False)) == d("2026-07-10")
    assert blocked_reason(d("2026-07-10"), RULES) == "july"
    assert blocked_reason(d("2026-06-30"), RULES) is None


def test_christmas_window_skipped_when_configured():
    skipped = plan_meetings(d("2027-12-08"), time(9), RULES)
    kept = plan_meetings(d("2027-12-08"), time(9), replace(RULES, skip_christmas=False))
    # 29.12.2027 is inside 24.12.-6.1. -> Fri 7.1.2028.
    assert local_days(skipped) == days("2027-12-08", "2028-01-07", "2028-01-28", "2028-02-18")
    assert local_days(kept) == days("2027-12-08", "2027-12-29", "2028-01-19", "2028-02-09")


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2027-12-23", None),
        ("2027-12-24", "christmas"),  # broadest reason wins over "holiday"
        ("2027-12-29", "christmas"),
        ("2028-01-03", "christmas"),
        ("2028-01-06", "christmas"),
        ("2028-01-07", None),
    ],
)
def test_christmas_window_edges(day, reason):
    assert blocked_reason(d(day), RULES) == reason


def test_christmas_window_off_leaves_holidays_blocked():
    open_window = replace(RULES, skip_christmas=False)
    assert blocked_reason(d("2027-12-24"), open_window) == "holiday"
    assert blocked_reason(d("2027-12-29"), open_window) is None


def test_weekends_skipped():
    assert blocked_reason(d("2027-01-09"), RULES) == "weekend"
    assert blocked_reason(d("2027-01-10"), RULES) == "weekend"
    assert blocked_reason(d("2027-01-09"), EVERY_DAY) is None
    assert next_allowed_day(d("2027-01-09"), RULES) == d("2027-01-11")
    assert local_days(plan_meetings(d("2027-01-09"), time(14), replace(RULES, meetings=3))) == days(
        "2027-01-11", "2027-02-01", "2027-02-22"
    )


def test_next_allowed_day_returns_allowed_day_itself():
    assert next_allowed_day(d("2027-01-11"), RULES) == d("2027-01-11")


def test_move_slot_keeps_number_duration_and_local_time():
    slot = plan_meetings(d("2027-03-08"), time(14), replace(RULES, duration_minutes=75))[0]
    moved = move_slot(slot, d("2027-04-01"), time(14), RULES)
    assert moved == Slot(
        1, datetime(2027, 4, 1, 11, tzinfo=UTC), datetime(2027, 4, 1, 12, 15, tzinfo=UTC)
    )
    later = move_slot(slot, d("2027-04-01"), time(9, 30), RULES)
    assert later.starts_at == datetime(2027, 4, 1, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "reason"),
    [("2027-03-29", "holiday"), ("2027-03-27", "weekend"), ("2027-07-05", "july")],
)
def test_move_slot_to_blocked_day_raises(day, reason):
    slot = plan_meetings(d("2027-03-08"), time(14), RULES)[0]
    with pytest.raises(PlanError, match=day) as error:
        move_slot(slot, d(day), time(14), RULES)
    assert error.value.reason == reason


@pytest.mark.parametrize(
    "changes",
    [
        {"meetings": 2},
        {"meetings": 6},
        {"interval_days": 6},
        {"interval_days": 43},
        {"duration_minutes": 59},
        {"duration_minutes": 91},
        {"meetings": 4.0},
        {"meetings": True},
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": ""},
    ],
)
def test_invalid_rules_raise(changes):
    with pytest.raises(PlanError):
        PlanRules(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"meetings": 3, "interval_days": 7, "duration_minutes": 60},
        {"meetings": 5, "interval_days": 42, "duration_minutes": 90},
    ],
)
def test_rule_bounds_are_inclusive(changes):
    rules = PlanRules(**changes)
    slots = plan_meetings(d("2027-02-01"), time(12), rules)
    assert len(slots) == changes["meetings"]


def test_aware_time_is_rejected():
    with pytest.raises(PlanError):
        plan_meetings(d("2027-02-01"), time(12, tzinfo=UTC), RULES)


def test_search_is_capped(monkeypatch):
    monkeypatch.setattr(plan_module, "blocked_reason", lambda day, rules: "holiday")
    with pytest.raises(PlanError, match="60 days"):
        next_allowed_day(d("2027-02-01"), RULES)


@st.composite
def rule_sets(draw):
    return PlanRules(
        meetings=draw(st.integers(3, 5)),
        interval_days=draw(st.integers(7, 42)),
        duration_minutes=draw(st.integers(60, 90)),
        skip_july=draw(st.booleans()),
        skip_christmas=draw(st.booleans()),
        weekdays_only=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(
    first=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    at=st.builds(time, st.integers(8, 16), st.integers(0, 59)) | st.just(time(17)),
    rules=st.one_of(st.just(RULES), rule_sets()),
)
def test_plan_properties(first, at, rules):
    slots = plan_meetings(first, at, rules)
    assert [s.number for s in slots] == list(range(1, rules.meetings + 1))
    targets = [first]
    for i, slot in enumerate(slots):
        local = slot.starts_at.astimezone(HELSINKI)
        assert slot.starts_at.utcoffset() == timedelta(0)
        assert local.time() == at
        assert blocked_reason(local.date(), rules) is None
        assert slot.ends_at - slot.starts_at == timedelta(minutes=rules.duration_minutes)
        # Moved no further than needed: every day from the target to the meeting is blocked.
        target = targets[i]
        assert local.date() >= target
        skipped = (target + timedelta(days=n) for n in range((local.date() - target).days))
        assert all(blocked_reason(day, rules) is not None for day in skipped)
        targets.append(local.date() + timedelta(days=rules.interval_days))
    gaps = [(b - a).days for a, b in zip(local_days(slots), local_days(slots)[1:], strict=False)]
    assert all(gap >= rules.interval_days for gap in gaps)


def test_package_imports_without_django():
    code = (
        "import sys, tyonohjaus_plugin.scheduling; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'wagtail')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


# -- Free slots: working hours, a gap, nobody in two meetings at once ---------------------------


def at_local(text):
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI).astimezone(UTC)


def intervals(slots):
    return [(s.starts_at, s.ends_at) for s in slots]


def test_series_of_one_supervisor_spread_over_the_week_at_the_same_time():
    busy, plans = [], []
    for _ in range(6):
        slots = plan_free_meetings(d("2027-03-01"), time(14), busy)
        plans.append([s.starts_at.astimezone(HELSINKI).strftime("%a %d.%m. %H:%M") for s in slots])
        busy += intervals(slots)
    assert plans == [
        ["Mon 01.03. 14:00", "Mon 22.03. 14:00", "Mon 12.04. 14:00", "Mon 03.05. 14:00"],
        ["Tue 02.03. 14:00", "Tue 23.03. 14:00", "Tue 13.04. 14:00", "Tue 04.05. 14:00"],
        ["Wed 03.03. 14:00", "Wed 24.03. 14:00", "Wed 14.04. 14:00", "Wed 05.05. 14:00"],
        # Ascension Day Thu 6.5. -> Fri 7.5.
        ["Thu 04.03. 14:00", "Thu 25.03. 14:00", "Thu 15.04. 14:00", "Fri 07.05. 14:00"],
        # Good Friday 26.3. and Easter Monday 29.3. -> Tue 30.3.
        ["Fri 05.03. 14:00", "Tue 30.03. 14:00", "Tue 20.04. 14:00", "Tue 11.05. 14:00"],
        # The week's 14:00 slots are taken: the first day's morning.
        ["Mon 01.03. 08:00", "Mon 22.03. 08:00", "Mon 12.04. 08:00", "Mon 03.05. 08:00"],
    ]


def test_a_free_plan_keeps_the_gap_and_the_working_day():
    rules = replace(RULES, gap_minutes=30, day_starts=time(9), day_ends=time(12))
    monday = [(at_local("2027-03-01T10:00"), at_local("2027-03-01T11:00"))]
    # The series' time on the next day comes before another time on the same day.
    slot = plan_free_meetings(d("2027-03-01"), time(10), monday, rules)[0]
    assert slot.starts_at == at_local("2027-03-02T10:00")
    # Tue 2.3. to Mon 8.3. fully booked; on Monday 1.3. no 90 minutes of 9-12 stay 30 minutes
    # clear of 10-11: the first free day is Tue 9.3., at the series' time.
    full = [
        (at_local(f"{day}T09:00"), at_local(f"{day}T12:00"))
        for day in ("2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05", "2027-03-08")
    ]
    slot = plan_free_meetings(d("2027-03-01"), time(10), monday + full, rules)[0]
    assert slot.starts_at == at_local("2027-03-09T10:00")
    # With no gap, Monday 1.3. 9:00-10:30 still overlaps; 11:00-12:30 ends after the day.
    slot = plan_free_meetings(
        d("2027-03-01"), time(10), monday + full, replace(rules, gap_minutes=0)
    )[0]
    assert slot.starts_at == at_local("2027-03-09T10:00")
    rules = replace(rules, day_ends=time(12, 30), gap_minutes=0)
    slot = plan_free_meetings(d("2027-03-01"), time(10), monday + full, rules)[0]
    assert slot.starts_at == at_local("2027-03-01T11:00")  # touching the busy hour is fine


def test_the_preferred_time_outside_the_working_day_is_not_used():
    slot = plan_free_meetings(d("2027-03-01"), time(15, 30), [])[0]
    assert slot.starts_at == at_local("2027-03-01T08:00")  # 15:30-17:00 ends after 16:00


def test_free_plans_keep_local_time_across_dst():
    busy = intervals(plan_free_meetings(d("2027-03-08"), time(14), []))
    slots = plan_free_meetings(d("2027-03-08"), time(14), busy)
    local = [s.starts_at.astimezone(HELSINKI) for s in slots]
    assert {t.strftime("%H:%M") for t in local} == {"14:00"}
    assert {s.starts_at.hour for s in slots} == {12, 11}  # UTC+2 in March, UTC+3 from April


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        ("2027-04-14T14:00", "2027-04-14T15:30", None),
        ("2027-04-14T08:00", "2027-04-14T16:00", None),
        ("2027-04-14T23:30", "2027-04-15T01:00", "outside_hours"),
        ("2027-04-14T07:45", "2027-04-14T09:15", "outside_hours"),
        ("2027-04-14T15:00", "2027-04-14T16:30", "outside_hours"),
        ("2027-04-17T10:00", "2027-04-17T11:30", "weekend"),
        ("2027-05-06T10:00", "2027-05-06T11:30", "holiday"),
        ("2027-07-14T10:00", "2027-07-14T11:30", "july"),
    ],
)
def test_outside_hours_reason(start, end, reason):
    assert outside_hours_reason(at_local(start), at_local(end), RULES) == reason


def test_overlap_is_strict_without_a_gap_and_counts_the_gap_with_one():
    busy = [(at_local("2027-04-14T10:00"), at_local("2027-04-14T11:30"))]
    assert not overlaps(at_local("2027-04-14T11:30"), at_local("2027-04-14T13:00"), busy)
    assert overlaps(at_local("2027-04-14T11:29"), at_local("2027-04-14T13:00"), busy)
    gap = timedelta(minutes=15)
    assert overlaps(at_local("2027-04-14T11:30"), at_local("2027-04-14T13:00"), busy, gap)
    assert not overlaps(at_local("2027-04-14T11:45"), at_local("2027-04-14T13:00"), busy, gap)


@pytest.mark.parametrize(
    "changes",
    [
        {"day_starts": time(16), "day_ends": time(8)},
        {"day_starts": time(8), "day_ends": time(9)},  # too short for 90 minutes
        {"day_starts": time(8, tzinfo=UTC)},
        {"day_ends": "16:00"},
        {"gap_minutes": -1},
        {"gap_minutes": 241},
    ],
)
def test_invalid_working_hours_raise(changes):
    with pytest.raises(PlanError):
        PlanRules(**changes)


def test_a_full_calendar_fails_loudly():
    day = [(at_local("2027-01-01T00:00"), at_local("2027-12-31T00:00"))]
    with pytest.raises(PlanError, match="no free"):
        plan_free_meetings(d("2027-03-01"), time(14), day)


@settings(max_examples=150, deadline=None)
@given(
    first=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    at=st.builds(time, st.integers(8, 14), st.sampled_from([0, 15, 30, 45])),
    rules=st.one_of(st.just(RULES), rule_sets()),
    gap=st.integers(0, 60),
    series=st.integers(1, 8),
)
def test_free_plan_properties(first, at, rules, gap, series):
    """However many series one person gets: inside working days and hours, no two closer than
    the gap, each series in its rhythm."""
    rules = replace(rules, gap_minutes=gap)
    busy = []
    for _ in range(series):
        slots = plan_free_meetings(first, at, busy, rules)
        assert [s.number for s in slots] == list(range(1, rules.meetings + 1))
        for slot in slots:
            assert outside_hours_reason(slot.starts_at, slot.ends_at, rules) is None
            assert not overlaps(slot.starts_at, slot.ends_at, busy, timedelta(minutes=gap))
            assert slot.ends_at - slot.starts_at == timedelta(minutes=rules.duration_minutes)
        days_ = local_days(slots)
        assert days_[0] >= first
        assert all(
            (b - a).days >= rules.interval_days for a, b in zip(days_, days_[1:], strict=False)
        )
        busy += intervals(slots)
