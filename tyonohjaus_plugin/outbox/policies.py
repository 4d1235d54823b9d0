"""Who may see the outbox and resend messages, as Wagtail's permission policy.

``view_delivery`` opens the outbox; resending a failed or uncertain message needs
``change_delivery`` as well (``permissions.can_resend_deliveries``). Messages are made by the
service and never added, copied or deleted in the admin. Registered for ``Delivery`` in
``wagtail_hooks``.
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from tyonohjaus_plugin.models import Delivery
from tyonohjaus_plugin.permissions import can_resend_deliveries, can_view_deliveries


class DeliveryPermissionPolicy(ModelPermissionPolicy):
    rules = {"view": can_view_deliveries, "change": can_resend_deliveries}

    def user_has_permission(self, user, action):
        rule = self.rules.get(action)
        return rule is not None and rule(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action in self.rules]
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_permission_for(self, user, action):
        if self.user_has_permission(user, action):
            return Delivery.objects.all()
        return Delivery.objects.none()

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return Delivery.objects.all()
        return Delivery.objects.none()
