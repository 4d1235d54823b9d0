"""Admin menu entry of engagements and their meetings: Wagtail's listing and inspect views.

Who sees what is the permission policy registered for ``Engagement``
(``engagements.policies.EngagementPermissionPolicy``); it also decides whether the menu item
shows. Engagements come from confirming matches: there is no add, edit, copy or delete view.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import LocaleColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from tyonohjaus_plugin.core.viewsets import (
    LocaleNamedSnippetEditView,
    PkSnippetChooserViewSet,
    ProtectedSnippetDeleteView,
    ReadOnlyModelViewSet,
)
from tyonohjaus_plugin.engagements.agreement_views import AgreementAdminView
from tyonohjaus_plugin.engagements.filters import EngagementFilterSet
from tyonohjaus_plugin.engagements.views import (
    PAGE_SIZE,
    CancelEngagementView,
    DecideTimeView,
    DeclareView,
    EngagementIndexView,
    EngagementInspectView,
    FirstMeetingAnswerView,
    MeetingActionView,
)
from tyonohjaus_plugin.models import AgreementTemplate, Engagement


class EngagementViewSet(ReadOnlyModelViewSet):
    """Engagements and their meetings: HR sees all, a supervisor their own."""

    model = Engagement
    name = "tyonohjaus_engagements"
    url_prefix = "tyonohjaus/engagements"
    icon = "calendar"
    menu_label = _("Engagements")
    menu_name = "engagements"
    index_view_class = EngagementIndexView
    inspect_view_class = EngagementInspectView
    inspect_view_enabled = True
    list_per_page = PAGE_SIZE
    filterset_class = EngagementFilterSet

    def get_common_view_kwargs(self, **kwargs):
        # The detail page is the inspect view, under the URL name "detail".
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["inspect_url_name"] = self.get_url_name("detail")
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<tyonohjaus_pk:pk>/", self.inspect_view, name="detail"),
            path("<tyonohjaus_pk:pk>/cancel/", self.cancel_view, name="cancel"),
            path("<tyonohjaus_pk:pk>/declare/", self.declare_view, name="declare"),
            path("<tyonohjaus_pk:pk>/first-time/", self.decide_view, name="decide_time"),
            path("meetings/<tyonohjaus_pk:pk>/<str:action>/", self.meeting_view, name="meeting"),
            path(
                "<tyonohjaus_pk:pk>/first-meeting/", self.first_meeting_view, name="first_meeting"
            ),
            path(
                "<tyonohjaus_pk:pk>/agreement/<str:action>/", self.agreement_view, name="agreement"
            ),
        ]

    @property
    def first_meeting_view(self):
        return self.construct_view(FirstMeetingAnswerView, **self.get_inspect_view_kwargs())

    @property
    def agreement_view(self):
        return self.construct_view(AgreementAdminView, **self.get_inspect_view_kwargs())

    @property
    def cancel_view(self):
        return self.construct_view(CancelEngagementView, **self.get_inspect_view_kwargs())

    @property
    def declare_view(self):
        return self.construct_view(DeclareView, **self.get_inspect_view_kwargs())

    @property
    def decide_view(self):
        return self.construct_view(DecideTimeView, **self.get_inspect_view_kwargs())

    @property
    def meeting_view(self):
        return self.construct_view(MeetingActionView, **self.get_inspect_view_kwargs())


class AgreementTemplateViewSet(SnippetViewSet):
    """The supervision agreement's fixed texts per language; editors keep them and their
    translations (wagtail-localize). A language without one uses the built-in texts."""

    chooser_viewset_class = PkSnippetChooserViewSet
    delete_view_class = ProtectedSnippetDeleteView
    edit_view_class = LocaleNamedSnippetEditView
    model = AgreementTemplate
    icon = "doc-full"
    menu_label = _("Agreement templates")
    menu_name = "agreement-templates"
    list_display = ["title", LocaleColumn(label=_("Language"))]
    url_prefix = "tyonohjaus_plugin/agreement-templates"
