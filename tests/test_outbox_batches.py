"""The outbox in batches (issue 15, item 7): fan-out to send tasks, reserved batches, threads,
and one mail connection per batch.

The sweep queues one ``send_outbox_batch_task`` per ``OUTBOX_BATCH_SIZE`` due messages (at most
``OUTBOX_MAX_SEND_TASKS``, ids only as arguments); a batch is reserved with SKIP LOCKED and each
row still claimed on its own, so two batches never send one message, a kill leaves the rest of
a batch pending (never "uncertain"), and a broken mail connection costs one attempt of one
message. ``benchmarks/reminders.py`` measures the throughput with real clusters.
"""

from __future__ import annotations

import datetime
import smtplib
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import Locale

from tests.factories import ApplicationFactory, ApplicationRoundFactory, external_supervisor
from tests.test_outbox import (
    HEADER,
    WorkerKilled,
    backdate_claims,
    engagement_with_meetings,
    kill_on_call,
    soon,
)
from tyonohjaus_plugin import tasks
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import Delivery, DeliveryKind, DeliveryState
from tyonohjaus_plugin.outbox import delivery as outbox
from tyonohjaus_plugin.outbox import due as reminders


def sent() -> Counter:
    return Counter(int(message.extra_headers[HEADER]) for message in mail.outbox)


def due_reminders(meetings: int) -> list[int]:
    """``2 * meetings`` meeting reminders due now (each meeting: applicant and supervisor)."""
    # Transactional tests flush every table, Wagtail's initial locale included.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    supervisor = external_supervisor("Saara")
    round = ApplicationRoundFactory()
    for n in range(meetings):
        engagement_with_meetings(supervisor, [soon(n)], round=round)
    assert reminders.create_due() == 2 * meetings
    return list(Delivery.objects.order_by("due_at", "pk").values_list("pk", flat=True))


@pytest.fixture
def batches(settings):
    """Small batches, so that a few rows make several."""

    def configure(size, tasks=8, threads=1):
        settings.TYONOHJAUS_PLUGIN = {
            **settings.TYONOHJAUS_PLUGIN,
            "OUTBOX_BATCH_SIZE": size,
            "OUTBOX_MAX_SEND_TASKS": tasks,
            "OUTBOX_SEND_THREADS": threads,
        }

    return configure


@pytest.fixture
def queued(monkeypatch):
    """What the outbox queues, instead of running it (the test settings run tasks at once)."""
    calls = []
    monkeypatch.setattr(outbox, "enqueue", lambda path, *args: calls.append((path, args)))
    return calls


# --- fan-out ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "size", "cap", "expected"),
    [(0, 4, 8, 0), (4, 4, 8, 0), (5, 4, 8, 1), (10, 4, 8, 2), (10, 4, 2, 1), (30, 4, 3, 2)],
)
def test_fan_out_queues_one_task_per_batch_beyond_the_first(
    batches, queued, rows, size, cap, expected
):
    """ceil(due / batch) tasks, capped, less the one the sweep sends itself; ids only."""
    batches(size, tasks=cap)
    now = timezone.now()
    Delivery.objects.add(
        (DeliveryKind.MEETING_REMINDER, n, f"u{n}", "", now) for n in range(1, rows + 1)
    )
    # Not due: later, or waiting RETRY_AFTER after a failed attempt.
    Delivery.objects.add(
        [(DeliveryKind.MEETING_REMINDER, 999, "u1", "later", now + outbox.RETRY_AFTER)]
    )
    assert outbox.fan_out() == expected
    assert queued == [(outbox.BATCH_TASK, ())] * expected
    assert all(isinstance(arg, int) for _path, args in queued for arg in args)
    assert import_string(outbox.BATCH_TASK) is tasks.send_outbox_batch_task


@pytest.mark.django_db
def test_the_sweep_fans_out_and_sends_with_the_others(batches, queued, caplog):
    ids = due_reminders(5)  # 10 reminders
    batches(3)
    caplog.set_level("INFO", logger="tyonohjaus_plugin.tasks")
    assert tasks.send_reminders_task() == 10  # nothing ran the queued tasks: it sent them all
    assert queued == [(outbox.BATCH_TASK, ())] * 3  # ceil(10 / 3) = 4, one of them its own
    assert sorted(sent()) == sorted(ids)
    # The operators' line: counts only.
    assert "Outbox sweep: 0 added, 0 reopened, 3 send tasks queued, 10 sent." in caplog.text
    caplog.clear()
    assert tasks.send_reminders_task() == 0
    assert "Outbox sweep" not in caplog.text  # an idle minute logs nothing


@pytest.mark.django_db
def test_a_full_batch_queues_the_next_task_first(batches, queued):
    ids = due_reminders(3)  # 6 reminders
    batches(4)
    assert tasks.send_outbox_batch_task() == 4
    assert queued == [(outbox.BATCH_TASK, ())]
    assert tasks.send_outbox_batch_task() == 2  # not full: the end of the chain
    assert tasks.send_outbox_batch_task() == 0
    assert len(queued) == 1
    assert sent() == Counter(ids)


@pytest.mark.django_db
def test_chained_tasks_send_everything_once(batches):
    """With the test settings' synchronous queue the chain runs to its end at once."""
    ids = due_reminders(6)
    batches(5, tasks=2)
    tasks.send_reminders_task()
    assert sent() == Counter(ids)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


# --- a batch and a kill ------------------------------------------------------------------------


@pytest.mark.usefixtures("direct_planning")  # invitations at the confirm
@pytest.mark.django_db
@pytest.mark.usefixtures("direct_planning")
def test_a_kill_mid_batch_leaves_invitations_never_tried_pending_not_uncertain(
    batches, monkeypatch
):
    """Only the invitation in flight is in doubt (and flagged); the rest of the batch was
    reserved, never attempted: pending, sent once later, never "uncertain"."""
    batches(100)
    application = ApplicationFactory()
    with transaction.atomic():
        create_engagements(
            [(application, external_supervisor("Saara").pk)],
            run=None,
            user=None,
            now=timezone.now(),
        )
    ids = list(Delivery.objects.order_by("due_at", "pk").values_list("pk", flat=True))
    sender = kill_on_call(2, outbox.SENDERS[DeliveryKind.INVITATION])
    monkeypatch.setitem(outbox.SENDERS, DeliveryKind.INVITATION, sender)
    with pytest.raises(WorkerKilled):
        tasks.send_reminders_task()
    monkeypatch.undo()
    killed = sender.calls[-1][0].pk
    assert killed == ids[1]

    backdate_claims()  # past the stale time and the reservation
    outbox.reopen_stale()
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states[killed] == DeliveryState.UNCERTAIN
    untried = set(ids) - {ids[0], killed}
    assert {states[pk] for pk in untried} == {DeliveryState.PENDING}
    assert set(Delivery.objects.filter(pk__in=untried).values_list("attempts", flat=True)) == {0}

    tasks.send_reminders_task()
    assert sent() == Counter(set(ids) - {killed})


# --- one mail connection per batch -------------------------------------------------------------


class CountingBackend(LocmemBackend):
    """The locmem backend with a connection that opens, breaks and can be refused.

    ``broken``: delivery ids whose send breaks the connection (nothing sent); ``refuse``: the
    server refuses new connections (e.g. down).
    """

    instances = 0
    opened = 0
    broken: set = set()
    refuse = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).instances += 1
        self.connection = None

    def open(self):
        if type(self).refuse:
            raise ConnectionRefusedError
        if self.connection is None:
            type(self).opened += 1
            self.connection = object()
            return True
        return False

    def close(self):
        self.connection = None

    def send_messages(self, messages):
        if self.connection is None:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        for message in messages:
            if int(message.extra_headers[HEADER]) in type(self).broken:
                self.connection = None
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.instances = CountingBackend.opened = 0
    CountingBackend.broken, CountingBackend.refuse = set(), False
    return CountingBackend


@pytest.mark.django_db
def test_a_batch_uses_one_connection(batches, counting, queued):
    ids = due_reminders(5)
    batches(10)
    assert tasks.send_outbox_batch_task() == 10
    assert (counting.instances, counting.opened) == (1, 1)
    assert sent() == Counter(ids)


@pytest.mark.django_db
def test_a_broken_connection_mid_batch_costs_one_attempt_of_one_message(batches, counting, queued):
    ids = due_reminders(4)
    batches(8)
    counting.broken = {ids[2]}
    assert tasks.send_outbox_batch_task() == 7
    assert counting.opened == 2  # reopened for the message after the break
    assert sent() == Counter(set(ids) - {ids[2]})
    broken = Delivery.objects.get(pk=ids[2])
    assert (broken.state, broken.attempts, broken.error) == (
        DeliveryState.PENDING,
        1,
        "SMTPServerDisconnected",
    )
    others = Delivery.objects.exclude(pk=ids[2])
    assert set(others.values_list("state", "attempts", "error")) == {(DeliveryState.SENT, 1, "")}

    # Retried after RETRY_AFTER, like any failed attempt.
    counting.broken = set()
    assert tasks.send_outbox_batch_task() == 0
    Delivery.objects.filter(pk=ids[2]).update(claimed_at=timezone.now() - outbox.RETRY_AFTER)
    assert tasks.send_outbox_batch_task() == 1
    assert sent() == Counter(ids)


@pytest.mark.django_db
def test_a_mail_server_that_refuses_a_new_connection_costs_no_attempts(batches, counting, queued):
    """The break costs its message one attempt; the server then refusing to connect stops the
    batch and gives the rest back as they were, for the next sweep."""
    ids = due_reminders(3)
    batches(6)
    counting.broken = {ids[1]}

    def break_and_go_down(*args, **kwargs):
        counting.refuse = True
        raise smtplib.SMTPServerDisconnected

    real = outbox.SENDERS[DeliveryKind.MEETING_REMINDER]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(
            outbox.SENDERS,
            DeliveryKind.MEETING_REMINDER,
            lambda delivery, **kw: (
                break_and_go_down() if delivery.pk == ids[1] else real(delivery, **kw)
            ),
        )
        assert tasks.send_outbox_batch_task() == 1
    assert sent() == Counter([ids[0]])
    rest = Delivery.objects.filter(pk__in=ids[2:])
    assert set(rest.values_list("state", "attempts", "claimed_at")) == {
        (DeliveryState.PENDING, 0, None)
    }
    counting.refuse = False
    assert tasks.send_outbox_batch_task() == 4  # at once: no RETRY_AFTER for them
    assert sent() == Counter(set(ids) - {ids[1]})


# --- two batches at once (PostgreSQL) ------------------------------------------------------------


@pytest.mark.workers
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_batch_tasks_at_once_send_each_message_once(batches):
    """Two send tasks in two threads, each sending its batches over three threads of its own
    (their own connections): every message once, all marked sent."""
    ids = due_reminders(30)  # 60 reminders
    batches(10, threads=3)
    barrier = threading.Barrier(2, timeout=30)
    results, errors = [], []

    def task():
        try:
            connection.ensure_connection()
            barrier.wait()
            results.append(outbox.process(budget_seconds=60))
        except Exception as exc:  # noqa: BLE001 - judged below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=task) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(results) == len(ids)
    assert min(results) > 0, "both tasks sent a part"
    assert sent() == Counter(ids)
    assert set(Delivery.objects.values_list("state", "attempts")) == {(DeliveryState.SENT, 1)}


@pytest.mark.workers
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rows_attempted_before_go_alone_after_the_threads(batches, monkeypatch):
    """A row lost with its worker may be the message that killed it: sent alone, it cannot take
    the other threads' messages (and their attempts) with it again."""
    ids = due_reminders(4)
    retried = set(ids[2:4])
    Delivery.objects.filter(pk__in=retried).update(attempts=1)
    batches(10, threads=3)
    calls = []
    real = outbox.send_reserved

    def recording(rows):
        calls.append((threading.current_thread() is threading.main_thread(), [r.pk for r in rows]))
        return real(rows)

    monkeypatch.setattr(outbox, "send_reserved", recording)
    assert tasks.send_outbox_batch_task() == len(ids)
    *in_threads, last = calls
    assert not any(main for main, _pks in in_threads) and len(in_threads) == 3
    assert retried.isdisjoint(pk for _main, pks in in_threads for pk in pks)
    assert last == (True, [pk for pk in ids if pk in retried])
    assert sent() == Counter(ids)


# --- settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("OUTBOX_BATCH_SIZE", 0),
        ("OUTBOX_BATCH_SIZE", "100"),
        ("OUTBOX_MAX_SEND_TASKS", 0),
        ("OUTBOX_SEND_THREADS", 0),
        ("OUTBOX_SEND_THREADS", 33),
    ],
)
def test_batch_settings_are_checked(settings, key, value):
    from tyonohjaus_plugin import checks

    settings.TYONOHJAUS_PLUGIN = {key: value}
    assert [error.id for error in checks.check_plugin_settings(None)] == ["tyonohjaus_plugin.E005"]
    settings.TYONOHJAUS_PLUGIN = {"OUTBOX_BATCH_SIZE": 20, "OUTBOX_SEND_THREADS": 4}
    assert checks.check_plugin_settings(None) == []


@pytest.mark.django_db
def test_the_wait_after_a_failed_attempt_is_a_setting(settings):
    ids = due_reminders(1)
    failed_at = timezone.now() - datetime.timedelta(seconds=20)
    Delivery.objects.filter(pk=ids[0]).update(claimed_at=failed_at, attempts=1)
    assert ids[0] not in [row.pk for row in outbox.reserve(10)]  # 2 minutes by default
    settings.TYONOHJAUS_PLUGIN = {"OUTBOX_RETRY_AFTER_SECONDS": 15}
    assert ids[0] in [row.pk for row in outbox.reserve(10)]
