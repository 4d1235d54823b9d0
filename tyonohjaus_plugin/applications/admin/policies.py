"""Wagtail's view of the application permissions (registered in wagtail_hooks)."""

from wagtail.permission_policies import ModelPermissionPolicy

from tyonohjaus_plugin.permissions import can_edit_note, can_view_applications


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    """Applications come from employees and leave through erasure, never the admin's add, copy
    or delete — not even for superusers. "view" and "change" (the internal note) follow the
    plugin's permission helpers."""

    never = {"add", "copy", "delete"}

    def user_has_permission(self, user, action):
        if action in self.never:
            return False
        if action == "view":
            return can_view_applications(user)
        if action == "change":
            return can_edit_note(user)
        return user.is_active and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
