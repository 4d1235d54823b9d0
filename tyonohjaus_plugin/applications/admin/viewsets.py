"""Admin menu entries of applications and of the snippets applicants choose from."""

from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import LocaleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from tyonohjaus_plugin.applications.admin.views import (
    ApplicationEditView,
    ApplicationHistoryView,
    ApplicationIndexView,
    ApplicationInspectView,
    ApplicationUsageView,
    change_status,
)
from tyonohjaus_plugin.core.tables import YesNoColumn
from tyonohjaus_plugin.core.views import admin_view
from tyonohjaus_plugin.core.viewsets import (
    LocaleNamedSnippetEditView,
    PkSnippetChooserViewSet,
    ProtectedSnippetDeleteView,
)
from tyonohjaus_plugin.models import Application, PrivacyNotice, Theme


class ApplicationViewSet(ModelViewSet):
    """List, detail, internal note, status and history; no add, copy or delete."""

    model = Application
    name = "tyonohjaus_applications"
    url_prefix = "tyonohjaus/applications"
    icon = "form"
    menu_label = _("Applications")
    menu_name = "applications"
    index_view_class = ApplicationIndexView
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    edit_view_class = ApplicationEditView
    history_view_class = ApplicationHistoryView
    usage_view_class = ApplicationUsageView
    copy_view_enabled = False
    form_fields = ["hr_note"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<tyonohjaus_pk:pk>/status/", admin_view(change_status), name="status"),
        ]


class ThemeViewSet(SnippetViewSet):
    """The themes applicants choose from; HR keeps the list and its translations."""

    chooser_viewset_class = PkSnippetChooserViewSet
    delete_view_class = ProtectedSnippetDeleteView
    edit_view_class = LocaleNamedSnippetEditView
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    menu_name = "themes"
    list_display = [
        "name",
        LocaleColumn(label=_("Language")),
        YesNoColumn("active", label=capfirst(_("active")), sort_key="active"),
        "sort_order",
    ]
    url_prefix = "tyonohjaus_plugin/themes"


class PrivacyNoticeViewSet(SnippetViewSet):
    chooser_viewset_class = PkSnippetChooserViewSet
    delete_view_class = ProtectedSnippetDeleteView
    edit_view_class = LocaleNamedSnippetEditView
    model = PrivacyNotice
    icon = "lock"
    menu_label = _("Privacy notices")
    menu_name = "privacy-notices"
    list_display = ["title", LocaleColumn(label=_("Language")), "version", "effective_from"]
    url_prefix = "tyonohjaus_plugin/privacy-notices"
