"""Registrations only; behaviour lives in the modules registered here."""

from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from tyonohjaus_plugin.actions.edit_application_note import EditApplicationNoteAction
from tyonohjaus_plugin.actions.supervisor_actions import SUPERVISOR_ACTIONS
from tyonohjaus_plugin.applications.admin.bulk_actions import (
    ChangeStatusBulkAction,
    ExportBulkAction,
)
from tyonohjaus_plugin.applications.admin.dashboard import add_applications_panel
from tyonohjaus_plugin.applications.admin.policies import ApplicationPermissionPolicy
from tyonohjaus_plugin.applications.section import get_application_context
from tyonohjaus_plugin.engagements.panels import add_meetings_panel
from tyonohjaus_plugin.engagements.policies import EngagementPermissionPolicy, is_supervisor
from tyonohjaus_plugin.feedback.prompt import get_feedback_context
from tyonohjaus_plugin.log_actions import LOG_ACTIONS
from tyonohjaus_plugin.matching.panels import add_place_offers_panel
from tyonohjaus_plugin.models import Application, Delivery, Engagement, Supervisor
from tyonohjaus_plugin.outbox.policies import DeliveryPermissionPolicy
from tyonohjaus_plugin.pages.sections import HOOK_NAME as PAGE_SECTION_HOOK
from tyonohjaus_plugin.permissions import (
    APP_LABEL,
    REGISTERED_CODENAMES,
)
from tyonohjaus_plugin.privacy.panels import add_retention_panel
from tyonohjaus_plugin.supervisors.availability import MyAvailabilityViewSet
from tyonohjaus_plugin.viewsets import ProviderViewSet, TyonohjausViewSetGroup

register_snippet(ProviderViewSet)
register_permission_policy(Application, ApplicationPermissionPolicy(Application))
register_permission_policy(Engagement, EngagementPermissionPolicy(Engagement))
register_permission_policy(Delivery, DeliveryPermissionPolicy(Delivery))
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


@hooks.register("register_admin_viewset")
def register_my_availability():
    return MyAvailabilityViewSet(shown_to=is_supervisor)


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
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("construct_homepage_panels")
def applications_dashboard_panel(request, panels):
    add_applications_panel(request, panels)


@hooks.register("construct_homepage_panels")
def meetings_dashboard_panel(request, panels):
    add_meetings_panel(request, panels)


@hooks.register("construct_homepage_panels")
def place_offers_dashboard_panel(request, panels):
    add_place_offers_panel(request, panels)


@hooks.register("construct_homepage_panels")
def retention_dashboard_panel(request, panels):
    add_retention_panel(request, panels)


@hooks.register(PAGE_SECTION_HOOK)
def application_section():
    return "application", get_application_context


@hooks.register(PAGE_SECTION_HOOK)
def feedback_section():
    return "feedback", get_feedback_context
