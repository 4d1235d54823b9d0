"""Feedback reports in Wagtail admin: totals per page and language with a chart, and comments."""

from django.conf import settings
from django.db.models import Count, F, FloatField, Max, Min, Q
from django.db.models.functions import Cast, Round
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView

from tyonohjaus_plugin.core.exports import SafeSpreadsheetExportMixin
from tyonohjaus_plugin.core.views import permission_denied
from tyonohjaus_plugin.feedback.charts import layout, weekly
from tyonohjaus_plugin.feedback.filters import FeedbackFilterSet
from tyonohjaus_plugin.models import FeedbackResponse
from tyonohjaus_plugin.permissions import can_view_feedback


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


class DayColumn(Column):
    """A calendar date in the admin language's short format (feedback keeps dates, not times)."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else ""


class FeedbackReportMixin(SafeSpreadsheetExportMixin):
    """Shared by both feedback reports: permission, filters and the filtered responses."""

    header_icon = "comment"
    filterset_class = FeedbackFilterSet
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        # A real 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard),
        # also for page editors: editing a service page grants no feedback access.
        if not can_view_feedback(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return FeedbackResponse.objects.all()

    @cached_property
    def responses(self):
        """The responses matching the filters (the rows of both reports are built from these)."""
        return self.filter_queryset(self.get_queryset())

    def get_filename(self):
        return self.export_filename

    def get_paginator(self, *args, **kwargs):
        # Wagtail labels the count under the table with the model's name ("3 feedback
        # responses"); here each report says what it counts.
        paginator = super().get_paginator(*args, **kwargs)
        paginator.items_count_label = self.count_label(paginator)
        return paginator

    def count_label(self, paginator):
        raise NotImplementedError


class FeedbackSummaryView(FeedbackReportMixin, ReportView):
    page_title = _("Feedback")
    verbose_name = _("page version")
    verbose_name_plural = _("page versions")
    export_filename = "feedback-summary"
    index_url_name = "tyonohjaus_feedback:index"
    index_results_url_name = "tyonohjaus_feedback:index_results"
    results_template_name = "tyonohjaus_plugin/admin/feedback_summary_results.html"
    columns = [
        Column("title", label=_("Page")),
        Column(
            "language", label=_("Language"), accessor=lambda row: language_name(row["language"])
        ),
        NumberColumn("responses", label=_("Responses")),
        NumberColumn("yes", label=_("Yes")),
        Column(
            "yes_share",
            label=_("Share of yes"),
            accessor=lambda row: f"{row['yes_share']:.0f} %",
        ),
        NumberColumn("comments", label=_("Comments")),
        DayColumn("first_on", label=_("First")),
        DayColumn("last_on", label=_("Latest")),
    ]
    list_export = [
        "title",
        "language",
        "responses",
        "yes",
        "yes_share",
        "comments",
        "first_on",
        "last_on",
    ]
    export_headings = {
        "title": _("Page"),
        "language": _("Language"),
        "responses": _("Responses"),
        "yes": _("Yes"),
        "yes_share": _("Share of yes (%)"),
        "comments": _("Comments"),
        "first_on": _("First"),
        "last_on": _("Latest"),
    }

    def count_label(self, paginator):
        """The responses, not the rows (a row is one page in one language)."""
        count = self.totals["responses"]
        return ngettext("%(count)s response", "%(count)s responses", count) % {"count": count}

    @cached_property
    def totals(self):
        return self.responses.totals()

    def get_filtered_queryset(self):
        return (
            self.responses.values("page_id", "locale_id")
            .annotate(
                title=F("page__title"),
                language=F("locale__language_code"),
                responses=Count("pk"),
                yes=Count("pk", filter=Q(found_information=True)),
                comments=Count("pk", filter=~Q(comment="")),
                first_on=Min("created_on"),
                last_on=Max("created_on"),
            )
            .annotate(yes_share=Round(Cast(F("yes"), FloatField()) * 100 / F("responses"), 1))
            .order_by("title", "language")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = (
            self.responses.values_list("created_on", "found_information")
            .annotate(count=Count("pk"))
            .order_by()
        )
        context["chart"] = layout(weekly(rows))
        context["totals"] = self.totals
        context["responses_url"] = reverse("tyonohjaus_feedback:responses")
        return context


class FeedbackResponsesView(FeedbackReportMixin, ReportView):
    page_title = _("Feedback comments")
    export_filename = "feedback-responses"
    index_url_name = "tyonohjaus_feedback:responses"
    index_results_url_name = "tyonohjaus_feedback:responses_results"
    columns = [
        DayColumn("created_on", label=_("Date")),
        Column("page_title", label=_("Page"), accessor="page.title"),
        Column(
            "language",
            label=_("Language"),
            accessor=lambda r: language_name(r.locale.language_code),
        ),
        Column("answer", label=_("Found the information"), accessor="answer_label"),
        Column("comment", label=_("Comment")),
    ]
    list_export = ["created_on", "page.title", "locale.language_code", "answer_label", "comment"]
    export_headings = {
        "created_on": _("Date"),
        "page.title": _("Page"),
        "locale.language_code": _("Language"),
        "answer_label": _("Found the information"),
        "comment": _("Comment"),
    }

    def count_label(self, paginator):
        return ngettext("%(count)s comment", "%(count)s comments", paginator.count) % {
            "count": paginator.count
        }

    def get_filtered_queryset(self):
        """The responses with a comment (a bare yes or no is counted in the summary)."""
        return (
            self.responses.exclude(comment="")
            .select_related("page", "locale")
            .order_by("-created_on", "-pk")
        )
