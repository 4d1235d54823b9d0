"""The waiting list: a freed place is offered to the best waiting application, and HR confirms
(one click, through the off-round confirm) or dismisses the offer.

"Best" is the matching objective with the off-round rules: the engine's feasibility (language,
format, conflicts, excluded pairs) and its pair value (themes, units, preference, cost), longest
waiting first on a tie. An application holds at most one open offer: the partial unique
constraint decides when two places are offered at the same moment, and the loser moves on to
its next candidate.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.actions.confirm_off_round import ConfirmOffRoundAction
from tyonohjaus_plugin.actions.matching_refused import MatchingRefused
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.engagements import waiting
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.matching.engine.feasibility import blockers
from tyonohjaus_plugin.matching.engine.scoring import pair_value
from tyonohjaus_plugin.matching.problem import build_waiting_problem, pk_of
from tyonohjaus_plugin.models import (
    Delivery,
    DeliveryKind,
    FreedBy,
    PlaceOffer,
    PlaceOfferState,
    Supervisor,
)
from tyonohjaus_plugin.models.outbox import user_key
from tyonohjaus_plugin.outbox.due import hr_digest_recipients
from tyonohjaus_plugin.permissions import can_run_matching
from tyonohjaus_plugin.signals import engagements_confirmed

DECIDED = "decided"


class PlaceOfferRefused(ActionRefused):
    title = _("The offer was not changed")
    reason_messages = {
        DECIDED: _("This offer was already confirmed, dismissed or found no longer possible."),
    }


def ranked(supervisor, applications) -> list[tuple[int, float]]:
    """(application id, value) of the feasible ``applications`` for ``supervisor``, best first
    (ties: the order given, longest waiting first)."""
    applications = list(applications)
    if not applications:
        return []
    problem = build_waiting_problem(supervisor, applications)
    (offer,) = problem.supervisors
    scored = []
    for index, unit in enumerate(problem.applications):
        pair = (unit.id, offer.id)
        if blockers(
            unit, offer, forbidden=pair in problem.forbids, conflict=pair in problem.conflicts
        ):
            continue
        scored.append((-pair_value(unit, offer, problem.weights), index, pk_of(unit.id)))
    scored.sort()
    return [(pk, -value) for value, _index, pk in scored]


class OfferFreedPlacesAction(Action):
    """The system offers a supervisor's free places to the best waiting applications.

    Idempotent: run twice, the second run counts the first one's offers and finds no place.
    Returns the offers made.
    """

    log_action = "tyonohjaus_plugin.place_offer.made"

    def __init__(self, supervisor_id: int, *, freed_by: str = FreedBy.CANCELLED):
        super().__init__(user=None)
        self.supervisor_id = supervisor_id
        self.freed_by = freed_by if freed_by in FreedBy.values else FreedBy.CANCELLED

    def perform(self) -> list[PlaceOffer]:
        supervisor = waiting.lock_supervisor(self.supervisor_id)
        if supervisor is None:
            return []
        now = timezone.now()
        waiting.open_offers_gone_stale(supervisor, now)
        places = waiting.free_places(supervisor)
        if places <= 0:
            return []
        offers = []
        for application_id, value in ranked(supervisor, waiting.candidates(supervisor)):
            if len(offers) >= places:
                break
            try:
                with transaction.atomic():
                    offers.append(
                        PlaceOffer.objects.create(
                            supervisor=supervisor,
                            application_id=application_id,
                            freed_by=self.freed_by,
                            score=value,
                        )
                    )
            except IntegrityError:
                continue  # another place went to it meanwhile: the next best
        recipients = list(hr_digest_recipients())
        Delivery.objects.add(
            (DeliveryKind.PLACE_OFFER, offer.pk, user_key(pk), "", now)
            for offer in offers
            for pk in recipients
        )
        self.supervisor = supervisor
        return offers

    def log_entry(self, offers):
        if not offers:
            return None
        return self.supervisor, {
            "offers": [offer.pk for offer in offers],
            "freed_by": self.freed_by,
        }

    def committed(self, offers):
        if offers:
            enqueue("tyonohjaus_plugin.tasks.send_outbox_task")


class _DecideOffer(Action):
    def __init__(self, offer, *, user=None, system: bool = False):
        super().__init__(user=user)
        self.offer = offer
        self.system = system

    def check(self):
        if not self.system and not can_run_matching(self.user):
            raise NotPermitted

    def lock(self) -> PlaceOffer:
        # The supervisor first, as every writer of their places does.
        Supervisor.objects.select_for_update().filter(pk=self.offer.supervisor_id).first()
        offer = PlaceOffer.objects.select_for_update().get(pk=self.offer.pk)
        if offer.state != PlaceOfferState.OPEN:
            raise PlaceOfferRefused(DECIDED)
        return offer

    def decide(self, offer, state) -> PlaceOffer:
        offer.state = state
        offer.decided_at = timezone.now()
        offer.decided_by = self.user
        offer.save(update_fields=["state", "decided_at", "decided_by"])
        self.offer = offer
        return offer

    def log_entry(self, offer):
        return offer.supervisor, {"offer": offer.pk, "state": offer.state}


class ConfirmPlaceOfferAction(_DecideOffer):
    """HR's one click (or the task, with ``WAITING_LIST_AUTO_CONFIRM``): the off-round confirm
    of the pair, which starts the engagement's process. An application that stopped waiting or
    a place that is gone makes the offer "stale", not an error."""

    log_action = "tyonohjaus_plugin.place_offer.decided"

    engagement = None

    def perform(self) -> PlaceOffer:
        offer = self.lock()
        confirm = ConfirmOffRoundAction(
            offer.application, user=self.user, supervisor_id=offer.supervisor_id
        )
        try:
            with transaction.atomic():
                self.engagement = confirm.perform()
        except MatchingRefused:
            return self.decide(offer, PlaceOfferState.STALE)
        log(
            instance=self.engagement.application,
            action=ConfirmOffRoundAction.log_action,
            user=self.user,
        )
        return self.decide(offer, PlaceOfferState.CONFIRMED)

    def committed(self, offer):
        if self.engagement is not None:
            engagements_confirmed.send(sender=Supervisor, engagement_ids=[self.engagement.pk])
        else:  # stale: the place may still be free for someone else
            enqueue("tyonohjaus_plugin.tasks.fill_freed_places_task", offer.supervisor_id)


class DismissPlaceOfferAction(_DecideOffer):
    """HR does not want this pair: the place goes to the next best waiting application."""

    log_action = "tyonohjaus_plugin.place_offer.decided"

    def perform(self) -> PlaceOffer:
        return self.decide(self.lock(), PlaceOfferState.DISMISSED)

    def committed(self, offer):
        enqueue("tyonohjaus_plugin.tasks.fill_freed_places_task", offer.supervisor_id)


def fill_freed_places(supervisor_id: int, freed_by: str = FreedBy.CANCELLED) -> list[int]:
    """Offer the supervisor's free places; with ``WAITING_LIST_AUTO_CONFIRM`` confirm them at
    once. Returns the ids of the offers made."""
    offers = OfferFreedPlacesAction(supervisor_id, freed_by=freed_by).execute()
    if plugin_settings.WAITING_LIST_AUTO_CONFIRM:
        for offer in offers:
            try:
                ConfirmPlaceOfferAction(offer, system=True).execute()
            except ActionRefused:
                pass  # decided meanwhile (HR was quicker)
    return [offer.pk for offer in offers]
