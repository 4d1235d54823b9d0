"""The statuses of an application and the states of an engagement, and the steps between them.

Pure: no queries. ``Application.change_status`` and ``Engagement.change_state`` are the only
writers of these fields, and both ask this module first.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    MATCHED = "matched", _("Matched")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Statuses in which an application still holds its people's place in the round.
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.MATCHED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.WAITLISTED,
)

#: Active statuses that still wait for a supervisor.
UNMATCHED_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.WAITLISTED,
)

S = ApplicationStatus

#: Statuses in which an application has ended (the retention clock starts; a rejection may be
#: reconsidered until its data is anonymised).
ENDED_STATUSES = (S.COMPLETED, S.WITHDRAWN, S.REJECTED)

#: Round states (``RoundState`` values) after which the round's unmatched applications ended.
DONE_ROUND_STATES = ("matched", "archived")

#: Final: nothing moves an application out of these, neither HR nor a held meeting.
FINAL_STATUSES = frozenset({S.COMPLETED, S.WITHDRAWN})

#: Steps HR may take by hand (the admin offers exactly these). A rejection can be reconsidered.
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

#: Steps the service takes itself: a confirmed match, the first and the last held meeting.
AUTOMATIC_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.MATCHED,),
    S.IN_REVIEW: (S.MATCHED,),
    S.WAITLISTED: (S.MATCHED,),
    # Back to the board: a declared conflict, or "not a good fit" after the first meeting.
    S.MATCHED: (S.IN_PROGRESS, S.COMPLETED, S.IN_REVIEW),
    S.IN_PROGRESS: (S.COMPLETED, S.IN_REVIEW),
}


class StatusChangeNotAllowed(Exception):
    """The workflow has no step from ``source`` to ``target``."""

    def __init__(self, source: str, target: str):
        super().__init__(f"{source} -> {target}")
        self.source = source
        self.target = target


def allowed_targets(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def is_allowed(source: str, target: str, *, automatic: bool = False) -> bool:
    if automatic and target in AUTOMATIC_TRANSITIONS.get(source, ()):
        return True
    return target in allowed_targets(source)


def reactivates(source: str, target: str) -> bool:
    """Whether the change takes the people's places in the round back."""
    return source not in ACTIVE_STATUSES and target in ACTIVE_STATUSES


def releases(source: str, target: str) -> bool:
    """Whether the change frees the people's places in the round."""
    return source in ACTIVE_STATUSES and target not in ACTIVE_STATUSES


class EngagementState(models.TextChoices):
    #: Confirmed by HR; the supervisor has not yet declared that no conflict of interest exists.
    PENDING = "pending", _("Awaiting the supervisor's declaration")
    #: First-meeting times proposed; waiting for the people's choices or the supervisor's.
    SCHEDULING = "scheduling", _("Choosing a time")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: Engagements in these states take one of their supervisor's places.
ACTIVE_ENGAGEMENT_STATES = (
    EngagementState.PENDING,
    EngagementState.SCHEDULING,
    EngagementState.PLANNED,
    EngagementState.IN_PROGRESS,
)


class EndReason(models.TextChoices):
    """Why an engagement was cancelled (reports count these; no details beyond the code)."""

    HR = "hr", _("Cancelled by HR")
    CONFLICT = "conflict", _("Declared conflict of interest")
    NOT_A_FIT = "not_a_fit", _("Not a good fit after the first meeting")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    ERASED = "erased", _("Personal data erased")


E = EngagementState

#: Declaration → agreed first time → meetings; the first held meeting starts it, the last one
#: completes it; it can be cancelled (with an ``EndReason``) at any point before.
ENGAGEMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    E.PENDING: (E.SCHEDULING, E.CANCELLED),
    E.SCHEDULING: (E.PLANNED, E.CANCELLED),
    E.PLANNED: (E.IN_PROGRESS, E.COMPLETED, E.CANCELLED),
    E.IN_PROGRESS: (E.COMPLETED, E.CANCELLED),
    E.COMPLETED: (),
    E.CANCELLED: (),
}


def engagement_step_allowed(source: str, target: str) -> bool:
    return target in ENGAGEMENT_TRANSITIONS.get(source, ())
