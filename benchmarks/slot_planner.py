"""The availability-aware slot planner on a round: 500 engagements over 100 supervisors.

    .venv/bin/python benchmarks/slot_planner.py [--engagements 500] [--supervisors 100]
        [--people 1500] [--seed 1] [--starts 2027-02-01]

Pure Python, no database. Generates (seeded) supervisors with 2-3 weekly windows on weekdays
(8:00-16:00, each with a location) and for some of them blocked periods, and engagements with 1-4
participants drawn from a pool of people, about one in ten seats going to someone already in
another engagement; each engagement has its own number (3-5) and length (60-90 min) of meetings.
Then, engagement after engagement as the confirm does: ``propose_slots`` (3 proposals from the
calendars of the supervisor and every participant), one picked at random (seeded), as a
participant would, ``plan_series`` from it, and its meetings added to everyone's calendar.

Prints the time (total, per engagement, proposing vs series), engagements planned and failed
(nothing free within the search), and what an independent checker finds in the result: people
with two meetings overlapping (closer than 0 min) or closer than the gap, and meetings on a
weekend, a Finnish holiday (``holidays`` directly), in July or the Christmas window, outside
working hours, outside the supervisor's windows or in a blocked period. All of these must be 0;
the script exits 1 otherwise. Baseline in the same run: ``plan_free_meetings`` (today's planner:
working hours only, one default time, no availability) for the same engagements, its time and
the ratio, and what the same checker finds in its plans (it knows no availability).
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tyonohjaus_plugin.scheduling import (
    NO_TIME,
    Availability,
    BlockedPeriod,
    PlanError,
    PlanRules,
    Slot,
    plan_free_meetings,
    plan_series,
    propose_slots,
)

RULES = PlanRules()
DEFAULT_TIME = wall(14)  # the confirm's one default time before availability (conf.meeting_time)
LOCATIONS = ("Online", "Room B204", "Room A112", "Teams")


def out(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


@dataclass(frozen=True)
class Supervisor:
    availability: tuple[Availability, ...]
    blocked: tuple[BlockedPeriod, ...]


@dataclass(frozen=True)
class Engagement:
    supervisor: int
    participants: tuple[int, ...]
    rules: PlanRules
    earliest: date


def generate(args) -> tuple[list[Supervisor], list[Engagement], int]:
    rng = random.Random(args.seed)  # noqa: S311 (test data, not secrets)
    supervisors = []
    for _ in range(args.supervisors):
        windows = []
        for weekday in sorted(rng.sample(range(5), rng.choice((2, 2, 3)))):
            starts = rng.choice((8, 9, 10, 12)) * 60 + rng.choice((0, 0, 30))
            ends = min(starts + rng.choice((120, 180, 240, 360)), 16 * 60)
            windows.append(
                Availability(
                    weekday,
                    wall(starts // 60, starts % 60),
                    wall(ends // 60, ends % 60),
                    rng.choice(LOCATIONS),
                )
            )
        blocked = []
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            first = args.starts + timedelta(days=rng.randint(0, 100))
            blocked.append(BlockedPeriod(first, first + timedelta(days=rng.randint(2, 14))))
        supervisors.append(Supervisor(tuple(windows), tuple(blocked)))
    # Every supervisor about the same number of engagements (their capacities), in random order.
    owners = [n % args.supervisors for n in range(args.engagements)]
    rng.shuffle(owners)
    fresh = list(range(args.people))
    rng.shuffle(fresh)
    seated: list[int] = []
    engagements = []
    for owner in owners:
        participants: list[int] = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            again = [p for p in seated if p not in participants]
            if again and (rng.random() < 0.1 or not fresh):
                participants.append(rng.choice(again))  # someone in two engagements
            elif fresh:
                participants.append(fresh.pop())
        seated += participants
        rules = replace(
            RULES, meetings=rng.randint(3, 5), duration_minutes=rng.choice((60, 75, 90))
        )
        earliest = args.starts + timedelta(days=rng.randint(0, 10))
        engagements.append(Engagement(owner, tuple(participants), rules, earliest))
    shared = len(seated) - len(set(seated))
    return supervisors, engagements, shared


def people(engagement: Engagement) -> list[tuple[str, int]]:
    return [("supervisor", engagement.supervisor)] + [
        ("person", p) for p in engagement.participants
    ]


def plan_round(supervisors, engagements, seed):
    """The new planner, engagement after engagement: (plans, failed, seconds, propose seconds)."""
    rng = random.Random(seed)  # noqa: S311 (a seeded pick, as a participant would)
    calendars: dict[tuple[str, int], list[tuple[datetime, datetime]]] = {}
    plans: dict[int, list[Slot]] = {}
    failed = 0
    proposing = 0.0
    started = time.perf_counter()
    for number, engagement in enumerate(engagements):
        supervisor = supervisors[engagement.supervisor]
        busy = [interval for person in people(engagement) for interval in calendars.get(person, ())]
        before = time.perf_counter()
        proposals = propose_slots(
            engagement.earliest,
            availability=supervisor.availability,
            blocked=supervisor.blocked,
            busy=busy,
            rules=engagement.rules,
        )
        proposing += time.perf_counter() - before
        if not proposals:
            failed += 1
            continue
        try:
            slots = plan_series(
                rng.choice(proposals),
                availability=supervisor.availability,
                blocked=supervisor.blocked,
                busy=busy,
                rules=engagement.rules,
            )
        except PlanError as exc:
            if exc.reason != NO_TIME:
                raise
            failed += 1
            continue
        plans[number] = slots
        for person in people(engagement):
            calendars.setdefault(person, []).extend((s.starts_at, s.ends_at) for s in slots)
    return plans, failed, time.perf_counter() - started, proposing


def plan_round_baseline(engagements):
    """Today's planner for the same engagements: working hours, one default time."""
    calendars: dict[tuple[str, int], list[tuple[datetime, datetime]]] = {}
    plans: dict[int, list[Slot]] = {}
    failed = 0
    started = time.perf_counter()
    for number, engagement in enumerate(engagements):
        busy = [interval for person in people(engagement) for interval in calendars.get(person, ())]
        try:
            slots = plan_free_meetings(engagement.earliest, DEFAULT_TIME, busy, engagement.rules)
        except PlanError:
            failed += 1
            continue
        plans[number] = slots
        for person in people(engagement):
            calendars.setdefault(person, []).extend((s.starts_at, s.ends_at) for s in slots)
    return plans, failed, time.perf_counter() - started


# -- The independent checker: the rules restated, none of the planner's predicates -------------


def check(plans, supervisors, engagements) -> dict[str, int]:
    zone = ZoneInfo(RULES.timezone)
    finnish = holidays.country_holidays("FI", years=range(2026, 2031))
    found = dict.fromkeys(
        (
            "overlaps (0 min)",
            "closer than the gap",
            "weekend",
            "Finnish holiday",
            "July",
            "Christmas window",
            "outside working hours",
            "outside availability",
            "in a blocked period",
            "wrong length",
        ),
        0,
    )
    calendars: dict[tuple[str, int], list[tuple[datetime, datetime]]] = {}
    for number, slots in plans.items():
        engagement = engagements[number]
        supervisor = supervisors[engagement.supervisor]
        for slot in slots:
            for person in people(engagement):
                calendars.setdefault(person, []).append((slot.starts_at, slot.ends_at))
            start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
            day = start.date()
            found["weekend"] += day.weekday() >= 5
            found["Finnish holiday"] += day in finnish
            found["July"] += day.month == 7
            found["Christmas window"] += (day.month, day.day) >= (12, 24) or (
                day.month,
                day.day,
            ) <= (1, 6)
            found["outside working hours"] += (
                end.date() != day or start.time() < RULES.day_starts or end.time() > RULES.day_ends
            )
            found["outside availability"] += not any(
                w.weekday == day.weekday() and w.starts <= start.time() and end.time() <= w.ends
                for w in supervisor.availability
            )
            found["in a blocked period"] += any(
                p.first <= day <= p.last for p in supervisor.blocked
            )
            found["wrong length"] += slot.ends_at - slot.starts_at != timedelta(
                minutes=engagement.rules.duration_minutes
            )
    gap = timedelta(minutes=RULES.gap_minutes)
    for meetings in calendars.values():
        meetings.sort()
        for (_, ends_at), (starts_at, _) in zip(meetings, meetings[1:], strict=False):
            found["overlaps (0 min)"] += starts_at < ends_at
            found["closer than the gap"] += starts_at < ends_at + gap
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=500)
    parser.add_argument("--supervisors", type=int, default=100)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--starts", type=date.fromisoformat, default=date(2027, 2, 1))
    args = parser.parse_args()
    out(
        f"== Slot planner: {args.engagements} engagements, {args.supervisors} supervisors, "
        f"pool of {args.people} people == Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    supervisors, engagements, shared = generate(args)
    seats = sum(len(e.participants) for e in engagements)
    windows = sum(len(s.availability) for s in supervisors)
    periods = sum(len(s.blocked) for s in supervisors)
    out(
        f"generated: {seats} participant seats ({shared} held by someone in two engagements), "
        f"{windows} weekly windows, {periods} blocked periods, proposals from {args.starts} on"
    )

    plans, failed, seconds, proposing = plan_round(supervisors, engagements, args.seed)
    meetings = sum(len(slots) for slots in plans.values())
    per = 1000 * seconds / len(engagements)
    out(
        f"propose 3 + series: {seconds:.2f} s total, {per:.1f} ms per engagement "
        f"(proposing {proposing:.2f} s, series {seconds - proposing:.2f} s)"
    )
    out(f"planned {len(plans)}, failed {failed} (nothing free), {meetings} meetings")
    found = check(plans, supervisors, engagements)
    out("independent check: " + ", ".join(f"{name} {count}" for name, count in found.items()))
    clashes = sum(found.values())
    out(f"clashes found: {clashes}")

    base_plans, base_failed, base_seconds = plan_round_baseline(engagements)
    base_meetings = sum(len(slots) for slots in base_plans.values())
    out(
        f"baseline plan_free_meetings (one default time, no availability): {base_seconds:.2f} s "
        f"total, {1000 * base_seconds / len(engagements):.1f} ms per engagement; planned "
        f"{len(base_plans)}, failed {base_failed}, {base_meetings} meetings"
    )
    base_found = check(base_plans, supervisors, engagements)
    out(
        "baseline check: "
        + ", ".join(f"{name} {count}" for name, count in base_found.items() if count)
        + " (it does not know the windows or blocked periods)"
    )
    out(f"ratio new / baseline time: x{seconds / base_seconds:.2f}")
    return 1 if clashes else 0


if __name__ == "__main__":
    sys.exit(main())
