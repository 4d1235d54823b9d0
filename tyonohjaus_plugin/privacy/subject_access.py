"""A person's own data (subject access): everything the plugin holds about them.

The employee's download and HR's export of a formal request read the same dict. It holds the
person's own rows only: in another person's group application they get the application's
metadata and their own membership, never the applicant's answers, HR's note or the other
members (not even their names). HR's internal note on the person's own applications is in HR's
export only (``for_hr``): the employee's page keeps the promise that the note is HR's.

Times are aware datetimes in local time (``DjangoJSONEncoder``, which ``JsonResponse`` uses,
writes them as ISO 8601 with the offset); labels are in the active language. The number of
queries does not grow with the number of rows (``tests/test_subject_access.py`` pins it).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language_info
from wagtail.models import ModelLogEntry

from tyonohjaus_plugin.models import (
    AgreementAcknowledgement,
    ApplicationParticipant,
    Delivery,
    EmployeeProfile,
    EngagementParticipant,
    FirstMeetingAnswer,
    ThemeCatalogue,
)
from tyonohjaus_plugin.models.outbox import user_key


def _local(value):
    """Aware datetimes in local time (with their offset); anything else as it is."""
    if value is None or not hasattr(value, "tzinfo") or not timezone.is_aware(value):
        return value
    return timezone.localtime(value)


def _language(code: str) -> dict:
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        name = code
    return {"code": code, "label": name}


def _round_name(application) -> str | None:
    return application.round.localized_name if application.round_id else None


def _history(application) -> list[dict]:
    return [
        {
            "event": event.kind,
            "event_label": event.get_kind_display(),
            "status": event.status,
            "status_label": event.get_status_display() if event.status else "",
            "at": _local(event.created_at),
        }
        for event in application.events.all()
    ]


def _application_metadata(application) -> dict:
    """What every person of the application may know about it: no answers, no people."""
    return {
        "id": application.pk,
        "round": _round_name(application),
        "format": application.format,
        "format_label": application.get_format_display(),
        "status": application.status,
        "status_label": application.get_status_display(),
        "submitted_at": _local(application.submitted_at),
        "status_changed_at": _local(application.status_changed_at),
        "anonymised": application.anonymised_at is not None,
        "history": _history(application),
    }


def _membership(participant) -> dict:
    return {
        "role": participant.role,
        "role_label": participant.get_role_display(),
        "membership_status": participant.status,
        "membership_status_label": participant.get_status_display(),
        "invited_at": _local(participant.invited_at),
        "responded_at": _local(participant.responded_at),
    }


def _own_application(application, participant, themes, for_hr) -> dict:
    dates = application.retention_dates()
    item = {
        **_application_metadata(application),
        **_membership(participant),
        "people": participant.people,
        "personal_data_removed": {
            "answers_on": _local(dates["free_text"]),
            "identity_on": _local(dates["identity"]),
        }
        if dates
        else None,
        "answers": {
            "languages": [_language(code) for code in application.languages],
            "themes": themes.names(application.themes.all()),
            "situation": application.situation,
            "goals": application.goals,
            "availability": application.availability,
            "supervisor_preference": application.supervisor_preference,
            "supervisor_preference_label": application.get_supervisor_preference_display(),
            "supervisor_wishes": application.supervisor_wishes,
            "off_round_reason": application.off_round_reason,
            "accepted_privacy_notice_version": application.consent_version,
        },
    }
    if for_hr:
        # Marked as HR's own text: never part of the employee's self-service download.
        item["hr_internal_note"] = application.hr_note
    return item


def _first_meeting_answer(answer) -> dict | None:
    """The writer's own answer after the first meeting, with its comment."""
    if answer is None:
        return None
    return {
        "engagement_id": answer.engagement_id,
        "go_on": answer.go_on,
        "comment": answer.comment,
        "answered_at": _local(answer.answered_at),
    }


def _engagement(participant, first_meeting_answers) -> dict:
    engagement = participant.engagement
    evaluation = getattr(participant, "evaluation", None)
    return {
        "id": engagement.pk,
        "application_id": engagement.application_id,
        "own_application": engagement.application.applicant_id == participant.user_id,
        "supervisor": engagement.supervisor.display_name,
        "state": engagement.state,
        "state_label": engagement.get_state_display(),
        "confirmed_at": _local(engagement.confirmed_at),
        "meetings": [
            {
                "number": meeting.number,
                "starts_at": _local(meeting.starts_at),
                "ends_at": _local(meeting.ends_at),
                "state": meeting.state,
                "state_label": meeting.get_state_display(),
            }
            for meeting in engagement.meetings.all()
        ],
        "first_meeting_answer": _first_meeting_answer(first_meeting_answers.get(participant.pk)),
        "evaluation": {
            "goals_reached": evaluation.goals_reached,
            "comment": evaluation.comment,
            "answered_on": evaluation.answered_on,
        }
        if evaluation is not None
        else None,
    }


def export_person(user, *, for_hr: bool = False) -> dict:
    """Everything the plugin holds about ``user`` (see the module docstring)."""
    themes = ThemeCatalogue()
    participations = list(
        ApplicationParticipant.objects.filter(user=user)
        .select_related("application__round")
        .prefetch_related("application__events", "application__themes")
        # The group's size (places, not people: the applicant's own application only).
        .annotate(people=Count("application__participants"))
        .order_by("application__submitted_at", "application_id")
    )
    applications, memberships = [], []
    for participant in participations:
        application = participant.application
        if application.applicant_id == user.pk:
            applications.append(_own_application(application, participant, themes, for_hr))
        else:
            memberships.append({**_application_metadata(application), **_membership(participant)})
    engagements = (
        EngagementParticipant.objects.filter(user=user)
        .select_related("engagement__application", "engagement__supervisor__user", "evaluation")
        .prefetch_related("engagement__meetings")
        .order_by("engagement__confirmed_at", "engagement_id")
    )
    # Their answers after first meetings, as a participant or as the supervisor: one query.
    answers_as_participant, answers_as_supervisor = {}, []
    for answer in FirstMeetingAnswer.objects.filter(
        Q(participant__user=user) | Q(by_supervisor=True, engagement__supervisor__user=user)
    ).order_by("answered_at", "pk"):
        if answer.by_supervisor:
            answers_as_supervisor.append(answer)
        else:
            answers_as_participant[answer.participant_id] = answer
    deliveries = Delivery.objects.filter(recipient=user_key(user.pk)).order_by("due_at", "pk")
    acknowledgements = (
        AgreementAcknowledgement.objects.filter(user=user)
        .select_related("agreement")
        .order_by("acknowledged_at", "pk")
    )
    # What they did in the service that the audit log keeps (e.g. an end evaluation answered).
    actions = ModelLogEntry.objects.filter(
        action__startswith="tyonohjaus_plugin.", user_id=user.pk
    ).order_by("timestamp", "pk")
    profile = EmployeeProfile.objects.filter(user=user).first()
    return {
        "user": {
            "id": user.pk,
            "username": user.get_username(),
            "name": user.get_full_name(),
            "email": user.email,
        },
        "profile": {
            "unit_code": profile.unit_code,
            "unit_name": profile.unit_name,
            "preferred_language": profile.preferred_language,
        }
        if profile
        else None,
        "applications": applications,
        "memberships": memberships,
        "engagements": [
            _engagement(participant, answers_as_participant) for participant in engagements
        ],
        # As an internal supervisor: their own answers after first meetings.
        "first_meeting_answers_as_supervisor": [
            _first_meeting_answer(answer) for answer in answers_as_supervisor
        ],
        # Which versions of their engagements' agreements they acknowledged, and when.
        "agreement_acknowledgements": [
            {
                "engagement_id": ack.agreement.engagement_id,
                "version": ack.version,
                "as_supervisor": ack.by_supervisor,
                "acknowledged_at": _local(ack.acknowledged_at),
            }
            for ack in acknowledgements
        ],
        "deliveries": [
            {
                "id": delivery.pk,
                "kind": delivery.kind,
                "kind_label": delivery.get_kind_display(),
                "state": delivery.state,
                "state_label": delivery.get_state_display(),
                "due_at": _local(delivery.due_at),
                "sent_at": _local(delivery.sent_at),
            }
            for delivery in deliveries
        ],
        "actions": [
            {
                "action": entry.action,
                "action_label": str(entry.message),
                "object": entry.label,
                "at": _local(entry.timestamp),
            }
            for entry in actions
        ],
        "for_hr": for_hr,
    }
