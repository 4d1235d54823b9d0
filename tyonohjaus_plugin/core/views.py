"""Helpers shared by the plugin's views: refusal pages, the admin 403, page privacy, menu items."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from wagtail.admin.menu import MenuItem
from wagtail.models import Page, PageViewRestriction

from tyonohjaus_plugin.conf import plugin_settings


def permission_denied(request):
    """An HTTP 403 page inside the Wagtail admin layout."""
    return TemplateResponse(request, "tyonohjaus_plugin/admin/permission_denied.html", status=403)


def refused(request, message, back_url):
    """An HTTP 409 page in the admin layout: the change conflicts with the current state."""
    context = {"message": message, "back_url": back_url}
    return TemplateResponse(request, "tyonohjaus_plugin/admin/refused.html", context, status=409)


def page_is_viewable(page: Page, request) -> bool:
    """Whether the request passes the view restrictions of the page and its ancestors.

    Wagtail applies page privacy only when it serves the page itself; the plugin's own views that
    act on a page call this. One query: ancestor paths are derived from the page's own path.
    """
    step = page.steplen
    ancestor_paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    restrictions = PageViewRestriction.objects.filter(page__path__in=ancestor_paths)
    return all(restriction.accept_request(request) for restriction in restrictions)


def message_response(request, page, title, message, status):
    context = {
        "title": title,
        "message": message,
        "page_url": page.get_url(None) if page else "",
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/message.html", context, status=status)


class AdminForbiddenMixin:
    """For Wagtail's class-based admin views: a 403 page in the admin layout where Wagtail would
    redirect a user without the permission to the dashboard."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return permission_denied(request)


def guarded(view):
    """403 in the admin layout instead of Django's bare page for users without the permission."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return permission_denied(request)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def shown_if(may_use):
    """A menu item class shown only to users for whom ``may_use(user)`` holds."""

    class Item(MenuItem):
        def is_shown(self, request):
            return may_use(request.user)

    return Item
