"""Meeting times that fit the supervisor: weekly availability windows and blocked periods on top
of the plan rules (allowed days, working hours) and everyone's calendars (with the gap).

`propose_slots` offers a few first meetings on different days for the participants to choose
from; `plan_series` plans the rest of the series from the chosen one; `fits_availability` checks a
single meeting (a move). Candidates go through plan.py's one free-slot test (`_is_free`) with the
availability as its `fits` predicate, so these and `plan_free_meetings` cannot disagree on what
"free" means.

Windows are local wall time in `rules.timezone`. A meeting fits when it lies wholly inside one
window of its weekday (no availability at all: the working day of every allowed day, as
`plan_free_meetings` plans). Start times step by TIME_STEP_MINUTES from the working day's start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tyonohjaus_plugin.scheduling.plan import (
    MAX_FREE_SEARCH_DAYS,
    TAKEN,
    TIME_STEP_MINUTES,
    Interval,
    PlanError,
    PlanRules,
    Slot,
    _continue_series,
    _is_free,
    _minutes,
    _slot,
    _to_utc,
    blocked_reason,
    outside_hours_reason,
)

# Proposals are chosen among the free days of this many days from the first free one (a wider
# look only when those run out): a choice of "Tuesday or in five weeks" is no choice.
SPREAD_DAYS = 14
# Another time of day: a proposal this far (in minutes) from the others counts as fully different.
SPREAD_MINUTES = 180


@dataclass(frozen=True)
class Availability:
    """A weekly window of the supervisor, local wall time in `rules.timezone`."""

    weekday: int  # 0 = Monday .. 6 = Sunday
    starts: time  # naive
    ends: time  # naive, > starts
    location: str = ""  # opaque label shown to people ("Online", "Room B204"); carried along

    def __post_init__(self) -> None:
        if isinstance(self.weekday, bool) or self.weekday not in range(7):
            raise PlanError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday!r}")
        for name in ("starts", "ends"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise PlanError(f"{name} must be a naive time, got {value!r}")
        if self.ends <= self.starts:
            raise PlanError(
                f"the window {self.starts:%H:%M}-{self.ends:%H:%M} ends before it starts"
            )


@dataclass(frozen=True)
class BlockedPeriod:
    """A closed stretch of the supervisor (holiday etc.), local dates, both inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PlanError(f"the blocked period {self.first}..{self.last} ends before it starts")


@dataclass(frozen=True)
class Proposal:
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC
    location: str = ""


class _Supervisor:
    """Availability and blocked periods, indexed for the planners."""

    def __init__(
        self,
        availability: Sequence[Availability],
        blocked: Sequence[BlockedPeriod],
        rules: PlanRules,
    ) -> None:
        self.rules = rules
        self.zone = ZoneInfo(rules.timezone)
        self.blocked = tuple(blocked)
        # No availability kept: the working day, every day (the allowed days come from the rules).
        windows = availability or [
            Availability(weekday, rules.day_starts, rules.day_ends) for weekday in range(7)
        ]
        # Sorted so that a meeting inside two windows always carries the same location.
        self.windows: dict[int, list[Availability]] = {weekday: [] for weekday in range(7)}
        for window in sorted(windows, key=lambda w: (w.starts, w.ends, w.location)):
            self.windows[window.weekday].append(window)
        self._grid: dict[int, list[time]] = {}

    def is_blocked(self, day: date) -> bool:
        return any(period.first <= day <= period.last for period in self.blocked)

    def is_open(self, day: date) -> bool:
        return (
            bool(self.windows[day.weekday()])
            and blocked_reason(day, self.rules) is None
            and not self.is_blocked(day)
        )

    def location(self, starts_at: datetime, ends_at: datetime) -> str | None:
        """The location of the first window holding the whole meeting, None when none does or the
        day is in a blocked period. Working hours and allowed days are the caller's check."""
        start, end = starts_at.astimezone(self.zone), ends_at.astimezone(self.zone)
        if end.date() != start.date() or self.is_blocked(start.date()):
            return None
        begins, finishes = start.time(), end.time()
        for window in self.windows[start.weekday()]:
            if window.starts <= begins and finishes <= window.ends:
                return window.location
        return None

    def fits(self, slot: Slot) -> bool:
        return self.location(slot.starts_at, slot.ends_at) is not None

    def times(self, day: date) -> list[time]:
        """Start times on the day inside its windows and the working day, on the grid."""
        if not self.is_open(day):
            return []
        weekday = day.weekday()
        if weekday not in self._grid:
            rules, step = self.rules, TIME_STEP_MINUTES
            origin = _minutes(rules.day_starts)  # the grid of plan.py's _day_times
            starts = set()
            for window in self.windows[weekday]:
                # A window starting at 9:10:30 first allows 9:11; the grid then rounds up.
                low = max(
                    _minutes(window.starts)
                    + bool(window.starts.second or window.starts.microsecond),
                    origin,
                )
                high = min(_minutes(window.ends), _minutes(rules.day_ends))
                first = origin + -(-(low - origin) // step) * step
                starts.update(range(first, high - rules.duration_minutes + 1, step))
            self._grid[weekday] = [time(m // 60, m % 60) for m in sorted(starts)]
        return self._grid[weekday]


def fits_availability(
    starts_at: datetime,
    ends_at: datetime,
    availability: Sequence[Availability],
    blocked: Sequence[BlockedPeriod],
    rules: PlanRules,
) -> bool:
    """Whether a meeting is on an allowed day, inside working hours, wholly inside one window and
    not in a blocked period. Calendars (`overlaps`), length and the time grid are not checked:
    a moved meeting may start at any minute."""
    _require_aware(starts_at, ends_at)
    if outside_hours_reason(starts_at, ends_at, rules) is not None:
        return False
    return _Supervisor(availability, blocked, rules).location(starts_at, ends_at) is not None


def location_of(
    starts_at: datetime,
    ends_at: datetime,
    availability: Sequence[Availability],
    blocked: Sequence[BlockedPeriod],
    rules: PlanRules,
) -> str | None:
    """The location of the window a meeting falls in (e.g. for a series' later meetings), or
    None when it does not fit (see `fits_availability`)."""
    if not fits_availability(starts_at, ends_at, availability, blocked, rules):
        return None
    return _Supervisor(availability, blocked, rules).location(starts_at, ends_at)


def _require_aware(*moments: datetime) -> None:
    if any(moment.tzinfo is None for moment in moments):
        raise PlanError("meeting times must be timezone-aware")


def propose_slots(
    earliest: date,
    *,
    availability: Sequence[Availability],
    blocked: Sequence[BlockedPeriod],
    busy: Iterable[Interval],
    rules: PlanRules,
    count: int = 3,
) -> list[Proposal]:
    """Up to `count` free first meetings from `earliest` on, each on a different day, by time.

    The first is the earliest free slot; each next one is, among the free days of the SPREAD_DAYS
    from the first, one on a weekday not offered yet if any, at a time of day far from the
    others, the earliest such. Fewer (or none) when the calendars are that full within
    MAX_FREE_SEARCH_DAYS: nothing free is an answer, not an error.
    """
    if count < 1:
        return []
    supervisor = _Supervisor(availability, blocked, rules)
    busy = list(busy)
    duration, gap = timedelta(minutes=rules.duration_minutes), timedelta(minutes=rules.gap_minutes)
    last_day = earliest + timedelta(days=MAX_FREE_SEARCH_DAYS)

    def free_on(day: date) -> list[tuple[Proposal, int]]:
        """The day's free proposals with their local start minute."""
        times = supervisor.times(day)
        if not times:
            return []
        # Only what comes near the day is compared with each candidate.
        opens, closes = (
            _to_utc(day, time(0), rules),
            _to_utc(day + timedelta(days=1), time(0), rules),
        )
        near = [(start, end) for start, end in busy if start < closes + gap and opens < end + gap]
        found = []
        for at in times:
            slot = _slot(0, day, at, duration, rules)
            if _is_free(slot, rules, near, gap, supervisor.fits):
                location = supervisor.location(slot.starts_at, slot.ends_at) or ""
                found.append((Proposal(slot.starts_at, slot.ends_at, location), _minutes(at)))
        return found

    pool: dict[date, list[tuple[Proposal, int]]] = {}
    day = earliest
    while day <= last_day and not pool:
        if found := free_on(day):
            pool[day] = found
        day += timedelta(days=1)
    if not pool:
        return []
    first_day = next(iter(pool))
    chosen: list[tuple[Proposal, int]] = [pool[first_day][0]]
    chosen_days, weekdays = {first_day}, {first_day.weekday()}
    horizon = first_day + timedelta(days=SPREAD_DAYS)

    def spread(item: tuple[date, tuple[Proposal, int]]) -> tuple:
        # A weekday not offered yet, then a time of day far from the others, then the earliest.
        candidate_day, (proposal, minute) = item
        distance = min(min(abs(minute - other) for _, other in chosen), SPREAD_MINUTES)
        return (candidate_day.weekday() in weekdays, -distance, proposal.starts_at)

    while len(chosen) < count:
        while day < horizon and day <= last_day:
            if found := free_on(day):
                pool[day] = found
            day += timedelta(days=1)
        candidates = [
            (candidate_day, candidate)
            for candidate_day, found in pool.items()
            if candidate_day not in chosen_days
            for candidate in found
        ]
        if not candidates:
            if day > last_day:
                break
            horizon += timedelta(days=SPREAD_DAYS)
            continue
        best_day, best = min(candidates, key=spread)
        chosen.append(best)
        chosen_days.add(best_day)
        weekdays.add(best_day.weekday())
    return sorted((proposal for proposal, _ in chosen), key=lambda p: p.starts_at)


def plan_series(
    first: Proposal,
    *,
    availability: Sequence[Availability],
    blocked: Sequence[BlockedPeriod],
    busy: Iterable[Interval],
    rules: PlanRules,
) -> list[Slot]:
    """`rules.meetings` slots, the first exactly `first`, the others like `plan_free_meetings`
    (from `interval_days` after the previous meeting, at its wall time first) inside the
    availability and clear of `busy`.

    Raises PlanError with reason TAKEN when `first` no longer fits (someone took the time, the
    availability or the meeting length changed since it was proposed), NO_TIME when a later
    meeting finds no free slot within MAX_FREE_SEARCH_DAYS.
    """
    _require_aware(first.starts_at, first.ends_at)
    supervisor = _Supervisor(availability, blocked, rules)
    busy = list(busy)
    gap = timedelta(minutes=rules.gap_minutes)
    opening = Slot(1, first.starts_at.astimezone(UTC), first.ends_at.astimezone(UTC))
    if opening.ends_at - opening.starts_at != timedelta(
        minutes=rules.duration_minutes
    ) or not _is_free(opening, rules, busy, gap, supervisor.fits):
        raise PlanError("the chosen first meeting is no longer free", reason=TAKEN)
    return _continue_series([opening], rules, busy, fits=supervisor.fits, times=supervisor.times)
