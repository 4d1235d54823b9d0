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

Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two workers never
take the same row; SQLite serialises writers anyway. Attempts are counted at the claim and
capped, so a message that kills its worker stops being retried.
"""

from __future__ import annotations

import datetime
import smtplib
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.emails import Undeliverable
from tyonohjaus_plugin.models import Delivery, DeliveryKind, DeliveryState

#: Attempts before a message is given up as failed (claims count, so kills count too).
MAX_ATTEMPTS = 5
#: A failed attempt waits this long before the next one (an SMTP outage must not use up every
#: attempt of every message within one sweep).
RETRY_AFTER = datetime.timedelta(minutes=2)
#: Kinds where a second copy hurts more than a delay: a lost claim is flagged, not resent.
DUPLICATE_HURTS = frozenset({DeliveryKind.INVITATION})

#: kind -> function sending one delivery; registered by ``reminders``.
SENDERS: dict[str, Callable[[Delivery], None]] = {}


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


def claim_next(now=None) -> Delivery | None:
    """Take the next due pending row: pending → sending, attempt counted, committed."""
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            Delivery.objects.filter(state=DeliveryState.PENDING, due_at__lte=now)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - RETRY_AFTER))
            .order_by("due_at", "pk")
        )
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


def _finish(delivery: Delivery, state: str, error: str = "") -> None:
    # Only our own claim: a row reopened and claimed again by another worker is theirs.
    Delivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.SENDING, attempts=delivery.attempts
    ).update(
        state=state, error=error, sent_at=timezone.now() if state == DeliveryState.SENT else None
    )


def send_one(delivery: Delivery) -> bool:
    """Send a claimed delivery and record the outcome; True when a message went out."""
    try:
        SENDERS[delivery.kind](delivery)
    except Skip:
        _finish(delivery, DeliveryState.SENT, error="nothing to send")
        return False
    except Undeliverable as exc:
        # Retrying cannot help: failed at once, with the reason, for HR to fix and resend.
        _finish(delivery, DeliveryState.FAILED, error=exc.code)
        return False
    except smtplib.SMTPRecipientsRefused:
        _finish(delivery, DeliveryState.FAILED, error="recipient_refused")
        return False
    except Exception as exc:  # noqa: BLE001 - any failure is recorded, retried or given up
        retry = delivery.attempts < MAX_ATTEMPTS
        state = DeliveryState.PENDING if retry else DeliveryState.FAILED
        _finish(delivery, state, error=type(exc).__name__[:100])
        return False
    _finish(delivery, DeliveryState.SENT)
    return True


def process(*, budget_seconds: float | None = None, now=None) -> int:
    """Send due deliveries until none is left or the time budget is spent (half the task
    timeout: django-q2 kills a task at its timeout, mid-send); the next sweep continues.
    Returns the number of messages sent."""
    if budget_seconds is None:
        timeout = getattr(settings, "Q_CLUSTER", {}).get("timeout") or 120
        budget_seconds = min(60.0, 0.5 * timeout)
    deadline = time.monotonic() + budget_seconds
    sent = 0
    while time.monotonic() < deadline:
        delivery = claim_next(now)
        if delivery is None:
            break
        sent += send_one(delivery)
    return sent
