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
from django.urls import reverse
from django.utils import timezone, translation

from . import outbox
from .conf import plugin_settings
from .emails import Recipient, absolute_url, send_templated_email
from .models import (
    Application,
    ApplicationParticipant,
    ApplicationRound,
    DeliveryKind,
    Engagement,
    EngagementParticipant,
    EngagementState,
    Meeting,
    MeetingState,
    ParticipantRole,
    ParticipantStatus,
    RoundState,
    Supervisor,
)
from .models.applications import UNMATCHED_STATUSES


def user_key(user_id: int) -> str:
    return f"u{user_id}"


def supervisor_recipient_key(supervisor) -> str:
    return user_key(supervisor.user_id) if supervisor.user_id else f"s{supervisor.pk}"


def recipient_for(key: str) -> Recipient:
    """The person behind a key; ``outbox.Skip`` when they are gone."""
    kind, pk = key[0], int(key[1:])
    if kind == "u":
        user = (
            get_user_model()
            .objects.select_related("tyonohjaus_profile")
            .filter(pk=pk, is_active=True)
            .first()
        )
        if user is None or not user.email:
            raise outbox.Skip
        return Recipient.for_user(user)
    supervisor = Supervisor.objects.filter(pk=pk).first()
    if supervisor is None or not supervisor.email:
        raise outbox.Skip
    return Recipient.for_supervisor(supervisor)


def engagement_recipients(engagement) -> list[str]:
    """The participants and the supervisor, each once (prefetch ``participants`` for many)."""
    keys = [user_key(p.user_id) for p in engagement.participants.all()]
    keys.append(supervisor_recipient_key(engagement.supervisor))
    return list(dict.fromkeys(keys))


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
    return Application.objects.filter(status__in=UNMATCHED_STATUSES, status_changed_at__lt=limit)


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
    people = EngagementParticipant.objects.filter(engagement__in=list(finished)).values_list(
        "engagement_id", "user_id"
    )
    return [(DeliveryKind.EVALUATION, e, user_key(u), "", now) for e, u in people]


def create_due(now=None) -> int:
    now = now or timezone.now()
    rows = (
        due_meeting_reminders(now)
        + due_round_closing_reminders(now)
        + due_hr_digests(now)
        + due_evaluations(now)
    )
    return outbox.ensure(rows)


# --- how each kind is sent ---------------------------------------------------------------


def _meeting_for(delivery):
    meeting = (
        Meeting.objects.select_related("engagement__supervisor__user", "engagement__application")
        .filter(pk=delivery.target_id)
        .first()
    )
    if meeting is None:
        raise outbox.Skip
    return meeting


def _headers(delivery) -> dict:
    # Lets a mail log or a test tell copies of one delivery apart; an id, not personal data.
    return {"X-Tyonohjaus-Delivery": str(delivery.pk)}


def send_invitation(delivery) -> None:
    from .calendar_invites import meeting_invite
    from .scheduling import cancellation, invitation

    meeting = _meeting_for(delivery)
    if delivery.slot != f"seq{meeting.sequence}":
        raise outbox.Skip  # superseded by a later change: that one is sent instead
    recipient = recipient_for(delivery.recipient)
    cancelled = meeting.state == MeetingState.CANCELLED
    with translation.override(recipient.language):
        invite = meeting_invite(meeting)
        ics = cancellation(invite) if cancelled else invitation(invite)
        method = "CANCEL" if cancelled else "REQUEST"
    send_templated_email(
        "meeting_cancelled" if cancelled else "meeting_invitation",
        recipient,
        {"meeting": meeting, "supervisor": meeting.engagement.supervisor},
        attachments=[("invite.ics", ics, f"text/calendar; charset=utf-8; method={method}")],
        headers=_headers(delivery),
    )


def send_meeting_reminder(delivery) -> None:
    meeting = _meeting_for(delivery)
    if meeting.state != MeetingState.PLANNED or meeting.starts_at <= timezone.now():
        raise outbox.Skip
    recipient = recipient_for(delivery.recipient)
    send_templated_email(
        "meeting_reminder",
        recipient,
        {"meeting": meeting, "supervisor": meeting.engagement.supervisor},
        headers=_headers(delivery),
    )


def send_round_closing(delivery) -> None:
    participant = (
        ApplicationParticipant.objects.select_related("round", "application__applicant")
        .filter(pk=delivery.target_id, status=ParticipantStatus.INVITED)
        .first()
    )
    if participant is None:
        raise outbox.Skip  # confirmed or declined meanwhile
    from .tokens import make_invitation_token

    recipient = recipient_for(delivery.recipient)
    with translation.override(recipient.language):
        url = absolute_url(
            reverse("tyonohjaus_plugin:invitation", args=[make_invitation_token(participant)])
        )
    send_templated_email(
        "round_closing_reminder",
        recipient,
        {"round": participant.round, "invitation_url": url},
        headers=_headers(delivery),
    )


def send_hr_digest(delivery) -> None:
    now = timezone.now()
    waiting = waiting_too_long(now).count()
    if not waiting:
        raise outbox.Skip
    recipient = recipient_for(delivery.recipient)
    url = absolute_url(reverse("tyonohjaus_applications:index") + "?ordering=status_changed_at")
    send_templated_email(
        "hr_digest",
        recipient,
        {"waiting": waiting, "days": plugin_settings.HR_DIGEST_WAITING_DAYS, "url": url},
        headers=_headers(delivery),
    )


def send_evaluation(delivery) -> None:
    from .tokens import make_evaluation_token

    participant = EngagementParticipant.objects.filter(
        engagement_id=delivery.target_id, user_id=int(delivery.recipient[1:])
    ).first()
    if participant is None or hasattr(participant, "evaluation"):
        raise outbox.Skip
    recipient = recipient_for(delivery.recipient)
    with translation.override(recipient.language):
        url = absolute_url(
            reverse("tyonohjaus_plugin:evaluation", args=[make_evaluation_token(participant)])
        )
    send_templated_email(
        "evaluation_invitation", recipient, {"evaluation_url": url}, headers=_headers(delivery)
    )


outbox.SENDERS.update(
    {
        DeliveryKind.INVITATION: send_invitation,
        DeliveryKind.MEETING_REMINDER: send_meeting_reminder,
        DeliveryKind.ROUND_CLOSING: send_round_closing,
        DeliveryKind.HR_DIGEST: send_hr_digest,
        DeliveryKind.EVALUATION: send_evaluation,
    }
)
