"""A finished round with every kind of personal data the plugin holds, for the retention tests
and the benchmark: applications ended in each way, a group, an engagement with meetings, an
evaluation, messages, audit-log entries and task records."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Avg, Count, Sum
from django.utils import timezone
from django_q.models import Task
from wagtail.log_actions import log

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    EmployeeProfileFactory,
    EngagementFactory,
    EngagementParticipantFactory,
    EvaluationAnswerFactory,
    FeedbackResponseFactory,
    MeetingFactory,
    UserFactory,
)
from tyonohjaus_plugin.jobs import GROUP
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    Delivery,
    EngagementParticipant,
    EvaluationAnswer,
    FeedbackResponse,
    Meeting,
)
from tyonohjaus_plugin.models.outbox import user_key
from tyonohjaus_plugin.privacy.policy import has_free_text

#: Marks every free text, so a search over the whole database finds what is left.
MARK = "SALAINEN-7f3a"


def text(kind: str) -> str:
    return f"{MARK} {kind} {uuid.uuid4().hex[:8]}"


def finished_round(**fields):
    """A matched round whose programme ended ten days ago."""
    now = timezone.now()
    defaults = {
        "opens_at": now - datetime.timedelta(days=200),
        "closes_at": now - datetime.timedelta(days=180),
        "programme_ends_on": timezone.localdate() - datetime.timedelta(days=10),
        "state": "matched",
    }
    return ApplicationRoundFactory(**{**defaults, **fields})


def ended_application(round, *, status="completed", unit="", days_ago=20, **fields):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    application = ApplicationFactory(
        round=round,
        status=status,
        situation=text("situation"),
        goals=text("goals"),
        availability=text("availability"),
        supervisor_wishes=text("wishes")[:300],
        hr_note=text("note"),
        submitted_at=moment - datetime.timedelta(days=60),
        status_changed_at=moment,
        **fields,
    )
    if unit:
        EmployeeProfileFactory(user=application.applicant, unit_code=unit)
    ApplicationEvent.objects.create(application=application, kind="submitted", status="submitted")
    ApplicationEvent.objects.create(application=application, kind="status_changed", status=status)
    return application


def with_engagement(application, *, held=3, members=()):
    """An engagement with ``held`` held meetings, an evaluation per person, messages, and the
    participants' own audit entries (an evaluation answered)."""
    engagement = EngagementFactory(
        application=application, round=application.round, state="completed"
    )
    people = [application.applicant, *members]
    start = timezone.now() - datetime.timedelta(days=90)
    for number in range(1, held + 1):
        meeting = MeetingFactory(
            engagement=engagement,
            number=number,
            starts_at=start + datetime.timedelta(days=21 * number),
            state="held",
        )
        for person in people:
            Delivery.objects.create(
                kind="invitation",
                target_id=meeting.pk,
                recipient=user_key(person.pk),
                slot="seq0",
                due_at=meeting.starts_at,
                state="sent",
                sent_at=meeting.starts_at,
            )
    for person in people:
        participant = EngagementParticipantFactory(engagement=engagement, user=person)
        EvaluationAnswerFactory(participant=participant, comment=text("evaluation"))
        Delivery.objects.create(
            kind="evaluation",
            target_id=engagement.pk,
            recipient=user_key(person.pk),
            due_at=timezone.now(),
            state="sent",
        )
        log(instance=engagement, action="tyonohjaus_plugin.engagement.evaluated", user=person)
    return engagement


def build(*, units=True):
    """The scenario: returns (round, dict of what tests look at)."""
    round = finished_round()
    completed = ended_application(round, unit="U-BIG" if units else "")
    group = ended_application(round, format="group", unit="U-BIG" if units else "")
    members = [UserFactory() for _ in range(2)]
    for member in members:
        ApplicationParticipantFactory(application=group, user=member, status="confirmed")
    with_engagement(completed)
    with_engagement(group, members=members)
    others = [
        ended_application(round, status="rejected", unit="U-BIG" if units else ""),
        ended_application(round, status="withdrawn", unit="U-BIG" if units else ""),
        ended_application(round, status="waitlisted", unit="U-BIG" if units else ""),
        ended_application(round, status="rejected", unit="U-SMALL" if units else ""),
        ended_application(round, status="rejected", unit="U-SMALL" if units else ""),
    ]
    for application in [completed, group, *others]:
        Delivery.objects.create(
            kind="receipt",
            target_id=application.pk,
            recipient=user_key(application.applicant_id),
            due_at=application.submitted_at,
            state="sent",
        )
        log(instance=application, action="tyonohjaus_plugin.application.viewed", user=None)
    # Running: matched in an open round, and an engagement in progress: never due.
    running_round = ApplicationRoundFactory(state="closed")
    running = ended_application(running_round, status="in_progress")
    FeedbackResponseFactory(comment=text("feedback"), created_on=timezone.localdate())
    old_feedback = FeedbackResponseFactory(
        comment=text("feedback"),
        created_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    Task.objects.create(
        id=uuid.uuid4().hex,
        name="tyonohjaus_plugin:send_application_emails_task",
        func="tyonohjaus_plugin.tasks.send_application_emails_task",
        args=(completed.pk,),
        started=timezone.now() - datetime.timedelta(days=100),
        stopped=timezone.now() - datetime.timedelta(days=100),
        success=True,
        group=GROUP,
    )
    return round, {
        "completed": completed,
        "group": group,
        "members": members,
        "others": others,
        "running": running,
        "old_feedback": old_feedback,
    }


def statistics(round) -> dict:
    """What the reports read: must be the same before and after anonymisation."""
    applications = Application.objects.filter(round=round)
    return {
        "by_status_format": sorted(
            applications.values_list("status", "format").annotate(n=Count("pk"))
        ),
        "people": ApplicationParticipant.objects.filter(application__round=round).count(),
        "group_sizes": sorted(
            applications.annotate(n=Count("participants")).values_list("pk", "n")
        ),
        "events": sorted(
            ApplicationEvent.objects.filter(application__round=round).values_list(
                "application_id", "kind", "status"
            )
        ),
        "status_dates": sorted(applications.values_list("pk", "submitted_at", "status_changed_at")),
        "meetings_held": Meeting.objects.filter(engagement__round=round, state="held").count(),
        "evaluation": EvaluationAnswer.objects.filter(engagement__round=round).aggregate(
            n=Count("pk"), avg=Avg("goals_reached"), total=Sum("goals_reached")
        ),
        "engagement_people": EngagementParticipant.objects.filter(engagement__round=round).count(),
        "themes_languages": sorted(applications.values_list("pk", "languages")),
    }


def people_links(user_ids) -> dict:
    """Every place of the erasure checklist that could still point at these people."""
    from wagtail.models import ModelLogEntry

    keys = [user_key(pk) for pk in user_ids]
    return {
        "applications": Application.objects.filter(applicant_id__in=user_ids).count(),
        "participants": ApplicationParticipant.objects.filter(user_id__in=user_ids).count(),
        "engagement_participants": EngagementParticipant.objects.filter(
            user_id__in=user_ids
        ).count(),
        "deliveries": Delivery.objects.filter(recipient__in=keys).count(),
        "log_entries_as_actor": ModelLogEntry.objects.filter(
            action__startswith="tyonohjaus_plugin.", user_id__in=user_ids
        ).count(),
    }


def free_text_left(applications) -> int:
    ids = [a.pk for a in applications]
    return (
        Application.objects.filter(pk__in=ids).filter(has_free_text()).count()
        + EvaluationAnswer.objects.filter(engagement__application_id__in=ids)
        .exclude(comment="")
        .count()
    )


__all__ = ["FeedbackResponse", "build", "free_text_left", "people_links", "statistics"]
