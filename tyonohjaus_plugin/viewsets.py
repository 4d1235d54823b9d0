"""The plugin's admin menu: one group holding each capability's viewset."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import LocaleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from tyonohjaus_plugin.applications.admin.viewsets import (
    ApplicationViewSet,
    PrivacyNoticeViewSet,
    ThemeViewSet,
)
from tyonohjaus_plugin.core.viewsets import (
    LocaleNamedSnippetEditView,
    PkSnippetChooserViewSet,
    ProtectedSnippetDeleteView,
)
from tyonohjaus_plugin.engagements.viewsets import AgreementTemplateViewSet, EngagementViewSet
from tyonohjaus_plugin.feedback.viewsets import FeedbackViewSet
from tyonohjaus_plugin.matching.viewsets import MatchingViewSet
from tyonohjaus_plugin.models import Provider
from tyonohjaus_plugin.outbox.viewsets import OutboxViewSet
from tyonohjaus_plugin.privacy.viewsets import PersonDataViewSet
from tyonohjaus_plugin.rounds.viewsets import RoundViewSet
from tyonohjaus_plugin.supervisors.viewsets import SupervisorViewSet


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
        AgreementTemplateViewSet,
        PersonDataViewSet,
    )


class ProviderViewSet(SnippetViewSet):
    # Custom list_display drops Wagtail's locale column: add it back, so each language version
    # is told apart (the locale filter comes with Wagtail's filter set for translatable models).
    # Its own label is translated once, at import, in whatever language is active then: ours.
    chooser_viewset_class = PkSnippetChooserViewSet
    delete_view_class = ProtectedSnippetDeleteView
    edit_view_class = LocaleNamedSnippetEditView
    model = Provider
    icon = "group"
    menu_label = _("Providers")
    menu_name = "providers"
    list_display = ["name", LocaleColumn(label=_("Language")), "email", "phone"]
    search_fields = ["name"]
    url_prefix = "tyonohjaus_plugin/providers"
