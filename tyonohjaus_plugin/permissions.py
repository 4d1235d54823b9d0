"""The plugin's permissions. Editing a service page grants none of them."""

APP_LABEL = "tyonohjaus_plugin"

#: See feedback reports, the edit-screen totals and export feedback.
VIEW_FEEDBACK = f"{APP_LABEL}.view_feedbackresponse"

#: Open and close application rounds.
MANAGE_ROUNDS = f"{APP_LABEL}.manage_rounds"

#: Codenames offered in Wagtail's group editor.
REGISTERED_CODENAMES = ["view_feedbackresponse", "manage_rounds"]


def can_view_feedback(user) -> bool:
    return user.is_active and user.has_perm(VIEW_FEEDBACK)
