"""Meeting plans: 3-5 meetings about three weeks apart, on Finnish working days, same wall time.

Days are reasoned about in local dates and the wall time is turned into UTC per meeting, so a
14:00 meeting stays 14:00 in Helsinki on both sides of a DST change (its UTC hour moves instead).

`plan_free_meetings` adds the people's calendars: every meeting inside working hours and clear of
the meetings the supervisor and the participants already have (with a gap between meetings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

# Longest blocked stretch a rule set can produce is July plus a weekend (~33 days); a search
# that needs longer means the rules block everything, which must fail loudly, not loop.
MAX_SEARCH_DAYS = 60
# How far past its target day a meeting may go looking for a free slot. Capacity keeps a
# supervisor far below this; beyond it the plan fails loudly rather than piling meetings up.
MAX_FREE_SEARCH_DAYS = 120
# A meeting first keeps the series' wall time on one of this many days from its target (spread
# over the week rather than stacked on one day); only then does it take another time of a day.
SAME_TIME_DAYS = 7
# Start times tried inside the working day, in minutes.
TIME_STEP_MINUTES = 15

WEEKEND, HOLIDAY, JULY, CHRISTMAS = "weekend", "holiday", "july", "christmas"
OUTSIDE_HOURS = "outside_hours"
# PlanError reasons of the free-slot planners: nothing free within the search, a stale choice.
NO_TIME, TAKEN = "no_time", "taken"

#: A busy stretch of someone's calendar: (start, end), aware.
Interval = tuple[datetime, datetime]


class PlanError(ValueError):
    """Invalid rules or a day that the rules do not allow; `reason` is a blocked-day code, or
    NO_TIME / TAKEN from the free-slot planners."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class PlanRules:
    meetings: int = 4  # 3..5
    interval_days: int = 21  # about every three weeks; 7..42
    duration_minutes: int = 90  # 60..90
    skip_july: bool = True  # Finnish summer holidays
    skip_christmas: bool = True  # 24 Dec .. 6 Jan (Christmas to Epiphany)
    weekdays_only: bool = True
    timezone: str = "Europe/Helsinki"
    day_starts: time = time(8)  # working hours, local wall time
    day_ends: time = time(16)
    gap_minutes: int = 15  # free time kept between two meetings of one person; 0..240

    def __post_init__(self) -> None:
        # Checked here so that an invalid rule set cannot exist at all.
        for name, low, high in (
            ("meetings", 3, 5),
            ("interval_days", 7, 42),
            ("duration_minutes", 60, 90),
            ("gap_minutes", 0, 240),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise PlanError(f"{name} must be an integer from {low} to {high}, got {value!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise PlanError(f"unknown time zone {self.timezone!r}") from exc
        for name in ("day_starts", "day_ends"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise PlanError(f"{name} must be a naive time, got {value!r}")
        if _minutes(self.day_ends) - _minutes(self.day_starts) < self.duration_minutes:
            raise PlanError(
                f"working hours {self.day_starts:%H:%M}-{self.day_ends:%H:%M} do not fit a "
                f"{self.duration_minutes}-minute meeting"
            )


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


DEFAULT_RULES = PlanRules()


@dataclass(frozen=True)
class Slot:
    number: int  # 1-based
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC


@lru_cache(maxsize=64)
def _finnish_holidays(year: int) -> frozenset[date]:
    # The package's default ("public") FI category already lists Midsummer Eve (Juhannusaatto,
    # first Friday from 19 June) and Christmas Eve (Jouluaatto): not statutory holidays, but
    # de-facto days off that the package counts as such. tests/test_scheduling.py pins this.
    return frozenset(holidays.country_holidays("FI", years=year))


def blocked_reason(day: date, rules: PlanRules) -> str | None:
    """Why no meeting can be on `day` under `rules`, or None when it is allowed.

    Broadest reason first: a user moving a meeting off 25 December needs to hear "christmas"
    (the whole window is closed), not "holiday" (as if 27 December would do).
    """
    if rules.skip_july and day.month == 7:
        return JULY
    if rules.skip_christmas and (day >= date(day.year, 12, 24) or day <= date(day.year, 1, 6)):
        return CHRISTMAS
    if day in _finnish_holidays(day.year):
        return HOLIDAY
    if rules.weekdays_only and day.weekday() >= 5:
        return WEEKEND
    return None


def next_allowed_day(day: date, rules: PlanRules) -> date:
    """`day` itself when allowed, otherwise the first allowed day after it."""
    for offset in range(MAX_SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if blocked_reason(candidate, rules) is None:
            return candidate
    raise PlanError(f"no allowed day within {MAX_SEARCH_DAYS} days from {day.isoformat()}")


def _to_utc(day: date, at: time, rules: PlanRules) -> datetime:
    """The wall time `at` on `day` in the rules' zone, as UTC.

    fold=0 makes the two DST edge cases deterministic (zoneinfo semantics): a repeated hour
    (autumn, 03:00-04:00 in Helsinki) means its first, summer-time occurrence; a skipped hour
    (spring, 03:00-04:00) is read with the pre-change winter offset, so 03:30 becomes 04:30
    summer time. Meetings are daytime, so this only has to not crash.
    """
    if at.tzinfo is not None:
        raise PlanError("the meeting time must be a naive wall time in the rules' time zone")
    local = datetime.combine(day, at.replace(fold=0), tzinfo=ZoneInfo(rules.timezone))
    return local.astimezone(UTC)


def _slot(number: int, day: date, at: time, duration: timedelta, rules: PlanRules) -> Slot:
    starts_at = _to_utc(day, at, rules)
    # Added in UTC: the meeting lasts exactly `duration` even if it spans a DST change.
    return Slot(number, starts_at, starts_at + duration)


def plan_meetings(first: date, at: time, rules: PlanRules = DEFAULT_RULES) -> list[Slot]:
    """`rules.meetings` slots from `first` on, each `interval_days` after the previous one's day.

    A blocked day moves forward to the next allowed one, and the next meeting counts from the
    moved day, so gaps never shrink below `interval_days`.
    """
    duration = timedelta(minutes=rules.duration_minutes)
    day = next_allowed_day(first, rules)
    slots = [_slot(1, day, at, duration, rules)]
    for number in range(2, rules.meetings + 1):
        day = next_allowed_day(day + timedelta(days=rules.interval_days), rules)
        slots.append(_slot(number, day, at, duration, rules))
    return slots


def move_slot(
    slot: Slot, new_day: date, at: time, rules: PlanRules, *, allow_blocked: bool = False
) -> Slot:
    """`slot` on `new_day` at local time `at`, same number and duration; blocked days raise
    unless `allow_blocked` (someone chose to meet outside working days)."""
    reason = blocked_reason(new_day, rules)
    if reason is not None and not allow_blocked:
        raise PlanError(f"{new_day.isoformat()} is not allowed: {reason}", reason=reason)
    return _slot(slot.number, new_day, at, slot.ends_at - slot.starts_at, rules)


def outside_hours_reason(starts_at: datetime, ends_at: datetime, rules: PlanRules) -> str | None:
    """Why a meeting from `starts_at` to `ends_at` is outside working days and hours, or None.

    A blocked day gives its own reason (see `blocked_reason`); a time before the day starts, after
    it ends or past midnight gives OUTSIDE_HOURS. Judged in local wall time.
    """
    zone = ZoneInfo(rules.timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    reason = blocked_reason(start.date(), rules)
    if reason is not None:
        return reason
    if end.date() != start.date() or start.time() < rules.day_starts or end.time() > rules.day_ends:
        return OUTSIDE_HOURS
    return None


def overlaps(
    starts_at: datetime, ends_at: datetime, busy: Iterable[Interval], gap: timedelta = timedelta()
) -> bool:
    """Whether the meeting comes closer than `gap` to any busy stretch (touching is fine at 0)."""
    return any(starts_at < end + gap and start < ends_at + gap for start, end in busy)


def _day_times(preferred: time, rules: PlanRules) -> list[time]:
    """Start times of a working day, `preferred` first, then every step from the day's start."""
    first, last = _minutes(rules.day_starts), _minutes(rules.day_ends) - rules.duration_minutes
    times = [preferred.replace(second=0, microsecond=0)]
    times += [time(m // 60, m % 60) for m in range(first, last + 1, TIME_STEP_MINUTES)]
    return list(dict.fromkeys(times))


#: Whatever else a candidate slot must satisfy beyond working hours and free calendars (e.g. the
#: supervisor's availability); None accepts every slot inside working hours.
Fits = Callable[[Slot], bool]


def _is_free(
    slot: Slot, rules: PlanRules, busy: list[Interval], gap: timedelta, fits: Fits | None
) -> bool:
    """The one test of a candidate: working day and hours, `fits`, then clear of `busy`."""
    if outside_hours_reason(slot.starts_at, slot.ends_at, rules) is not None:
        return False  # e.g. a preferred time that does not fit the working day
    if fits is not None and not fits(slot):
        return False
    return not overlaps(slot.starts_at, slot.ends_at, busy, gap)


def _first_free(
    number: int,
    target: date,
    at: time,
    rules: PlanRules,
    busy: list[Interval],
    *,
    fits: Fits | None = None,
    times: Callable[[date], Sequence[time]] | None = None,
) -> Slot:
    """The first free slot from `target` on: the series' wall time `at` on a day of the coming
    week, then `at` and the other start times (`times(day)`, the working day's by default) of
    each day in turn."""
    duration, gap = timedelta(minutes=rules.duration_minutes), timedelta(minutes=rules.gap_minutes)
    day_times = _day_times(at, rules)

    def free(day: date, candidate: time) -> Slot | None:
        slot = _slot(number, day, candidate, duration, rules)
        return slot if _is_free(slot, rules, busy, gap, fits) else None

    days = [
        day
        for day in (target + timedelta(days=n) for n in range(MAX_FREE_SEARCH_DAYS + 1))
        if blocked_reason(day, rules) is None
    ]
    # The series' wall time on a later day of the week, before another time on the same day.
    for day in days:
        if day - target >= timedelta(days=SAME_TIME_DAYS):
            break
        if slot := free(day, at):
            return slot
    for day in days:
        candidates = day_times if times is None else dict.fromkeys([day_times[0], *times(day)])
        for candidate in candidates:
            if slot := free(day, candidate):
                return slot
    raise PlanError(
        f"no free {rules.duration_minutes}-minute slot within {MAX_FREE_SEARCH_DAYS} days "
        f"from {target.isoformat()}",
        reason=NO_TIME,
    )


def _continue_series(
    slots: list[Slot],
    rules: PlanRules,
    busy: list[Interval],
    *,
    fits: Fits | None = None,
    times: Callable[[date], Sequence[time]] | None = None,
) -> list[Slot]:
    """`slots` (the series so far, at least one) completed to `rules.meetings`: each next meeting
    looked for from `interval_days` after the previous one's local day, at its wall time first."""
    zone = ZoneInfo(rules.timezone)
    while len(slots) < rules.meetings:
        local = slots[-1].starts_at.astimezone(zone)
        target = local.date() + timedelta(days=rules.interval_days)
        at = local.time().replace(tzinfo=None)
        slots.append(_first_free(len(slots) + 1, target, at, rules, busy, fits=fits, times=times))
    return slots


def plan_free_meetings(
    first: date, at: time, busy: Iterable[Interval], rules: PlanRules = DEFAULT_RULES
) -> list[Slot]:
    """`rules.meetings` slots like `plan_meetings`, each inside working days and hours and at
    least `gap_minutes` away from every `busy` stretch (the calendars of everyone taking part).

    Each meeting is looked for from its target day (`first`, then `interval_days` after the
    previous meeting's day), at the series' wall time first: the first meeting's time is kept for
    the rest whenever it is free, so the series keeps its rhythm and time across DST changes.
    """
    if at.tzinfo is not None:
        raise PlanError("the meeting time must be a naive wall time in the rules' time zone")
    busy = list(busy)
    return _continue_series([_first_free(1, first, at, rules, busy)], rules, busy)
