"""Create, edit and delete supervisors with the plugin's own audit-log actions.

Wagtail's generic admin views look these up in ``wagtail.actions.action_registry`` (registered
in ``wagtail_hooks``), so every screen and any code using the registry logs the same way. The log
label is ``str(supervisor)``, "Supervisor #N": no names go into the audit log.
"""

from wagtail.actions import CreateAction, DeleteAction, EditAction

SUPERVISOR_CREATED = "tyonohjaus_plugin.supervisor.created"
SUPERVISOR_EDITED = "tyonohjaus_plugin.supervisor.edited"
SUPERVISOR_DELETED = "tyonohjaus_plugin.supervisor.deleted"


class CreateSupervisorAction(CreateAction):
    def __init__(self, instance, user=None, *, log_action=SUPERVISOR_CREATED, **kwargs):
        super().__init__(instance, user=user, log_action=log_action, **kwargs)


class EditSupervisorAction(EditAction):
    def __init__(self, instance, user=None, *, log_action=SUPERVISOR_EDITED, **kwargs):
        super().__init__(instance, user=user, log_action=log_action, **kwargs)


class DeleteSupervisorAction(DeleteAction):
    """Wagtail's delete logs before deleting, so the label still carries the primary key."""

    def __init__(self, instance, user=None, *, log_action=SUPERVISOR_DELETED):
        super().__init__(instance, user=user, log_action=log_action)


SUPERVISOR_ACTIONS = (CreateSupervisorAction, EditSupervisorAction, DeleteSupervisorAction)
