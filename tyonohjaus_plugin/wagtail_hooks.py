"""Registrations only; behaviour lives in the modules registered here."""

from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .permissions import APP_LABEL, REGISTERED_CODENAMES
from .viewsets import ProviderViewSet, TyonohjausViewSetGroup

register_snippet(ProviderViewSet)


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
