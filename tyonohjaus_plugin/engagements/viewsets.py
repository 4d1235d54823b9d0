"""Admin menu entry of engagements and their meetings."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from tyonohjaus_plugin.core.views import guarded, shown_if
from tyonohjaus_plugin.engagements import views as engagements


class EngagementViewSet(ViewSet):
    """Engagements and their meetings: HR sees all, a supervisor their own; the outbox."""

    name = "tyonohjaus_engagements"
    url_prefix = "tyonohjaus/engagements"
    icon = "calendar"
    menu_label = _("Engagements")
    menu_item_class = shown_if(engagements.can_open_engagements)

    def get_urlpatterns(self):
        g = guarded
        return [
            path("", g(engagements.index), name="index"),
            path("<int:pk>/", g(engagements.detail), name="detail"),
            path("<int:pk>/cancel/", g(engagements.cancel_engagement), name="cancel"),
            path(
                "meetings/<int:pk>/<str:action>/",
                g(engagements.change_meeting),
                name="meeting",
            ),
        ]
