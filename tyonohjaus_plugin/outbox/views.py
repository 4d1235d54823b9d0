"""The outbox in the admin: every message with its state; HR resends failed or uncertain ones.

Wagtail's generic listing; the permission policy registered for ``Delivery``
(``outbox.policies``) decides who may open it (``view_delivery``) and resend (``change_delivery``).
"""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from tyonohjaus_plugin.actions.resend_delivery import RESENDABLE, ResendDeliveryAction
from tyonohjaus_plugin.core.tables import DateTimeColumn
from tyonohjaus_plugin.core.views import ListingMessagesMixin, RefusalMixin, admin_view
from tyonohjaus_plugin.models import Delivery, DeliveryState

PAGE_SIZE = 50


class KindColumn(Column):
    """The kind of message and its id (ids only: no address or name is stored)."""

    cell_template_name = "tyonohjaus_plugin/admin/tables/delivery_kind_cell.html"


class DeliveryStateColumn(Column):
    """The state, with the last error under it."""

    cell_template_name = "tyonohjaus_plugin/admin/tables/delivery_state_cell.html"


class ResendColumn(Column):
    """A "Send again" button on failed and uncertain messages, for users who may resend."""

    cell_template_name = "tyonohjaus_plugin/admin/tables/delivery_resend_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["resendable"] = instance.state in RESENDABLE
        return context


class DeliveryIndexView(RefusalMixin, ListingMessagesMixin, generic.IndexView):
    template_name = "tyonohjaus_plugin/admin/delivery_index.html"
    any_permission_required = ["view"]
    page_title = gettext_lazy("Outbox")
    default_ordering = "-due_at"
    paginate_by = PAGE_SIZE

    @cached_property
    def can_resend(self):
        return self.user_has_permission("change")

    @cached_property
    def columns(self):
        columns = [
            KindColumn("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            DateTimeColumn("due_at", label=_("Due"), sort_key="due_at"),
            DeliveryStateColumn(
                "state", label=_("State"), accessor="get_state_display", sort_key="state"
            ),
            Column("attempts", label=_("Attempts")),
            DateTimeColumn("sent_at", label=_("Sent"), sort_key="sent_at"),
        ]
        if self.can_resend:
            columns.append(ResendColumn("resend", label=_("Actions")))
        return columns

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.results_only:
            counts = dict(Delivery.objects.values_list("state").annotate(n=Count("pk")))
            context["state_counts"] = [
                (code, label, counts.get(code, 0)) for code, label in DeliveryState.choices
            ]
        return context


@require_POST
@admin_view
def resend(request, pk):
    """A failed or uncertain message goes back to the queue (HR decided a copy is acceptable)."""
    ResendDeliveryAction(pk, user=request.user).execute()
    messages.success(request, _("The message is queued again."))
    return redirect("tyonohjaus_outbox:index")
