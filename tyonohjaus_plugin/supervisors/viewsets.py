"""Admin menu entry of supervisors."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from tyonohjaus_plugin.core.views import admin_view
from tyonohjaus_plugin.models import (
    Supervisor,
)
from tyonohjaus_plugin.supervisors.availability import availability_panels
from tyonohjaus_plugin.supervisors.filters import SupervisorFilterSet
from tyonohjaus_plugin.supervisors.forms import SupervisorForm
from tyonohjaus_plugin.supervisors.views import (
    SupervisorCreateView,
    SupervisorDeleteView,
    SupervisorEditView,
    SupervisorHistoryView,
    SupervisorIndexView,
    SupervisorInspectView,
    SupervisorUsageView,
    supervisor_link,
)


class SupervisorViewSet(ModelViewSet):
    """HR's list of supervisors; needs the plugin's supervisor permissions, not page rights."""

    model = Supervisor
    name = "tyonohjaus_supervisors"
    url_prefix = "tyonohjaus/supervisors"
    icon = "user"
    menu_label = _("Supervisors")
    menu_name = "supervisors"
    copy_view_enabled = False
    index_view_class = SupervisorIndexView
    add_view_class = SupervisorCreateView
    edit_view_class = SupervisorEditView
    delete_view_class = SupervisorDeleteView
    history_view_class = SupervisorHistoryView
    usage_view_class = SupervisorUsageView
    inspect_view_enabled = True
    inspect_view_class = SupervisorInspectView
    filterset_class = SupervisorFilterSet
    search_fields = ["name", "email", "user__first_name", "user__last_name", "user__email"]
    search_backend_name = None  # Supervisor is not in the search index: search with the ORM
    ordering = "sort_name"

    def get_urlpatterns(self):
        # An external supervisor's access links: send one, or revoke all (confirm, then POST).
        return [
            *super().get_urlpatterns(),
            path(
                "<tyonohjaus_pk:pk>/send-link/",
                admin_view(supervisor_link),
                {"action": "send_link"},
                name="send_link",
            ),
            path(
                "<tyonohjaus_pk:pk>/revoke-links/",
                admin_view(supervisor_link),
                {"action": "revoke_links"},
                name="revoke_links",
            ),
        ]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("user"),
                    FieldPanel("name"),
                    FieldPanel("email"),
                    FieldPanel("organisation"),
                    FieldPanel("qualification"),
                ],
                heading=_("Supervisor"),
            ),
            MultiFieldPanel(
                [FieldPanel("languages"), FieldPanel("formats"), FieldPanel("themes")],
                heading=_("Supervision offered"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("unit_codes"),
                    FieldPanel("conflict_unit_codes"),
                    FieldPanel("conflict_users"),
                ],
                heading=_("Conflicts of interest"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("default_capacity"),
                    FieldPanel("cost_per_meeting"),
                    FieldPanel("active"),
                ],
                heading=_("Capacity and cost"),
            ),
            InlinePanel(
                "round_capacities",
                panels=[FieldPanel("round"), FieldPanel("capacity")],
                heading=_("Capacity in a round"),
                label=_("Round capacity"),
                help_text=_("Only where a round differs from the capacity per round above."),
            ),
            *availability_panels(),
        ],
        base_form_class=SupervisorForm,
    )
