"""django-q2 entry points: plain functions taking ids, idempotent, returning counts.

Their dotted paths are stored in the queue, so renaming one is an API change.
"""

import dataclasses
import datetime
import logging
import time

from django.db import transaction
from django.utils import timezone

from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.matching.engine import ProblemError, solve
from tyonohjaus_plugin.matching.problem import build_problem, pk_of
from tyonohjaus_plugin.models import (
    Application,
    ApplicationRound,
    Delivery,
    DeliveryKind,
    MatchProposal,
    MatchRun,
    MatchRunState,
    MatchUnmatched,
)

# Counts and ids only: these lines go to the operators' logs.
logger = logging.getLogger("tyonohjaus_plugin.tasks")


def send_application_emails_task(application_id: int) -> int:
    """The application's receipt and invitations, through the outbox; then send what is due.

    Submitting adds these deliveries in its own transaction (``outbox.due``); this task, queued
    by earlier versions, adds any still missing (only messages not marked sent before) and
    sends. Returns the number of messages sent.
    """
    from tyonohjaus_plugin.outbox import delivery as outbox
    from tyonohjaus_plugin.outbox import due

    application = Application.objects.filter(pk=application_id).first()
    if application is not None:
        rows = [
            row
            for row in due.application_submitted(application)
            if not (row[0] == DeliveryKind.RECEIPT and application.receipt_sent_at)
        ]
        sent_before = set(
            application.participants.filter(invitation_sent_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        rows = [
            row
            for row in rows
            if not (row[0] == DeliveryKind.CO_APPLICANT_INVITATION and row[1] in sent_before)
        ]
        Delivery.objects.add(rows)
    return outbox.process()


def send_outbox_task() -> int:
    """Send the pending messages now (queued after a change that added some), fanned out to
    ``send_outbox_batch_task`` beyond one batch; the minute sweep (``send_reminders_task``)
    catches whatever this misses. Returns the number this task sent."""
    from tyonohjaus_plugin.outbox import delivery as outbox

    outbox.reopen_stale()
    outbox.fan_out()
    return outbox.process()


def send_outbox_batch_task() -> int:
    """One batch of due messages (``OUTBOX_BATCH_SIZE``), queued by the sweep's fan-out; a full
    batch queues the next task first, so every worker of every cluster helps with a backlog.
    Returns the number sent."""
    from tyonohjaus_plugin.outbox import delivery as outbox

    return outbox.send_next_batch(chain=True)[1]


#: A matching run still queued after this lost its task (see ``close_due_rounds_task``).
REQUEUE_AFTER = datetime.timedelta(minutes=5)


def run_matching_task(run_id: int) -> int:
    """Solve a queued matching run and write its whole proposal in one transaction.

    The run is claimed (queued → running) with a conditional UPDATE, so a second delivery of
    the task does nothing; a worker killed while solving or writing leaves no proposal rows,
    and the next start marks the lost run failed. Returns the number of proposed pairs.
    """
    claimed = MatchRun.objects.filter(pk=run_id, state=MatchRunState.QUEUED).update(
        state=MatchRunState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return 0
    run = MatchRun.objects.select_related("round").get(pk=run_id)
    started = time.perf_counter()
    try:
        problem = build_problem(run.round)
        result = solve(problem)
    except ProblemError:
        MatchRun.objects.filter(pk=run_id, state=MatchRunState.RUNNING).update(
            state=MatchRunState.FAILED, finished_at=timezone.now(), error="problem"
        )
        logger.warning("Matching run %s failed: the problem could not be built.", run_id)
        return 0
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.state != MatchRunState.RUNNING:
            return 0  # marked stale meanwhile: its result no longer counts
        MatchProposal.objects.bulk_create(
            MatchProposal(
                run=run,
                application_id=pk_of(application),
                supervisor_id=pk_of(supervisor),
                reasons=[
                    [code, dict(params)]
                    for code, params in result.explanations.get(application, ())
                ],
            )
            for application, supervisor in result.assignment
        )
        MatchUnmatched.objects.bulk_create(
            MatchUnmatched(run=run, application_id=pk_of(application), reason=[code, dict(params)])
            for application, (code, params) in sorted(result.unmatched.items())
        )
        run.state = MatchRunState.DONE
        run.finished_at = timezone.now()
        kept = len(problem.keep.intersection(result.assignment))
        run.summary = {
            "applications": len(problem.applications),
            "supervisors": len(problem.supervisors),
            "matched": result.matched,
            # The round's own score: the keep bonus only steers a re-run.
            "score": result.score - kept * problem.weights.keep_bonus,
            "kept": kept,
            "previous": len(problem.keep),
            "pins": len(problem.pins),
            "forbids": len(problem.forbids),
            "seconds": round(time.perf_counter() - started, 3),
        }
        run.parameters = {**dataclasses.asdict(problem.weights), "engine": "min-cost flow"}
        run.save(update_fields=["state", "finished_at", "summary", "parameters"])
    logger.info(
        "Matching run %s: %s of %s applications matched in %.1f s.",
        run_id,
        result.matched,
        len(problem.applications),
        run.summary["seconds"],
    )
    return len(result.assignment)


def close_due_rounds_task() -> int:
    """Close open rounds whose closing time has passed (a schedule runs this every few minutes).

    Closing sends ``round_closed``, which starts matching when MATCHING_AUTO_START is on.
    Idempotent: a round already closed is not touched. Also queues again the matching runs still
    waiting after ``REQUEUE_AFTER`` (a Redis broker may have lost their task; a duplicate is
    harmless because a run is claimed before it is solved). Returns the number of rounds closed.
    """
    from tyonohjaus_plugin.actions.close_round import CloseRoundAction
    from tyonohjaus_plugin.jobs import enqueue

    closed = 0
    for round in ApplicationRound.objects.open().filter(closes_at__lte=clock_now()):
        action = CloseRoundAction(round, only_if_open=True)
        action.execute()
        closed += action.changed
    lost = MatchRun.objects.filter(
        state=MatchRunState.QUEUED, created_at__lt=timezone.now() - REQUEUE_AFTER
    ).values_list("pk", flat=True)
    requeued = 0
    for run_id in lost:
        requeued += enqueue("tyonohjaus_plugin.tasks.run_matching_task", run_id)
    if closed or requeued:
        logger.info("Rounds closed: %s; matching runs queued again: %s.", closed, requeued)
    return closed


def send_reminders_task() -> int:
    """The sweep: reopen deliveries lost with a worker, add what is due, send what is pending.

    Runs every minute from a schedule and after each change that makes something due at once
    (a confirmed match, a moved meeting); running it twice, or two at a time, sends nothing
    twice (see ``outbox``). Beyond one batch it fans out: one ``send_outbox_batch_task`` per
    batch (at most ``OUTBOX_MAX_SEND_TASKS``), which any worker takes, and sends batches itself
    too. Returns the number of messages this task sent.
    """
    from tyonohjaus_plugin.outbox import delivery as outbox
    from tyonohjaus_plugin.outbox import due as reminders

    reopened = outbox.reopen_stale()
    added = reminders.create_due()
    queued = outbox.fan_out()
    sent = outbox.process()
    if reopened or added or queued or sent:
        logger.info(
            "Outbox sweep: %s added, %s reopened, %s send tasks queued, %s sent.",
            added,
            reopened,
            queued,
            sent,
        )
    return sent


def run_retention_task() -> dict:
    """The retention job (an hourly schedule): anonymise what the policy says is due. Safe to
    run twice or to kill: each application is done in one transaction, a second run finds
    nothing. Returns the counts per data class (never ids or names)."""
    from tyonohjaus_plugin.actions.run_retention import run_retention

    return run_retention()


def fill_freed_places_task(supervisor_id: int, freed_by: str = "cancelled") -> int:
    """A supervisor's place was freed: offer their free places to the waiting list (and confirm
    them with ``WAITING_LIST_AUTO_CONFIRM``). Safe to run twice: the free places are recounted
    under the supervisor's lock. Returns the number of offers made."""
    from tyonohjaus_plugin.actions.place_offers import fill_freed_places

    offers = fill_freed_places(supervisor_id, freed_by)
    logger.info("Waiting list: %d offers for supervisor %d.", len(offers), supervisor_id)
    return len(offers)


def fill_freed_places_sweep_task() -> int:
    """Schedule: offer again the places freed in the last day (each supervisor's free places
    are recounted, so what was offered already is not offered twice). Returns offers made."""
    from tyonohjaus_plugin.actions.place_offers import fill_freed_places
    from tyonohjaus_plugin.engagements.waiting import recently_freed

    made = sum(
        len(fill_freed_places(supervisor_id, freed_by))
        for supervisor_id, freed_by in recently_freed().items()
    )
    if made:
        logger.info("Waiting list sweep: %d offers.", made)
    return made
