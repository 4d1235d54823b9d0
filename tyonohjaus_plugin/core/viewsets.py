"""A Wagtail ``ModelViewSet`` for records the service makes itself (engagements, messages):
listing (and inspect where a subclass enables it), no add, edit, copy, delete, history or usage.
And the snippet chooser of the plugin's snippets, with the plugin's id parsing."""

from django.contrib.auth.models import Permission
from django.http import Http404
from django.utils.translation import gettext
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import (
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import EditView as SnippetEditView

from tyonohjaus_plugin.core.ids import parse_pk, parse_pks
from tyonohjaus_plugin.core.views import ProtectedDeleteMixin


class ProtectedDeleteView(ProtectedDeleteMixin, DeleteView):
    """``delete_view_class`` of the plugin's model viewsets."""


class ProtectedSnippetDeleteView(ProtectedDeleteMixin, SnippetDeleteView):
    """``delete_view_class`` of the plugin's snippet viewsets."""


class LocaleNamedSnippetEditView(SnippetEditView):
    """``edit_view_class`` of the plugin's translatable snippets. Wagtail names the language
    version only in the status side panel, closed by default: an editor edited the English
    provider with Finnish text. The heading and breadcrumb say it too."""

    def get_page_subtitle(self):
        subtitle = super().get_page_subtitle()
        if not self.locale:
            return subtitle
        return gettext("%(name)s (%(language)s)") % {
            "name": subtitle,
            "language": self.locale.get_display_name(),
        }


class PkSnippetChosenView(SnippetChosenView):
    """Wagtail's chooser takes ``<str:pk>`` and looks it up as is: "²" was a ValueError (500)."""

    def get_object(self, pk):
        if parse_pk(pk) is None:
            raise self.model_class.DoesNotExist
        return super().get_object(pk)


class PkSnippetChosenMultipleView(SnippetChosenMultipleView):
    """``?id=`` values as they come were a ValueError or OverflowError (500)."""

    def get_objects(self, pks):
        return super().get_objects(parse_pks(pks))


class NoCreationFormCreateView(SnippetCreateView):
    """Without a creation form in the chooser, Wagtail's create URL answered a POST with an
    AttributeError (500): there is nothing to create here."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PkSnippetChooserViewSet(SnippetChooserViewSet):
    """``chooser_viewset_class`` of the plugin's snippet viewsets: Wagtail's chooser, with the
    plugin's id parsing and no 500 for a request it was not built for."""

    chosen_view_class = PkSnippetChosenView
    chosen_multiple_view_class = PkSnippetChosenMultipleView
    create_view_class = NoCreationFormCreateView


class ReadOnlyModelViewSet(ModelViewSet):
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        # The views the product does not have get no URL name, so Wagtail offers no button.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            add_url_name=None,
            edit_url_name=None,
            copy_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
        )
        return view_kwargs

    def get_permissions_to_register(self):
        # The plugin's own hook offers the view/change permissions that mean something here;
        # Django's add and delete mean nothing.
        return Permission.objects.none()

    def register_admin_url_finder(self):
        """No edit view, so no "edit" URL for Wagtail's admin URL finder."""
