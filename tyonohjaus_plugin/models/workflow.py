"""The application status workflow HR moves applications through (pure: no database)."""

from tyonohjaus_plugin.models.applications import ACTIVE_STATUSES, ApplicationStatus

S = ApplicationStatus

#: Allowed status changes by HR. Matching (a later step) also sets "matched"; terminal states
#: "completed" and "withdrawn" are final, a rejection can be reconsidered.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.IN_REVIEW, S.WAITLISTED, S.REJECTED, S.WITHDRAWN),
    S.IN_REVIEW: (S.MATCHED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN),
    S.WAITLISTED: (S.IN_REVIEW, S.MATCHED, S.REJECTED, S.WITHDRAWN),
    S.MATCHED: (S.IN_PROGRESS, S.WAITLISTED, S.WITHDRAWN),
    S.IN_PROGRESS: (S.COMPLETED, S.WITHDRAWN),
    S.REJECTED: (S.IN_REVIEW,),
    S.COMPLETED: (),
    S.WITHDRAWN: (),
}


def allowed_targets(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def is_allowed(source: str, target: str) -> bool:
    return target in allowed_targets(source)


def reactivates(source: str, target: str) -> bool:
    """Whether the change takes the people's places in the round back."""
    return source not in ACTIVE_STATUSES and target in ACTIVE_STATUSES


def releases(source: str, target: str) -> bool:
    """Whether the change frees the people's places in the round."""
    return source in ACTIVE_STATUSES and target not in ACTIVE_STATUSES
