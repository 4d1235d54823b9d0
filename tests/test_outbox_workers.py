"""Real ``qcluster`` processes, killed mid-batch (RELIABILITY.md §1, §7 tests 12, 14 and 15).

PostgreSQL only. Each test starts ``manage.py qcluster`` subprocesses with
``tests.worker_settings`` on the test's own database (ORM broker, 2 workers, timeout 20 s,
retry 30 s, ``catch_up`` off, the outbox's stale time a few seconds) and the e-mail backend
``tests.mail_backends.DeliveryLogBackend``: every message is one line "<delivery id> <pid>" in a
file, after about 25 ms of a 50 ms "SMTP exchange". Duplicates and lost messages are counted
from that file. The test process enqueues the sweep itself (``jobs.enqueue``, as the plugin
does) instead of waiting for the once-a-minute schedule, except in the downtime test, which is
about the schedule. Every subprocess is SIGKILLed in a ``finally``.

Run with ``pytest -s`` to see the table of figures.
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule, Task
from wagtail.models import Locale

from tests.factories import ApplicationFactory, ApplicationRoundFactory, external_supervisor
from tests.test_outbox import engagement_with_meetings
from tyonohjaus_plugin.conf import DEFAULTS
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.jobs import SCHEDULES, enqueue, ensure_schedules
from tyonohjaus_plugin.models import Delivery, DeliveryKind, DeliveryState, Meeting
from tyonohjaus_plugin.outbox import delivery as outbox

pytestmark = [
    pytest.mark.usefixtures("direct_planning"),  # the confirm plans the series at once
    pytest.mark.workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # real worker processes share the test database
]

ROOT = Path(__file__).resolve().parent.parent
SWEEP = "tyonohjaus_plugin.tasks.send_reminders_task"
SWEEP_SCHEDULE = next(name for name, (func, _m) in SCHEDULES.items() if func == SWEEP)
#: OUTBOX_STALE_AFTER_SECONDS of the workers (5 minutes in production; one send is ~50 ms).
STALE_SECONDS = 4
WORKERS = 2
#: Threads sending in each worker's task (``OUTBOX_SEND_THREADS``, tests.worker_settings).
THREADS = DEFAULTS["OUTBOX_SEND_THREADS"]
#: Runs of each kill scenario (RELIABILITY test 12: 5 runs each).
KILL_RUNS = int(os.environ.get("TYONOHJAUS_KILL_RUNS", "5"))
#: Meetings due within 48 h for the kill scenarios: 2 reminders each (applicant, supervisor).
KILL_MEETINGS = 60
#: Kill once this many messages of the batch are out (of 120).
KILL_AT = 40
#: Seconds any phase may take before the test gives up.
WAIT = 90
FINAL = {DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.UNCERTAIN}
POISON = "poison@example.org"

FIGURES: list[tuple] = []
COLUMNS = ("scenario", "run", "msgs", "lines", "dupl", "missing", "in flight", "secs", "note")


@pytest.fixture(scope="module", autouse=True)
def _figures_table():
    yield
    if not FIGURES:
        return
    rows = [COLUMNS, *[tuple(str(value) for value in row) for row in FIGURES]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    lines = ["", "outbox with real qcluster processes (RELIABILITY tests 12, 14, 15):"]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    print("\n".join(lines))  # noqa: T201


# --- processes -------------------------------------------------------------------------------


def _alive_processes() -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process, from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if state not in "ZX":
            parents[int(entry)] = int(ppid)
    return parents


def descendants(pid: int) -> set[int]:
    parents = _alive_processes()
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, ppid in parents.items() if ppid == parent}
        todo.extend(children - found)
        found |= children
    return found


def wait_dead(pids, timeout=10.0) -> None:
    deadline = time.monotonic() + timeout
    while set(pids) & set(_alive_processes()):
        assert time.monotonic() < deadline, f"still alive after SIGKILL: {pids}"
        time.sleep(0.05)


class Cluster:
    """One ``manage.py qcluster`` in its own process group (so that a kill takes it whole)."""

    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def processes(self) -> set[int]:
        """The cluster's live processes: main, sentinel, workers, monitor, pusher."""
        return {self.process.pid, *descendants(self.process.pid)}

    def wait_running(self, timeout=60.0) -> None:
        deadline = time.monotonic() + timeout
        while " running." not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"qcluster did not start:\n{self.text()[-3000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole process group and wait until every process of it is gone."""
        pids = self.processes() if self.process.poll() is None else set()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        wait_dead(pids)


class Harness:
    """Clusters on the test database, the shared mail log, and a sweep driver."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.mail_log = directory / "mail.log"
        self.mail_log.touch()
        self.database = connection.settings_dict["NAME"]
        self.clusters: list[Cluster] = []

    def start(self, *, workers=WORKERS, poison=()) -> Cluster:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "TYONOHJAUS_WORKER_DB": self.database,
            "TYONOHJAUS_WORKER_COUNT": str(workers),
            "TYONOHJAUS_WORKER_STALE_AFTER": str(STALE_SECONDS),
            "TYONOHJAUS_TEST_MAIL_LOG": str(self.mail_log),
            "TYONOHJAUS_TEST_MAIL_POISON": ",".join(poison),
        }
        log = self.directory / f"qcluster-{len(self.clusters)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        cluster = Cluster(process, log)
        self.clusters.append(cluster)
        cluster.wait_running()
        return cluster

    def close(self) -> None:
        for cluster in self.clusters:
            cluster.kill()

    def logs(self) -> str:
        return "\n".join(cluster.text()[-2000:] for cluster in self.clusters)

    # The mail log: "<delivery id> <pid>" per message, "KILL <delivery id> <pid>" per poison.

    def _lines(self):
        return [line.split() for line in self.mail_log.read_text().splitlines() if line]

    def sent(self) -> list[tuple[int, int]]:
        return [(int(line[0]), int(line[1])) for line in self._lines() if line[0] != "KILL"]

    def poison_kills(self) -> list[tuple[int, int]]:
        return [(int(line[1]), int(line[2])) for line in self._lines() if line[0] == "KILL"]

    def reset(self) -> None:
        """A new batch: an empty mail log and no deliveries (the next sweep makes them again)."""
        self.mail_log.write_bytes(b"")
        Delivery.objects.all().delete()

    def wait(self, condition, what, timeout=WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                states = dict(Counter(Delivery.objects.values_list("state", flat=True)))
                raise AssertionError(f"{what}: not after {timeout}s; {states}\n{self.logs()}")
            time.sleep(0.1)

    def drive(self, done, timeout=WAIT) -> None:
        """Until ``done()``: enqueue a sweep each second unless one is waiting in the queue
        (a sweep after the stale time reopens what a killed worker left in "sending")."""
        deadline = time.monotonic() + timeout
        last = 0.0
        while not done():
            now = time.monotonic()
            if now > deadline:
                states = dict(Counter(Delivery.objects.values_list("state", flat=True)))
                raise AssertionError(f"not done after {timeout}s: {states}\n{self.logs()}")
            if now - last >= 1 and not OrmQ.objects.filter(lock__lte=timezone.now()).exists():
                enqueue(SWEEP)
                last = now
            time.sleep(0.2)


@pytest.fixture
def harness(transactional_db, tmp_path, monkeypatch):
    # tests.settings runs tasks synchronously; here they go through the ORM queue.
    monkeypatch.setattr(Conf, "SYNC", False)
    # One "Enqueued" line per sweep would drown the table printed with -s.
    monkeypatch.setattr(logging.getLogger("django-q"), "level", logging.WARNING)
    # Transactional tests flush every table, Wagtail's initial locale included.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    harness = Harness(tmp_path)
    try:
        yield harness
    finally:
        harness.close()


# --- data ------------------------------------------------------------------------------------


def seed_due_meetings(count, *, starts=None, supervisors=3, **application_fields):
    """``count`` meetings in engagements of one applicant and an external supervisor each, all
    starting within 48 h (their reminders due now): 2 reminders per meeting."""
    round = ApplicationRoundFactory()
    people = [external_supervisor(f"Ohjaaja{n}") for n in range(supervisors)]
    now = timezone.now()
    starts = starts or [now + datetime.timedelta(hours=2, minutes=n) for n in range(count)]
    for n, start in enumerate(starts):
        application = ApplicationFactory(round=round, **application_fields)
        engagement_with_meetings(people[n % supervisors], [start], application=application)
    return 2 * len(starts)


def batch_done(expected):
    def done():
        rows = Delivery.objects.filter(kind=DeliveryKind.MEETING_REMINDER)
        return rows.count() == expected and not rows.exclude(state__in=FINAL).exists()

    return done


def judge(harness, *, in_flight=frozenset()):
    """Every delivery sent; duplicates only among the messages in flight at a kill."""
    counts = Counter(pk for pk, _pid in harness.sent())
    ids = set(Delivery.objects.values_list("pk", flat=True))
    duplicates = {pk: n - 1 for pk, n in counts.items() if n > 1}
    missing = ids - set(counts)
    assert set(counts) <= ids
    assert missing == set(), f"lost: {sorted(missing)}"
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert set(duplicates) <= set(in_flight), (
        f"duplicates {duplicates} outside the messages in flight {sorted(in_flight)}"
    )
    return counts, duplicates, missing


# --- RELIABILITY test 12: workers and clusters killed mid-batch ------------------------------


def test_worker_killed_mid_batch(harness):
    """(a) Two sweeps on two workers; once 40 of 120 messages are out, SIGKILL the worker that
    sent the last one. The survivor goes on; the lost claim is reopened after the stale time."""
    expected = seed_due_meetings(KILL_MEETINGS)
    cluster = harness.start()
    for run in range(1, KILL_RUNS + 1):
        harness.reset()
        enqueue(SWEEP)
        enqueue(SWEEP)
        harness.wait(lambda: len(harness.sent()) >= KILL_AT, "the batch to get going")
        victim = harness.sent()[-1][1]
        assert victim in descendants(cluster.process.pid), "not a worker of the cluster"
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        wait_dead({victim})
        out_at_kill = len(harness.sent())
        in_flight = set(
            Delivery.objects.filter(state=DeliveryState.SENDING).values_list("pk", flat=True)
        )
        harness.drive(batch_done(expected))
        counts, duplicates, missing = judge(harness, in_flight=in_flight)
        # One message in flight per sending thread of the killed worker (outbox docstring).
        assert sum(duplicates.values()) <= THREADS, "one worker killed: one duplicate a thread"
        assert cluster.process.poll() is None
        FIGURES.append(
            (
                "(a) worker SIGKILL", run, expected, sum(counts.values()),
                sum(duplicates.values()), len(missing), len(in_flight),
                f"{time.monotonic() - killed_at:.1f}", f"killed after {out_at_kill} sent",
            )
        )  # fmt: skip
    # The cluster replaced each killed worker.
    assert cluster.text().count("reincarnated worker") >= KILL_RUNS


def test_cluster_killed_mid_batch_and_restarted(harness):
    """(b) One sweep, as in RELIABILITY §1.2; once 40 of 120 are out, SIGKILL the whole cluster
    (process group), start a new one. At most one duplicate per process killed while sending,
    and only a message that was in flight."""
    expected = seed_due_meetings(KILL_MEETINGS)
    cluster = harness.start()
    for run in range(1, KILL_RUNS + 1):
        harness.reset()
        enqueue(SWEEP)
        harness.wait(lambda: len(harness.sent()) >= KILL_AT, "the batch to get going")
        killed_at = time.monotonic()
        cluster.kill()
        out_at_kill = len(harness.sent())
        in_flight = set(
            Delivery.objects.filter(state=DeliveryState.SENDING).values_list("pk", flat=True)
        )
        assert len(in_flight) <= WORKERS * THREADS
        cluster = harness.start()
        harness.drive(batch_done(expected))
        counts, duplicates, missing = judge(harness, in_flight=in_flight)
        assert sum(duplicates.values()) <= len(in_flight)
        FIGURES.append(
            (
                "(b) cluster SIGKILL+restart", run, expected, sum(counts.values()),
                sum(duplicates.values()), len(missing), len(in_flight),
                f"{time.monotonic() - killed_at:.1f}", f"killed after {out_at_kill} sent",
            )
        )  # fmt: skip


def test_two_clusters_at_once_send_nothing_twice(harness):
    """(c) Two clusters of two workers take sweeps from one queue: 0 duplicates."""
    expected = seed_due_meetings(KILL_MEETINGS)
    clusters = [harness.start(), harness.start()]
    harness.reset()
    started = time.monotonic()
    for _ in range(4):
        enqueue(SWEEP)
    harness.drive(batch_done(expected))
    counts, duplicates, missing = judge(harness)
    assert duplicates == {}
    by_cluster = [
        sum(1 for _pk, pid in harness.sent() if pid in descendants(c.process.pid)) for c in clusters
    ]
    assert sum(by_cluster) == expected
    FIGURES.append(
        (
            "(c) two clusters", 1, expected, sum(counts.values()), 0, len(missing), "-",
            f"{time.monotonic() - started:.1f}", f"sent per cluster {by_cluster}",
        )
    )  # fmt: skip


# --- RELIABILITY test 14: downtime and a poison message ---------------------------------------


def test_downtime_over_three_sweep_periods(harness):
    """(d) The cluster was down for three sweep periods while reminders fell due in each: the
    schedule's next run is three minutes late. After the start the schedule runs once (no
    catch-up) and that one sweep sends each reminder once."""
    now = timezone.now()
    lead = datetime.timedelta(hours=48)
    # Four meetings whose reminders fell due in each of the three missed minutes.
    starts = [
        now + lead - datetime.timedelta(seconds=seconds)
        for seconds in (170, 165, 160, 155, 110, 105, 100, 95, 50, 45, 40, 35)
    ]
    expected = seed_due_meetings(len(starts), starts=starts)
    ensure_schedules()
    Schedule.objects.filter(name=SWEEP_SCHEDULE).update(
        next_run=now - datetime.timedelta(minutes=3)
    )
    assert not Delivery.objects.exists()
    started = time.monotonic()
    harness.start()
    # No enqueue here: only the schedule (the scheduler looks every 30 s).
    harness.wait(batch_done(expected), "the scheduled sweep")
    runs = Task.objects.filter(group=SWEEP_SCHEDULE)
    harness.wait(runs.exists, "the scheduled sweep's result")
    counts, duplicates, missing = judge(harness)
    assert duplicates == {}
    assert runs.count() == 1, "catch_up is off: one run for the three missed"
    assert all(task.success and task.result == expected for task in runs)
    assert Schedule.objects.get(name=SWEEP_SCHEDULE).next_run > timezone.now()
    FIGURES.append(
        (
            "(d) downtime, 3 periods", 1, expected, sum(counts.values()), 0, len(missing), "-",
            f"{time.monotonic() - started:.1f}", f"schedule runs after restart: {runs.count()}",
        )
    )  # fmt: skip


def test_a_message_that_kills_its_worker_stops(harness, django_user_model):
    """(e) A reminder whose sending SIGKILLs the worker every time: claimed at most
    MAX_ATTEMPTS times, then "failed" in HR's outbox; everything else sent (a message of
    another thread in flight at its first kill possibly twice, as at any kill)."""
    normal = seed_due_meetings(10)
    poison_user = django_user_model.objects.create(
        username="myrkky", email=POISON, first_name="Myrkky", last_name="Viesti"
    )
    poisonous = seed_due_meetings(1, applicant=poison_user)
    expected = normal + poisonous
    harness.start(poison=[POISON])
    started = time.monotonic()
    harness.drive(batch_done(expected))

    poison = Delivery.objects.get(recipient=f"u{poison_user.pk}")
    kills = harness.poison_kills()
    assert [pk for pk, _pid in kills] == [poison.pk] * outbox.MAX_ATTEMPTS
    assert len({pid for _pk, pid in kills}) == outbox.MAX_ATTEMPTS  # a new worker each time
    assert (poison.state, poison.attempts) == (DeliveryState.FAILED, outbox.MAX_ATTEMPTS)
    assert poison.error == "lost while sending"
    counts = Counter(pk for pk, _pid in harness.sent())
    others = set(Delivery.objects.exclude(pk=poison.pk).values_list("pk", flat=True))
    assert set(counts) == others
    # Its first kill may take the sends of the other threads of its batch with it (each in
    # doubt once, as at any kill); its later attempts go alone.
    assert sum(n - 1 for n in counts.values()) <= THREADS - 1
    assert set(Delivery.objects.exclude(pk=poison.pk).values_list("state", flat=True)) == {
        DeliveryState.SENT
    }
    # Visible to HR: the outbox's "failed" tab lists it.
    hr = django_user_model.objects.create_superuser("hr", "hr@example.org", "x")
    client = Client()
    client.force_login(hr)
    response = client.get(reverse("tyonohjaus_outbox:index"), {"state": "failed"})
    assert response.status_code == 200
    assert f"#{poison.pk}<" in response.content.decode()
    FIGURES.append(
        (
            "(e) poison message", 1, expected, sum(counts.values()), 0, 0, "-",
            f"{time.monotonic() - started:.1f}",
            f"poison: {len(kills)} worker kills, attempts {poison.attempts}, {poison.state}",
        )
    )  # fmt: skip


# --- RELIABILITY test 15: no personal data in the queue ---------------------------------------

PEOPLE = [
    (
        "Sulevi", "Salassapitäjä", "sulevi.salassapitaja@example.org",
        "Sulevin tilanne: uupumus ja ristiriita esihenkilön kanssa.",
    ),
    (
        "Kyllikki", "Yksityinen", "kyllikki.yksityinen@example.org",
        "Kyllikin tilanne: sairausloma ja paluu töihin.",
    ),
    (
        "Väinämö", "Henkilötietola", "vainamo.henkilotietola@example.org",
        "Väinämön tilanne: tiimin konflikti ja unettomuus.",
    ),
]  # fmt: skip


def test_no_personal_data_in_the_queue_tables(harness):
    """(f) End to end: HR confirms three matches (invitations queued by the plugin's own
    ``on_commit`` enqueue), one meeting falls within 48 h (reminders); the workers send all.
    No name, address or free text in django_q_task, django_q_ormq, django_q_schedule or the
    cluster's log."""
    ensure_schedules()
    supervisor = external_supervisor("Ohjaajatar")
    round = ApplicationRoundFactory()
    applications = [
        ApplicationFactory(
            round=round,
            applicant__username=email.split("@")[0],
            applicant__first_name=first,
            applicant__last_name=last,
            applicant__email=email,
            situation=text,
            goals=f"{first}n tavoite: jaksaminen (salainen).",
        )
        for first, last, email, text in PEOPLE
    ]
    cluster = harness.start()
    started = time.monotonic()
    with transaction.atomic():
        create_engagements(
            [(application, supervisor.pk) for application in applications],
            run=None,
            user=None,
            now=timezone.now(),
        )
    assert OrmQ.objects.exists(), "the plugin queued its sweep after the commit"
    soon = timezone.now() + datetime.timedelta(hours=3)
    Meeting.objects.filter(pk=Meeting.objects.order_by("pk").first().pk).update(
        starts_at=soon, ends_at=soon + datetime.timedelta(minutes=90)
    )

    def done():
        kinds = set(Delivery.objects.values_list("kind", flat=True))
        unfinished = Delivery.objects.exclude(state__in=FINAL).exists()
        return kinds == {DeliveryKind.INVITATION, DeliveryKind.MEETING_REMINDER} and not unfinished

    harness.drive(done)
    harness.wait(lambda: Task.objects.filter(func=SWEEP).exists(), "the sweep's result")
    counts, duplicates, _missing = judge(harness)
    assert duplicates == {}

    needles = {supervisor.name, supervisor.email}
    for application in applications:
        user = application.applicant
        needles |= {user.first_name, user.last_name, user.get_full_name(), user.email}
        needles |= {application.situation, application.goals}
    texts = queue_texts() + [cluster.text()]
    assert any(SWEEP in text for text in texts)  # the search sees the tasks
    hits = sorted({(needle, text[:80]) for text in texts for needle in needles if needle in text})
    assert hits == []
    results = [task.result for task in Task.objects.all()]
    assert all(result is None or isinstance(result, int) for result in results)
    FIGURES.append(
        (
            "(f) personal data in queue", 1, len(counts), sum(counts.values()), 0, 0, "-",
            f"{time.monotonic() - started:.1f}",
            f"{len(needles)} needles in {len(texts)} texts "
            f"({Task.objects.count()} tasks, {Schedule.objects.count()} schedules, log): "
            f"{len(hits)} hits",
        )
    )  # fmt: skip


def queue_texts() -> list[str]:
    """Everything django-q2 keeps, raw and unpickled."""
    texts = []
    for task in Task.objects.all():
        texts.append(repr([getattr(task, field.attname) for field in Task._meta.fields]))
    for item in OrmQ.objects.all():
        task = item.task  # a method before django-q2 1.11, a cached property since
        texts += [item.payload, repr(task() if callable(task) else task)]
    for schedule in Schedule.objects.all():
        texts.append(repr([getattr(schedule, field.attname) for field in Schedule._meta.fields]))
    with connection.cursor() as cursor:
        for query in (
            "SELECT row_to_json(t)::text FROM django_q_task t",
            "SELECT row_to_json(t)::text FROM django_q_ormq t",
            "SELECT row_to_json(t)::text FROM django_q_schedule t",
        ):
            cursor.execute(query)
            texts += [row[0] for row in cursor.fetchall()]
    return texts
