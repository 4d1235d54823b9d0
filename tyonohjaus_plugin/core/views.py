"""Helpers shared by the plugin's views: the one refusal path, page privacy, personal pages,
menu items, and the audit entry of every page that shows an application (``AuditedReadMixin``).

A refused action (``core.refusals.ActionRefused``) or a ``PermissionDenied`` becomes a response
in one place: ``admin_view`` (function views in the admin), ``RefusalMixin`` (class-based admin
views) and ``public_view`` (the employee's pages, in the site's own layout).
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_cookie
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.refusals import ActionRefused
from tyonohjaus_plugin.log_actions import APPLICATION_VIEWED


def permission_denied(request):
    """An HTTP 403 page inside the Wagtail admin layout."""
    return TemplateResponse(request, "tyonohjaus_plugin/admin/permission_denied.html", status=403)


def refused(request, message, back_url, status=409):
    """The admin's page for a change that conflicts with the current state (409) or cannot use
    what was sent (400)."""
    context = {"message": message, "back_url": back_url}
    return TemplateResponse(request, "tyonohjaus_plugin/admin/refused.html", context, status=status)


@contextmanager
def back_to(url: str):
    """Where the refusal page links back to, for actions run inside the block."""
    try:
        yield
    except ActionRefused as refusal:
        refusal.back_url = url
        raise


def _back_url(request, refusal) -> str:
    url = getattr(refusal, "back_url", "")
    if url:
        return url
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if safe else ""


def admin_refusal_response(request, refusal: Exception):
    if isinstance(refusal, ActionRefused) and refusal.status == 404:
        raise Http404
    if isinstance(refusal, PermissionDenied):  # NotPermitted included
        return permission_denied(request)
    return refused(request, refusal.message, _back_url(request, refusal), status=refusal.status)


def admin_view(view):
    """A function view in the admin: refusals and missing permissions answered in its layout."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (ActionRefused, PermissionDenied) as refusal:
            return admin_refusal_response(request, refusal)

    return wrapper


class ProtectedDeleteMixin:
    """Wagtail's delete view refuses only what its reference index knows is in use; the
    plugin's own records (engagements, applications) are not indexed, so a supervisor, round or
    notice still in use reached ``on_delete=PROTECT`` as a ProtectedError (500). Now a 409 page,
    and nothing of the attempt (log entry included) is kept."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            message = _("This cannot be deleted while other records use it.")
            return refused(self.request, message, self.get_success_url(), status=409)


class ListingMessagesMixin:
    """The empty-listing sentences of Wagtail's index views, which Wagtail 8 has not yet
    translated into Finnish (nor the first into Swedish), in the plugin's own words."""

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return _("Nothing matches this search or these filters.")
        return _("Nothing to show yet.")


class AuditedReadMixin:
    """A view whose page shows an application: every page rendered writes one audit entry
    (RELIABILITY test 19), whoever reads it, so a read of confidential answers is never silent.

    ``audited_read(context)`` says which application the page shows and whether its confidential
    answers are on it, or ``None`` when the page shows nothing that is logged. The entry is
    written in ``render_to_response``: once for a GET and once for a form shown again with its
    errors, never for a redirect. It names the application ("Application #12"), the actor and the
    screen; no names and no text.
    """

    #: Which screen showed it, in the entry's data (a fixed code, never personal data).
    audit_screen = ""

    def audited_read(self, context):
        """``(application, confidential)`` shown by the page with ``context``, or ``None``."""
        return None

    def render_to_response(self, context, **response_kwargs):
        read = self.audited_read(context)
        if read is not None:
            application, confidential = read
            log(
                instance=application,
                action=APPLICATION_VIEWED,
                user=self.request.user,
                data={"confidential": bool(confidential), "screen": self.audit_screen},
            )
        return super().render_to_response(context, **response_kwargs)


class RefusalMixin:
    """The same for Wagtail's class-based admin views."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except (ActionRefused, PermissionDenied) as refusal:
            return admin_refusal_response(request, refusal)


def message_response(request, page, title, message, status):
    context = {
        "title": title,
        "message": message,
        "page_url": page.get_url(None) if page else "",
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/message.html", context, status=status)


def public_view(view):
    """An employee's view: a refused action is a message page in the site's layout, with the
    refusal's own title, message and status."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ActionRefused as refusal:
            if refusal.status == 404:
                raise Http404 from None
            page = getattr(refusal, "page", None)
            return message_response(request, page, refusal.title, refusal.message, refusal.status)

    return wrapper


def mark_personal(response):
    """A response with someone's own data: no cache keeps it (``private, no-store`` and the rest
    of ``never_cache``), and one that ignores that still keeps it apart per session cookie."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response


def personal_view(view):
    """Every employee-facing view of the plugin's urls.py: it answers for one person (their
    applications, invitations, answers, even a refusal that names their round): Django's own
    decorators, the same headers as ``mark_personal``."""
    return never_cache(vary_on_cookie(view))


def page_is_viewable(page: Page, request) -> bool:
    """Whether the request passes the view restrictions of the page and its ancestors.

    Wagtail applies page privacy only when it serves the page itself; the plugin's own views that
    act on a page call this. The same pages as ``Page.get_view_restrictions()`` (the page and its
    ancestors, an alias by its source page), in one query instead of two: the feedback POST is
    on every page's hot path.
    """
    step = page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    checked = Page.objects.filter(path__in=paths).values(source=Coalesce("alias_of_id", "id"))
    restrictions = PageViewRestriction.objects.filter(page_id__in=checked)
    return all(restriction.accept_request(request) for restriction in restrictions)


def shown_if(may_use):
    """A menu item class shown only to users for whom ``may_use(user)`` holds."""

    class Item(MenuItem):
        def is_shown(self, request):
            return may_use(request.user)

    return Item
