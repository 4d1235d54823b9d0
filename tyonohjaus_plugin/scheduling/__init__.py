"""Pure meeting scheduling: plans of meeting slots and their iCalendar invitations.

No Django imports here or below, so the rules (Finnish holidays, July, Christmas, DST) are tested
without a database and the Django side only maps engagements and meetings onto these types:
`plan` picks days and UTC instants, `ics` writes .ics attachments for them.
"""

from tyonohjaus_plugin.scheduling.ics import Invite, cancellation, invitation
from tyonohjaus_plugin.scheduling.plan import (
    OUTSIDE_HOURS,
    Interval,
    PlanError,
    PlanRules,
    Slot,
    blocked_reason,
    move_slot,
    next_allowed_day,
    outside_hours_reason,
    overlaps,
    plan_free_meetings,
    plan_meetings,
)

__all__ = [
    "OUTSIDE_HOURS",
    "Interval",
    "Invite",
    "PlanError",
    "PlanRules",
    "Slot",
    "blocked_reason",
    "cancellation",
    "invitation",
    "move_slot",
    "next_allowed_day",
    "outside_hours_reason",
    "overlaps",
    "plan_free_meetings",
    "plan_meetings",
]
