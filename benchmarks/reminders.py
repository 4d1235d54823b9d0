"""10,000 due meeting reminders through a real 2-worker django-q2 cluster on PostgreSQL.

Run from the repository root with the virtualenv (PostgreSQL only: the cluster's processes and
this script share the database):

    DATABASE_URL=postgres://tyonohjaus:tyonohjaus@127.0.0.1:5432/tyonohjaus \\
        .venv/bin/python benchmarks/reminders.py [--reminders 10000] [--workers 2] [--keep]

It migrates a fresh ``test_tyonohjaus_reminders_<pid>`` database next to the one
``DATABASE_URL`` names (Django's test-database creation; the named one is never touched),
seeds engagements with meetings starting within 48 h with ``bulk_create`` (two reminders per
meeting: the applicant and the supervisor), starts ``manage.py qcluster`` with
``tests.worker_settings`` (ORM broker, ``timeout`` 120 s, ``retry`` 200 s as in the example
site) and the e-mail backend ``tests.mail_backends.FastDeliveryLogBackend`` (one line per
message in a file, no SMTP time), enqueues one sweep per worker and keeps one waiting until
every reminder is sent. The sweeps themselves create the deliveries (``reminders.create_due``)
and send them (``outbox.process``), as in production.

Prints the wall time from the first enqueue to the last delivery marked sent, throughput,
duplicates (lines for one delivery id beyond the first) and lost (deliveries without a line).
Goal: >= 100 messages per second, 0 duplicates, 0 lost. Exits 1 on a duplicate or a lost
message; with ``--strict`` also 2 when the throughput goal is missed.
"""

import argparse
import datetime
import logging
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWEEP = "tyonohjaus_plugin.tasks.send_reminders_task"
GOAL_PER_SECOND = 100
MEETINGS_PER_ENGAGEMENT = 5
SUPERVISORS = 50


def out(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


# -- Django ---------------------------------------------------------------------------------------


def setup_django():
    """tests.settings on a fresh ``test_tyonohjaus_reminders_<pid>`` database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres", "pgsql")):
        sys.exit("benchmarks/reminders.py needs DATABASE_URL=postgres://… (worker processes)")
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ.setdefault("TEST_DB_NAME", f"test_tyonohjaus_reminders_{os.getpid()}")

    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name, time.perf_counter() - started


def teardown_django(old_name):
    from django.db import connection

    connection.creation.destroy_test_db(old_name, verbosity=0)


# -- seeding --------------------------------------------------------------------------------------


def seed(reminders):
    """Engagements of one applicant and an external supervisor, each with meetings starting in
    the next hours: ``reminders`` / 2 meetings, all reminders due now."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Locale

    from tyonohjaus_plugin.models import (
        Application,
        ApplicationRound,
        Engagement,
        EngagementParticipant,
        Meeting,
        PrivacyNotice,
        Supervisor,
    )

    meetings = reminders // 2
    engagements = -(-meetings // MEETINGS_PER_ENGAGEMENT)
    now = timezone.now()
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"bench{n}", email=f"bench{n}@example.org", first_name="Bench")
        for n in range(engagements)
    )
    supervisors = Supervisor.objects.bulk_create(
        Supervisor(
            kind="external", name=f"Ohjaaja {n}", email=f"ohjaaja{n}@example.org",
            languages=["fi"], formats=["individual", "group"],
        )
        for n in range(SUPERVISORS)
    )  # fmt: skip
    service_key = uuid.uuid4()
    round = ApplicationRound.objects.create(
        service_key=service_key,
        name="Benchmark",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=20),
        state="closed",
    )
    notice = PrivacyNotice.objects.create(
        version=1,
        title="Tietosuojaseloste",
        body="<p>Luottamuksellinen.</p>",
        effective_from=now.date(),
        locale=Locale.get_default(),
    )
    applications = Application.objects.bulk_create(
        Application(
            service_key=service_key, round=round, applicant=user, format="individual",
            languages=["fi"], situation="Tilanne.", consent_notice=notice, consent_version=1,
            submitted_at=now, status="matched", status_changed_at=now,
        )
        for user in users
    )  # fmt: skip
    engaged = Engagement.objects.bulk_create(
        Engagement(
            application=application, supervisor=supervisors[n % SUPERVISORS], round=round,
            state="planned", confirmed_at=now,
        )
        for n, application in enumerate(applications)
    )  # fmt: skip
    EngagementParticipant.objects.bulk_create(
        EngagementParticipant(engagement=engagement, user_id=engagement.application.applicant_id)
        for engagement in engaged
    )
    Meeting.objects.bulk_create(
        (
            Meeting(
                engagement=engaged[n // MEETINGS_PER_ENGAGEMENT],
                number=n % MEETINGS_PER_ENGAGEMENT + 1,
                starts_at=now + datetime.timedelta(hours=2, seconds=n),
                ends_at=now + datetime.timedelta(hours=3, minutes=30, seconds=n),
            )
            for n in range(meetings)
        ),
        batch_size=2000,
    )
    return meetings, engagements


# -- the cluster ----------------------------------------------------------------------------------


def start_cluster(database, workers, mail_log, log):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "TYONOHJAUS_WORKER_DB": database,
        "TYONOHJAUS_WORKER_COUNT": str(workers),
        "TYONOHJAUS_WORKER_TIMEOUT": "120",
        "TYONOHJAUS_WORKER_RETRY": "200",
        "TYONOHJAUS_WORKER_EMAIL_BACKEND": "tests.mail_backends.FastDeliveryLogBackend",
        "TYONOHJAUS_TEST_MAIL_LOG": str(mail_log),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while " running." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_cluster(process)
            sys.exit(f"qcluster did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    return process


def stop_cluster(process):
    """SIGTERM for a clean stop; SIGKILL to the whole process group if it does not end."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def run(reminders, workers, tmp):
    from django.db import connection
    from django.utils import timezone
    from django_q.models import OrmQ
    from django_q.tasks import async_task

    from tyonohjaus_plugin.models import Delivery, DeliveryState

    # One "Enqueued" line per sweep from django-q2's logger would clutter the figures.
    logging.getLogger("django-q").setLevel(logging.WARNING)
    mail_log = Path(tmp) / "mail.log"
    mail_log.touch()
    log = Path(tmp) / "qcluster.log"
    process = start_cluster(connection.settings_dict["NAME"], workers, mail_log, log)
    try:
        started = time.perf_counter()
        for _ in range(workers):
            async_task(SWEEP, sync=False, group="tyonohjaus_plugin")
        first_row = first_line = None
        while True:
            rows = Delivery.objects.count()
            if rows and first_row is None:
                first_row = time.perf_counter() - started
            if first_line is None and mail_log.stat().st_size:
                first_line = time.perf_counter() - started
            if (
                rows >= reminders
                and not Delivery.objects.exclude(state=DeliveryState.SENT).exists()
            ):
                break
            if time.perf_counter() - started > 30 * 60:
                sys.exit(f"not done after 30 minutes:\n{log.read_text(errors='replace')[-3000:]}")
            # A sweep stops after its time budget; keep one waiting until all is sent.
            if not OrmQ.objects.filter(lock__lte=timezone.now()).exists():
                async_task(SWEEP, sync=False, group="tyonohjaus_plugin")
            time.sleep(0.1)
        wall = time.perf_counter() - started
    finally:
        stop_cluster(process)

    # What every later sweep (once a minute) costs while these meetings are within 48 h.
    from django.test.utils import CaptureQueriesContext

    from tyonohjaus_plugin.tasks import send_reminders_task

    idle = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        resent = send_reminders_task()
    idle = time.perf_counter() - idle

    lines = [line.split() for line in mail_log.read_text().splitlines() if line]
    counts = Counter(int(delivery) for delivery, _pid in lines)
    ids = set(Delivery.objects.values_list("pk", flat=True))
    per_worker = sorted(Counter(pid for _delivery, pid in lines).values(), reverse=True)
    reincarnated = log.read_text(errors="replace").count("reincarnated")
    return {
        "rows": len(ids),
        "lines": len(lines),
        "wall": wall,
        "first_row": first_row or 0.0,
        "first_line": first_line or 0.0,
        "duplicates": sum(n - 1 for n in counts.values()),
        "lost": len(ids - set(counts)),
        "foreign": len(set(counts) - ids),
        "per_worker": per_worker,
        "reincarnated": reincarnated,
        "idle_seconds": idle,
        "idle_queries": len(queries),
        "idle_sent": resent,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--strict", action="store_true", help="exit 2 below the goal")
    args = parser.parse_args()

    old_name, migrate_seconds = setup_django()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    try:
        out(
            f"== Reminders through a real qcluster == {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, PostgreSQL "
            f"{connection.pg_version // 10000}, database {database}"
        )
        out(f"migrate        {migrate_seconds:7.1f} s")
        started = time.perf_counter()
        meetings, engagements = seed(args.reminders)
        out(
            f"seed           {time.perf_counter() - started:7.1f} s   {engagements} engagements, "
            f"{meetings} meetings within 48 h, {2 * meetings} reminders due"
        )
        with tempfile.TemporaryDirectory() as tmp:
            result = run(2 * meetings, args.workers, tmp)
    finally:
        if args.keep:
            out(f"kept database {database}")
        else:
            teardown_django(old_name)

    rate = result["lines"] / result["wall"]
    out(
        f"workers        {args.workers:7d}     ORM broker, timeout 120 s, retry 200 s, "
        f"messages per worker {result['per_worker']}, reincarnations {result['reincarnated']}"
    )
    out(f"deliveries     {result['rows']:7d}     created by the first sweep in "
        f"{result['first_row']:.1f} s, first message at {result['first_line']:.1f} s")  # fmt: skip
    out(f"wall time      {result['wall']:7.1f} s   first enqueue to last delivery marked sent")
    out(f"throughput     {rate:7.0f} /s  goal >= {GOAL_PER_SECOND}")
    out(f"duplicates     {result['duplicates']:7d}     goal 0")
    out(f"lost           {result['lost']:7d}     goal 0")
    out(f"next sweep     {result['idle_seconds']:7.1f} s   nothing left to send "
        f"({result['idle_sent']} sent), {result['idle_queries']} SQL queries")  # fmt: skip
    if result["duplicates"] or result["lost"] or result["foreign"]:
        sys.exit(1)
    if args.strict and rate < GOAL_PER_SECOND:
        sys.exit(2)


if __name__ == "__main__":
    main()
