from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Application, ApplicationRound, PrivacyNotice, Provider, Theme
from .permissions import can_run_matching, can_view_deliveries, can_view_feedback
from .views import engagements, matching
from .views.application_admin import (
    ApplicationEditView,
    ApplicationHistoryView,
    ApplicationIndexView,
    ApplicationInspectView,
    change_status,
)
from .views.reports import FeedbackResponsesView, FeedbackSummaryView
from .views.rounds import ApplicationRoundForm, RoundIndexView, change_round_state
from .views.supervisors import SupervisorViewSet


def shown_if(may_use):
    """A menu item class shown only to users for whom ``may_use(user)`` holds."""

    class Item(MenuItem):
        def is_shown(self, request):
            return may_use(request.user)

    return Item


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Providers")
    list_display = ["name", "email", "phone"]
    search_fields = ["name"]
    url_prefix = "tyonohjaus_plugin/providers"


class RoundViewSet(ModelViewSet):
    model = ApplicationRound
    name = "tyonohjaus_rounds"
    url_prefix = "tyonohjaus/rounds"
    icon = "date"
    menu_label = _("Rounds")
    index_view_class = RoundIndexView
    form_fields = ApplicationRoundForm.Meta.fields
    list_display = ["name", "state", "opens_at", "closes_at", "target_places"]
    list_filter = ["state"]

    def get_form_class(self, for_update=False):
        return ApplicationRoundForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/open/", change_round_state, {"action": "open"}, name="open"),
            path("<int:pk>/close/", change_round_state, {"action": "close"}, name="close"),
        ]


class ApplicationViewSet(ModelViewSet):
    """List, detail, internal note, status and history; no add, copy or delete."""

    model = Application
    name = "tyonohjaus_applications"
    url_prefix = "tyonohjaus/applications"
    icon = "form"
    menu_label = _("Applications")
    index_view_class = ApplicationIndexView
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    edit_view_class = ApplicationEditView
    history_view_class = ApplicationHistoryView
    copy_view_enabled = False
    form_fields = ["hr_note"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/status/", change_status, name="status"),
        ]


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


class FeedbackViewSet(ViewSet):
    name = "tyonohjaus_feedback"
    url_prefix = "tyonohjaus/feedback"
    icon = "comment"
    menu_label = _("Feedback")
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


class MatchingViewSet(ViewSet):
    """The matching board: runs per round, proposals, pins and forbids, confirm; off-round."""

    name = "tyonohjaus_matching"
    url_prefix = "tyonohjaus/matching"
    icon = "resubmit"
    menu_label = _("Matching")
    menu_item_class = shown_if(can_run_matching)

    def get_urlpatterns(self):
        g = matching.guarded
        return [
            path("", g(matching.index), name="index"),
            path("rounds/<int:pk>/", g(matching.board), name="round"),
            path("rounds/<int:pk>/status/", g(matching.run_status), name="status"),
            path("rounds/<int:pk>/start/", g(matching.start), name="start"),
            path("rounds/<int:pk>/override/", g(matching.set_override), name="override"),
            path(
                "rounds/<int:pk>/applications/<int:application_pk>/",
                g(matching.choose),
                name="choose",
            ),
            path("overrides/<int:pk>/remove/", g(matching.remove_override), name="remove"),
            path("runs/<int:pk>/confirm/", g(matching.confirm), name="confirm"),
            path("off-round/<int:application_pk>/", g(matching.off_round), name="off_round"),
        ]


class EngagementViewSet(ViewSet):
    """Engagements and their meetings: HR sees all, a supervisor their own; the outbox."""

    name = "tyonohjaus_engagements"
    url_prefix = "tyonohjaus/engagements"
    icon = "calendar"
    menu_label = _("Engagements")
    menu_item_class = shown_if(engagements.can_open_engagements)

    def get_urlpatterns(self):
        g = matching.guarded
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


class OutboxViewSet(ViewSet):
    """Every message the service sends, with its state; HR resends failed or uncertain ones."""

    name = "tyonohjaus_outbox"
    url_prefix = "tyonohjaus/outbox"
    icon = "mail"
    menu_label = _("Outbox")
    menu_item_class = shown_if(can_view_deliveries)

    def get_urlpatterns(self):
        g = matching.guarded
        return [
            path("", g(engagements.deliveries), name="index"),
            path("<int:pk>/resend/", g(engagements.resend), name="resend"),
        ]


class TyonohjausViewSetGroup(ViewSetGroup):
    """The plugin's own admin menu; later features add their viewsets to ``items``."""

    menu_label = _("Work supervision")
    menu_icon = "group"
    menu_name = "tyonohjaus"
    menu_order = 250
    items = (
        RoundViewSet,
        ApplicationViewSet,
        SupervisorViewSet,
        MatchingViewSet,
        EngagementViewSet,
        OutboxViewSet,
        FeedbackViewSet,
        ThemeViewSet,
        PrivacyNoticeViewSet,
    )
