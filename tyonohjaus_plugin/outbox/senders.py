"""How each kind of message is sent: the outbox's senders, registered in ``delivery.SENDERS``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.emails import Recipient, absolute_url, send_templated_email
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    DeliveryKind,
    Engagement,
    EngagementParticipant,
    EngagementState,
    EventKind,
    Meeting,
    MeetingState,
    ParticipantStatus,
    Supervisor,
)
from tyonohjaus_plugin.models.outbox import supervisor_recipient_key
from tyonohjaus_plugin.outbox import delivery as outbox
from tyonohjaus_plugin.outbox.due import waiting_too_long


def _users():
    return get_user_model().objects.select_related("tyonohjaus_profile").filter(is_active=True)


def _supervisors():
    return Supervisor.objects.select_related("user__tyonohjaus_profile")


def _meetings():
    return Meeting.objects.select_related("engagement__supervisor__user", "engagement__application")


def _as_recipient(person, kind) -> Recipient:
    if person is None or not person.email:
        raise outbox.Skip
    return Recipient.for_user(person) if kind == "u" else Recipient.for_supervisor(person)


def recipient_for(key: str) -> Recipient:
    """The person behind a key; ``outbox.Skip`` when they are gone."""
    kind, pk = key[0], int(key[1:])
    return _as_recipient((_users() if kind == "u" else _supervisors()).filter(pk=pk).first(), kind)


def _recipient(delivery) -> Recipient:
    people = getattr(delivery, "prefetched_people", None)
    if people is None:
        return recipient_for(delivery.recipient)
    return _as_recipient(people.get(delivery.recipient), delivery.recipient[0])


def prefetch(deliveries) -> None:
    """What a batch's senders read most, in three queries instead of two per message: the
    recipients and the meetings of meeting reminders (the bulk of any backlog). Read when the
    batch starts, a second or so before each send: a meeting cancelled within that moment may
    still get its reminder, as if cancelled just after it went (the cancellation follows)."""
    keys = {delivery.recipient for delivery in deliveries}
    people = {}
    for kind, queryset in (("u", _users()), ("s", _supervisors())):
        pks = [int(key[1:]) for key in keys if key[0] == kind]
        if pks:
            people.update((f"{kind}{pk}", row) for pk, row in queryset.in_bulk(pks).items())
    reminders = [d for d in deliveries if d.kind == DeliveryKind.MEETING_REMINDER]
    meetings = _meetings().in_bulk({d.target_id for d in reminders}) if reminders else {}
    for delivery in deliveries:
        delivery.prefetched_people = people
        if delivery.kind == DeliveryKind.MEETING_REMINDER:
            delivery.prefetched_meeting = meetings.get(delivery.target_id)


def _meeting_for(delivery):
    if hasattr(delivery, "prefetched_meeting"):
        meeting = delivery.prefetched_meeting
    else:
        meeting = _meetings().filter(pk=delivery.target_id).first()
    if meeting is None:
        raise outbox.Skip
    return meeting


def _headers(delivery) -> dict:
    # Lets a mail log or a test tell copies of one delivery apart; an id, not personal data.
    return {"X-Tyonohjaus-Delivery": str(delivery.pk)}


def send_invitation(delivery, connection=None) -> None:
    from tyonohjaus_plugin.outbox.calendar import meeting_invite
    from tyonohjaus_plugin.scheduling import cancellation, invitation

    meeting = _meeting_for(delivery)
    if delivery.slot != f"seq{meeting.sequence}":
        raise outbox.Skip  # superseded by a later change: that one is sent instead
    recipient = _recipient(delivery)
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
        connection=connection,
    )


def send_meeting_reminder(delivery, connection=None) -> None:
    meeting = _meeting_for(delivery)
    if meeting.state != MeetingState.PLANNED or meeting.starts_at <= timezone.now():
        raise outbox.Skip
    recipient = _recipient(delivery)
    send_templated_email(
        "meeting_reminder",
        recipient,
        {"meeting": meeting, "supervisor": meeting.engagement.supervisor},
        headers=_headers(delivery),
        connection=connection,
    )


def send_round_closing(delivery, connection=None) -> None:
    participant = (
        ApplicationParticipant.objects.select_related("round", "application__applicant")
        .filter(pk=delivery.target_id, status=ParticipantStatus.INVITED)
        .first()
    )
    if participant is None:
        raise outbox.Skip  # confirmed or declined meanwhile
    from tyonohjaus_plugin.core.tokens import make_invitation_token

    recipient = _recipient(delivery)
    with translation.override(recipient.language):
        url = absolute_url(
            reverse("tyonohjaus_plugin:invitation", args=[make_invitation_token(participant)])
        )
    send_templated_email(
        "round_closing_reminder",
        recipient,
        {"round": participant.round, "invitation_url": url},
        headers=_headers(delivery),
        connection=connection,
    )


def send_hr_digest(delivery, connection=None) -> None:
    now = timezone.now()
    waiting = waiting_too_long(now).count()
    if not waiting:
        raise outbox.Skip
    recipient = _recipient(delivery)
    url = absolute_url(reverse("tyonohjaus_applications:index") + "?ordering=status_changed_at")
    send_templated_email(
        "hr_digest",
        recipient,
        {"waiting": waiting, "days": plugin_settings.HR_DIGEST_WAITING_DAYS, "url": url},
        headers=_headers(delivery),
        connection=connection,
    )


def send_evaluation(delivery, connection=None) -> None:
    from tyonohjaus_plugin.core.tokens import make_evaluation_token

    participant = EngagementParticipant.objects.filter(
        engagement_id=delivery.target_id, user_id=int(delivery.recipient[1:])
    ).first()
    if participant is None or hasattr(participant, "evaluation"):
        raise outbox.Skip
    recipient = _recipient(delivery)
    with translation.override(recipient.language):
        url = absolute_url(
            reverse("tyonohjaus_plugin:evaluation", args=[make_evaluation_token(participant)])
        )
    send_templated_email(
        "evaluation_invitation",
        recipient,
        {"evaluation_url": url},
        headers=_headers(delivery),
        connection=connection,
    )


def _engagement(pk):
    engagement = (
        Engagement.objects.select_related("supervisor__user", "application")
        .prefetch_related("slot_proposals")
        .filter(pk=pk)
        .first()
    )
    if engagement is None or engagement.state == EngagementState.CANCELLED:
        raise outbox.Skip
    return engagement


def _admin_engagement_url(engagement) -> str:
    return absolute_url(reverse("tyonohjaus_engagements:detail", args=[engagement.pk]))


def send_welcome(delivery, connection=None) -> None:
    """Who the supervisor is and how the first time is chosen: to each participant (with the
    signed link of their engagement page), and to the supervisor (the proposals, how to decide)."""
    from tyonohjaus_plugin.core.participant_links import make_supervision_token

    engagement = _engagement(delivery.target_id)
    supervisor = engagement.supervisor
    recipient = _recipient(delivery)
    context = {
        "engagement": engagement,
        "supervisor": supervisor,
        "proposals": list(engagement.slot_proposals.all()),
    }
    if delivery.recipient == supervisor_recipient_key(supervisor):
        with translation.override(recipient.language):
            context["format"] = engagement.application.get_format_display()
        # An external supervisor has no admin: they decide through their own link (portal).
        context["decide_url"] = _admin_engagement_url(engagement) if supervisor.user_id else ""
        name = "welcome_supervisor"
    else:
        participant = EngagementParticipant.objects.filter(
            engagement=engagement, user_id=int(delivery.recipient[1:])
        ).first()
        if participant is None:
            raise outbox.Skip
        context["page_url"] = _link(
            recipient, "supervision_link", make_supervision_token(participant)
        )
        name = "welcome"
    send_templated_email(
        name, recipient, context, headers=_headers(delivery), connection=connection
    )


def send_times_unanswered(delivery, connection=None) -> None:
    """HR: an engagement whose first time is not agreed (nothing fitted, or no answers in time);
    only the link, the rest is on the engagement's page."""
    engagement = _engagement(delivery.target_id)
    if engagement.state != EngagementState.SCHEDULING:
        raise outbox.Skip  # agreed meanwhile
    recipient = _recipient(delivery)
    send_templated_email(
        "times_unanswered",
        recipient,
        {
            "proposed": bool(engagement.slot_proposals.all()),
            "days": plugin_settings.SLOT_ANSWER_DAYS,
            "url": _admin_engagement_url(engagement),
        },
        headers=_headers(delivery),
        connection=connection,
    )


# --- the application's own messages ---------------------------------------------------------


def _service_title(service_key, language):
    pages = Page.objects.filter(translation_key=service_key, live=True)
    page = pages.filter(locale__language_code=language).first() or pages.first()
    return page.title if page else ""


def _link(recipient, name, *args) -> str:
    with translation.override(recipient.language):
        return absolute_url(reverse(f"tyonohjaus_plugin:{name}", args=args))


def _application(pk):
    application = Application.objects.select_related("applicant", "round").filter(pk=pk).first()
    if application is None:
        raise outbox.Skip
    return application


def send_receipt(delivery, connection=None) -> None:
    application = _application(delivery.target_id)
    recipient = _recipient(delivery)
    send_templated_email(
        "application_receipt",
        recipient,
        {
            "application": application,
            "service_title": _service_title(application.service_key, recipient.language),
            "received_url": _link(recipient, "application_received", application.pk),
        },
        headers=_headers(delivery),
        connection=connection,
    )
    Application.objects.filter(pk=application.pk, receipt_sent_at__isnull=True).update(
        receipt_sent_at=timezone.now()
    )


def send_co_applicant_invitation(delivery, connection=None) -> None:
    from tyonohjaus_plugin.core.tokens import make_invitation_token

    participant = (
        ApplicationParticipant.objects.select_related("application__applicant")
        .filter(pk=delivery.target_id, status=ParticipantStatus.INVITED)
        .first()
    )
    if (
        participant is None
        or not participant.application.is_active
        or participant.application.applicant is None
    ):
        raise outbox.Skip  # answered, withdrawn or erased meanwhile
    application = participant.application
    recipient = _recipient(delivery)
    send_templated_email(
        "co_applicant_invitation",
        recipient,
        {
            "application": application,
            "applicant_name": application.applicant.get_full_name()
            or application.applicant.get_username(),
            "service_title": _service_title(application.service_key, recipient.language),
            "invitation_url": _link(recipient, "invitation", make_invitation_token(participant)),
        },
        headers=_headers(delivery),
        connection=connection,
    )
    ApplicationParticipant.objects.filter(
        pk=participant.pk, invitation_sent_at__isnull=True
    ).update(invitation_sent_at=timezone.now())


def send_co_applicant_answer(delivery, connection=None) -> None:
    """The applicant learns the colleague's answer, and only that (README: co-applicants)."""
    participant = (
        ApplicationParticipant.objects.select_related("application", "user")
        .filter(pk=delivery.target_id)
        .exclude(status=ParticipantStatus.INVITED)
        .first()
    )
    if participant is None or participant.user is None:
        raise outbox.Skip  # the colleague's data was erased meanwhile
    application = participant.application
    recipient = _recipient(delivery)
    send_templated_email(
        "co_applicant_answered",
        recipient,
        {
            "application": application,
            "colleague_name": participant.user.get_full_name() or participant.user.get_username(),
            "confirmed": participant.status == ParticipantStatus.CONFIRMED,
            "service_title": _service_title(application.service_key, recipient.language),
            "my_applications_url": _link(recipient, "my_applications"),
        },
        headers=_headers(delivery),
        connection=connection,
    )


def send_application_status(delivery, connection=None) -> None:
    """A status change by HR, or the withdrawal; skipped once a later change supersedes it."""
    application = _application(delivery.target_id)
    event_id = int(delivery.slot.removeprefix("e"))
    event = ApplicationEvent.objects.filter(pk=event_id, application=application).first()
    latest = application.events.exclude(status="").order_by("-pk").values_list("pk", flat=True)
    if event is None or latest.first() != event.pk:
        raise outbox.Skip
    recipient = _recipient(delivery)
    with translation.override(recipient.language):
        status = event.get_status_display()
    send_templated_email(
        "application_withdrawn"
        if event.kind == EventKind.WITHDRAWN
        else "application_status_changed",
        recipient,
        {
            "application": application,
            "status": status,
            "service_title": _service_title(application.service_key, recipient.language),
            "my_applications_url": _link(recipient, "my_applications"),
        },
        headers=_headers(delivery),
        connection=connection,
    )


# --- after the first meeting, and the waiting list's offers (issue 18) ----------------------


def send_first_meeting_question(delivery, connection=None) -> None:
    """ "Do we continue?" to one person of an engagement whose first meeting was held: a
    participant gets a signed link, an internal supervisor the admin page, an external one their
    portal's link to the engagement. Skipped once they answered or the engagement ended."""
    from tyonohjaus_plugin.core.tokens import make_first_meeting_token
    from tyonohjaus_plugin.models import Engagement, EngagementState, FirstMeetingAnswer

    engagement = (
        Engagement.objects.select_related("supervisor")
        .filter(
            pk=delivery.target_id,
            state__in=(EngagementState.PLANNED, EngagementState.IN_PROGRESS),
        )
        .first()
    )
    if engagement is None:
        raise outbox.Skip
    kind, pk = delivery.recipient[0], int(delivery.recipient[1:])
    answers = FirstMeetingAnswer.objects.filter(engagement=engagement)
    participant = None
    if kind == "u" and engagement.supervisor.user_id != pk:
        participant = EngagementParticipant.objects.filter(
            engagement=engagement, user_id=pk
        ).first()
        if participant is None or answers.filter(participant=participant).exists():
            raise outbox.Skip
    elif answers.filter(by_supervisor=True).exists():
        raise outbox.Skip
    external = kind == "s"
    if external and not engagement.supervisor.active:
        raise outbox.Skip  # a deactivated supervisor's portal link would not open
    recipient = _recipient(delivery)
    if participant is not None:
        url = _link(recipient, "first_meeting", make_first_meeting_token(participant))
    elif external:
        url = portal_link(engagement.supervisor, recipient.language, engagement.pk)
    else:
        with translation.override(recipient.language):
            url = absolute_url(reverse("tyonohjaus_engagements:detail", args=[engagement.pk]))
    send_templated_email(
        "first_meeting_question",
        recipient,
        {
            "supervisor": engagement.supervisor,
            "is_participant": participant is not None,
            "answer_url": url,
            "external": external,
            "days": plugin_settings.SUPERVISOR_LINK_DAYS,
        },
        headers=_headers(delivery),
        connection=connection,
    )


# --- supervisors: the declaration and the external supervisor's access link -----------------


def portal_link(supervisor, language, engagement_id=None) -> str:
    """An external supervisor's personal access link (made at sending time, so it carries the
    link generation current then), opening one engagement or the list."""
    from tyonohjaus_plugin.core.tokens import make_supervisor_token

    args = [make_supervisor_token(supervisor)]
    name = "portal_enter" if engagement_id is None else "portal_enter_engagement"
    if engagement_id is not None:
        args.append(engagement_id)
    with translation.override(language):
        return absolute_url(reverse(f"tyonohjaus_plugin:{name}", args=args))


def send_declaration_request(delivery, connection=None) -> None:
    engagement = (
        Engagement.objects.select_related("supervisor__user")
        .filter(pk=delivery.target_id, state=EngagementState.PENDING)
        .first()
    )
    if engagement is None:
        raise outbox.Skip  # declared or cancelled meanwhile
    supervisor = engagement.supervisor
    external = supervisor.user_id is None
    if external and not supervisor.active:
        raise outbox.Skip  # a deactivated supervisor's link would not open
    recipient = _recipient(delivery)
    if external:
        url = portal_link(supervisor, recipient.language, engagement.pk)
    else:
        url = _admin_link(recipient, "tyonohjaus_engagements:detail", engagement.pk)
    send_templated_email(
        "declaration_request",
        recipient,
        {
            "declaration_url": url,
            "external": external,
            "days": plugin_settings.SUPERVISOR_LINK_DAYS,
        },
        headers=_headers(delivery),
        connection=connection,
    )


def send_place_offer(delivery, connection=None) -> None:
    """HR: a freed place is offered to a waiting application; skipped once decided."""
    from tyonohjaus_plugin.models import PlaceOffer, PlaceOfferState

    offer = PlaceOffer.objects.filter(pk=delivery.target_id, state=PlaceOfferState.OPEN).first()
    if offer is None:
        raise outbox.Skip
    recipient = _recipient(delivery)
    with translation.override(recipient.language):
        url = absolute_url(reverse("tyonohjaus_matching:index") + "#place-offers")
    send_templated_email(
        "place_offer",
        recipient,
        {"offer": offer, "url": url},
        headers=_headers(delivery),
        connection=connection,
    )


def _admin_link(recipient, name, *args) -> str:
    with translation.override(recipient.language):
        return absolute_url(reverse(name, args=args))


def link_slot(supervisor, now) -> str:
    """The slot of a SUPERVISOR_LINK delivery: one per hour and link generation, so repeated
    requests within the hour queue nothing more, and a link asked for after a revocation is
    sent even in the same hour."""
    return f"g{supervisor.link_generation}-{timezone.localtime(now):%Y%m%d%H}"


def send_supervisor_link(delivery, connection=None) -> None:
    supervisor = Supervisor.objects.filter(
        pk=delivery.target_id, user__isnull=True, active=True
    ).first()
    if supervisor is None or not delivery.slot.startswith(f"g{supervisor.link_generation}-"):
        raise outbox.Skip  # gone, deactivated, or every link revoked since the request
    recipient = _recipient(delivery)
    send_templated_email(
        "supervisor_link",
        recipient,
        {
            "portal_url": portal_link(supervisor, recipient.language),
            "days": plugin_settings.SUPERVISOR_LINK_DAYS,
        },
        headers=_headers(delivery),
        connection=connection,
    )


outbox.PREFETCH.append(prefetch)
outbox.SENDERS.update(
    {
        DeliveryKind.INVITATION: send_invitation,
        DeliveryKind.MEETING_REMINDER: send_meeting_reminder,
        DeliveryKind.ROUND_CLOSING: send_round_closing,
        DeliveryKind.HR_DIGEST: send_hr_digest,
        DeliveryKind.EVALUATION: send_evaluation,
        DeliveryKind.RECEIPT: send_receipt,
        DeliveryKind.CO_APPLICANT_INVITATION: send_co_applicant_invitation,
        DeliveryKind.CO_APPLICANT_ANSWER: send_co_applicant_answer,
        DeliveryKind.APPLICATION_STATUS: send_application_status,
        DeliveryKind.FIRST_MEETING_QUESTION: send_first_meeting_question,
        DeliveryKind.PLACE_OFFER: send_place_offer,
        DeliveryKind.DECLARATION_REQUEST: send_declaration_request,
        DeliveryKind.SUPERVISOR_LINK: send_supervisor_link,
        DeliveryKind.WELCOME: send_welcome,
        DeliveryKind.TIMES_UNANSWERED: send_times_unanswered,
    }
)
