"""What the plugin holds about one person: the erasure screen shows it before HR confirms."""

from __future__ import annotations

from wagtail.models import ModelLogEntry

from tyonohjaus_plugin.models import (
    ACTIVE_ENGAGEMENT_STATES,
    Application,
    ApplicationParticipant,
    Delivery,
    EmployeeProfile,
    Engagement,
    EngagementParticipant,
    ErasureTombstone,
    EvaluationAnswer,
    Meeting,
)
from tyonohjaus_plugin.models.outbox import user_key


def holdings(user_id: int) -> dict:
    """Counts per kind of what refers to the person, and the engagements in progress that an
    erasure would end (their own applications') or leave (others' group applications)."""
    engagements = Engagement.objects.filter(participants__user_id=user_id).distinct()
    active = engagements.filter(state__in=ACTIVE_ENGAGEMENT_STATES).select_related(
        "application", "supervisor__user"
    )
    return {
        "counts": {
            "applications": Application.objects.filter(applicant_id=user_id).count(),
            "memberships": ApplicationParticipant.objects.filter(user_id=user_id)
            .exclude(application__applicant_id=user_id)
            .count(),
            "engagements": engagements.count(),
            "meetings": Meeting.objects.filter(engagement__in=engagements).count(),
            "evaluation_answers": EvaluationAnswer.objects.filter(
                participant__in=EngagementParticipant.objects.filter(user_id=user_id)
            ).count(),
            "deliveries": Delivery.objects.filter(recipient=user_key(user_id)).count(),
            "audit_log_entries": ModelLogEntry.objects.filter(
                action__startswith="tyonohjaus_plugin.", user_id=user_id
            ).count(),
            "profile": EmployeeProfile.objects.filter(user_id=user_id).count(),
        },
        "ends": [e for e in active if e.application.applicant_id == user_id],
        "leaves": [e for e in active if e.application.applicant_id != user_id],
        "erased_at": ErasureTombstone.objects.filter(user_id=user_id)
        .values_list("erased_at", flat=True)
        .first(),
    }
