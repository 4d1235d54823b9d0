"""django-q2 entry points: plain functions taking ids, idempotent, returning counts.

Their dotted paths are stored in the queue, so renaming one is an API change.
"""

import dataclasses
import datetime
import time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.core.emails import absolute_url, recipient_language, send_templated_email
from tyonohjaus_plugin.core.tokens import make_invitation_token
from tyonohjaus_plugin.matching.engine import ProblemError, solve
from tyonohjaus_plugin.matching.problem import build_problem, pk_of
from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    ApplicationRound,
    MatchProposal,
    MatchRun,
    MatchRunState,
    MatchUnmatched,
    ParticipantRole,
    ParticipantStatus,
)


def _service_title(service_key, language):
    pages = Page.objects.filter(translation_key=service_key, live=True)
    page = pages.filter(locale__language_code=language).first() or pages.first()
    return page.title if page else ""


def send_application_emails_task(application_id: int) -> int:
    """The applicant's receipt and the co-applicants' invitations, each sent at most once.

    Each message is claimed with a conditional UPDATE before it is sent, so a second run (or a
    second worker) sends nothing again. Returns the number of messages sent.
    """
    application = (
        Application.objects.select_related("applicant", "round").filter(pk=application_id).first()
    )
    if application is None:
        return 0
    sent = 0
    now = timezone.now()
    claimed = Application.objects.filter(pk=application.pk, receipt_sent_at__isnull=True).update(
        receipt_sent_at=now
    )
    if claimed:
        applicant = application.applicant
        language = recipient_language(applicant)
        with translation.override(language):
            received_url = absolute_url(
                reverse("tyonohjaus_plugin:application_received", args=[application.pk])
            )
        send_templated_email(
            "application_receipt",
            applicant,
            {
                "application": application,
                "service_title": _service_title(application.service_key, language),
                "received_url": received_url,
            },
        )
        sent += 1

    invited = application.participants.filter(
        role=ParticipantRole.CO_APPLICANT,
        status=ParticipantStatus.INVITED,
        invitation_sent_at__isnull=True,
    ).select_related("user")
    for participant in invited:
        if not ApplicationParticipant.objects.filter(
            pk=participant.pk, invitation_sent_at__isnull=True
        ).update(invitation_sent_at=now):
            continue
        language = recipient_language(participant.user)
        with translation.override(language):
            invitation_url = absolute_url(
                reverse("tyonohjaus_plugin:invitation", args=[make_invitation_token(participant)])
            )
        send_templated_email(
            "co_applicant_invitation",
            participant.user,
            {
                "application": application,
                "applicant_name": application.applicant.get_full_name()
                or application.applicant.get_username(),
                "service_title": _service_title(application.service_key, language),
                "invitation_url": invitation_url,
            },
        )
        sent += 1
    return sent


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
    for run_id in lost:
        enqueue("tyonohjaus_plugin.tasks.run_matching_task", run_id)
    return closed


def send_reminders_task() -> int:
    """The sweep: reopen deliveries lost with a worker, add what is due, send what is pending.

    Runs every minute from a schedule and after each change that makes something due at once
    (a confirmed match, a moved meeting); running it twice, or two at a time, sends nothing
    twice (see ``outbox``). Returns the number of messages sent.
    """
    from tyonohjaus_plugin.outbox import delivery as outbox
    from tyonohjaus_plugin.outbox import due as reminders

    outbox.reopen_stale()
    reminders.create_due()
    return outbox.process()
