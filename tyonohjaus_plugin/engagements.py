"""A confirmed match becomes an engagement (shared by round and off-round confirms)."""

from wagtail.log_actions import log

from .models import (
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    ApplicationStatus,
    Engagement,
    EngagementParticipant,
    EventKind,
    ParticipantStatus,
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
    people = ApplicationParticipant.objects.filter(
        application_id__in=by_application, status=ParticipantStatus.CONFIRMED
    ).values_list("application_id", "user_id")
    EngagementParticipant.objects.bulk_create(
        EngagementParticipant(engagement=by_application[application_id], user_id=user_id)
        for application_id, user_id in people
    )
    ids = [application.pk for application, _supervisor_id in pairs]
    Application.objects.filter(pk__in=ids).update(
        status=ApplicationStatus.MATCHED, status_changed_at=now, updated_at=now
    )
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application_id=pk, kind=EventKind.STATUS_CHANGED, status="matched")
        for pk in ids
    )
    for application, _supervisor_id in pairs:
        log(
            instance=application,
            action="tyonohjaus_plugin.application.status_changed",
            user=user,
            data={"from": application.status, "to": ApplicationStatus.MATCHED},
        )
    return list(by_application.values())
