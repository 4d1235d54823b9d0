"""HR's reports (issue 19) over years of history, beside the applications listing.

Run from the repository root with the virtualenv:

    python benchmarks/reports.py                 # 10 years x 2 rounds x 2,000 applications
    python benchmarks/reports.py --full          # x 20,000: the issue's size (400,000)
    DATABASE_URL=postgres://... python benchmarks/reports.py --full

It migrates a fresh database (a temporary SQLite file, or a ``test_…`` database beside the one
``DATABASE_URL`` names), seeds ``--years`` years of two rounds each (``--per-round``
applications a round, plus a tenth as many between rounds each year) with ``bulk_create``:
a fifth groups of three; 70 % matched (internal or external supervisors with a cost), their
meetings held (planned for the running rounds), a few ended after the first meeting or by a
declared conflict; unmatched ones with a matching run's reason; an evaluation answer for every
second engagement. All rounds but the last two are anonymised, as the retention job leaves
them (no people, the unit kept), so the units come from both paths.

Then, logged in as HR, for each report page and the printable yearly report: the SQL queries
and the median and minimum time of ``--repeat`` requests after a warm-up, beside the
applications listing's (page 1) as the baseline of an admin page over the same rows. The goal:
under 1 s a report. Exits 1 when a report answers other than 200, 2 with ``--strict`` when a
goal is missed.
"""

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from admin_exports import machine, out, setup_django, teardown_django

GOAL_SECONDS = 1.0
REPORTS = "/admin/tyonohjaus/reports/"
LISTING = "/admin/tyonohjaus/applications/"
UNITS = [f"U{n:02d}" for n in range(40)]


def seed(years, per_round, rng):
    import uuid
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from tests.utils import group_for
    from tyonohjaus_plugin.models import (
        Application,
        ApplicationParticipant,
        ApplicationRound,
        EmployeeProfile,
        Engagement,
        EngagementParticipant,
        EvaluationAnswer,
        MatchRun,
        MatchUnmatched,
        Meeting,
        PrivacyNotice,
        Supervisor,
        SupervisorCapacity,
    )

    User = get_user_model()
    now = timezone.now()
    counts = dict.fromkeys(
        ("applications", "participants", "engagements", "meetings", "evaluations"), 0
    )
    with transaction.atomic():
        locale, _ = Locale.objects.get_or_create(language_code="fi")
        notice = PrivacyNotice.objects.create(
            version=90 + PrivacyNotice.objects.count(),
            title="Tietosuoja",
            body="<p>-</p>",
            effective_from=now.date(),
            locale=locale,
        )
        service = uuid.uuid4()
        supervisors = [
            Supervisor.objects.create(
                kind="external",
                name=f"Ohjaaja {n}",
                email=f"o{n}@example.org",
                cost_per_meeting=Decimal(120 + 10 * (n % 5)),
                default_capacity=40,
            )  # fmt: skip
            for n in range(40)
        ]
        for n in range(60):
            user = User.objects.create(username=f"sup{n}", first_name="Sisäinen", last_name=str(n))
            supervisors.append(
                Supervisor.objects.create(kind="internal", user=user, default_capacity=40)
            )
        rounds = []
        first_year = timezone.localdate().year - years
        for year in range(first_year, first_year + years):
            for half, month in ((0, 2), (1, 8)):
                opens = timezone.make_aware(datetime.datetime(year, month, 1))
                rounds.append(
                    ApplicationRound.objects.create(
                        service_key=service,
                        name=f"{'Kevät' if half == 0 else 'Syksy'} {year}",
                        opens_at=opens,
                        closes_at=opens + datetime.timedelta(days=21),
                        programme_ends_on=(opens + datetime.timedelta(days=150)).date(),
                        state="archived",
                    )
                )
        SupervisorCapacity.objects.bulk_create(
            SupervisorCapacity(supervisor=s, round=r, capacity=30)
            for r in rounds[::3]
            for s in supervisors[::4]
        )
        live_rounds = {r.pk for r in rounds[-2:]}
        # Live applicants (the last two rounds): users with a unit; the others are anonymised.
        live = (per_round * 2 + per_round // 10) * 2  # applicants and group members
        users = User.objects.bulk_create(
            (User(username=f"b{n}", first_name="Etu", last_name=f"Suku{n}") for n in range(live)),
            batch_size=5000,
        )
        EmployeeProfile.objects.bulk_create(
            (EmployeeProfile(user=u, unit_code=rng.choice(UNITS)) for u in users), batch_size=5000
        )
        spare = iter(users)
        for index, round in enumerate([*rounds, *[None] * years]):
            if round is None:
                year = first_year + index - len(rounds)
                sent = timezone.make_aware(datetime.datetime(year, 10, 1))
                size, is_live, round_id = per_round // 10, year == first_year + years - 1, None
            else:
                sent = round.opens_at + datetime.timedelta(days=5)
                size, is_live, round_id = per_round, round.pk in live_rounds, round.pk
            run = MatchRun.objects.create(round=round, state="done") if round else None
            applications = []
            for n in range(size):
                matched = rng.random() < 0.7
                applicant = next(spare) if is_live else None
                applications.append(
                    Application(
                        service_key=service,
                        round_id=round_id,
                        applicant=applicant,
                        format="group" if n % 5 == 0 else "individual",
                        languages=["fi"] if n % 7 else ["sv"],
                        consent_notice=notice,
                        consent_version=notice.version,
                        status=("completed" if matched else "rejected"),
                        submitted_at=sent + datetime.timedelta(hours=n % 400),
                        status_changed_at=sent + datetime.timedelta(days=120),
                        unit_code="" if is_live else rng.choice(UNITS),
                        anonymised_at=None if is_live else now,
                    )
                )
            applications = Application.objects.bulk_create(applications, batch_size=5000)
            participants = []
            for n, a in enumerate(applications):
                members = 3 if n % 5 == 0 else 1
                for m in range(members):
                    user = a.applicant if m == 0 else (next(spare) if is_live else None)
                    participants.append(
                        ApplicationParticipant(
                            application=a,
                            round_id=round_id,
                            user=user,
                            role="applicant" if m == 0 else "co_applicant",
                            status="confirmed",
                            holds_place=False,
                        )  # fmt: skip
                    )
            ApplicationParticipant.objects.bulk_create(participants, batch_size=5000)
            matched = [a for a in applications if a.status == "completed"]
            unmatched = [a for a in applications if a.status != "completed"]
            if run:
                MatchUnmatched.objects.bulk_create(
                    (
                        MatchUnmatched(run=run, application=a, reason=[reason, {}])
                        for a, reason in zip(
                            unmatched,
                            [rng.choice(("all_full", "no_shared_language", "no_format"))
                             for _ in unmatched],
                            strict=True,
                        )
                    ),
                    batch_size=5000,
                )  # fmt: skip
            engagements = []
            for n, a in enumerate(matched):
                ended = "not_a_fit" if n % 17 == 0 else ("conflict" if n % 23 == 0 else "")
                engagements.append(
                    Engagement(
                        application=a,
                        supervisor=supervisors[n % len(supervisors)],
                        round_id=round_id,
                        confirmed_at=sent + datetime.timedelta(days=20 + n % 30),
                        state="cancelled" if ended else "completed",
                        end_reason=ended,
                        meeting_count=4,
                    )  # fmt: skip
                )
            engagements = Engagement.objects.bulk_create(engagements, batch_size=5000)
            meetings, answers = [], []
            for n, e in enumerate(engagements):
                held = 0 if e.end_reason == "conflict" else (1 if e.end_reason else 4)
                for k in range(1, held + 1):
                    starts = e.confirmed_at + datetime.timedelta(days=10 + 14 * k + n % 5)
                    meetings.append(
                        Meeting(
                            engagement=e,
                            number=k,
                            starts_at=starts,
                            ends_at=starts + datetime.timedelta(minutes=90),
                            state="held",
                        )  # fmt: skip
                    )
            Meeting.objects.bulk_create(meetings, batch_size=5000)
            eparts = EngagementParticipant.objects.bulk_create(
                (EngagementParticipant(engagement=e) for e in engagements[::2]), batch_size=5000
            )
            answers = [
                EvaluationAnswer(
                    engagement_id=p.engagement_id,
                    participant=p,
                    goals_reached=1 + (p.pk % 5),
                    answered_on=sent.date(),
                )  # fmt: skip
                for p in eparts
            ]
            EvaluationAnswer.objects.bulk_create(answers, batch_size=5000)
            counts["applications"] += len(applications)
            counts["participants"] += len(participants)
            counts["engagements"] += len(engagements)
            counts["meetings"] += len(meetings)
            counts["evaluations"] += len(answers)
        hr = User.objects.create(username="hr-benchmark", first_name="Henna", last_name="HR")
        hr.groups.add(group_for("hr", name="Benchmark HR"))
    # The planner's statistics, as PostgreSQL's autovacuum gathers them after a load; SQLite
    # gathers none by itself (a site runs ``PRAGMA optimize`` or ``ANALYZE`` now and then):
    # without them it reads the held meetings through the (state, starts_at) index, one
    # random row at a time, and a report takes ten times as long.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return hr, counts, first_year + years - 1


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), min(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-round", type=int, default=2_000)
    parser.add_argument("--full", action="store_true", help="20,000 applications a round")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    if args.full:
        args.per_round = 20_000
    with tempfile.TemporaryDirectory() as tmp:
        old_name, migrate_seconds = setup_django(tmp)
        try:
            return run(args, migrate_seconds)
        finally:
            teardown_django(old_name)


def run(args, migrate_seconds):
    from django.db import connection
    from django.test import Client

    rng = random.Random(args.seed)  # noqa: S311 (test data, not secrets)
    started = time.perf_counter()
    hr, counts, last_year = seed(args.years, args.per_round, rng)
    seeded = time.perf_counter() - started
    client = Client()
    client.force_login(hr)
    out("== HR reports ==")
    out(machine())
    out(
        f"database: {connection.vendor}; migrated in {migrate_seconds:.1f} s; seeded in "
        f"{seeded:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
    )
    out(f"{args.years} years x 2 rounds x {args.per_round:,} applications (+ between rounds)")
    out(f"repeat: {args.repeat} (median and min after one warm-up)\n")
    base = measure(client, LISTING, args.repeat)
    pages = [
        ("demand", REPORTS),
        ("timing", REPORTS + "timing/"),
        ("supervision", REPORTS + "supervision/"),
        ("outcomes", REPORTS + "outcomes/"),
        ("load", REPORTS + "load/"),
        ("units", REPORTS + "units/"),
        ("feedback", REPORTS + "feedback/"),
        ("units, one unit", REPORTS + "units/?unit=U01"),
        (f"printable {last_year}", REPORTS + f"print/?year={last_year}"),
    ]
    out(f"  {'page':<34} {'queries':>7} {'median s':>9} {'min s':>7}  x listing")
    out(f"  {'applications listing (baseline)':<34} {base[2]:>7} {base[0]:>9.3f} {base[1]:>7.3f}")
    missed = []
    for name, url in pages:
        median, least, queries = measure(client, url, args.repeat)
        out(f"  {'report: ' + name:<34} {queries:>7} {median:>9.3f} {least:>7.3f}  "
            f"x{median / base[0]:.1f}")  # fmt: skip
        if median > GOAL_SECONDS and not name.startswith("printable"):
            missed.append(name)
    out(
        f"\ngoal: every report under {GOAL_SECONDS:.0f} s: "
        + ("missed by " + ", ".join(missed) if missed else "met")
    )
    return 2 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
