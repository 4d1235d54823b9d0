"""Admin menu entry of the outbox: Wagtail's listing of every message the service sends.

Who sees it and who may resend is the permission policy registered for ``Delivery``
(``outbox.policies.DeliveryPermissionPolicy``), which also decides whether the menu item shows.
Messages are made by the service: there is no add, edit, copy, inspect or delete view.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.core.viewsets import ReadOnlyModelViewSet
from tyonohjaus_plugin.models import Delivery
from tyonohjaus_plugin.outbox.filters import DeliveryFilterSet
from tyonohjaus_plugin.outbox.views import PAGE_SIZE, DeliveryIndexView, resend


class OutboxViewSet(ReadOnlyModelViewSet):
    """Every message the service sends, with its state; HR resends failed or uncertain ones."""

    model = Delivery
    name = "tyonohjaus_outbox"
    url_prefix = "tyonohjaus/outbox"
    icon = "mail"
    menu_label = _("Outbox")
    menu_name = "outbox"
    index_view_class = DeliveryIndexView
    list_per_page = PAGE_SIZE
    filterset_class = DeliveryFilterSet

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<tyonohjaus_pk:pk>/resend/", resend, name="resend"),
        ]
