from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import PrivacyNotice, Provider, Theme
from .permissions import can_view_feedback
from .views.reports import FeedbackResponsesView, FeedbackSummaryView


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Providers")
    list_display = ["name", "email", "phone"]
    search_fields = ["name"]
    url_prefix = "tyonohjaus_plugin/providers"


class ThemeViewSet(SnippetViewSet):
    """The themes applicants choose from; HR keeps the list and its translations."""

    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    list_display = ["name", "active", "sort_order"]
    url_prefix = "tyonohjaus_plugin/themes"


class PrivacyNoticeViewSet(SnippetViewSet):
    model = PrivacyNotice
    icon = "lock"
    menu_label = _("Privacy notices")
    list_display = ["title", "version", "effective_from"]
    url_prefix = "tyonohjaus_plugin/privacy-notices"


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
    items = (FeedbackViewSet, ThemeViewSet, PrivacyNoticeViewSet)
