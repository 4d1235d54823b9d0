"""The admin home's "freed places offered": the waiting list's open offers, for HR who may
confirm matches. One query."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from tyonohjaus_plugin.models import PlaceOffer, PlaceOfferState
from tyonohjaus_plugin.permissions import can_run_matching

#: Offers listed on the panel at most (the matching page has them all).
LIMIT = 10


class PlaceOffersPanel(Component):
    name = "tyonohjaus_place_offers"
    order = 90
    template_name = "tyonohjaus_plugin/admin/panels/place_offers.html"

    def get_context_data(self, parent_context=None):
        offers = (
            PlaceOffer.objects.filter(state=PlaceOfferState.OPEN)
            .select_related("application__applicant", "supervisor__user")
            .order_by("created_at", "pk")
        )
        return {"place_offers": list(offers[:LIMIT])}


def add_place_offers_panel(request, panels):
    if (
        can_run_matching(request.user)
        and PlaceOffer.objects.filter(state=PlaceOfferState.OPEN).exists()
    ):
        panels.append(PlaceOffersPanel())
