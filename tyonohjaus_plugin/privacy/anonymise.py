"""Removing a person from the plugin's data while the statistics stay.

Each function works on one application (or one person) in one transaction, so a run killed
midway leaves every application either fully anonymised or untouched. What goes is the
erasure checklist of RELIABILITY §5: free text, the links to people (applicant, members,
engagement participants), their messages in the outbox, the people as actors of audit-log
entries about the application. What stays: round, year, format, group size (the places stay,
without people), status path with dates, meeting counts, evaluation scores, and the unit where
at least ``UNIT_MIN_APPLICANTS`` applied in the round.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from wagtail.models import ModelLogEntry

from tyonohjaus_plugin.models import (
    Agreement,
    Application,
    ApplicationParticipant,
    Delivery,
    DeliveryKind,
    DeliveryState,
    Engagement,
    EngagementParticipant,
    EvaluationAnswer,
    FirstMeetingAnswer,
    Meeting,
    ParticipantStatus,
)
from tyonohjaus_plugin.models.outbox import user_key
from tyonohjaus_plugin.privacy.policy import FREE_TEXT_FIELDS, UNIT_MIN_APPLICANTS

#: The update that empties the free text (on the free-text date and on anonymisation).
EMPTY_FREE_TEXT = dict.fromkeys(FREE_TEXT_FIELDS, "")

#: Outbox kinds whose target is the application, one of its participants, a meeting of its
#: engagement or the engagement.
_BY_APPLICATION = (DeliveryKind.RECEIPT, DeliveryKind.APPLICATION_STATUS)
_BY_PARTICIPANT = (
    DeliveryKind.CO_APPLICANT_INVITATION,
    DeliveryKind.CO_APPLICANT_ANSWER,
    DeliveryKind.ROUND_CLOSING,
)
_BY_MEETING = (DeliveryKind.INVITATION, DeliveryKind.MEETING_REMINDER)
_BY_ENGAGEMENT = (DeliveryKind.EVALUATION, DeliveryKind.FIRST_MEETING_QUESTION)


def _kept_units(applications) -> dict[int, str]:
    """Application id -> the applicant's unit where at least ``UNIT_MIN_APPLICANTS``
    applications of the round have it (the anonymised ones by their kept unit), else "".
    ``applications``: dicts with ``pk``, ``round_id`` and ``unit`` (the applicant's now)."""
    rounds = {a["round_id"] for a in applications if a["unit"] and a["round_id"]}
    sizes = {
        (row["round_id"], row["unit"]): row["n"]
        for row in Application.objects.filter(round_id__in=rounds)
        .annotate(unit=Coalesce(F("applicant__tyonohjaus_profile__unit_code"), F("unit_code")))
        .values("round_id", "unit")
        .annotate(n=Count("pk"))
    }
    return {
        a["pk"]: a["unit"]
        if a["unit"] and sizes.get((a["round_id"], a["unit"]), 0) >= UNIT_MIN_APPLICANTS
        else ""
        for a in applications
    }


def _deliveries_about(application_ids, participant_ids, engagement_ids, meeting_ids) -> Q:
    return (
        Q(kind__in=_BY_APPLICATION, target_id__in=application_ids)
        | Q(kind__in=_BY_PARTICIPANT, target_id__in=participant_ids)
        | Q(kind__in=_BY_MEETING, target_id__in=meeting_ids)
        | Q(kind__in=_BY_ENGAGEMENT, target_id__in=engagement_ids)
    )


def _log_entries_about(application_ids, engagement_ids, meeting_ids):
    types = ContentType.objects.get_for_models(Application, Engagement, Meeting)
    about = (
        Q(content_type=types[Application], object_id__in=[str(pk) for pk in application_ids])
        | Q(content_type=types[Engagement], object_id__in=[str(pk) for pk in engagement_ids])
        | Q(content_type=types[Meeting], object_id__in=[str(pk) for pk in meeting_ids])
    )
    return ModelLogEntry.objects.filter(about)


def anonymise_applications(application_ids, now) -> int:
    """Detach every person from these applications, in one transaction (keep batches small:
    the retention job passes ``BATCH``); returns how many were anonymised now (those done
    already are skipped, so a second run changes nothing)."""
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update(of=("self",))
            .filter(pk__in=list(application_ids), anonymised_at__isnull=True)
            .order_by("pk")
            .values(
                "pk", "round_id", "applicant_id", unit=F("applicant__tyonohjaus_profile__unit_code")
            )
        )
        if not applications:
            return 0
        ids = [a["pk"] for a in applications]
        participants = list(
            ApplicationParticipant.objects.filter(application_id__in=ids).values_list(
                "pk", "user_id"
            )
        )
        people = {user for _pk, user in participants if user}
        people |= {a["applicant_id"] for a in applications if a["applicant_id"]}
        engagement_ids = list(
            Engagement.objects.filter(application_id__in=ids).values_list("pk", flat=True)
        )
        meeting_ids = list(
            Meeting.objects.filter(engagement_id__in=engagement_ids).values_list("pk", flat=True)
        )
        # Messages still on their way to someone else (an erasure's cancellations to the
        # supervisor) are sent; everything else about the applications goes.
        on_their_way = Q(state__in=(DeliveryState.PENDING, DeliveryState.SENDING)) & ~Q(
            recipient__in=[user_key(person) for person in people]
        )
        Delivery.objects.filter(
            _deliveries_about(ids, [pk for pk, _user in participants], engagement_ids, meeting_ids)
        ).exclude(on_their_way).delete()
        _log_entries_about(ids, engagement_ids, meeting_ids).filter(user_id__in=people).update(
            user=None
        )
        EngagementParticipant.objects.filter(engagement_id__in=engagement_ids).update(user=None)
        EvaluationAnswer.objects.filter(engagement_id__in=engagement_ids).update(comment="")
        FirstMeetingAnswer.objects.filter(engagement_id__in=engagement_ids).update(comment="")
        Agreement.objects.filter(engagement_id__in=engagement_ids).update(goals="")
        ApplicationParticipant.objects.filter(application_id__in=ids).update(
            user=None, holds_place=False
        )
        by_unit: dict[str, list[int]] = {}
        for pk, unit in _kept_units(applications).items():
            by_unit.setdefault(unit, []).append(pk)
        for unit, pks in by_unit.items():
            Application.objects.filter(pk__in=pks).update(
                applicant=None, unit_code=unit, anonymised_at=now, **EMPTY_FREE_TEXT
            )
    return len(ids)


def anonymise_application(application_id: int, now) -> bool:
    """``anonymise_applications`` of one: False when it was anonymised already."""
    return anonymise_applications([application_id], now) == 1


def detach_member(participant_id: int, now) -> None:
    """Take an erased person out of someone else's application, inside the caller's
    transaction: their place stays (the group's size), their link and their messages go; the
    other people's data is not touched."""
    participant = ApplicationParticipant.objects.select_for_update().get(pk=participant_id)
    user_id, application_id = participant.user_id, participant.application_id
    engagement_id = (
        Engagement.objects.filter(application_id=application_id)
        .values_list("pk", flat=True)
        .first()
    )
    # Messages to them, and the applicant's "your colleague answered" naming them.
    Delivery.objects.filter(
        Q(recipient=user_key(user_id))
        & _deliveries_about(
            [application_id],
            [participant_id],
            [engagement_id] if engagement_id else [],
            list(Meeting.objects.filter(engagement_id=engagement_id).values_list("pk", flat=True)),
        )
        | Q(kind=DeliveryKind.CO_APPLICANT_ANSWER, target_id=participant_id)
    ).delete()
    if engagement_id:
        evaluations = EvaluationAnswer.objects.filter(
            engagement_id=engagement_id, participant__user_id=user_id
        )
        evaluations.update(comment="")
        FirstMeetingAnswer.objects.filter(
            engagement_id=engagement_id, participant__user_id=user_id
        ).update(comment="")
        EngagementParticipant.objects.filter(engagement_id=engagement_id, user_id=user_id).update(
            user=None
        )
    # An invitation they never answered counts as declined: the applicant's group goes on.
    ApplicationParticipant.objects.filter(
        pk=participant_id, status=ParticipantStatus.INVITED
    ).update(status=ParticipantStatus.DECLINED, responded_at=now)
    ApplicationParticipant.objects.filter(pk=participant_id).update(user=None, holds_place=False)
