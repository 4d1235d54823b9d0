"""HR sends a failed or uncertain message again."""

from django.utils import timezone

from tyonohjaus_plugin.actions.base import Action, NotFound, NotPermitted
from tyonohjaus_plugin.models import Delivery, DeliveryState
from tyonohjaus_plugin.permissions import can_resend_deliveries

#: The states HR may send again (a copy may reach someone twice: HR decides it is acceptable).
RESENDABLE = (DeliveryState.FAILED, DeliveryState.UNCERTAIN)


class ResendDeliveryAction(Action):
    """The message goes back to the queue with its attempts reset; the sweep sends it."""

    log_action = "tyonohjaus_plugin.delivery.resent"

    def __init__(self, pk, *, user):
        super().__init__(user=user)
        self.pk = pk

    def check(self):
        if not can_resend_deliveries(self.user):
            raise NotPermitted

    def perform(self) -> Delivery:
        delivery = (
            Delivery.objects.select_for_update().filter(pk=self.pk, state__in=RESENDABLE).first()
        )
        if delivery is None:
            raise NotFound  # sent meanwhile, or never resendable: nothing to do
        delivery.state = DeliveryState.PENDING
        delivery.attempts = 0
        delivery.error = ""
        delivery.due_at = timezone.now()
        delivery.claimed_at = None
        delivery.save(update_fields=["state", "attempts", "error", "due_at", "claimed_at"])
        return delivery
