"""The admin home's "Data protection" panel: what the next retention run will anonymise and
what the last one did, for HR who may see applications or handle personal-data requests.
A handful of count queries, whatever the number of rows."""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin.ui.components import Component

from tyonohjaus_plugin.models import AnonymisationRun
from tyonohjaus_plugin.permissions import ERASE_PERSON, EXPORT_PERSON_DATA, can_view_applications
from tyonohjaus_plugin.privacy import policy


def may_see(user) -> bool:
    return user.is_active and (
        can_view_applications(user)
        or user.has_perm(ERASE_PERSON)
        or user.has_perm(EXPORT_PERSON_DATA)
    )


class RetentionPanel(Component):
    name = "tyonohjaus_retention"
    order = 97
    template_name = "tyonohjaus_plugin/admin/panels/retention.html"

    def get_context_data(self, parent_context=None):
        return {
            "due": policy.next_run_counts(timezone.now()),
            "last_run": AnonymisationRun.objects.order_by("-started_at", "-pk").first(),
        }


def add_retention_panel(request, panels):
    if may_see(request.user):
        panels.append(RetentionPanel())
