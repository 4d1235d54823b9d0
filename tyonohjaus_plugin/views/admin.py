"""Helpers shared by the plugin's admin views."""

from django.template.response import TemplateResponse


def permission_denied(request):
    """An HTTP 403 page inside the Wagtail admin layout."""
    return TemplateResponse(request, "tyonohjaus_plugin/admin/permission_denied.html", status=403)


def refused(request, message, back_url):
    """An HTTP 409 page in the admin layout: the change conflicts with the current state."""
    context = {"message": message, "back_url": back_url}
    return TemplateResponse(request, "tyonohjaus_plugin/admin/refused.html", context, status=409)
