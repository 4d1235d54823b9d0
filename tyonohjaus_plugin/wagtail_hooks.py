"""Registrations only; behaviour lives in the modules registered here."""

from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .actions.edit_application_note import EditApplicationNoteAction
from .actions.supervisor_actions import SUPERVISOR_ACTIONS
from .bulk_actions import ChangeStatusBulkAction, ExportBulkAction
from .dashboard import add_applications_panel
from .meetings_panel import add_meetings_panel
from .models import Application, Supervisor
from .permissions import APP_LABEL, REGISTERED_CODENAMES, application_permission_policy
from .viewsets import ProviderViewSet, TyonohjausViewSetGroup

register_snippet(ProviderViewSet)
register_permission_policy(Application, application_permission_policy())
hooks.register("register_bulk_action", ChangeStatusBulkAction)
hooks.register("register_bulk_action", ExportBulkAction)


@hooks.register("register_actions")
def register_application_actions(registry):
    registry.register(Application, EditApplicationNoteAction)


@hooks.register("register_actions")
def register_supervisor_actions(registry):
    for action_class in SUPERVISOR_ACTIONS:
        registry.register(Supervisor, action_class)


@hooks.register("register_admin_viewset")
def register_viewset_group():
    return TyonohjausViewSetGroup()


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label=APP_LABEL, codename__in=REGISTERED_CODENAMES
    )


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("tyonohjaus_plugin/css/admin.css")
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("tyonohjaus_plugin.round.opened", _("Open round"), _("Round opened"))
    actions.register_action("tyonohjaus_plugin.round.closed", _("Close round"), _("Round closed"))
    actions.register_action(
        "tyonohjaus_plugin.supervisor.created", _("Create supervisor"), _("Supervisor created")
    )
    actions.register_action(
        "tyonohjaus_plugin.supervisor.edited", _("Edit supervisor"), _("Supervisor edited")
    )
    actions.register_action(
        "tyonohjaus_plugin.supervisor.deleted", _("Delete supervisor"), _("Supervisor deleted")
    )
    actions.register_action(
        "tyonohjaus_plugin.application.viewed", _("View application"), _("Application viewed")
    )
    actions.register_action(
        "tyonohjaus_plugin.application.status_changed",
        _("Change application status"),
        _("Application status changed"),
    )
    actions.register_action(
        "tyonohjaus_plugin.application.note_edited",
        _("Edit internal note"),
        _("Internal note edited"),
    )
    actions.register_action(
        "tyonohjaus_plugin.matching.started", _("Start matching"), _("Matching started")
    )
    actions.register_action(
        "tyonohjaus_plugin.matching.pinned", _("Pin a pair"), _("Pair pinned for matching")
    )
    actions.register_action(
        "tyonohjaus_plugin.matching.forbidden", _("Forbid a pair"), _("Pair forbidden in matching")
    )
    actions.register_action(
        "tyonohjaus_plugin.matching.override_removed",
        _("Remove a pin or forbid"),
        _("Pin or forbid removed"),
    )
    actions.register_action(
        "tyonohjaus_plugin.matching.confirmed", _("Confirm matches"), _("Matches confirmed")
    )
    actions.register_action(
        "tyonohjaus_plugin.matching.confirmed_off_round",
        _("Confirm an off-round supervisor"),
        _("Off-round supervisor confirmed"),
    )
    actions.register_action(
        "tyonohjaus_plugin.meeting.moved", _("Move a meeting"), _("Meeting moved")
    )
    actions.register_action(
        "tyonohjaus_plugin.meeting.cancelled", _("Cancel a meeting"), _("Meeting cancelled")
    )
    actions.register_action(
        "tyonohjaus_plugin.meeting.held", _("Mark a meeting held"), _("Meeting marked held")
    )
    actions.register_action(
        "tyonohjaus_plugin.engagement.cancelled",
        _("Cancel an engagement"),
        _("Engagement cancelled"),
    )
    actions.register_action(
        "tyonohjaus_plugin.engagement.evaluated",
        _("Answer the end evaluation"),
        _("End evaluation answered"),
    )
    actions.register_action(
        "tyonohjaus_plugin.delivery.resent", _("Send a message again"), _("Message queued again")
    )
    actions.register_action(
        "tyonohjaus_plugin.application.exported",
        _("Export applications"),
        _("Applications exported"),
    )


@hooks.register("construct_homepage_panels")
def applications_dashboard_panel(request, panels):
    add_applications_panel(request, panels)


@hooks.register("construct_homepage_panels")
def meetings_dashboard_panel(request, panels):
    add_meetings_panel(request, panels)
