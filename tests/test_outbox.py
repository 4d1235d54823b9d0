"""The outbox's crash points, proven without timing (RELIABILITY.md §1.3, §7 tests 13 and 22).

A worker "dies" by raising ``WorkerKilled``, a ``BaseException`` like ``KeyboardInterrupt`` or
``SystemExit``: it passes through the outbox's ``except Exception`` exactly as a SIGKILL would
leave the code, without recording anything. Time moves by passing ``now=`` or by moving
``claimed_at`` back in the database, never by sleeping. Sends are counted in ``mail.outbox`` by
their ``X-Tyonohjaus-Delivery`` header. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tests.factories import ApplicationFactory, ApplicationRoundFactory, external_supervisor
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import (
    Delivery,
    DeliveryKind,
    DeliveryState,
    Engagement,
    EngagementParticipant,
    Meeting,
    MeetingState,
)
from tyonohjaus_plugin.outbox import delivery as outbox
from tyonohjaus_plugin.outbox import due as reminders
from tyonohjaus_plugin.tasks import send_reminders_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("direct_planning")]

HELSINKI = ZoneInfo("Europe/Helsinki")
HEADER = "X-Tyonohjaus-Delivery"
MEETING_MINUTES = 90


class WorkerKilled(BaseException):
    """The worker process ends here: nothing after this line runs, nothing is recorded."""


# --- builders shared with test_outbox_workers ----------------------------------------------


def engagement_with_meetings(supervisor, starts, *, round=None, application=None):
    """An engagement (applicant + external supervisor) with planned meetings at ``starts``."""
    application = application or ApplicationFactory(round=round)
    engagement = Engagement.objects.create(
        application=application,
        supervisor=supervisor,
        round=application.round,
        confirmed_at=timezone.now(),
    )
    EngagementParticipant.objects.create(engagement=engagement, user=application.applicant)
    Meeting.objects.bulk_create(
        Meeting(
            engagement=engagement,
            number=number,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=MEETING_MINUTES),
        )
        for number, start in enumerate(starts, 1)
    )
    return engagement


def soon(minutes):
    """A start inside the reminder window: its reminder is due now."""
    return timezone.now() + datetime.timedelta(hours=1, minutes=minutes)


def backdate_claims(by=None):
    """As if ``OUTBOX_STALE_AFTER_SECONDS`` (and a second) had passed since every open claim,
    and since every batch's reservation; returns the number of open claims."""
    by = by or outbox.stale_after() + datetime.timedelta(seconds=1)
    Delivery.objects.filter(state=DeliveryState.PENDING, claimed_at__isnull=False).update(
        claimed_at=F("claimed_at") - by
    )
    return Delivery.objects.filter(state=DeliveryState.SENDING).update(
        claimed_at=F("claimed_at") - by
    )


# --- helpers -------------------------------------------------------------------------------


def sent() -> Counter:
    """Delivery id -> copies in the mail outbox."""
    return Counter(int(message.extra_headers[HEADER]) for message in mail.outbox)


def duplicates(counts: Counter) -> dict:
    return {pk: n - 1 for pk, n in counts.items() if n > 1}


def lost(ids, counts: Counter) -> set:
    return set(ids) - set(counts)


def kill_on_call(number, real, *, when=lambda *args, **kwargs: True):
    """``real`` wrapped so that its ``number``-th call (among those ``when`` accepts) dies
    before doing anything; the calls are recorded on the wrapper."""

    def wrapper(*args, **kwargs):
        if when(*args, **kwargs):
            wrapper.calls.append(args)
            if len(wrapper.calls) == number:
                raise WorkerKilled
        return real(*args, **kwargs)

    wrapper.calls = []
    return wrapper


@pytest.fixture
def supervisor(db):
    return external_supervisor("Saara")


@pytest.fixture
def due_reminders(supervisor):
    """Ten meeting reminders due now: five meetings, each to its applicant and supervisor."""
    round = ApplicationRoundFactory()
    for n in range(5):
        engagement_with_meetings(supervisor, [soon(10 * n)], round=round)
    assert reminders.create_due() == 10
    return list(
        Delivery.objects.filter(kind=DeliveryKind.MEETING_REMINDER).values_list("pk", flat=True)
    )


def _in_batch_order(ids):
    rows = Delivery.objects.filter(pk__in=ids).order_by("due_at", "pk")
    return list(rows.values_list("pk", flat=True))


# --- crash points (RELIABILITY test 13) ----------------------------------------------------


def backdate_reservations():
    """As if ``RETRY_AFTER`` had passed since every reservation (and failed attempt)."""
    return Delivery.objects.filter(state=DeliveryState.PENDING, claimed_at__isnull=False).update(
        claimed_at=F("claimed_at") - outbox.RETRY_AFTER
    )


@pytest.mark.parametrize("position", [1, 4, 10])
def test_killed_before_the_claim_sends_each_message_once(due_reminders, monkeypatch, position):
    """Dead before claiming the ``position``-th row of its batch: what was sent stays sent, the
    rest of the batch stays pending (never "sending", so never doubtful) and goes once after
    ``RETRY_AFTER``. 0 duplicates, 0 lost."""
    monkeypatch.setattr(outbox, "claim", kill_on_call(position, outbox.claim))
    with pytest.raises(WorkerKilled):
        send_reminders_task()
    assert sum(sent().values()) == position - 1
    assert not Delivery.objects.filter(state=DeliveryState.SENDING).exists()
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == len(due_reminders) - (
        position - 1
    )

    monkeypatch.undo()
    # The batch's reservation looks like a recent attempt: the next sweep keeps off.
    assert send_reminders_task() == 0
    assert outbox.reopen_stale(now=timezone.now() + outbox.stale_after() * 2) == 0
    backdate_reservations()
    assert send_reminders_task() == len(due_reminders) - (position - 1)
    counts = sent()
    assert duplicates(counts) == {}
    assert lost(due_reminders, counts) == set()
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    # A reservation is not an attempt.
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.parametrize("position", [1, 4, 10])
def test_killed_after_the_claim_before_the_send(due_reminders, monkeypatch, position):
    """Dead with a row claimed and nothing sent: the row waits in "sending" until it is stale,
    then goes once. 0 duplicates, 0 lost."""
    sender = kill_on_call(position, outbox.SENDERS[DeliveryKind.MEETING_REMINDER])
    monkeypatch.setitem(outbox.SENDERS, DeliveryKind.MEETING_REMINDER, sender)
    with pytest.raises(WorkerKilled):
        send_reminders_task()
    (killed,) = sender.calls[-1]
    assert killed.pk == _in_batch_order(due_reminders)[position - 1]
    assert killed.pk not in sent()
    monkeypatch.undo()
    # The rest of the killed batch is pending: taken again once RETRY_AFTER has passed.
    assert backdate_reservations() == len(due_reminders) - position

    # The next sweep, before the stale time: the lost claim might still be sending, keep off.
    send_reminders_task()
    stuck = Delivery.objects.get(pk=killed.pk)
    assert (stuck.state, stuck.attempts) == (DeliveryState.SENDING, 1)
    assert killed.pk not in sent()
    assert outbox.reopen_stale(now=stuck.claimed_at + outbox.stale_after()) == 0

    # After STALE_AFTER the sweep reopens it and sends it, once.
    assert backdate_claims() == 1
    assert send_reminders_task() == 1
    counts = sent()
    assert duplicates(counts) == {}
    assert lost(due_reminders, counts) == set()
    assert Delivery.objects.get(pk=killed.pk).attempts == 2


@pytest.mark.parametrize("position", [1, 4, 10])
def test_killed_after_the_send_before_the_mark(due_reminders, monkeypatch, position):
    """Dead between the mail server's "ok" and the mark: that message, and only that one, may
    go twice. ≤ 1 duplicate, 0 lost."""
    finish = kill_on_call(
        position, outbox._finish, when=lambda delivery, state, **kw: state == DeliveryState.SENT
    )
    monkeypatch.setattr(outbox, "_finish", finish)
    with pytest.raises(WorkerKilled):
        send_reminders_task()
    (killed, _state) = finish.calls[-1]
    assert sent()[killed.pk] == 1  # it reached the mail server
    assert Delivery.objects.get(pk=killed.pk).state == DeliveryState.SENDING
    monkeypatch.undo()

    send_reminders_task()
    backdate_claims()
    send_reminders_task()
    counts = sent()
    dupes = duplicates(counts)
    assert sum(dupes.values()) <= 1
    assert set(dupes) <= {killed.pk}, "only the message in flight may be doubled"
    assert lost(due_reminders, counts) == set()
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


# --- attempts are capped ---------------------------------------------------------------------


def test_a_sender_that_always_fails_stops_after_max_attempts(due_reminders, monkeypatch):
    calls = []

    def broken(delivery):
        calls.append(delivery.pk)
        raise ConnectionRefusedError("smtp down")

    first = _in_batch_order(due_reminders)[0]
    real = outbox.SENDERS[DeliveryKind.MEETING_REMINDER]
    monkeypatch.setitem(
        outbox.SENDERS,
        DeliveryKind.MEETING_REMINDER,
        lambda delivery, **kw: broken(delivery) if delivery.pk == first else real(delivery, **kw),
    )
    send_reminders_task()
    assert calls == [first]  # a failure waits RETRY_AFTER: no burst of attempts in one sweep
    for _sweep in range(outbox.MAX_ATTEMPTS + 3):
        # As if RETRY_AFTER had passed since the last attempt.
        Delivery.objects.filter(pk=first).update(claimed_at=F("claimed_at") - outbox.RETRY_AFTER)
        send_reminders_task()
    assert calls == [first] * outbox.MAX_ATTEMPTS
    failed = Delivery.objects.get(pk=first)
    assert (failed.state, failed.attempts) == (DeliveryState.FAILED, outbox.MAX_ATTEMPTS)
    assert failed.error == "ConnectionRefusedError"  # a code, not the message text
    counts = sent()
    assert first not in counts
    assert duplicates(counts) == {}
    assert lost(set(due_reminders) - {first}, counts) == set()


def test_a_message_that_kills_its_worker_stops_after_max_attempts(due_reminders, monkeypatch):
    """A poison message: every claim dies. The claim counts, so it ends "failed" for HR."""
    first = _in_batch_order(due_reminders)[0]
    real = outbox.SENDERS[DeliveryKind.MEETING_REMINDER]
    calls = []

    def poison(delivery, **kwargs):
        if delivery.pk == first:
            calls.append(delivery.pk)
            raise WorkerKilled
        real(delivery, **kwargs)

    monkeypatch.setitem(outbox.SENDERS, DeliveryKind.MEETING_REMINDER, poison)
    for _sweep in range(2 * outbox.MAX_ATTEMPTS):
        try:
            send_reminders_task()
        except WorkerKilled:
            pass
        backdate_claims()
    assert len(calls) == outbox.MAX_ATTEMPTS
    failed = Delivery.objects.get(pk=first)
    assert (failed.state, failed.attempts) == (DeliveryState.FAILED, outbox.MAX_ATTEMPTS)
    assert failed.error == "lost while sending"
    counts = sent()
    assert duplicates(counts) == {}
    assert lost(set(due_reminders) - {first}, counts) == set()


# --- kinds where a duplicate hurts -----------------------------------------------------------


@pytest.fixture
def invitations(supervisor):
    """A confirmed match: four meetings, each invitation to the applicant and the supervisor."""
    application = ApplicationFactory()
    with transaction.atomic():
        create_engagements([(application, supervisor.pk)], run=None, user=None, now=timezone.now())
    rows = Delivery.objects.filter(kind=DeliveryKind.INVITATION).order_by("due_at", "pk")
    ids = list(rows.values_list("pk", flat=True))
    assert len(ids) == 2 * plugin_settings.MEETINGS_PER_ENGAGEMENT
    return ids


@pytest.mark.usefixtures("direct_planning")  # invitations at the confirm
@pytest.mark.parametrize("crash", ["before the send", "after the send"])
def test_a_lost_invitation_becomes_uncertain_not_resent(invitations, monkeypatch, crash):
    assert DeliveryKind.INVITATION in outbox.DUPLICATE_HURTS
    if crash == "before the send":
        sender = kill_on_call(2, outbox.SENDERS[DeliveryKind.INVITATION])
        monkeypatch.setitem(outbox.SENDERS, DeliveryKind.INVITATION, sender)
    else:
        sender = kill_on_call(
            2, outbox._finish, when=lambda delivery, state, **kw: state == DeliveryState.SENT
        )
        monkeypatch.setattr(outbox, "_finish", sender)
    with pytest.raises(WorkerKilled):
        send_reminders_task()
    killed = sender.calls[-1][0].pk
    copies = sent()[killed]
    monkeypatch.undo()

    backdate_claims()
    send_reminders_task()
    send_reminders_task()
    uncertain = Delivery.objects.get(pk=killed)
    assert (uncertain.state, uncertain.error) == (DeliveryState.UNCERTAIN, "lost while sending")
    counts = sent()
    assert counts[killed] == copies == (0 if crash == "before the send" else 1)
    assert duplicates(counts) == {}
    assert lost(set(invitations) - {killed}, counts) == set()


# --- idempotency -----------------------------------------------------------------------------


def test_ensure_twice_keeps_one_row_per_key(supervisor):
    engagement = engagement_with_meetings(supervisor, [soon(0)], round=ApplicationRoundFactory())
    meeting = engagement.meetings.get()
    due = timezone.now()
    rows = [
        (DeliveryKind.MEETING_REMINDER, meeting.pk, "u1", "at1", due),
        (DeliveryKind.MEETING_REMINDER, meeting.pk, "s1", "at1", due),
        (DeliveryKind.MEETING_REMINDER, meeting.pk, "u1", "at2", due),
        (DeliveryKind.INVITATION, meeting.pk, "u1", "at1", due),
    ]
    assert Delivery.objects.ensure(rows + rows[:1]) == 4
    assert Delivery.objects.ensure(rows) == 0
    assert Delivery.objects.ensure(reversed(rows)) == 0
    assert Delivery.objects.count() == 4
    assert Delivery.objects.values("kind", "target_id", "recipient", "slot").distinct().count() == 4


@pytest.mark.usefixtures("direct_planning")  # invitations at the confirm
def test_the_sweep_twice_in_a_row_sends_nothing_twice(invitations, due_reminders):
    first = send_reminders_task()
    assert first == len(invitations) + len(due_reminders)
    assert send_reminders_task() == 0
    assert reminders.create_due() == 0
    counts = sent()
    assert sum(counts.values()) == first
    assert duplicates(counts) == {}
    assert lost(invitations + due_reminders, counts) == set()


def test_skip_marks_done_without_a_message(due_reminders, django_user_model):
    """The meeting was cancelled, or the person left, after the reminder was queued."""
    cancelled = Meeting.objects.order_by("starts_at").first()
    cancelled.state = MeetingState.CANCELLED
    cancelled.save()
    gone = Delivery.objects.filter(recipient__startswith="u").exclude(target_id=cancelled.pk)[0]
    django_user_model.objects.filter(pk=int(gone.recipient[1:])).update(is_active=False)
    skipped = {gone.pk} | set(
        Delivery.objects.filter(target_id=cancelled.pk).values_list("pk", flat=True)
    )
    assert len(skipped) == 3

    assert send_reminders_task() == len(due_reminders) - 3
    counts = sent()
    assert skipped.isdisjoint(counts)
    assert lost(set(due_reminders) - skipped, counts) == set()
    for delivery in Delivery.objects.filter(pk__in=skipped):
        assert (delivery.state, delivery.error) == (DeliveryState.SENT, "nothing to send")
    assert send_reminders_task() == 0
    assert len(mail.outbox) == len(due_reminders) - 3


# --- reminders across DST (RELIABILITY test 22) ----------------------------------------------


def _monday_after_last_sunday(month, after):
    """The Monday after the last Sunday of ``month`` (the EU DST change) following ``after``."""
    for year in (after.year, after.year + 1):
        last = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
        sunday = last - datetime.timedelta(days=(last.weekday() + 1) % 7)
        monday = sunday + datetime.timedelta(days=1)
        if monday > after + datetime.timedelta(days=3):
            return monday
    raise AssertionError("unreachable")


@pytest.mark.parametrize(("month", "wall_hours"), [(3, 49), (10, 47)])
def test_meeting_reminder_is_due_48_hours_before_across_dst(supervisor, month, wall_hours):
    """14:00 local on the Monday after the change: the reminder is due exactly 48 h before (the
    local clock shows 49 h in March and 47 h in October), not a minute early, and sent then."""
    monday = _monday_after_last_sunday(month, timezone.localdate())
    starts = datetime.datetime.combine(monday, datetime.time(14, 0), tzinfo=HELSINKI)
    engagement_with_meetings(supervisor, [starts], round=ApplicationRoundFactory())
    lead = datetime.timedelta(hours=plugin_settings.MEETING_REMINDER_HOURS)
    assert lead == datetime.timedelta(hours=48)
    # In UTC: ``starts - lead`` on a Europe/Helsinki datetime would be wall-clock arithmetic.
    due = starts.astimezone(datetime.UTC) - lead

    one_minute = datetime.timedelta(minutes=1)
    assert reminders.create_due(now=due - one_minute) == 0
    assert outbox.process(now=due - one_minute) == 0
    assert reminders.create_due(now=due) == 2
    for delivery in Delivery.objects.all():
        assert abs((starts - delivery.due_at) - lead) <= one_minute
        assert delivery.due_at == due
        local_due = timezone.localtime(delivery.due_at, HELSINKI)
        wall = datetime.datetime.combine(monday, datetime.time(14, 0)) - local_due.replace(
            tzinfo=None
        )
        assert wall == datetime.timedelta(hours=wall_hours)
    assert outbox.process(now=due) == 2
    assert sorted(sent()) == sorted(Delivery.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("month", [3, 10])
def test_reminder_window_does_not_depend_on_the_zone_of_now(supervisor, month):
    """``create_due(now=...)`` with a local aware ``now`` (as ``timezone.localtime()`` gives)
    must find what the same instant in UTC finds."""
    monday = _monday_after_last_sunday(month, timezone.localdate())
    starts = datetime.datetime.combine(monday, datetime.time(14, 0), tzinfo=HELSINKI)
    engagement_with_meetings(supervisor, [starts], round=ApplicationRoundFactory())
    lead = datetime.timedelta(hours=plugin_settings.MEETING_REMINDER_HOURS)
    due = starts.astimezone(datetime.UTC) - lead
    for minutes, expected in ((-30, 0), (30, 2)):  # half an hour before / after it is due
        now = due + datetime.timedelta(minutes=minutes)
        assert len(reminders.due_meeting_reminders(now)) == expected
        assert len(reminders.due_meeting_reminders(timezone.localtime(now, HELSINKI))) == expected


def test_a_reminder_to_an_idn_domain_goes_out_in_punycode(due_reminders, django_user_model):
    delivery = Delivery.objects.filter(recipient__startswith="u").order_by("pk").first()
    django_user_model.objects.filter(pk=int(delivery.recipient[1:])).update(
        email="liisa@yliopistö.fi"
    )
    send_reminders_task()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.error) == (DeliveryState.SENT, "")
    (message,) = [m for m in mail.outbox if m.extra_headers[HEADER] == str(delivery.pk)]
    assert message.message()["To"].endswith("<liisa@xn--yliopist-u4a.fi>")
