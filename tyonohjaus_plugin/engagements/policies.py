"""Who may list, open and change engagements, as Wagtail's permission policy.

The rules are the plugin's own (``Engagement.objects.visible_to``): HR with
``view_engagement`` sees every engagement, a supervisor (a user linked to a ``Supervisor`` row)
sees their own without any permission, anyone else sees none. Registered for ``Engagement`` in
``wagtail_hooks``, so Wagtail's listing, inspect view and menu item ask it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from tyonohjaus_plugin.models import Engagement, Supervisor
from tyonohjaus_plugin.permissions import (
    CHANGE_ENGAGEMENTS,
    VIEW_ENGAGEMENTS,
    can_manage_meetings,
)


def is_supervisor(user) -> bool:
    # Remembered on the request's user object: the admin menu asks more than once per page.
    if not hasattr(user, "_tyonohjaus_is_supervisor"):
        user._tyonohjaus_is_supervisor = (
            user.is_active and Supervisor.objects.filter(user_id=user.pk).exists()
        )
    return user._tyonohjaus_is_supervisor


def can_open_engagements(user) -> bool:
    return user.is_active and (user.has_perm(VIEW_ENGAGEMENTS) or is_supervisor(user))


class EngagementPermissionPolicy(ModelPermissionPolicy):
    """Engagements are created by confirming matches and never added, copied or deleted in the
    admin, not even by superusers.

    * ``view``: :func:`can_open_engagements`; the instances are
      ``Engagement.objects.visible_to(user)``.
    * ``change`` (move, cancel or mark meetings held): HR with ``change_engagement`` on every
      engagement they may see, a supervisor on their own (``can_manage_meetings``). Cancelling a
      whole engagement stays HR's: the action object checks ``change_engagement`` itself.
    """

    def user_has_permission(self, user, action):
        if action == "view":
            return can_open_engagements(user)
        if action == "change":
            return can_open_engagements(user) and (
                user.has_perm(CHANGE_ENGAGEMENTS) or is_supervisor(user)
            )
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in ("view", "change")]
        if not actions:
            return get_user_model().objects.none()
        # Django's permission lookup for HR, plus every active supervisor for their own.
        return (
            super().users_with_any_permission(actions)
            | get_user_model().objects.filter(
                is_active=True, pk__in=Supervisor.objects.values("user_id")
            )
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return Engagement.objects.visible_to(user).filter(pk=instance.pk).exists()
        if action == "change":
            return self.user_has_permission_for_instance(
                user, "view", instance
            ) and can_manage_meetings(user, instance)
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_permission_for(self, user, action):
        if action == "view":
            return Engagement.objects.visible_to(user)
        if action == "change":
            if not self.user_has_permission(user, "change"):
                return Engagement.objects.none()
            if user.has_perm(CHANGE_ENGAGEMENTS):
                return Engagement.objects.visible_to(user)
            return Engagement.objects.visible_to(user).filter(supervisor__user=user)
        return Engagement.objects.none()

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" in actions:
            return self.instances_user_has_permission_for(user, "view")
        if "change" in actions:
            return self.instances_user_has_permission_for(user, "change")
        return Engagement.objects.none()
