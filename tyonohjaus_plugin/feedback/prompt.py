"""The feedback prompt on service pages: its texts and the "already answered" browser flag.

The flag is a signed cookie without an expiry date (it ends with the browser session), so one
browser counts once per page without the server storing anything about the visitor.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

COOKIE_NAME = "tyonohjaus_feedback"
COOKIE_SALT = "tyonohjaus_plugin.feedback"
MAX_REMEMBERED_PAGES = 50


def _answered_keys(request) -> list[str]:
    raw = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT)
    return [key for key in raw.split(",") if key]


def has_answered(request, page) -> bool:
    return page.translation_key.hex in _answered_keys(request)


def remember_answer(request, response, page) -> None:
    """Mark this page (in every language) answered for the rest of the browser session."""
    key = page.translation_key.hex
    keys = [k for k in _answered_keys(request) if k != key] + [key]
    response.set_signed_cookie(
        COOKIE_NAME,
        ",".join(keys[-MAX_REMEMBERED_PAGES:]),
        salt=COOKIE_SALT,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def feedback_texts(page) -> dict[str, str]:
    """The page's own texts, or the translated defaults where the editor left them empty."""
    return {
        "question": page.feedback_question or _("Did you find the information you needed?"),
        "contact_text": page.feedback_contact_text or _("If not, please contact us."),
        "thanks": page.feedback_thanks or _("Thank you for your feedback!"),
    }


def get_feedback_context(page, request, form=None) -> dict | None:
    """Template context of the prompt, or ``None`` when the page has it switched off."""
    if not page.feedback_enabled or request is None or not page.pk:
        return None
    from tyonohjaus_plugin.feedback.forms import FeedbackForm

    return {
        **feedback_texts(page),
        "form": form or FeedbackForm(),
        "answered": form is None and has_answered(request, page),
        "action_url": reverse("tyonohjaus_plugin:submit_feedback", args=[page.pk]),
    }
