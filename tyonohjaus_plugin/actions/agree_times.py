"""Agreeing the first meeting time: participants mark the proposals that suit them; when every
participant has answered and one suits all, the earliest of those is chosen; otherwise the
supervisor (internal in the admin, external by their link) or HR decides, among the proposals or
another date and time. Either way ``engagements.scheduling.plan_from`` plans the series, the
engagement becomes PLANNED and everyone gets the invitations.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, InvalidInput, NotPermitted
from tyonohjaus_plugin.engagements.plans import plan_rules
from tyonohjaus_plugin.engagements.scheduling import custom_first, plan_from
from tyonohjaus_plugin.models import (
    Engagement,
    EngagementParticipant,
    EngagementState,
    SlotAnswer,
    SlotProposal,
)
from tyonohjaus_plugin.permissions import can_manage_meetings
from tyonohjaus_plugin.scheduling import (
    NO_TIME,
    PlanError,
    Proposal,
    move_slot,
    outside_hours_reason,
)
from tyonohjaus_plugin.scheduling import Slot as _Slot

NOT_SCHEDULING = "not_scheduling"
TAKEN = "taken"
IN_THE_PAST = "in_the_past"
BLOCKED_DAY = "blocked_day"
OUTSIDE_HOURS = "outside_hours"


class TimesRefused(ActionRefused):
    reason_messages = {
        NOT_SCHEDULING: _(
            "The first meeting time is no longer being chosen: it was agreed already or the "
            "supervision has ended."
        ),
        TAKEN: _("That time is no longer free. Choose another time."),
        NO_TIME: _(
            "The rest of the meetings do not fit after that time. Choose another first time."
        ),
        IN_THE_PAST: _("Choose a time in the future."),
        BLOCKED_DAY: _(
            "That day is a weekend, a public holiday or in a period kept free of meetings."
        ),
        OUTSIDE_HOURS: _(
            "The meeting would be outside working hours (%(day_starts)s–%(day_ends)s)."
        ),
    }


class UnknownProposal(InvalidInput):
    default_message = _("Choose among the proposed times.")


def _locked_scheduling(engagement) -> Engagement:
    engagement = (
        Engagement.objects.select_for_update().select_related("supervisor").get(pk=engagement.pk)
    )
    if engagement.state != EngagementState.SCHEDULING:
        raise TimesRefused(NOT_SCHEDULING)
    return engagement


def _as_proposal(row) -> Proposal:
    return Proposal(row.starts_at, row.ends_at, row.location)


def _plan(engagement, first: Proposal, *, custom: bool = False):
    try:
        return plan_from(engagement, first, custom=custom)
    except PlanError as error:
        raise TimesRefused(NO_TIME if error.reason == NO_TIME else TAKEN) from None


class ChooseTimesAction(Action):
    """A participant marks which proposals suit them (none: an empty list)."""

    log_action = "tyonohjaus_plugin.engagement.times_chosen"

    def __init__(self, participant, *, user, suitable):
        super().__init__(user=user)
        self.participant = participant
        self.suitable = sorted(set(suitable))
        self.planned = False

    def check(self):
        if self.user is None or self.participant.user_id != self.user.pk:
            raise NotPermitted

    def perform(self) -> Engagement:
        engagement = _locked_scheduling(self.participant.engagement)
        proposals = {p.number: p for p in SlotProposal.objects.filter(engagement=engagement)}
        if not set(self.suitable) <= set(proposals):
            raise UnknownProposal
        SlotAnswer.objects.update_or_create(
            engagement=engagement,
            participant=self.participant,
            defaults={"suitable": self.suitable, "answered_at": timezone.now()},
        )
        answers = list(SlotAnswer.objects.filter(engagement=engagement, participant__isnull=False))
        # An erased participant cannot answer: the others decide.
        everyone = EngagementParticipant.objects.filter(
            engagement=engagement, user__isnull=False
        ).count()
        if len(answers) >= everyone:
            common = set(proposals)
            for answer in answers:
                common &= set(answer.suitable)
            for number in sorted(common, key=lambda n: proposals[n].starts_at):
                try:
                    # A savepoint: a time taken meanwhile leaves the answer saved and the
                    # choice to the supervisor or HR.
                    with transaction.atomic():
                        plan_from(engagement, _as_proposal(proposals[number]))
                except PlanError:
                    continue
                self.planned = True
                break
        self.engagement = engagement
        return engagement

    def log_entry(self, engagement):
        return engagement, {"suitable": len(self.suitable), "planned": self.planned}


class DecideTimeAction(Action):
    """The engagement's supervisor or HR decides the first time: ``number`` of a proposal, or
    ``day`` and ``at`` (local wall time) for another time. An external supervisor acts by link:
    ``user=None`` and ``supervisor`` their row."""

    log_action = "tyonohjaus_plugin.engagement.time_decided"

    def __init__(self, engagement, *, user=None, supervisor=None, number=None, day=None, at=None):
        super().__init__(user=user)
        self.engagement = engagement
        self.supervisor = supervisor
        self.number = number
        self.day: datetime.date | None = day
        self.at: datetime.time | None = at

    def check(self):
        if self.user is None:
            if self.supervisor is None or self.supervisor.pk != self.engagement.supervisor_id:
                raise NotPermitted
        elif not can_manage_meetings(self.user, self.engagement):
            raise NotPermitted
        if self.number is None and (self.day is None or self.at is None):
            raise UnknownProposal

    def perform(self) -> Engagement:
        engagement = _locked_scheduling(self.engagement)
        if self.number is not None:
            row = SlotProposal.objects.filter(engagement=engagement, number=self.number).first()
            if row is None:
                raise UnknownProposal
            _plan(engagement, _as_proposal(row))
        else:
            _plan(engagement, self._custom(engagement), custom=True)
        self.engagement = engagement
        return engagement

    def _custom(self, engagement) -> Proposal:
        """The hand-picked time, checked like a move: a working day, working hours, ahead."""
        rules = plan_rules()
        placeholder = timezone.now()
        duration = datetime.timedelta(minutes=engagement.meeting_minutes)
        try:
            slot = move_slot(
                _Slot(1, placeholder, placeholder + duration), self.day, self.at, rules
            )
        except PlanError:
            raise TimesRefused(BLOCKED_DAY) from None
        if slot.starts_at <= timezone.now():
            raise TimesRefused(IN_THE_PAST)
        if outside_hours_reason(slot.starts_at, slot.ends_at, rules) is not None:
            raise TimesRefused(
                OUTSIDE_HOURS,
                day_starts=rules.day_starts.strftime("%H:%M"),
                day_ends=rules.day_ends.strftime("%H:%M"),
            )
        return custom_first(engagement, slot.starts_at)

    def log_entry(self, engagement):
        return engagement, {"proposal": self.number} if self.number else {"custom": True}
