"""A confirmed match becomes an engagement (shared by round and off-round confirms)."""

from django.db import transaction
from django.utils import timezone
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
            state=initial_state(),
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


def initial_state() -> str:
    """A new engagement waits (for the declaration, then for its first time) unless the series
    is planned at once (both settings off)."""
    if plugin_settings.CONFLICT_DECLARATION or plugin_settings.AGREED_MEETING_TIMES:
        return EngagementState.PENDING
    return EngagementState.PLANNED


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


def start_scheduling(engagements, people, now) -> None:
    """Inside ``atomic()``, for new or pending engagements whose supervisor has declared (or
    need not). ``people``: (application id, user id) of the participants.

    ``AGREED_MEETING_TIMES``: up to ``SLOT_PROPOSALS`` first times proposed, the engagement
    SCHEDULING, one welcome message per participant and one to the supervisor (the invitations
    go once a time is agreed, ``engagements.scheduling.plan_from``); when nothing fits, HR hears
    at once. Off: the default series at ``MEETING_TIME`` straight away, with the invitations.
    """
    if not engagements:
        return
    ensure_agreements(engagements)  # the agreement leaves "pending" with them
    if not plugin_settings.AGREED_MEETING_TIMES:
        _to_state(engagements, EngagementState.PLANNED)
        _plan_and_invite(engagements, people, now)
        return
    from tyonohjaus_plugin.core.people import deciders_of_times
    from tyonohjaus_plugin.engagements.scheduling import propose
    from tyonohjaus_plugin.models.outbox import supervisor_recipient_key, user_key

    by_application = {engagement.application_id: engagement for engagement in engagements}
    participants = {engagement.pk: [] for engagement in engagements}
    for application_id, user_id in people:
        participants[by_application[application_id].pk].append(user_id)
    proposals = propose(engagements, participants, timezone.localdate(now))
    _to_state(engagements, EngagementState.SCHEDULING, proposed_at=now)
    supervisors = Supervisor.objects.in_bulk({e.supervisor_id for e in engagements})
    rows = []
    for engagement in engagements:
        keys = [user_key(pk) for pk in participants[engagement.pk]]
        keys.append(supervisor_recipient_key(supervisors[engagement.supervisor_id]))
        rows += [(DeliveryKind.WELCOME, engagement.pk, key, "", now) for key in dict.fromkeys(keys)]
    unplaced = [pk for pk, found in proposals.items() if not found]
    if unplaced:
        hr = list(deciders_of_times())
        rows += [
            (DeliveryKind.TIMES_UNANSWERED, pk, user_key(user_id), "", now)
            for pk in unplaced
            for user_id in hr
        ]
    Delivery.objects.ensure(rows)
    transaction.on_commit(lambda: enqueue("tyonohjaus_plugin.tasks.send_reminders_task"))


def _to_state(engagements, state, **fields) -> None:
    """Through ``change_state`` (the one writer of the state): a pending engagement reaches
    PLANNED by way of SCHEDULING, the workflow's only path."""
    for engagement in engagements:
        if engagement.state == state:
            continue
        if engagement.state == EngagementState.PENDING and state == EngagementState.PLANNED:
            engagement.change_state(EngagementState.SCHEDULING)
        engagement.change_state(state)
        for name, value in fields.items():
            setattr(engagement, name, value)
        if fields:
            engagement.save(update_fields=list(fields))


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
