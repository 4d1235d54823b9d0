"""Meeting plans: 3-5 meetings about three weeks apart, on Finnish working days, same wall time.

Days are reasoned about in local dates and the wall time is turned into UTC per meeting, so a
14:00 meeting stays 14:00 in Helsinki on both sides of a DST change (its UTC hour moves instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

# Longest blocked stretch a rule set can produce is July plus a weekend (~33 days); a search
# that needs longer means the rules block everything, which must fail loudly, not loop.
MAX_SEARCH_DAYS = 60

WEEKEND, HOLIDAY, JULY, CHRISTMAS = "weekend", "holiday", "july", "christmas"


class PlanError(ValueError):
    """Invalid rules or a day that the rules do not allow; `reason` is a blocked-day code."""

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

    def __post_init__(self) -> None:
        # Checked here so that an invalid rule set cannot exist at all.
        for name, low, high in (
            ("meetings", 3, 5),
            ("interval_days", 7, 42),
            ("duration_minutes", 60, 90),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise PlanError(f"{name} must be an integer from {low} to {high}, got {value!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise PlanError(f"unknown time zone {self.timezone!r}") from exc


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


def move_slot(slot: Slot, new_day: date, at: time, rules: PlanRules) -> Slot:
    """`slot` on `new_day` at local time `at`, same number and duration; blocked days raise."""
    reason = blocked_reason(new_day, rules)
    if reason is not None:
        raise PlanError(f"{new_day.isoformat()} is not allowed: {reason}", reason=reason)
    return _slot(slot.number, new_day, at, slot.ends_at - slot.starts_at, rules)
