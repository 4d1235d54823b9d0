"""A person's own data (subject access): their applications, memberships and history.

Other members' free text is never included: a co-applicant gets the application's metadata
and their own membership, not the applicant's answers.
"""

from __future__ import annotations

from tyonohjaus_plugin.models import Application


def _iso(value):
    return value.isoformat() if value else None


def export_person(user) -> dict:
    applications = (
        Application.objects.filter(participants__user=user)
        .distinct()
        .select_related("round")
        .prefetch_related("participants", "events", "themes")
        .order_by("submitted_at")
    )
    items = []
    for application in applications:
        own = application.applicant_id == user.pk
        membership = next(p for p in application.participants.all() if p.user_id == user.pk)
        item = {
            "id": application.pk,
            "round": application.round.name if application.round else None,
            "format": application.format,
            "status": application.status,
            "submitted_at": _iso(application.submitted_at),
            "role": membership.role,
            "membership_status": membership.status,
            "invited_at": _iso(membership.invited_at),
            "responded_at": _iso(membership.responded_at),
            "history": [
                {"event": event.kind, "status": event.status, "at": _iso(event.created_at)}
                for event in application.events.all()
            ],
        }
        if own:
            item["answers"] = {
                "languages": application.languages,
                "themes": [theme.name for theme in application.themes.all()],
                "situation": application.situation,
                "goals": application.goals,
                "availability": application.availability,
                "supervisor_preference": application.supervisor_preference,
                "supervisor_wishes": application.supervisor_wishes,
                "off_round_reason": application.off_round_reason,
                "accepted_privacy_notice_version": application.consent_version,
            }
        items.append(item)
    profile = getattr(user, "tyonohjaus_profile", None)
    return {
        "user": {"username": user.get_username(), "email": user.email},
        "profile": {
            "unit_code": profile.unit_code,
            "unit_name": profile.unit_name,
            "preferred_language": profile.preferred_language,
        }
        if profile
        else None,
        "applications": items,
    }
