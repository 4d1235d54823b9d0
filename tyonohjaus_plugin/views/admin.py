"""Helpers shared by the plugin's admin views."""

from django.template.response import TemplateResponse


def permission_denied(request):
    """An HTTP 403 page inside the Wagtail admin layout."""
    return TemplateResponse(request, "tyonohjaus_plugin/admin/permission_denied.html", status=403)
