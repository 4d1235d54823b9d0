"""The plugin's permissions. Editing a service page grants none of them."""

APP_LABEL = "tyonohjaus_plugin"

#: See feedback reports, the edit-screen totals and export feedback.
VIEW_FEEDBACK = f"{APP_LABEL}.view_feedbackresponse"

#: Open and close application rounds.
MANAGE_ROUNDS = f"{APP_LABEL}.manage_rounds"

#: See the applications list, administrative details and history (no free text).
VIEW_APPLICATIONS = f"{APP_LABEL}.view_application"

#: Read the applicants' free-text answers (situation, goals, wishes, off-round reason).
VIEW_CONFIDENTIAL = f"{APP_LABEL}.view_confidential_application"

#: Move applications through the status workflow (one at a time or in bulk).
CHANGE_STATUS = f"{APP_LABEL}.change_application_status"

#: Edit HR's internal note on an application.
EDIT_NOTE = f"{APP_LABEL}.change_application"

#: Download the applications list as CSV or XLSX.
EXPORT_APPLICATIONS = f"{APP_LABEL}.export_applications"

#: See supervisors; add, change and delete them.
VIEW_SUPERVISORS = f"{APP_LABEL}.view_supervisor"
MANAGE_SUPERVISORS = (
    f"{APP_LABEL}.add_supervisor",
    f"{APP_LABEL}.change_supervisor",
    f"{APP_LABEL}.delete_supervisor",
)

#: Codenames offered in Wagtail's group editor.
REGISTERED_CODENAMES = [
    "view_feedbackresponse",
    "manage_rounds",
    "view_application",
    "change_application",
    "view_confidential_application",
    "change_application_status",
    "export_applications",
    "add_supervisor",
    "change_supervisor",
    "delete_supervisor",
    "view_supervisor",
    "run_matching",
    "view_engagement",
    "change_engagement",
    "view_delivery",
    "change_delivery",
]


def _has(user, permission) -> bool:
    return user.is_active and user.has_perm(permission)


def can_view_feedback(user) -> bool:
    return _has(user, VIEW_FEEDBACK)


def can_view_applications(user) -> bool:
    return _has(user, VIEW_APPLICATIONS)


def can_view_confidential(user) -> bool:
    """Free text needs both: the confidential permission alone opens no list or detail."""
    return can_view_applications(user) and _has(user, VIEW_CONFIDENTIAL)


def can_change_status(user) -> bool:
    return can_view_applications(user) and _has(user, CHANGE_STATUS)


def can_edit_note(user) -> bool:
    return can_view_applications(user) and _has(user, EDIT_NOTE)


def can_export_applications(user) -> bool:
    return can_view_applications(user) and _has(user, EXPORT_APPLICATIONS)


def permitted_applications(user):
    """Every queryset of applications an admin view reads or changes starts here.

    Bulk actions and exports filter the posted ids through it, so a crafted request can never
    reach further than the listing does.
    """
    from tyonohjaus_plugin.models import Application

    if not can_view_applications(user):
        return Application.objects.none()
    return Application.objects.all()


def application_permission_policy():
    """Wagtail's view of application permissions: built lazily (models load after this module)."""
    from wagtail.permission_policies import ModelPermissionPolicy

    from tyonohjaus_plugin.models import Application

    class ApplicationPermissionPolicy(ModelPermissionPolicy):
        """Applications come from employees and leave through erasure, never the admin's
        add, copy or delete — not even for superusers. "view" and "change" (the internal
        note) follow the helpers above."""

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

    return ApplicationPermissionPolicy(Application)


#: Run matching for a round, pin/forbid pairs and confirm the proposal.
RUN_MATCHING = f"{APP_LABEL}.run_matching"


def can_run_matching(user) -> bool:
    """The matching board shows who applied and with whom: it needs the list permission too."""
    return can_view_applications(user) and _has(user, RUN_MATCHING)


#: All engagements (HR); supervisors always see and manage their own without it.
VIEW_ENGAGEMENTS = f"{APP_LABEL}.view_engagement"
#: Move, cancel or mark meetings held in any engagement.
CHANGE_ENGAGEMENTS = f"{APP_LABEL}.change_engagement"
#: The outbox: what was sent, what failed or is uncertain; and resending.
VIEW_DELIVERIES = f"{APP_LABEL}.view_delivery"
RESEND_DELIVERIES = f"{APP_LABEL}.change_delivery"


def permitted_engagements(user):
    """HR with the permission: all; a supervisor: their own; anyone else: none."""
    from tyonohjaus_plugin.models import Engagement

    if not user.is_active:
        return Engagement.objects.none()
    if user.has_perm(VIEW_ENGAGEMENTS):
        return Engagement.objects.all()
    return Engagement.objects.filter(supervisor__user=user)


def can_manage_meetings(user, engagement) -> bool:
    if not user.is_active:
        return False
    return user.has_perm(CHANGE_ENGAGEMENTS) or engagement.supervisor.user_id == user.pk


def can_view_deliveries(user) -> bool:
    return _has(user, VIEW_DELIVERIES)


def can_resend_deliveries(user) -> bool:
    return _has(user, VIEW_DELIVERIES) and _has(user, RESEND_DELIVERIES)
