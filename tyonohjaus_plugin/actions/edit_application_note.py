from wagtail.actions.edit import EditAction

from tyonohjaus_plugin.permissions import can_edit_note


class EditApplicationNoteAction(EditAction):
    """Wagtail's edit action for applications (only HR's note is editable): own log name."""

    def __init__(self, instance, user=None, *, log_action=None, **kwargs):
        super().__init__(
            instance,
            user=user,
            log_action=log_action or "tyonohjaus_plugin.application.note_edited",
            **kwargs,
        )

    def check(self, skip_permission_checks=False):
        if self.user is not None and not can_edit_note(self.user):
            raise self.permission_error_class
        super().check(skip_permission_checks=skip_permission_checks)
