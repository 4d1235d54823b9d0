"""The one family of refusals: an operation that cannot be done says why, in the reader's
language, and with the HTTP status a view answers with.

Actions raise them (``actions.base``); views turn them into a response in one place
(``core.views.admin_view``, ``core.views.public_view`` and ``RefusalMixin``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

_formatted = lazy(lambda template, params: str(template) % params, str)


class ActionRefused(Exception):
    """Cannot be done now. ``reason`` is a stable code (tests and views branch on it),
    ``message`` a translated sentence for the person, ``status`` the HTTP status (409 unless the
    subclass says otherwise)."""

    status = 409
    code = "refused"
    title = _("The change was not made")
    default_message = _("The change was not made.")
    #: reason code -> translated message, for refusals with several reasons.
    reason_messages: dict = {}

    def __init__(self, reason: str | None = None, message=None, **params):
        self.reason = reason = reason or self.code
        template = message or self.reason_messages.get(reason) or self.default_message
        # Lazy: shown in the language active when it is shown (the action may run in another).
        self.message = _formatted(template, params) if params else template
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class NotPermitted(ActionRefused, PermissionDenied):
    """The user may not do this (403). Also a ``PermissionDenied``, so Django answers 403 too."""

    status = 403
    title = _("No permission")
    default_message = _("You do not have permission to do this.")


class NotFound(ActionRefused):
    """The object is gone or not the user's to see (404: never tells which)."""

    status = 404
    default_message = _("Not found.")


class InvalidInput(ActionRefused):
    """What was sent cannot be used (400)."""

    status = 400
