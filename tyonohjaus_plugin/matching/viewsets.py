"""Admin menu entry of the matching board."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from tyonohjaus_plugin.core.views import admin_view, shown_if
from tyonohjaus_plugin.matching import views as matching
from tyonohjaus_plugin.permissions import can_run_matching


class MatchingViewSet(ViewSet):
    """The matching board: runs per round, proposals, pins and forbids, confirm; off-round."""

    name = "tyonohjaus_matching"
    url_prefix = "tyonohjaus/matching"
    icon = "resubmit"
    menu_label = _("Matching")
    menu_name = "matching"
    menu_item_class = shown_if(can_run_matching)

    def get_urlpatterns(self):
        g = admin_view
        return [
            path("", g(matching.index), name="index"),
            path("rounds/<tyonohjaus_pk:pk>/", g(matching.board), name="round"),
            path("rounds/<tyonohjaus_pk:pk>/status/", g(matching.run_status), name="status"),
            path("rounds/<tyonohjaus_pk:pk>/start/", g(matching.start), name="start"),
            path("rounds/<tyonohjaus_pk:pk>/override/", g(matching.set_override), name="override"),
            path(
                "rounds/<tyonohjaus_pk:pk>/applications/<tyonohjaus_pk:application_pk>/",
                g(matching.choose),
                name="choose",
            ),
            path(
                "overrides/<tyonohjaus_pk:pk>/remove/", g(matching.remove_override), name="remove"
            ),
            path("runs/<tyonohjaus_pk:pk>/confirm/", g(matching.confirm), name="confirm"),
            path(
                "off-round/<tyonohjaus_pk:application_pk>/", g(matching.off_round), name="off_round"
            ),
            path(
                "offers/<tyonohjaus_pk:pk>/<str:decision>/",
                g(matching.decide_offer),
                name="offer",
            ),
        ]
