"""The retention job over 10,000 due applications, against a baseline in the same run.

Run from the repository root with the virtualenv:

    python benchmarks/retention.py [--rows 10000]

It migrates a fresh database (a temporary SQLite file, or a ``test_…`` database beside the one
``DATABASE_URL`` names, e.g. PostgreSQL), seeds ``--rows`` applications that ended two years
ago (a fifth of them groups of three, a third with an engagement of three held meetings and an
evaluation per person, a receipt per applicant and an invitation per person and meeting), then:

- the baseline: one UPDATE that empties the free text and detaches the applicant of every row
  at once (rolled back), i.e. the least any anonymisation can cost without a transaction per
  application, without the members, messages, comments and log;
- the job (``run_retention``): one transaction per application;
- the job again: nothing left to do (it must change 0 rows).

Exits 1 when the job leaves a person or a free text behind, or the second run changes anything.
"""

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from admin_exports import out, setup_django, teardown_django


def seed(rows):
    import uuid

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from tyonohjaus_plugin.models import (
        Application,
        ApplicationParticipant,
        ApplicationRound,
        Delivery,
        Engagement,
        EngagementParticipant,
        EvaluationAnswer,
        Meeting,
        PrivacyNotice,
        Supervisor,
    )

    User = get_user_model()
    now = timezone.now()
    ended = now - datetime.timedelta(days=730)
    with transaction.atomic():
        locale, _ = Locale.objects.get_or_create(language_code="fi")
        notice = PrivacyNotice.objects.create(
            version=1,
            title="Tietosuoja",
            body="<p>-</p>",
            effective_from=now.date(),
            locale=locale,
        )
        service = uuid.uuid4()
        round = ApplicationRound.objects.create(
            service_key=service,
            name="Kevät 2024",
            opens_at=ended - datetime.timedelta(days=200),
            closes_at=ended - datetime.timedelta(days=180),
            programme_ends_on=(ended - datetime.timedelta(days=10)).date(),
            state="archived",
        )
        supervisor = Supervisor.objects.create(
            kind="external",
            name="Ohjaaja Ulkoinen",
            email="ohjaaja@example.org",
        )
        users = User.objects.bulk_create(
            User(
                username=f"b{n}", first_name="Etu", last_name=f"Suku{n}", email=f"b{n}@example.org"
            )
            for n in range(rows * 7 // 5)
        )
        spare = iter(users[rows:])
        applications = Application.objects.bulk_create(
            Application(
                service_key=service,
                round=round,
                applicant=users[n],
                format="group" if n % 5 == 0 else "individual",
                languages=["fi"],
                situation=f"Tilanne {n} " * 40,
                goals=f"Tavoite {n} " * 20,
                hr_note=f"Muistiinpano {n}",
                consent_notice=notice,
                consent_version=1,
                status="completed" if n % 3 == 0 else "rejected",
                submitted_at=ended - datetime.timedelta(days=60),
                status_changed_at=ended,
            )
            for n in range(rows)
        )
        participants, people = [], {}
        for n, application in enumerate(applications):
            members = [users[n]] + ([next(spare), next(spare)] if n % 5 == 0 else [])
            people[application.pk] = members
            participants += [
                ApplicationParticipant(
                    application=application,
                    round=round,
                    user=user,
                    role="applicant" if i == 0 else "co_applicant",
                    status="confirmed",
                    holds_place=False,
                )
                for i, user in enumerate(members)
            ]
        ApplicationParticipant.objects.bulk_create(participants, batch_size=2000)
        Delivery.objects.bulk_create(
            (
                Delivery(
                    kind="receipt",
                    target_id=a.pk,
                    recipient=f"u{a.applicant_id}",
                    due_at=ended,
                    state="sent",
                )
                for a in applications
            ),
            batch_size=2000,
        )
        engaged = [a for a in applications if a.status == "completed"]
        engagements = Engagement.objects.bulk_create(
            Engagement(
                application=a,
                supervisor=supervisor,
                round=round,
                state="completed",
                confirmed_at=ended - datetime.timedelta(days=90),
            )
            for a in engaged
        )
        meetings = Meeting.objects.bulk_create(
            (
                Meeting(
                    engagement=e,
                    number=k,
                    state="held",
                    starts_at=ended - datetime.timedelta(days=70 - 21 * k),
                    ends_at=ended - datetime.timedelta(days=70 - 21 * k, minutes=-90),
                )
                for e in engagements
                for k in (1, 2, 3)
            ),
            batch_size=2000,
        )
        eparts = EngagementParticipant.objects.bulk_create(
            (
                EngagementParticipant(engagement=e, user=u)
                for e, a in zip(engagements, engaged, strict=True)
                for u in people[a.pk]
            ),
            batch_size=2000,
        )
        EvaluationAnswer.objects.bulk_create(
            (
                EvaluationAnswer(
                    engagement_id=p.engagement_id,
                    participant=p,
                    goals_reached=4,
                    comment="Hyvä prosessi.",
                    answered_on=ended.date(),
                )
                for p in eparts
            ),
            batch_size=2000,
        )
        by_engagement = {e.pk: people[e.application_id] for e in engagements}
        Delivery.objects.bulk_create(
            (
                Delivery(
                    kind="invitation",
                    target_id=m.pk,
                    recipient=f"u{u.pk}",
                    slot="seq0",
                    due_at=m.starts_at,
                    state="sent",
                )
                for m in meetings
                for u in by_engagement[m.engagement_id]
            ),
            batch_size=2000,
        )
    return len(participants), len(meetings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_name, migrate_seconds = setup_django(tmp)
        try:
            return run(args.rows)
        finally:
            teardown_django(old_name)


def run(rows):
    from django.db import connection, transaction

    from tyonohjaus_plugin.actions.run_retention import run_retention
    from tyonohjaus_plugin.models import Application, ApplicationParticipant, Delivery

    started = time.perf_counter()
    people, meetings = seed(rows)
    out(
        f"database: {connection.vendor}; seeded {rows} applications, {people} people, "
        f"{meetings} meetings in {time.perf_counter() - started:.1f} s"
    )

    class Rollback(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            Application.objects.update(applicant=None, situation="", goals="", hr_note="")
            raise Rollback
    except Rollback:
        pass
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    counts = run_retention()
    job = time.perf_counter() - started
    started = time.perf_counter()
    again = run_retention()
    second = time.perf_counter() - started

    out(f"baseline, one UPDATE of all rows: {baseline:8.2f} s")
    out(
        f"retention job:                    {job:8.2f} s  ({job / rows * 1000:.2f} ms per "
        f"application; {job / baseline:.0f}x the baseline)"
    )
    out(f"second run:                       {second:8.2f} s  counts {again}")
    out(f"first run counts: {counts}")
    left = {
        "applicants": Application.objects.exclude(applicant=None).count(),
        "members": ApplicationParticipant.objects.exclude(user=None).count(),
        "free text": Application.objects.exclude(situation="").count(),
        "deliveries": Delivery.objects.count(),
    }
    out(f"left behind: {left}")
    ok = counts["identities"] == rows and not any(left.values()) and not any(again.values())
    out("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
