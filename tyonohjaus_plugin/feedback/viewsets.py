"""Admin menu entry of the feedback reports."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from tyonohjaus_plugin.core.views import shown_if
from tyonohjaus_plugin.feedback.reports import FeedbackResponsesView, FeedbackSummaryView
from tyonohjaus_plugin.permissions import can_view_feedback


class FeedbackViewSet(ViewSet):
    name = "tyonohjaus_feedback"
    url_prefix = "tyonohjaus/feedback"
    icon = "comment"
    menu_label = _("Feedback")
    menu_name = "feedback"
    menu_item_class = shown_if(can_view_feedback)

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
