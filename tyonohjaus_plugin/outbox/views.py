"""The outbox in the admin: every message with its state; HR resends failed or uncertain ones."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from tyonohjaus_plugin.models import (
    Delivery,
    DeliveryState,
)
from tyonohjaus_plugin.permissions import (
    can_resend_deliveries,
    can_view_deliveries,
)

PAGE_SIZE = 50


def deliveries(request):
    if not can_view_deliveries(request.user):
        raise PermissionDenied
    state = request.GET.get("state")
    rows = Delivery.objects.order_by("-due_at", "-pk")
    if state in DeliveryState.values:
        rows = rows.filter(state=state)
    counts = dict(Delivery.objects.values_list("state").annotate(n=Count("pk")))
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p")),
        "states": [(code, label, counts.get(code, 0)) for code, label in DeliveryState.choices],
        "state": state,
        "can_resend": can_resend_deliveries(request.user),
    }
    return TemplateResponse(request, "tyonohjaus_plugin/admin/delivery_index.html", context)


@require_POST
def resend(request, pk):
    """A failed or uncertain message goes back to the queue (HR decided a copy is acceptable)."""
    if not can_resend_deliveries(request.user):
        raise PermissionDenied
    changed = Delivery.objects.filter(
        pk=pk, state__in=[DeliveryState.FAILED, DeliveryState.UNCERTAIN]
    ).update(
        state=DeliveryState.PENDING, attempts=0, error="", due_at=timezone.now(), claimed_at=None
    )
    if not changed:
        raise Http404
    log(
        instance=Delivery.objects.get(pk=pk),
        action="tyonohjaus_plugin.delivery.resent",
        user=request.user,
    )
    messages.success(request, _("The message is queued again."))
    return redirect("tyonohjaus_outbox:index")
