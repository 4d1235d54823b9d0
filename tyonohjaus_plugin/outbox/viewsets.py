"""Admin menu entry of the outbox."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from tyonohjaus_plugin.core.views import guarded, shown_if
from tyonohjaus_plugin.outbox import views as outbox
from tyonohjaus_plugin.permissions import can_view_deliveries


class OutboxViewSet(ViewSet):
    """Every message the service sends, with its state; HR resends failed or uncertain ones."""

    name = "tyonohjaus_outbox"
    url_prefix = "tyonohjaus/outbox"
    icon = "mail"
    menu_label = _("Outbox")
    menu_item_class = shown_if(can_view_deliveries)

    def get_urlpatterns(self):
        g = guarded
        return [
            path("", g(outbox.deliveries), name="index"),
            path("<int:pk>/resend/", g(outbox.resend), name="resend"),
        ]
