"""A confirmed match becomes an engagement (shared by round and off-round confirms)."""

from django.db import transaction
from wagtail.log_actions import log

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.engagements.agreements import ensure_agreements
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    ApplicationStatus,
    Delivery,
    DeliveryKind,
    Engagement,
    EngagementParticipant,
    EngagementState,
    ParticipantStatus,
    Supervisor,
)


def create_engagements(pairs, *, run, user, now) -> list[Engagement]:
    """Inside ``atomic()``, for locked applications that still wait for a supervisor:
    engagements with the applicant and the confirmed co-applicants, status "matched", the
    applicant-visible event and one audit-log entry per application.

    ``pairs`` are (application, supervisor id). The one-to-one key refuses a second engagement
    for an application, whatever raced us.
    """
    if not pairs:
        return []
    engagements = Engagement.objects.bulk_create(
        Engagement(
            application=application,
            supervisor_id=supervisor_id,
            round_id=application.round_id,
            match_run=run,
            confirmed_by=user,
            confirmed_at=now,
            meeting_count=plugin_settings.MEETINGS_PER_ENGAGEMENT,
            meeting_minutes=plugin_settings.MEETING_MINUTES,
            state=first_state(),
        )
        for application, supervisor_id in pairs
    )
    by_application = {engagement.application_id: engagement for engagement in engagements}
    if any(engagement.pk is None for engagement in engagements):
        # Backends that cannot return ids from bulk inserts: read them back.
        by_application = {
            engagement.application_id: engagement
            for engagement in Engagement.objects.filter(application_id__in=by_application)
        }
    people = list(
        ApplicationParticipant.objects.filter(
            application_id__in=by_application, status=ParticipantStatus.CONFIRMED
        ).values_list("application_id", "user_id")
    )
    EngagementParticipant.objects.bulk_create(
        EngagementParticipant(engagement=by_application[application_id], user_id=user_id)
        for application_id, user_id in people
    )
    after_confirm(list(by_application.values()), people, now)
    applications = [application for application, _supervisor_id in pairs]
    old_statuses = Application.change_statuses(
        applications, ApplicationStatus.MATCHED, automatic=True, now=now
    )
    for application, old_status in zip(applications, old_statuses, strict=True):
        log(
            instance=application,
            action="tyonohjaus_plugin.application.status_changed",
            user=user,
            data={"from": old_status, "to": ApplicationStatus.MATCHED},
        )
    return list(by_application.values())


def after_confirm(engagements, people, now) -> None:
    """The next step of new engagements: the supervisor's declaration of conflicts of interest
    (``CONFLICT_DECLARATION``), else agreeing the first time straight away. ``people``:
    (application id, user id) of the participants."""
    if not plugin_settings.CONFLICT_DECLARATION:
        start_scheduling(engagements, people, now)
        return
    # Pending: the supervisor is asked once; ``actions.declare_conflict`` goes on from there.
    from tyonohjaus_plugin.models.outbox import supervisor_recipient_key

    supervisors = Supervisor.objects.in_bulk({e.supervisor_id for e in engagements})
    Delivery.objects.add(
        (
            DeliveryKind.DECLARATION_REQUEST,
            engagement.pk,
            supervisor_recipient_key(supervisors[engagement.supervisor_id]),
            "",
            now,
        )
        for engagement in engagements
    )
    transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_reminders_task"))


def first_state() -> str:
    """The state a confirmed engagement starts in: awaiting the supervisor's declaration, or
    straight to agreeing the times (``start_scheduling`` moves it on)."""
    if plugin_settings.CONFLICT_DECLARATION:
        return EngagementState.PENDING
    return EngagementState.PLANNED


def start_scheduling(engagements, people, now) -> None:
    """Engagements whose supervisor has declared (or need not): today the default series, and
    an invitation to each meeting for every participant and the supervisor (sent by the sweep
    after the commit)."""
    ensure_agreements(engagements)  # the agreement leaves "pending" with them (H3)
    _plan_and_invite(engagements, people, now)


def _plan_and_invite(engagements, people, now) -> None:
    from tyonohjaus_plugin.engagements.plans import plan_engagements
    from tyonohjaus_plugin.models.outbox import supervisor_recipient_key, user_key

    by_application = {engagement.application_id: engagement for engagement in engagements}
    recipients = {engagement.pk: [] for engagement in engagements}
    participants = {engagement.pk: [] for engagement in engagements}
    for application_id, user_id in people:
        recipients[by_application[application_id].pk].append(user_key(user_id))
        participants[by_application[application_id].pk].append(user_id)
    supervisors = Supervisor.objects.in_bulk({e.supervisor_id for e in engagements})
    for engagement in engagements:
        recipients[engagement.pk].append(
            supervisor_recipient_key(supervisors[engagement.supervisor_id])
        )
    Delivery.objects.ensure(
        (DeliveryKind.INVITATION, meeting.pk, key, "seq0", now)
        for meeting in plan_engagements(engagements, participants)
        for key in dict.fromkeys(recipients[meeting.engagement_id])
    )
    transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_reminders_task"))
