"""Admin menu entry of application rounds."""

from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from tyonohjaus_plugin.core.tables import DateTimeColumn
from tyonohjaus_plugin.core.views import admin_view
from tyonohjaus_plugin.core.viewsets import ProtectedDeleteView
from tyonohjaus_plugin.models import ApplicationRound
from tyonohjaus_plugin.rounds.forms import ApplicationRoundForm
from tyonohjaus_plugin.rounds.views import RoundEditView, RoundIndexView, change_round_state


def field_label(name):
    return ApplicationRound._meta.get_field(name).verbose_name


class RoundViewSet(ModelViewSet):
    model = ApplicationRound
    name = "tyonohjaus_rounds"
    url_prefix = "tyonohjaus/rounds"
    icon = "date"
    menu_label = _("Rounds")
    menu_name = "rounds"
    index_view_class = RoundIndexView
    edit_view_class = RoundEditView
    delete_view_class = ProtectedDeleteView
    form_fields = ApplicationRoundForm.Meta.fields
    list_display = [
        "name",  # shown in the reader's language by RoundIndexView
        "state",
        *(
            DateTimeColumn(name, label=capfirst(field_label(name)), sort_key=name)
            for name in ("opens_at", "closes_at")
        ),
        "target_places",
    ]
    list_filter = ["state"]

    def get_form_class(self, for_update=False):
        return ApplicationRoundForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<tyonohjaus_pk:pk>/open/",
                admin_view(change_round_state),
                {"action": "open"},
                name="open",
            ),
            path(
                "<tyonohjaus_pk:pk>/close/",
                admin_view(change_round_state),
                {"action": "close"},
                name="close",
            ),
        ]
