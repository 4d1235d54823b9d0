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

#: Find a person and erase their data on request (data protection).
ERASE_PERSON = f"{APP_LABEL}.erase_person"

#: Find a person and export everything the plugin holds about them (subject access).
EXPORT_PERSON_DATA = f"{APP_LABEL}.export_person_data"

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
    "erase_person",
    "export_person_data",
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


def can_manage_meetings(user, engagement, *, supervisor=None) -> bool:
    """HR with the permission, or the engagement's own supervisor: logged in (``user``), or an
    external one through their portal link (``user=None`` and the link's ``supervisor``)."""
    if user is None:
        return is_own_external(supervisor, engagement)
    if not user.is_active:
        return False
    return user.has_perm(CHANGE_ENGAGEMENTS) or engagement.supervisor.user_id == user.pk


def is_own_external(supervisor, engagement) -> bool:
    """An active external supervisor acting on an engagement of their own (portal actions)."""
    return (
        supervisor is not None
        and supervisor.is_external
        and supervisor.active
        and engagement.supervisor_id == supervisor.pk
    )


def can_erase_person(user) -> bool:
    return _has(user, ERASE_PERSON)


def can_export_person_data(user) -> bool:
    return _has(user, EXPORT_PERSON_DATA)


def can_find_people(user) -> bool:
    """The "Personal data" screens (search, a person's holdings) need either permission."""
    return can_erase_person(user) or can_export_person_data(user)


def can_view_deliveries(user) -> bool:
    return _has(user, VIEW_DELIVERIES)


def can_resend_deliveries(user) -> bool:
    return _has(user, VIEW_DELIVERIES) and _has(user, RESEND_DELIVERIES)


#: The roles a site typically gives as groups: role -> permissions as "app_label.codename".
#: The demo loader and the tests build their groups from this one table; a site may use it too.
#: Page permissions (editors edit pages under their home page) are per page tree, not here.
ROLES = {
    # Edits service pages (with page permissions) and the providers; asks for translations.
    "editor": (
        "wagtailadmin.access_admin",
        f"{APP_LABEL}.add_provider",
        f"{APP_LABEL}.change_provider",
        f"{APP_LABEL}.delete_provider",
        f"{APP_LABEL}.view_provider",
        f"{APP_LABEL}.add_agreementtemplate",
        f"{APP_LABEL}.change_agreementtemplate",
        f"{APP_LABEL}.delete_agreementtemplate",
        f"{APP_LABEL}.view_agreementtemplate",
        "wagtail_localize.submit_translation",
    ),
    # Everything the plugin offers in the group editor, plus the rounds, themes and privacy
    # notices HR keeps (the demo adds wagtail-localize's submit_translation to translate them).
    "hr": (
        "wagtailadmin.access_admin",
        f"{APP_LABEL}.view_provider",
        *(f"{APP_LABEL}.{codename}" for codename in REGISTERED_CODENAMES),
        f"{APP_LABEL}.add_applicationround",
        f"{APP_LABEL}.change_applicationround",
        f"{APP_LABEL}.view_applicationround",
        f"{APP_LABEL}.add_theme",
        f"{APP_LABEL}.change_theme",
        f"{APP_LABEL}.view_theme",
        f"{APP_LABEL}.add_privacynotice",
        f"{APP_LABEL}.change_privacynotice",
        f"{APP_LABEL}.view_privacynotice",
        f"{APP_LABEL}.view_agreementtemplate",
    ),
    # Handles applications and looks up supervisors; reads no free text and exports nothing.
    "hr_assistant": (
        "wagtailadmin.access_admin",
        f"{APP_LABEL}.view_application",
        f"{APP_LABEL}.change_application",
        f"{APP_LABEL}.change_application_status",
        f"{APP_LABEL}.view_supervisor",
        f"{APP_LABEL}.view_applicationround",
        f"{APP_LABEL}.view_theme",
    ),
    # Signs in to the admin for their own engagements only: the plugin shows a supervisor what
    # is theirs without a model permission.
    "supervisor": ("wagtailadmin.access_admin",),
}
