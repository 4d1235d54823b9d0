"""The waiting list's bookkeeping: a supervisor's free places and the applications a freed
place may go to. The choice among them (the matching objective) is ``actions.place_offers``.

A supervisor's free places are their default capacity minus their active engagements minus
their open offers, counted under the supervisor's row lock: two tasks filling one supervisor's
places run one after the other, and the second counts what the first offered.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from tyonohjaus_plugin.models import (
    ACTIVE_ENGAGEMENT_STATES,
    Application,
    EndReason,
    Engagement,
    EngagementState,
    ExcludedPair,
    FreedBy,
    PlaceOffer,
    PlaceOfferState,
    Supervisor,
)

#: At most this many waiting applications (the longest-waiting first) are scored per freed
#: place: the list is short in practice, and the bound keeps one task's work fixed.
CANDIDATE_LIMIT = 500


def lock_supervisor(pk: int):
    """Inside ``atomic()``: the active supervisor's row, locked, or None."""
    return Supervisor.objects.select_for_update().filter(pk=pk, active=True).first()


def free_places(supervisor) -> int:
    """Places the (locked) supervisor can still be offered."""
    active = Engagement.objects.filter(
        supervisor=supervisor, state__in=ACTIVE_ENGAGEMENT_STATES
    ).count()
    offered = PlaceOffer.objects.filter(supervisor=supervisor, state=PlaceOfferState.OPEN).count()
    return max(supervisor.default_capacity - active - offered, 0)


def open_offers_gone_stale(supervisor=None, now=None) -> int:
    """Open offers whose application no longer waits become "stale" (instead of an error at
    the confirm). Returns how many."""
    offers = PlaceOffer.objects.filter(state=PlaceOfferState.OPEN).exclude(
        application__in=Application.objects.waiting_list()
    )
    if supervisor is not None:
        offers = offers.filter(supervisor=supervisor)
    return offers.update(state=PlaceOfferState.STALE, decided_at=now or timezone.now())


#: How far back the sweep looks for ended engagements whose place may still be unoffered.
SWEEP_WINDOW = datetime.timedelta(days=1)

#: Why an engagement ended -> what freed its place.
FREED_BY_END = {
    EndReason.NOT_A_FIT: FreedBy.NOT_A_FIT,
    EndReason.WITHDRAWN: FreedBy.WITHDRAWAL,
}


def recently_freed(now=None) -> dict[int, str]:
    """Supervisor id -> what freed a place of theirs within ``SWEEP_WINDOW``: the sweep's
    second chance when the task queued at the time was lost (a broker outage)."""
    since = (now or timezone.now()) - SWEEP_WINDOW
    freed = {}
    for supervisor_id, reason in (
        Engagement.objects.filter(
            state=EngagementState.CANCELLED, ended_at__gte=since, supervisor__active=True
        )
        .order_by("ended_at")
        .values_list("supervisor_id", "end_reason")
    ):
        freed[supervisor_id] = FREED_BY_END.get(reason, FreedBy.CANCELLED)
    return freed


def candidates(supervisor):
    """Waiting applications this supervisor's place may go to: none already holding an open
    offer, none excluded with this supervisor, none HR dismissed for this supervisor; the
    longest-waiting first."""
    open_offer = PlaceOffer.objects.filter(application=OuterRef("pk"), state=PlaceOfferState.OPEN)
    declined = PlaceOffer.objects.filter(
        application=OuterRef("pk"), supervisor=supervisor, state=PlaceOfferState.DISMISSED
    )
    excluded = ExcludedPair.objects.filter(application=OuterRef("pk"), supervisor=supervisor)
    return (
        Application.objects.waiting_list()
        .exclude(Exists(open_offer))
        .exclude(Exists(declined))
        .exclude(Exists(excluded))
        .order_by("submitted_at", "pk")[:CANDIDATE_LIMIT]
    )
