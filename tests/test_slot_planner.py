"""The availability-aware slot planner: proposals to choose a first meeting from and the series
planned from the chosen one, inside the supervisor's weekly windows and blocked periods, the plan
rules and everyone's calendars. Pure: no database.

The properties are judged by `violations`, written here from the rules rather than with the
planner's own predicates, so a bug shared by the planner and its checks cannot hide.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tyonohjaus_plugin.scheduling import (
    NO_TIME,
    TAKEN,
    Availability,
    BlockedPeriod,
    PlanError,
    PlanRules,
    Proposal,
    blocked_reason,
    fits_availability,
    location_of,
    outside_hours_reason,
    plan_free_meetings,
    plan_series,
    propose_slots,
)
from tyonohjaus_plugin.scheduling.plan import MAX_FREE_SEARCH_DAYS, TIME_STEP_MINUTES

HELSINKI = ZoneInfo("Europe/Helsinki")
RULES = PlanRules()
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def d(text):
    return date.fromisoformat(text)


def at_local(text):
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI).astimezone(UTC)


def shown(meetings):
    return [m.starts_at.astimezone(HELSINKI).strftime("%a %d.%m.%Y %H:%M") for m in meetings]


def minutes(at):
    return at.hour * 60 + at.minute


def violations(starts_at, ends_at, availability, blocked, rules, *, grid=True):
    """Every rule a meeting breaks, judged from the rules' definitions (empty: it is fine)."""
    start, end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
    found = []
    if blocked_reason(start.date(), rules) is not None:
        found.append("day not allowed")
    if end.date() != start.date():
        found.append("past midnight")
    if start.time() < rules.day_starts or end.time() > rules.day_ends:
        found.append("outside working hours")
    windows = availability or [Availability(start.weekday(), rules.day_starts, rules.day_ends)]
    if not any(
        w.weekday == start.weekday() and w.starts <= start.time() and end.time() <= w.ends
        for w in windows
    ):
        found.append("outside availability")
    if any(p.first <= start.date() <= p.last for p in blocked):
        found.append("blocked period")
    if ends_at - starts_at != timedelta(minutes=rules.duration_minutes):
        found.append("wrong length")
    if grid and (minutes(start) - minutes(rules.day_starts)) % TIME_STEP_MINUTES:
        found.append("off the grid")
    return found


def too_close(starts_at, ends_at, busy, gap_minutes):
    gap = timedelta(minutes=gap_minutes)
    return [(s, e) for s, e in busy if starts_at < e + gap and s < ends_at + gap]


def earliest_free(earliest, availability, blocked, busy, rules):
    """Brute force: the first grid start from `earliest` that breaks nothing, or None."""
    for offset in range(MAX_FREE_SEARCH_DAYS + 1):
        day = earliest + timedelta(days=offset)
        for m in range(minutes(rules.day_starts), 24 * 60, TIME_STEP_MINUTES):
            starts_at = datetime.combine(day, time(m // 60, m % 60), HELSINKI).astimezone(UTC)
            ends_at = starts_at + timedelta(minutes=rules.duration_minutes)
            if not violations(starts_at, ends_at, availability, blocked, rules) and not too_close(
                starts_at, ends_at, busy, rules.gap_minutes
            ):
                return starts_at
    return None


# -- Strategies ---------------------------------------------------------------------------------


ANY_WEEKDAY = st.integers(0, 6)


@st.composite
def windows(draw, weekdays=ANY_WEEKDAY):
    # Any minute, so that windows off the quarter-hour grid are tried too.
    starts = draw(st.integers(6 * 60, 16 * 60))
    ends = min(starts + draw(st.integers(30, 8 * 60)), 23 * 60 + 59)
    return Availability(
        draw(weekdays),
        time(starts // 60, starts % 60),
        time(ends // 60, ends % 60),
        draw(st.sampled_from(["", "Online", "Room B204"])),
    )


@st.composite
def rule_sets(draw):
    return PlanRules(
        meetings=draw(st.integers(3, 5)),
        interval_days=draw(st.integers(7, 42)),
        duration_minutes=draw(st.sampled_from([60, 75, 90])),
        skip_july=draw(st.booleans()),
        skip_christmas=draw(st.booleans()),
        weekdays_only=draw(st.booleans()),
        day_starts=draw(st.sampled_from([time(8), time(8, 10), time(9)])),
        day_ends=draw(st.sampled_from([time(16), time(17, 30)])),
        gap_minutes=draw(st.integers(0, 60)),
    )


@st.composite
def scenarios(draw):
    """(earliest, availability, blocked periods, busy intervals, rules) near one another."""
    earliest = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    availability = draw(st.lists(windows(), max_size=4))
    blocked = []
    for _ in range(draw(st.integers(0, 3))):
        first = earliest + timedelta(days=draw(st.integers(-10, 60)))
        blocked.append(BlockedPeriod(first, first + timedelta(days=draw(st.integers(0, 20)))))
    busy = []
    for _ in range(draw(st.integers(0, 25))):
        day = earliest + timedelta(days=draw(st.integers(0, 90)))
        start = draw(st.integers(7 * 4, 17 * 4)) * 15
        starts_at = datetime.combine(day, time(start // 60, start % 60), HELSINKI)
        busy.append((starts_at, starts_at + timedelta(minutes=draw(st.integers(15, 180)))))
    rules = draw(st.one_of(st.just(RULES), rule_sets()))
    return earliest, availability, blocked, busy, rules


# -- Proposals ----------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(scenario=scenarios(), count=st.integers(0, 4))
def test_proposals_fit_every_rule_on_distinct_days(scenario, count):
    earliest, availability, blocked, busy, rules = scenario
    proposals = propose_slots(
        earliest, availability=availability, blocked=blocked, busy=busy, rules=rules, count=count
    )
    assert len(proposals) <= count
    assert proposals == sorted(proposals, key=lambda p: p.starts_at)
    local_days = [p.starts_at.astimezone(HELSINKI).date() for p in proposals]
    assert len(set(local_days)) == len(local_days)
    for proposal, day in zip(proposals, local_days, strict=True):
        assert proposal.starts_at.utcoffset() == timedelta(0)
        assert earliest <= day <= earliest + timedelta(days=MAX_FREE_SEARCH_DAYS)
        assert violations(proposal.starts_at, proposal.ends_at, availability, blocked, rules) == []
        assert too_close(proposal.starts_at, proposal.ends_at, busy, rules.gap_minutes) == []
        assert fits_availability(proposal.starts_at, proposal.ends_at, availability, blocked, rules)
        # The location is the one of a window holding the meeting.
        start, end = proposal.starts_at.astimezone(HELSINKI), proposal.ends_at.astimezone(HELSINKI)
        assert proposal.location in {
            w.location
            for w in availability
            if w.weekday == day.weekday() and w.starts <= start.time() and end.time() <= w.ends
        } | ({""} if not availability else set())
    # The first proposal is the earliest free slot there is; none means there is none.
    if count:
        expected = earliest_free(earliest, availability, blocked, busy, rules)
        assert (proposals[0].starts_at if proposals else None) == expected
    else:
        assert proposals == []


def test_proposals_spread_over_weekdays_and_times_of_day():
    availability = [
        Availability(TUE, time(9), time(12), "Room B204"),
        Availability(THU, time(13), time(16), "Online"),
    ]
    proposals = propose_slots(
        d("2027-03-01"), availability=availability, blocked=[], busy=[], rules=RULES
    )
    assert proposals == [
        Proposal(at_local("2027-03-02T09:00"), at_local("2027-03-02T10:30"), "Room B204"),
        Proposal(at_local("2027-03-04T13:00"), at_local("2027-03-04T14:30"), "Online"),
        # No third weekday: the Tuesday time farthest from 9:00 and 13:00.
        Proposal(at_local("2027-03-09T10:30"), at_local("2027-03-09T12:00"), "Room B204"),
    ]
    # No availability kept: the working day; morning, midday, afternoon on three days.
    proposals = propose_slots(d("2027-03-01"), availability=[], blocked=[], busy=[], rules=RULES)
    assert shown(proposals) == [
        "Mon 01.03.2027 08:00",
        "Tue 02.03.2027 11:00",
        "Wed 03.03.2027 14:00",
    ]
    assert {p.location for p in proposals} == {""}


def test_proposals_step_around_busy_times_and_the_gap():
    availability = [Availability(TUE, time(9), time(12), "Online")]
    # 9:00-10:45 is busy: with a 15-minute gap 11:00 is the first start, and 11:00-12:30 runs
    # past the window; Tuesday 2.3. is full, the first proposal is Tuesday 9.3. at 9:00.
    busy = [(at_local("2027-03-02T09:00"), at_local("2027-03-02T10:45"))]
    proposals = propose_slots(
        d("2027-03-01"), availability=availability, blocked=[], busy=busy, rules=RULES
    )
    assert shown(proposals) == [
        "Tue 09.03.2027 09:00",
        "Tue 16.03.2027 10:30",
        "Tue 23.03.2027 09:45",
    ]
    # Without the gap and 60-minute meetings, 10:45-11:45 fits on 2.3.
    rules = replace(RULES, gap_minutes=0, duration_minutes=60)
    proposals = propose_slots(
        d("2027-03-01"), availability=availability, blocked=[], busy=busy, rules=rules
    )
    assert shown(proposals)[0] == "Tue 02.03.2027 10:45"


def test_the_gap_reaches_across_midnight():
    """A meeting late the evening before still keeps the first start of the day `gap` away."""
    rules = replace(RULES, day_starts=time(0), gap_minutes=30)
    availability = [Availability(TUE, time(0), time(3))]
    busy = [(at_local("2027-03-01T23:30"), at_local("2027-03-01T23:50"))]
    proposals = propose_slots(
        d("2027-03-02"), availability=availability, blocked=[], busy=busy, rules=rules
    )
    assert shown(proposals)[0] == "Tue 02.03.2027 00:30"


@pytest.mark.parametrize(
    ("earliest", "weekday", "expected"),
    [
        # Independence Day Mon 6.12.2027; then Christmas window 24.12.-6.1.: 27.12. and 3.1. out.
        (
            "2027-12-06",
            MON,
            ["Mon 13.12.2027 09:00", "Mon 20.12.2027 10:30", "Mon 10.01.2028 09:45"],
        ),
        # Midsummer Eve Fri 25.6.2027, then July: the first Friday is 6.8.
        (
            "2027-06-21",
            FRI,
            ["Fri 06.08.2027 09:00", "Fri 13.08.2027 10:30", "Fri 20.08.2027 09:45"],
        ),
        # Good Friday 26.3. and Easter Monday 29.3.2027.
        (
            "2027-03-26",
            MON,
            ["Mon 05.04.2027 09:00", "Mon 12.04.2027 10:30", "Mon 19.04.2027 09:45"],
        ),
    ],
)
def test_proposals_keep_holidays_free(earliest, weekday, expected):
    availability = [Availability(weekday, time(9), time(12))]
    proposals = propose_slots(
        d(earliest), availability=availability, blocked=[], busy=[], rules=RULES
    )
    assert shown(proposals) == expected


def test_blocked_periods_and_closed_weekdays_give_no_proposals_rather_than_an_error():
    availability = [Availability(TUE, time(9), time(12))]
    summer = [BlockedPeriod(d("2027-03-01"), d("2027-03-12"))]
    proposals = propose_slots(
        d("2027-03-01"), availability=availability, blocked=summer, busy=[], rules=RULES
    )
    assert shown(proposals)[0] == "Tue 16.03.2027 09:00"
    everything = [BlockedPeriod(d("2027-01-01"), d("2028-12-31"))]
    assert (
        propose_slots(
            d("2027-03-01"), availability=availability, blocked=everything, busy=[], rules=RULES
        )
        == []
    )
    saturday = [Availability(SAT, time(9), time(12))]  # weekends are not allowed by the rules
    assert (
        propose_slots(d("2027-03-01"), availability=saturday, blocked=[], busy=[], rules=RULES)
        == []
    )
    # A window shorter than the meeting, or outside working hours, holds nothing either.
    short = [Availability(TUE, time(9), time(10)), Availability(WED, time(17), time(20))]
    assert (
        propose_slots(d("2027-03-01"), availability=short, blocked=[], busy=[], rules=RULES) == []
    )


# -- Series ------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(scenario=scenarios(), pick=st.integers(0, 2))
def test_series_fit_every_rule(scenario, pick):
    earliest, availability, blocked, busy, rules = scenario
    proposals = propose_slots(
        earliest, availability=availability, blocked=blocked, busy=busy, rules=rules
    )
    if not proposals:
        return
    first = proposals[pick % len(proposals)]
    try:
        slots = plan_series(
            first, availability=availability, blocked=blocked, busy=busy, rules=rules
        )
    except PlanError as exc:
        assert exc.reason == NO_TIME
        return
    assert [s.number for s in slots] == list(range(1, rules.meetings + 1))
    assert (slots[0].starts_at, slots[0].ends_at) == (first.starts_at, first.ends_at)
    days = [s.starts_at.astimezone(HELSINKI).date() for s in slots]
    assert all((b - a).days >= rules.interval_days for a, b in zip(days, days[1:], strict=False))
    for slot in slots:
        # A later meeting may keep an off-grid wall time of its predecessor, never leave a window.
        assert violations(slot.starts_at, slot.ends_at, availability, blocked, rules) == []
        assert too_close(slot.starts_at, slot.ends_at, busy, rules.gap_minutes) == []


def test_series_example_keeps_its_weekday_and_time():
    availability = [
        Availability(TUE, time(9), time(12), "Room B204"),
        Availability(THU, time(13), time(16), "Online"),
    ]
    first = Proposal(at_local("2027-03-04T13:00"), at_local("2027-03-04T14:30"), "Online")
    slots = plan_series(first, availability=availability, blocked=[], busy=[], rules=RULES)
    # 25.3., 15.4.; then 6.5. is Ascension Day and no Thursday 13:00 comes within the week after
    # it: the first free start after it is Tuesday 11.5. at 9:00, still 21+ days on.
    assert shown(slots) == [
        "Thu 04.03.2027 13:00",
        "Thu 25.03.2027 13:00",
        "Thu 15.04.2027 13:00",
        "Tue 11.05.2027 09:00",
    ]
    assert [location_of(s.starts_at, s.ends_at, availability, [], RULES) for s in slots] == [
        "Online",
        "Online",
        "Online",
        "Room B204",
    ]
    # A busy Thursday 25.3. afternoon (gap 15 min): no Thursday 13:00 within the week after it
    # (Thu 1.4. is 7 days on), so meeting 2 takes the next free window, Tuesday 30.3. at 9:00.
    busy = [(at_local("2027-03-25T12:00"), at_local("2027-03-25T15:00"))]
    slots = plan_series(first, availability=availability, blocked=[], busy=busy, rules=RULES)
    assert shown(slots)[:2] == ["Thu 04.03.2027 13:00", "Tue 30.03.2027 09:00"]


def test_series_keeps_helsinki_wall_time_across_the_end_of_summer_time():
    # The last Sunday of October 2027 is the 31st: 14:00 is 11:00 UTC before, 12:00 UTC after.
    availability = [Availability(MON, time(13), time(16), "Online")]
    first = Proposal(at_local("2027-10-11T14:00"), at_local("2027-10-11T15:30"), "Online")
    slots = plan_series(first, availability=availability, blocked=[], busy=[], rules=RULES)
    assert shown(slots) == [
        "Mon 11.10.2027 14:00",
        "Mon 01.11.2027 14:00",
        "Mon 22.11.2027 14:00",
        "Mon 13.12.2027 14:00",
    ]
    assert [s.starts_at.hour for s in slots] == [11, 12, 12, 12]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=90) for s in slots)


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(2026, 2030),
    offset=st.integers(0, 60),
    hour=st.integers(8, 14),
)
def test_series_across_october_keeps_wall_time(year, offset, hour):
    """With nothing else booked, every meeting keeps the first one's Helsinki wall time."""
    days = (date(year, 9, 1) + timedelta(days=offset + n) for n in range(30))
    first = next(day for day in days if blocked_reason(day, RULES) is None)
    starts_at = datetime.combine(first, time(hour), HELSINKI).astimezone(UTC)
    proposal = Proposal(starts_at, starts_at + timedelta(minutes=90))
    slots = plan_series(proposal, availability=[], blocked=[], busy=[], rules=RULES)
    assert {s.starts_at.astimezone(HELSINKI).time() for s in slots} == {time(hour)}


@settings(max_examples=80, deadline=None)
@given(scenario=scenarios())
def test_no_availability_plans_like_plan_free_meetings(scenario):
    """Empty availability and no blocked periods: today's planner, meeting for meeting."""
    earliest, _, _, busy, rules = scenario
    proposals = propose_slots(earliest, availability=[], blocked=[], busy=busy, rules=rules)
    for proposal in proposals:
        assert outside_hours_reason(proposal.starts_at, proposal.ends_at, rules) is None
    if not proposals:
        return
    first = proposals[-1]
    local = first.starts_at.astimezone(HELSINKI)
    try:
        expected = plan_free_meetings(local.date(), local.time(), busy, rules)
    except PlanError:
        expected = None
    try:
        slots = plan_series(first, availability=[], blocked=[], busy=busy, rules=rules)
    except PlanError as exc:
        assert exc.reason == NO_TIME
        slots = None
    assert slots == expected


@settings(max_examples=100, deadline=None)
@given(
    starts=st.datetimes(datetime(2027, 1, 1), datetime(2028, 12, 31), timezones=st.just(HELSINKI)),
    length=st.integers(15, 600),
    rules=st.one_of(st.just(RULES), rule_sets()),
)
def test_no_availability_fits_the_working_day(starts, length, rules):
    ends = starts + timedelta(minutes=length)
    assert fits_availability(starts, ends, [], [], rules) == (
        outside_hours_reason(starts, ends, rules) is None
    )


# -- Stale choices ---------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(scenario=scenarios(), shift=st.integers(-200, 200), pick=st.integers(0, 2))
def test_a_first_meeting_taken_since_it_was_proposed_raises_taken(scenario, shift, pick):
    earliest, availability, blocked, busy, rules = scenario
    proposals = propose_slots(
        earliest, availability=availability, blocked=blocked, busy=busy, rules=rules
    )
    if not proposals:
        return
    first = proposals[pick % len(proposals)]
    # Someone else's meeting lands within the gap of the chosen time.
    starts_at = first.starts_at + timedelta(minutes=shift)
    if not too_close(
        first.starts_at,
        first.ends_at,
        [(starts_at, starts_at + timedelta(minutes=30))],
        rules.gap_minutes,
    ):
        starts_at = first.starts_at
    taken = [*busy, (starts_at, starts_at + timedelta(minutes=30))]
    with pytest.raises(PlanError) as raised:
        plan_series(first, availability=availability, blocked=blocked, busy=taken, rules=rules)
    assert raised.value.reason == TAKEN


def test_a_stale_first_meeting_raises_taken():
    availability = [Availability(TUE, time(9), time(12), "Online")]
    first = Proposal(at_local("2027-03-02T09:00"), at_local("2027-03-02T10:30"), "Online")
    cases = {
        "busy since": {"busy": [(at_local("2027-03-02T10:30"), at_local("2027-03-02T11:00"))]},
        "window changed": {"availability": [Availability(TUE, time(10), time(12))]},
        "window gone": {"availability": [Availability(WED, time(9), time(12))]},
        "blocked since": {"blocked": [BlockedPeriod(d("2027-03-02"), d("2027-03-02"))]},
        "length changed": {"rules": replace(RULES, duration_minutes=60)},
    }
    for name, changes in cases.items():
        arguments = {
            "availability": availability,
            "blocked": [],
            "busy": [],
            "rules": RULES,
        } | changes
        with pytest.raises(PlanError) as raised:
            plan_series(first, **arguments)
        assert raised.value.reason == TAKEN, name
    assert len(plan_series(first, availability=availability, blocked=[], busy=[], rules=RULES)) == 4


def test_a_series_with_no_room_raises_no_time():
    availability = [Availability(TUE, time(9), time(12))]
    first = Proposal(at_local("2027-03-02T09:00"), at_local("2027-03-02T10:30"))
    closed = [BlockedPeriod(d("2027-03-03"), d("2027-12-31"))]
    with pytest.raises(PlanError) as raised:
        plan_series(first, availability=availability, blocked=closed, busy=[], rules=RULES)
    assert raised.value.reason == NO_TIME


# -- Many engagements, shared people ------------------------------------------------------------


@st.composite
def rounds(draw):
    earliest = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    rules = draw(st.one_of(st.just(RULES), rule_sets()))
    supervisors = [
        (
            draw(st.lists(windows(st.integers(0, 4)), min_size=1, max_size=3)),
            draw(
                st.lists(
                    st.builds(
                        lambda first, days: BlockedPeriod(first, first + timedelta(days=days)),
                        st.dates(earliest, earliest + timedelta(days=60)),
                        st.integers(0, 10),
                    ),
                    max_size=2,
                )
            ),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    engagements = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(supervisors) - 1),
                st.sets(st.integers(0, 5), min_size=1, max_size=3),  # a small pool: overlaps
                st.integers(0, 2),  # which proposal the participants pick
                st.integers(0, 20),  # days after the round's start the proposals begin
            ),
            min_size=2,
            max_size=8,
        )
    )
    return earliest, rules, supervisors, engagements


@settings(max_examples=60, deadline=None)
@given(round_=rounds())
def test_engagements_planned_one_after_another_never_double_book_anyone(round_):
    earliest, rules, supervisors, engagements = round_
    calendars = {}
    planned = []
    for supervisor, participants, pick, delay in engagements:
        availability, blocked = supervisors[supervisor]
        people = [("supervisor", supervisor), *(("participant", p) for p in participants)]
        busy = [interval for person in people for interval in calendars.get(person, [])]
        proposals = propose_slots(
            earliest + timedelta(days=delay),
            availability=availability,
            blocked=blocked,
            busy=busy,
            rules=rules,
        )
        if not proposals:
            continue
        try:
            slots = plan_series(
                proposals[pick % len(proposals)],
                availability=availability,
                blocked=blocked,
                busy=busy,
                rules=rules,
            )
        except PlanError as exc:
            assert exc.reason == NO_TIME
            continue
        for slot in slots:
            planned.append((supervisor, slot))
            for person in people:
                calendars.setdefault(person, []).append((slot.starts_at, slot.ends_at))
    gap = timedelta(minutes=rules.gap_minutes)
    for meetings in calendars.values():
        meetings.sort()
        for (_, ends_at), (starts_at, _) in zip(meetings, meetings[1:], strict=False):
            assert starts_at >= ends_at + gap
    for supervisor, slot in planned:
        availability, blocked = supervisors[supervisor]
        assert violations(slot.starts_at, slot.ends_at, availability, blocked, rules) == []


# -- Single meetings and the types ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "fits", "location"),
    [
        ("2027-03-02T09:00", "2027-03-02T10:30", True, "Room B204"),
        ("2027-03-02T10:30", "2027-03-02T12:00", True, "Room B204"),  # ends as the window ends
        ("2027-03-02T10:35", "2027-03-02T12:05", False, None),
        ("2027-03-02T11:00", "2027-03-02T12:30", False, None),  # across two adjacent windows
        ("2027-03-02T12:00", "2027-03-02T13:00", True, "Online"),  # any minute, any length
        ("2027-03-02T14:30", "2027-03-02T16:00", True, "Online"),
        ("2027-03-02T15:00", "2027-03-02T16:30", False, None),  # the window, not the working day
        ("2027-03-09T09:00", "2027-03-09T10:30", False, None),  # blocked period
        ("2027-03-03T09:00", "2027-03-03T10:30", False, None),  # no window on Wednesday
        ("2027-12-28T09:00", "2027-12-28T10:30", False, None),  # Christmas window
    ],
)
def test_fits_availability(start, end, fits, location):
    availability = [
        Availability(TUE, time(9), time(12), "Room B204"),
        Availability(TUE, time(12), time(18), "Online"),
    ]
    blocked = [BlockedPeriod(d("2027-03-08"), d("2027-03-10"))]
    assert fits_availability(at_local(start), at_local(end), availability, blocked, RULES) is fits
    assert location_of(at_local(start), at_local(end), availability, blocked, RULES) == location


@pytest.mark.parametrize(
    "build",
    [
        lambda: Availability(7, time(9), time(12)),
        lambda: Availability(True, time(9), time(12)),
        lambda: Availability(MON, time(12), time(9)),
        lambda: Availability(MON, time(9), time(9)),
        lambda: Availability(MON, time(9, tzinfo=UTC), time(12)),
        lambda: Availability(MON, "09:00", time(12)),
        lambda: BlockedPeriod(d("2027-03-02"), d("2027-03-01")),
        lambda: fits_availability(datetime(2027, 3, 2, 9), datetime(2027, 3, 2, 10), [], [], RULES),
        lambda: plan_series(
            Proposal(datetime(2027, 3, 2, 9), datetime(2027, 3, 2, 10, 30)),
            availability=[],
            blocked=[],
            busy=[],
            rules=RULES,
        ),
    ],
)
def test_invalid_input_raises(build):
    with pytest.raises(PlanError):
        build()
