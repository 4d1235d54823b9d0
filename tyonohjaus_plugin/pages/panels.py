"""Panels on the page edit screen."""

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from tyonohjaus_plugin.permissions import can_view_feedback

RECENT_COMMENTS = 5


class FeedbackSummaryPanel(Panel):
    """Totals of the feedback prompt for the page being edited; only for feedback viewers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Feedback so far"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "tyonohjaus_plugin/admin/panels/feedback_summary.html"

        def is_shown(self):
            return (
                self.request is not None
                and self.instance is not None
                and self.instance.pk is not None
                and can_view_feedback(self.request.user)
            )

        def get_context_data(self, parent_context=None):
            # Looked up, not imported: the page model imports this panel.
            FeedbackResponse = apps.get_model("tyonohjaus_plugin", "FeedbackResponse")
            context = super().get_context_data(parent_context)
            page = self.instance
            this_language = FeedbackResponse.objects.filter(page_id=page.pk)
            all_languages = FeedbackResponse.objects.filter(
                page__translation_key=page.translation_key
            )
            context.update(
                {
                    "this_language": _with_share(this_language.totals()),
                    "all_languages": _with_share(all_languages.totals()),
                    "recent_comments": this_language.exclude(comment="")[:RECENT_COMMENTS],
                    "report_url": reverse("tyonohjaus_feedback:index")
                    + f"?page={page.translation_key}",
                }
            )
            return context


def _with_share(totals: dict) -> dict:
    responses = totals["responses"]
    totals["yes_share"] = round(100 * totals["yes"] / responses) if responses else None
    return totals
