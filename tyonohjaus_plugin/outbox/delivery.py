"""Exactly-once delivery of messages, as far as SMTP allows (RELIABILITY.md §1.2–1.3).

Every message is a ``Delivery`` row, unique on (kind, target, recipient, slot), so asking for it
twice is harmless. Sending is claim → send → mark, each step committed on its own:

- a worker killed before the claim commits leaves the row pending (sent later, once);
- killed after the claim, before or during the send: the row stays "sending"; after
  ``OUTBOX_STALE_AFTER_SECONDS`` it is reopened, or flagged "uncertain" to HR for kinds where
  a duplicate hurts;
- killed after the send, before the mark: the same, and that one message may go twice.

An address that cannot be delivered (``core.emails.Undeliverable``, or refused by the mail
server) fails at once with its reason in the outbox listing; HR corrects it and sends again.

Rows are taken with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two workers never
take the same row; SQLite serialises writers anyway. Attempts are counted at the claim and
capped, so a message that kills its worker stops being retried.

**Batches, so that sending scales with workers.** A send task *reserves* up to
``OUTBOX_BATCH_SIZE`` due rows in one statement: their ``claimed_at`` becomes the batch's token
and they stay "pending" (not attempted). Each row is then claimed on its own, as above, only if
the token is still there (pending → sending, attempt counted, committed), sent and marked. So a
kill still leaves only the messages in flight "sending"; the rest of its batch is pending, taken
again after ``reserved_for()`` (a reservation looks like a recent attempt: ``retry_after()``, or
the stale time if shorter), and an invitation never attempted is never flagged "uncertain". A
reservation outlived by a slow batch is harmless: the claim is a compare-and-set on the token,
so a row taken by another batch meanwhile is skipped.

``fan_out`` (the minute sweep and ``tasks.send_outbox_task``) queues one
``tasks.send_outbox_batch_task`` per batch of due messages, at most ``OUTBOX_MAX_SEND_TASKS``;
a task whose batch came back full queues its successor before sending, so the backlog is
spread over every worker of every cluster (Redis or ORM broker) until it is gone.

**Threads within a task.** A mail server that takes 20 ms per message caps one connection at
50 messages a second whatever the worker's CPU: SMTP answers each message before the next
(``smtplib`` does not pipeline), and each message adds its claim and mark (two commits) and
the CPU of building it. Measured with ``benchmarks/reminders.py`` (20 ms sink, PostgreSQL, an
idle 2-core machine): one thread per task sent 66 messages a second with 2 workers and 114 with
4 (the ceiling of one message in flight per worker, not CPU: ~6 ms per message); with 3 threads,
156 and 239 (then CPU-bound). A batch can be split over ``OUTBOX_SEND_THREADS``
threads, each with its own database connection (closed when its part is done) and its own SMTP
connection; the default is **1**, because each thread is one more message in doubt when its
worker is killed (RELIABILITY §1.2 promises at most one per crash), while more workers add
throughput without loosening that. Threads are for a mail server slower than the workers. Not a
pipeline (render in one thread, send in another): the senders' own bookkeeping after a send (a
receipt's ``receipt_sent_at``) must follow the send, so a message is sent start to end by one
thread. On SQLite, or inside a transaction (whose rows other connections cannot see), the batch
is sent in the task's own thread.
Rows attempted before are sent after the threads, one at a time, so a message that kills its
worker (retried up to ``MAX_ATTEMPTS``) takes its neighbours' sends down once at most, not
until their attempts run out.

**One SMTP connection per thread and batch**, opened before the first claim. A failed send
closes it (it may be broken); that message is retried after ``retry_after()`` like any failed
attempt, and the next message opens a new connection. If that cannot be opened (the server is
down), the thread stops and gives back its rows not yet claimed (``claimed_at`` as before the
reservation): an outage costs one attempt of one message per thread, and the next sweep tries
again.

**CPU per message** (cProfile of ``process``, ``benchmarks/README.md``): 12.7 ms before
batches, 5.4 ms after — the meetings and recipients of a batch are read in three queries
(``PREFETCH``, ``senders.prefetch``) instead of two per message, the claim is one UPDATE instead
of a locking SELECT and a save in a transaction, and the claim and mark are plain SQL
(``_update``) instead of ORM updates compiled per message. Django's e-mail building is most of
what is left.
"""

from __future__ import annotations

import datetime
import logging
import math
import smtplib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.emails import Undeliverable
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import Delivery, DeliveryKind, DeliveryState

#: Attempts before a message is given up as failed (claims count, so kills count too).
MAX_ATTEMPTS = 5
#: A failed attempt waits this long before the next one (an SMTP outage must not use up every
#: attempt of every message within one sweep): ``OUTBOX_RETRY_AFTER_SECONDS``, by default this.
RETRY_AFTER = datetime.timedelta(minutes=2)
#: Kinds where a second copy hurts more than a delay: a lost claim is flagged, not resent.
DUPLICATE_HURTS = frozenset({DeliveryKind.INVITATION})

#: The task that sends one batch (its dotted path is stored in queues: an API).
BATCH_TASK = "tyonohjaus_plugin.tasks.send_outbox_batch_task"

#: kind -> function sending one delivery, ``sender(delivery, connection=None)`` with the batch's
#: mail connection; registered by ``senders``.
SENDERS: dict[str, Callable[..., None]] = {}
#: Functions loading at once what the senders of a batch's rows will read (``senders.prefetch``).
PREFETCH: list[Callable[[list[Delivery]], None]] = []

logger = logging.getLogger(__name__)

# What ``_send`` made of one claimed message.
SENT, DONE, RETRY = "sent", "done", "retry"


class Skip(Exception):
    """The sender found nothing to send any more (meeting cancelled, person gone): done."""


def stale_after() -> datetime.timedelta:
    """A row "sending" longer than this was lost with its worker (a send takes seconds)."""
    return datetime.timedelta(seconds=plugin_settings.OUTBOX_STALE_AFTER_SECONDS)


def reopen_stale(now=None) -> int:
    """Rows left in "sending" by a lost worker: back to pending, or "uncertain" where a
    duplicate hurts, or "failed" after the last attempt."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - stale_after())
    changed = stale.filter(kind__in=DUPLICATE_HURTS).update(
        state=DeliveryState.UNCERTAIN, error="lost while sending"
    )
    changed += stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=DeliveryState.FAILED, error="lost while sending"
    )
    # A lost claim is not a failed attempt: no RETRY_AFTER wait before the next one.
    changed += stale.update(state=DeliveryState.PENDING, claimed_at=None)
    return changed


def retry_after() -> datetime.timedelta:
    """The wait after a failed attempt (``OUTBOX_RETRY_AFTER_SECONDS``)."""
    return datetime.timedelta(seconds=plugin_settings.OUTBOX_RETRY_AFTER_SECONDS)


def _due(now):
    return Delivery.objects.filter(state=DeliveryState.PENDING, due_at__lte=now).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - retry_after())
    )


def claim_next(now=None) -> Delivery | None:
    """Take the next due pending row: pending → sending, attempt counted, committed."""
    now = now or timezone.now()
    with transaction.atomic():
        due = _due(now).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        delivery = due.first()
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.state = DeliveryState.SENDING
        delivery.claimed_at = timezone.now()
        delivery.save(update_fields=["attempts", "state", "claimed_at"])
    return delivery


def reserved_for() -> datetime.timedelta:
    """How long a batch's reservation keeps other batches off its rows: ``retry_after()``, or the
    stale time when shorter (a batch takes seconds; a test setup may make it a few)."""
    return min(retry_after(), stale_after())


def reserve(limit: int, now=None) -> list[Delivery]:
    """Up to ``limit`` due pending rows for one batch, in due order; committed. Their
    ``claimed_at`` becomes the batch's token (the value before is kept on each row as
    ``reserved_from``); they stay pending until ``claim``."""
    now = now or timezone.now()
    # As if attempted just long enough ago to be due again after ``reserved_for()``.
    token = timezone.now() - (retry_after() - reserved_for())
    with transaction.atomic():
        due = _due(now).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:limit])
        if rows:
            Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(claimed_at=token)
    for row in rows:
        row.reserved_from, row.claimed_at = row.claimed_at, token
    return rows


def _update(assignments: str, condition: str, params) -> int:
    """``UPDATE`` of the outbox table in SQL of our own, committed unless in a transaction.

    The two statements of every message (claim and mark) cost the ORM about 1 ms of CPU each
    to compile, most of what a worker spends on the database per message (measured with
    cProfile, ``benchmarks/README.md``); their SQL never changes, so it is written once here.
    """
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        # Our own column names; every value is a parameter.
        sql = f"UPDATE {table} SET {assignments} WHERE {condition}"  # noqa: S608
        cursor.execute(sql, params)
        return cursor.rowcount


def _datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


def claim(delivery: Delivery) -> bool:
    """A reserved row: pending → sending, attempt counted, committed; False when it is no longer
    this batch's (resent by HR, or taken by another batch after the reservation expired)."""
    claimed_at = timezone.now()
    taken = _update(
        "state = %s, claimed_at = %s, attempts = attempts + 1",
        "id = %s AND state = %s AND claimed_at = %s",
        [
            DeliveryState.SENDING.value,
            _datetime(claimed_at),
            delivery.pk,
            DeliveryState.PENDING.value,
            _datetime(delivery.claimed_at),
        ],
    )
    if taken:
        delivery.state, delivery.claimed_at = DeliveryState.SENDING, claimed_at
        delivery.attempts += 1
    return bool(taken)


def release(rows) -> None:
    """Give back reserved rows that were not claimed: ``claimed_at`` as before the reservation."""
    for row in rows:
        Delivery.objects.filter(
            pk=row.pk, state=DeliveryState.PENDING, claimed_at=row.claimed_at
        ).update(claimed_at=row.reserved_from)


def _finish(delivery: Delivery, state: str, error: str = "") -> None:
    # Only our own claim: a row reopened and claimed again by another worker is theirs.
    _update(
        "state = %s, error = %s, sent_at = %s",
        "id = %s AND state = %s AND attempts = %s",
        [
            state,
            error,
            _datetime(timezone.now()) if state == DeliveryState.SENT else None,
            delivery.pk,
            DeliveryState.SENDING.value,
            delivery.attempts,
        ],
    )


def _send(delivery: Delivery, mail=None) -> str:
    """Send a claimed delivery over ``mail`` (a mail backend, or None for a connection of its
    own) and record the outcome: SENT, DONE (skipped or failed for good) or RETRY."""
    try:
        SENDERS[delivery.kind](delivery, connection=mail)
    except Skip:
        _finish(delivery, DeliveryState.SENT, error="nothing to send")
        return DONE
    except Undeliverable as exc:
        # Retrying cannot help: failed at once, with the reason, for HR to fix and resend.
        _finish(delivery, DeliveryState.FAILED, error=exc.code)
        return DONE
    except smtplib.SMTPRecipientsRefused:
        _finish(delivery, DeliveryState.FAILED, error="recipient_refused")
        return DONE
    except Exception as exc:  # noqa: BLE001 - any failure is recorded, retried or given up
        retry = delivery.attempts < MAX_ATTEMPTS
        state = DeliveryState.PENDING if retry else DeliveryState.FAILED
        _finish(delivery, state, error=type(exc).__name__[:100])
        return RETRY
    _finish(delivery, DeliveryState.SENT)
    return SENT


def send_one(delivery: Delivery, mail=None) -> bool:
    """Send a claimed delivery and record the outcome; True when a message went out."""
    return _send(delivery, mail) == SENT


def send_reserved(rows) -> int:
    """Claim, send and mark reserved rows one by one over one mail connection; the number sent.

    The connection is opened before the first claim, and again after a failed send; if it cannot
    be opened, the rows not yet claimed are released and the rest of the part waits.
    """
    for prefetch in PREFETCH:
        prefetch(rows)
    mail = get_connection()
    is_open = False
    sent = 0
    try:
        for position, delivery in enumerate(rows):
            if not is_open:
                try:
                    mail.open()
                except Exception as exc:  # noqa: BLE001 - the server is down or refuses us
                    logger.warning(
                        "outbox: mail server unavailable (%s); %d messages wait",
                        type(exc).__name__,
                        len(rows) - position,
                    )
                    release(rows[position:])
                    break
                is_open = True
            if not claim(delivery):
                continue
            outcome = _send(delivery, mail)
            sent += outcome == SENT
            if outcome == RETRY:
                # The connection may be broken: the next message opens a new one.
                mail.close()
                is_open = False
    finally:
        mail.close()
    return sent


def _send_in_thread(rows) -> int:
    try:
        return send_reserved(rows)
    finally:
        connections.close_all()  # this thread's own connections


def send_batch(rows) -> int:
    """Send reserved rows over ``OUTBOX_SEND_THREADS`` threads (see the module docstring).

    Rows attempted before go after the threads, one at a time: one of them may be a message
    that kills its worker, and alone it takes no other message's attempt down with it.
    """
    fresh = [row for row in rows if not row.attempts]
    retried = [row for row in rows if row.attempts]
    threads = min(plugin_settings.OUTBOX_SEND_THREADS, len(fresh))
    if (
        threads <= 1
        or not connection.features.has_select_for_update_skip_locked
        or connection.in_atomic_block
    ):
        return send_reserved(rows)
    # Round robin: each thread gets messages from the whole batch, in due order.
    parts = [fresh[n::threads] for n in range(threads)]
    with ThreadPoolExecutor(threads, thread_name_prefix="outbox") as pool:
        sent = sum(pool.map(_send_in_thread, parts))
    return sent + (send_reserved(retried) if retried else 0)


def send_next_batch(now=None, *, chain: bool = False) -> tuple[int, int]:
    """Reserve and send one batch; with ``chain``, queue the next batch task first when this
    one came back full (more may be due). Returns (reserved, sent)."""
    size = plugin_settings.OUTBOX_BATCH_SIZE
    rows = reserve(size, now)
    if not rows:
        return 0, 0
    if chain and len(rows) == size:
        enqueue(BATCH_TASK)
    return len(rows), send_batch(rows)


def fan_out(now=None) -> int:
    """Queue send tasks for the due messages: one per batch, at most
    ``OUTBOX_MAX_SEND_TASKS``, less the one the caller sends itself. Returns how many."""
    due = _due(now or timezone.now()).count()
    tasks = min(
        math.ceil(due / plugin_settings.OUTBOX_BATCH_SIZE), plugin_settings.OUTBOX_MAX_SEND_TASKS
    )
    for _task in range(tasks - 1):
        enqueue(BATCH_TASK)
    return max(tasks - 1, 0)


def process(*, budget_seconds: float | None = None, now=None) -> int:
    """Send due deliveries, batch after batch, until none is left or the time budget is spent
    (half the task timeout: django-q2 kills a task at its timeout, mid-send); the next sweep
    continues. Returns the number of messages sent."""
    if budget_seconds is None:
        timeout = getattr(settings, "Q_CLUSTER", {}).get("timeout") or 120
        budget_seconds = min(60.0, 0.5 * timeout)
    deadline = time.monotonic() + budget_seconds
    sent = 0
    while time.monotonic() < deadline:
        reserved, batch_sent = send_next_batch(now)
        if not reserved:
            break
        sent += batch_sent
    return sent
