"""Due meeting reminders through real django-q2 clusters of 2 and then 4 workers, on PostgreSQL,
with Django's SMTP backend and a mail server that takes 20 ms per message.

Run from the repository root with the virtualenv and the ``benchmark`` extra (aiosmtpd, psutil;
PostgreSQL only: the cluster's processes and this script share the database):

    DATABASE_URL=postgres://tyonohjaus:tyonohjaus@127.0.0.1:5432/tyonohjaus \\
        .venv/bin/python benchmarks/reminders.py [--reminders 6000] [--workers 2,4] \\
        [--smtp-delay-ms 20] [--smtp-port 8851] [--strict] [--keep]

It migrates a fresh ``test_tyonohjaus_reminders_<pid>`` database next to the one
``DATABASE_URL`` names (Django's test-database creation; the named one is never touched). For
each worker count, on freshly seeded data of the same size (engagements with meetings starting
within 48 h, two reminders per meeting: the applicant and an external supervisor), it starts
``benchmarks/smtp_sink.py`` (``--smtp-delay-ms`` per message, one log line per message with its
``X-Tyonohjaus-Delivery`` header) and ``manage.py qcluster`` with ``tests.worker_settings``
(ORM broker, ``timeout`` 120 s, ``retry`` 200 s as in the example site, Django's SMTP backend
to the sink), and enqueues one sweep (``tasks.send_reminders_task``), as the minute schedule
does: it creates the deliveries (``reminders.create_due``) and fans them out to send tasks
(``outbox.fan_out``), which any worker takes.

Prints per worker count the sending throughput (messages over the time from the first to the
last delivery marked sent), the end-to-end time from the enqueue, the workers' CPU per message,
duplicates (sink lines for one delivery beyond the first) and lost (deliveries marked sent
without a line); then the ratio of the 4-worker to the 2-worker throughput. Goals: >= 100
messages per second with 2 workers, >= 1.8 times that with 4, 0 duplicates, 0 lost. Exits 1 on
a duplicate or a lost message; with ``--strict`` also 2 when a throughput goal is missed.
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

import psutil

ROOT = Path(__file__).resolve().parent.parent
SWEEP = "tyonohjaus_plugin.tasks.send_reminders_task"
SINK = ROOT / "benchmarks" / "smtp_sink.py"
GOAL_PER_SECOND = 100  # with 2 workers
GOAL_RATIO = 1.8  # 4 workers against 2
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


def reset():
    """Empty what ``seed`` and a run filled (fast: TRUNCATE), so each run starts alike."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django_q.models import OrmQ, Task

    from tyonohjaus_plugin.models import (
        Application,
        ApplicationRound,
        Delivery,
        Engagement,
        EngagementParticipant,
        Meeting,
        PrivacyNotice,
        Supervisor,
    )

    models = [Delivery, Meeting, EngagementParticipant, Engagement, Application, ApplicationRound]
    models += [PrivacyNotice, Supervisor, OrmQ, Task, get_user_model()]
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")


# -- the processes --------------------------------------------------------------------------------


def start_sink(port, delay_ms, mail_log, log):
    output = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, str(SINK), "--port", str(port), "--delay-ms", str(delay_ms)]
        + ["--log", str(mail_log)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while "listening" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            sys.exit(f"smtp_sink did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.05)
    return process


def start_cluster(database, workers, args, log):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "TYONOHJAUS_WORKER_DB": database,
        "TYONOHJAUS_WORKER_COUNT": str(workers),
        "TYONOHJAUS_WORKER_TIMEOUT": "120",
        "TYONOHJAUS_WORKER_RETRY": "200",
        "TYONOHJAUS_WORKER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "TYONOHJAUS_WORKER_SMTP_PORT": str(args.smtp_port),
        "TYONOHJAUS_WORKER_OUTBOX_BATCH_SIZE": str(args.batch_size),
        "TYONOHJAUS_WORKER_OUTBOX_MAX_SEND_TASKS": str(args.max_tasks),
        "TYONOHJAUS_WORKER_OUTBOX_SEND_THREADS": str(args.threads),
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
            stop(process)
            sys.exit(f"qcluster did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    return process


def stop(process):
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


def cpu_seconds(process) -> float:
    """User + system CPU of a process and its children (the cluster: its workers too)."""
    try:
        parent = psutil.Process(process.pid)
        total = 0.0
        for each in [parent, *parent.children(recursive=True)]:
            times = each.cpu_times()
            total += times.user + times.system
        return total
    except psutil.NoSuchProcess:
        return 0.0


def run(reminders, workers, args, tmp):
    from django.db import connection
    from django.db.models import Max, Min
    from django_q.models import OrmQ
    from django_q.tasks import async_task

    from tyonohjaus_plugin.models import Delivery, DeliveryState

    # One "Enqueued" line per task from django-q2's logger would clutter the figures.
    logging.getLogger("django-q").setLevel(logging.WARNING)
    tmp = Path(tmp)
    mail_log = tmp / f"mail-{workers}.log"
    mail_log.touch()
    sink = start_sink(args.smtp_port, args.smtp_delay_ms, mail_log, tmp / f"sink-{workers}.log")
    log = tmp / f"qcluster-{workers}.log"
    cluster = None
    try:
        cluster = start_cluster(connection.settings_dict["NAME"], workers, args, log)
        time.sleep(1)  # let the workers settle (start-up CPU is not the messages')
        cpu_before = cpu_seconds(cluster)
        sink_cpu_before = cpu_seconds(sink)
        started = time.perf_counter()
        async_task(SWEEP, sync=False, group="tyonohjaus_plugin")
        sweeps = 1
        idle_since = None
        while True:
            pending = Delivery.objects.exclude(state=DeliveryState.SENT)
            if Delivery.objects.count() >= reminders and not pending.exists():
                break
            if time.perf_counter() - started > 30 * 60:
                sys.exit(f"not done after 30 minutes:\n{log.read_text(errors='replace')[-3000:]}")
            # Nothing queued or running for 5 s and not done: what the minute schedule would do.
            if OrmQ.objects.exists():
                idle_since = None
            elif idle_since is None:
                idle_since = time.perf_counter()
            elif time.perf_counter() - idle_since > 5:
                async_task(SWEEP, sync=False, group="tyonohjaus_plugin")
                sweeps += 1
                idle_since = None
            time.sleep(0.1)
        wall = time.perf_counter() - started
        cpu = cpu_seconds(cluster) - cpu_before
        sink_cpu = cpu_seconds(sink) - sink_cpu_before
    finally:
        if cluster is not None:
            stop(cluster)
        stop(sink)

    span = Delivery.objects.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    sending = (span["last"] - span["first"]).total_seconds()
    lines = [line.split() for line in mail_log.read_text().splitlines() if line]
    counts = Counter(int(delivery) for delivery, _message_id in lines)
    ids = set(Delivery.objects.filter(error="").values_list("pk", flat=True))
    # Python's make_msgid: <time.pid.random@host>; the pid tells the worker.
    per_worker = Counter(message_id.split(".")[1] for _delivery, message_id in lines)
    return {
        "rows": len(ids),
        "lines": len(lines),
        "wall": wall,
        "sending": sending,
        "rate": len(lines) / sending if sending else 0.0,
        "cpu_ms": 1000 * cpu / max(len(lines), 1),
        "sink_cpu_ms": 1000 * sink_cpu / max(len(lines), 1),
        "duplicates": sum(n - 1 for n in counts.values()),
        "lost": len(ids - set(counts)),
        "foreign": len(set(counts) - ids),
        "per_worker": sorted(per_worker.values(), reverse=True),
        "sweeps": sweeps,
        "reincarnated": log.read_text(errors="replace").count("reincarnated"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=6_000)
    parser.add_argument("--workers", default="2,4", help="worker counts, one run each")
    parser.add_argument("--smtp-delay-ms", type=float, default=20.0)
    parser.add_argument("--smtp-port", type=int, default=8851)
    parser.add_argument("--batch-size", type=int, help="OUTBOX_BATCH_SIZE (default: its default)")
    parser.add_argument("--max-tasks", type=int, help="OUTBOX_MAX_SEND_TASKS")
    parser.add_argument("--threads", type=int, help="OUTBOX_SEND_THREADS")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--strict", action="store_true", help="exit 2 below a goal")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]

    old_name, migrate_seconds = setup_django()
    from django.db import connection

    from tyonohjaus_plugin.conf import DEFAULTS

    args.batch_size = args.batch_size or DEFAULTS["OUTBOX_BATCH_SIZE"]
    args.max_tasks = args.max_tasks or DEFAULTS["OUTBOX_MAX_SEND_TASKS"]
    args.threads = args.threads or DEFAULTS["OUTBOX_SEND_THREADS"]

    database = connection.settings_dict["NAME"]
    results = {}
    try:
        out(
            f"== Reminders through real qclusters == {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, PostgreSQL "
            f"{connection.pg_version // 10000}, database {database}"
        )
        out(
            f"migrate        {migrate_seconds:7.1f} s   mail server: smtp_sink.py, "
            f"{args.smtp_delay_ms:g} ms per message; batch {args.batch_size}, "
            f"{args.threads} threads per task, at most {args.max_tasks} tasks per sweep"
        )
        with tempfile.TemporaryDirectory() as tmp:
            for workers in counts:
                reset()
                started = time.perf_counter()
                meetings, engagements = seed(args.reminders)
                out(
                    f"-- {workers} workers -- seed {time.perf_counter() - started:.1f} s: "
                    f"{engagements} engagements, {meetings} meetings within 48 h, "
                    f"{2 * meetings} reminders due"
                )
                result = results[workers] = run(2 * meetings, workers, args, tmp)
                out(
                    f"throughput     {result['rate']:7.0f} /s  {result['lines']} messages in "
                    f"{result['sending']:.1f} s (first to last marked sent); "
                    f"{result['wall']:.1f} s from the enqueue"
                )
                out(
                    f"CPU            {result['cpu_ms']:7.1f} ms  per message in the cluster's "
                    f"processes ({result['sink_cpu_ms']:.1f} ms in the sink)"
                )
                out(
                    f"workers        {workers:7d}     messages per worker {result['per_worker']}, "
                    f"sweeps {result['sweeps']}, reincarnations {result['reincarnated']}"
                )
                out(f"duplicates     {result['duplicates']:7d}     goal 0")
                out(f"lost           {result['lost']:7d}     goal 0")
    finally:
        if args.keep:
            out(f"kept database {database}")
        else:
            teardown_django(old_name)

    failed = any(r["duplicates"] or r["lost"] or r["foreign"] for r in results.values())
    missed = False
    if 2 in results:
        missed |= results[2]["rate"] < GOAL_PER_SECOND
        out(f"2 workers      {results[2]['rate']:7.0f} /s  goal >= {GOAL_PER_SECOND}")
    if 2 in results and 4 in results:
        ratio = results[4]["rate"] / results[2]["rate"]
        missed |= ratio < GOAL_RATIO
        out(f"4 vs 2 workers {ratio:7.2f} x  goal >= {GOAL_RATIO}")
    if failed:
        sys.exit(1)
    if args.strict and missed:
        sys.exit(2)


if __name__ == "__main__":
    main()
