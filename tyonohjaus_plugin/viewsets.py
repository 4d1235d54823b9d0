from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Provider
from .permissions import can_view_feedback
from .views.reports import FeedbackResponsesView, FeedbackSummaryView


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Providers")
    list_display = ["name", "email", "phone"]
    search_fields = ["name"]
    url_prefix = "tyonohjaus_plugin/providers"


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_feedback(request.user)


class FeedbackViewSet(ViewSet):
    name = "tyonohjaus_feedback"
    url_prefix = "tyonohjaus/feedback"
    icon = "comment"
    menu_label = _("Feedback")
    menu_item_class = FeedbackMenuItem

    def get_urlpatterns(self):
        return [
            path("", FeedbackSummaryView.as_view(), name="index"),
            path("results/", FeedbackSummaryView.as_view(results_only=True), name="index_results"),
            path("comments/", FeedbackResponsesView.as_view(), name="responses"),
            path(
                "comments/results/",
                FeedbackResponsesView.as_view(results_only=True),
                name="responses_results",
            ),
        ]


class TyonohjausViewSetGroup(ViewSetGroup):
    """The plugin's own admin menu; later features add their viewsets to ``items``."""

    menu_label = _("Work supervision")
    menu_icon = "group"
    menu_name = "tyonohjaus"
    menu_order = 250
    items = (FeedbackViewSet,)
