"""What is due, and how each kind of message is sent (through ``outbox``).

The sweep (``tasks.send_reminders_task``, a django-q2 schedule) asks for the deliveries that are
due now and sends the pending ones; asking again is harmless (the outbox's unique key), so a
replayed or doubled sweep sends nothing twice. Recipients are keys: "u<user id>" or
"s<supervisor id>" for external supervisors.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.utils import timezone

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.people import deciders_of_times
from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    ApplicationRound,
    Delivery,
    DeliveryKind,
    Engagement,
    EngagementParticipant,
    EngagementState,
    Meeting,
    MeetingState,
    ParticipantRole,
    ParticipantStatus,
    RoundState,
)
from tyonohjaus_plugin.models.applications import UNMATCHED_STATUSES
from tyonohjaus_plugin.models.outbox import supervisor_recipient_key, user_key


def engagement_recipients(engagement) -> list[str]:
    """The participants and the supervisor, each once (prefetch ``participants`` for many)."""
    keys = [user_key(p.user_id) for p in engagement.participants.all() if p.user_id is not None]
    keys.append(supervisor_recipient_key(engagement.supervisor))
    return list(dict.fromkeys(keys))


# --- messages of an application, queued in the transaction of the change ------------------
# The caller adds them with ``Delivery.objects.add`` inside its transaction and queues
# ``tasks.send_outbox_task`` after the commit; the minute sweep sends whatever that missed.


def application_submitted(application, now=None) -> list[tuple]:
    """The applicant's receipt and each invited co-applicant's invitation."""
    now = now or timezone.now()
    rows = [(DeliveryKind.RECEIPT, application.pk, user_key(application.applicant_id), "", now)]
    invited = application.participants.filter(
        role=ParticipantRole.CO_APPLICANT, status=ParticipantStatus.INVITED
    ).values_list("pk", "user_id")
    rows += [
        (DeliveryKind.CO_APPLICANT_INVITATION, pk, user_key(user_id), "", now)
        for pk, user_id in invited
    ]
    return rows


def invitation_answered(participant, now=None) -> list[tuple]:
    """The colleague's answer (confirmed or declined), to the applicant."""
    applicant_id = participant.application.applicant_id
    return [
        (
            DeliveryKind.CO_APPLICANT_ANSWER,
            participant.pk,
            user_key(applicant_id),
            "",
            now or timezone.now(),
        )
    ]


def status_changed(application, now=None) -> list[tuple]:
    """The applicant hears of the application's latest status event (HR's change, withdrawal)."""
    event_id = (
        application.events.exclude(status="").order_by("-pk").values_list("pk", flat=True).first()
    )
    if event_id is None:
        return []
    return [
        (
            DeliveryKind.APPLICATION_STATUS,
            application.pk,
            user_key(application.applicant_id),
            f"e{event_id}",
            now or timezone.now(),
        )
    ]


# --- what is due -------------------------------------------------------------------------


def invitations_for(meeting, now=None) -> list[tuple]:
    """Invitation (or update, or cancellation) deliveries for the meeting's current sequence."""
    now = now or timezone.now()
    slot = f"seq{meeting.sequence}"
    return [
        (DeliveryKind.INVITATION, meeting.pk, key, slot, now)
        for key in engagement_recipients(meeting.engagement)
    ]


def due_meeting_reminders(now) -> list[tuple]:
    # In UTC: adding hours to a local time would add wall-clock hours (47 or 49 across DST).
    now = now.astimezone(datetime.UTC)
    lead = datetime.timedelta(hours=plugin_settings.MEETING_REMINDER_HOURS)
    rows = []
    meetings = (
        Meeting.objects.filter(
            state=MeetingState.PLANNED, starts_at__gt=now, starts_at__lte=now + lead
        )
        .select_related("engagement__supervisor")
        .prefetch_related("engagement__participants")
    )
    for meeting in meetings:
        # Keyed on the start time: a moved meeting gets a reminder of its own.
        slot = meeting.starts_at.strftime("at%Y%m%dT%H%M")
        rows += [
            (DeliveryKind.MEETING_REMINDER, meeting.pk, key, slot, meeting.starts_at - lead)
            for key in engagement_recipients(meeting.engagement)
        ]
    return rows


def due_round_closing_reminders(now) -> list[tuple]:
    now = now.astimezone(datetime.UTC)
    lead = datetime.timedelta(hours=plugin_settings.ROUND_CLOSING_REMINDER_HOURS)
    closing = ApplicationRound.objects.filter(
        state=RoundState.OPEN, closes_at__gt=now, closes_at__lte=now + lead
    )
    people = ApplicationParticipant.objects.filter(
        round__in=closing,
        user__isnull=False,
        role=ParticipantRole.CO_APPLICANT,
        status=ParticipantStatus.INVITED,
        application__status__in=UNMATCHED_STATUSES,
    ).values_list("pk", "user_id")
    return [(DeliveryKind.ROUND_CLOSING, pk, user_key(user), "", now) for pk, user in people]


def hr_digest_recipients():
    User = get_user_model()
    perm = Q(user_permissions__codename="view_application") | Q(
        groups__permissions__codename="view_application"
    )
    return (
        User.objects.filter(is_active=True)
        .filter(perm | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
        .values_list("pk", flat=True)
    )


def waiting_too_long(now):
    limit = now - datetime.timedelta(days=plugin_settings.HR_DIGEST_WAITING_DAYS)
    return Application.objects.waiting().filter(status_changed_at__lt=limit)


def due_hr_digests(now) -> list[tuple]:
    if not waiting_too_long(now).exists():
        return []
    day = timezone.localdate(now).isoformat()
    return [(DeliveryKind.HR_DIGEST, 0, user_key(pk), day, now) for pk in hr_digest_recipients()]


def due_evaluations(now) -> list[tuple]:
    """After the last meeting of an engagement that held at least one, each participant once."""
    finished = (
        Engagement.objects.exclude(state=EngagementState.CANCELLED)
        .annotate(
            last=Max("meetings__ends_at", filter=~Q(meetings__state=MeetingState.CANCELLED)),
            held=Count("meetings", filter=Q(meetings__state=MeetingState.HELD)),
        )
        .filter(last__lte=now, held__gt=0)
        .values_list("pk", flat=True)
    )
    people = EngagementParticipant.objects.filter(
        engagement__in=list(finished), user__isnull=False
    ).values_list("engagement_id", "user_id")
    return [(DeliveryKind.EVALUATION, e, user_key(u), "", now) for e, u in people]


def due_times_unanswered(now) -> list[tuple]:
    """Engagements still choosing their first time ``SLOT_ANSWER_DAYS`` after the proposals:
    HR hears once per engagement (the delivery's unique key)."""
    limit = now - datetime.timedelta(days=plugin_settings.SLOT_ANSWER_DAYS)
    waiting = list(
        Engagement.objects.filter(
            state=EngagementState.SCHEDULING, proposed_at__lte=limit
        ).values_list("pk", flat=True)
    )
    if not waiting:
        return []
    hr = list(deciders_of_times())
    return [
        (DeliveryKind.TIMES_UNANSWERED, pk, user_key(user_id), "", now)
        for pk in waiting
        for user_id in hr
    ]


def create_due(now=None) -> int:
    now = now or timezone.now()
    rows = (
        due_meeting_reminders(now)
        + due_round_closing_reminders(now)
        + due_hr_digests(now)
        + due_evaluations(now)
        + due_times_unanswered(now)
    )
    return Delivery.objects.ensure(rows)
