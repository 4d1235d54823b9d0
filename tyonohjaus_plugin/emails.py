"""E-mails in the recipient's language: ``emails/<name>_subject.txt``, ``.txt`` and ``.html``."""

from __future__ import annotations

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def single_line(value: str) -> str:
    """Header values never carry a line break (header injection); collapse whitespace."""
    return " ".join(str(value).split())


def recipient_language(user) -> str:
    profile = getattr(user, "tyonohjaus_profile", None)
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(profile, "preferred_language", "") or ""
    return language if language in codes else settings.LANGUAGE_CODE


def address_of(user) -> str:
    name = single_line(user.get_full_name() or user.get_username())
    return formataddr((name, user.email))


def send_templated_email(name: str, user, context: dict) -> None:
    """Render the templates in the user's language and send one message to them."""
    language = recipient_language(user)
    with translation.override(language):
        context = {**context, "recipient": user, "language": language}
        subject = single_line(
            render_to_string(f"tyonohjaus_plugin/emails/{name}_subject.txt", context)
        )
        text = render_to_string(f"tyonohjaus_plugin/emails/{name}.txt", context)
        html = render_to_string(f"tyonohjaus_plugin/emails/{name}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[address_of(user)])
    message.attach_alternative(html, "text/html")
    message.send()
