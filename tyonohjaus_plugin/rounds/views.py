"""HR's screens for application rounds: Wagtail's generic views plus open/close confirmations."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import EditView, IndexView

from tyonohjaus_plugin.actions.base import NotPermitted
from tyonohjaus_plugin.actions.close_round import CloseRoundAction
from tyonohjaus_plugin.actions.open_round import OpenRoundAction
from tyonohjaus_plugin.core.views import ListingMessagesMixin
from tyonohjaus_plugin.models import ApplicationRound, RoundState
from tyonohjaus_plugin.permissions import MANAGE_ROUNDS


class RoundIndexView(ListingMessagesMixin, IndexView):
    @cached_property
    def columns(self):
        columns = super().columns
        # The title column sorts by the default-language name and shows the reader's.
        columns[0].accessor = "localized_name"
        return columns

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if not self.request.user.has_perm(MANAGE_ROUNDS):
            return buttons
        if instance.state in (RoundState.UPCOMING, RoundState.CLOSED):
            buttons.append(
                MenuItem(
                    _("Open round"),
                    url=reverse("tyonohjaus_rounds:open", args=[instance.pk]),
                    icon_name="lock-open",
                    priority=20,
                )
            )
        if instance.state == RoundState.OPEN:
            buttons.append(
                MenuItem(
                    _("Close round"),
                    url=reverse("tyonohjaus_rounds:close", args=[instance.pk]),
                    icon_name="lock",
                    priority=20,
                )
            )
        return buttons


class RoundEditView(EditView):
    def get_page_subtitle(self):
        return self.object.localized_name  # str() stays the default-language name


def change_round_state(request, pk, action):
    """GET: confirm; POST: open or close the round through its action."""
    if not request.user.has_perm(MANAGE_ROUNDS):
        raise NotPermitted
    round = get_object_or_404(ApplicationRound, pk=pk)
    if request.method == "POST":
        action_class = OpenRoundAction if action == "open" else CloseRoundAction
        try:
            action_class(round, user=request.user).execute()
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            message = _("Round opened.") if action == "open" else _("Round closed.")
            messages.success(request, message)
        return redirect("tyonohjaus_rounds:index")
    context = {"round": round, "action": action}
    return TemplateResponse(request, "tyonohjaus_plugin/admin/round_confirm.html", context)
