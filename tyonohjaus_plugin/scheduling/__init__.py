"""Pure meeting scheduling: plans of meeting slots and their iCalendar invitations.

No Django imports here or below, so the rules (Finnish holidays, July, Christmas, DST) are tested
without a database and the Django side only maps engagements and meetings onto these types:
`plan` picks days and UTC instants, `slots` fits them into the supervisor's weekly availability
(proposals to choose from, a series from the chosen one), `ics` writes .ics attachments for them.
"""

from tyonohjaus_plugin.scheduling.ics import Invite, cancellation, invitation
from tyonohjaus_plugin.scheduling.plan import (
    NO_TIME,
    OUTSIDE_HOURS,
    TAKEN,
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
from tyonohjaus_plugin.scheduling.slots import (
    Availability,
    BlockedPeriod,
    Proposal,
    fits_availability,
    location_of,
    plan_series,
    propose_slots,
)

__all__ = [
    "NO_TIME",
    "OUTSIDE_HOURS",
    "TAKEN",
    "Availability",
    "BlockedPeriod",
    "Interval",
    "Invite",
    "PlanError",
    "PlanRules",
    "Proposal",
    "Slot",
    "blocked_reason",
    "cancellation",
    "fits_availability",
    "invitation",
    "location_of",
    "move_slot",
    "next_allowed_day",
    "outside_hours_reason",
    "overlaps",
    "plan_free_meetings",
    "plan_meetings",
    "plan_series",
    "propose_slots",
]
