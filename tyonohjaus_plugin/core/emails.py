"""E-mails in the recipient's language: ``emails/<name>_subject.txt``, ``.txt`` and ``.html``."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's admin base URL (the intranet's address) + ``path``."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def single_line(value: str) -> str:
    """Header values never carry a line break (header injection); collapse whitespace."""
    return " ".join(str(value).split())


def recipient_language(user) -> str:
    profile = getattr(user, "tyonohjaus_profile", None)
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(profile, "preferred_language", "") or ""
    return language if language in codes else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Recipient:
    """Whom a message goes to: a user, or an external supervisor (who has no user)."""

    name: str
    email: str
    language: str
    user: object = field(default=None, compare=False)

    @classmethod
    def for_user(cls, user) -> Recipient:
        name = user.get_full_name() or user.get_username()
        return cls(name=name, email=user.email, language=recipient_language(user), user=user)

    @classmethod
    def for_supervisor(cls, supervisor) -> Recipient:
        if supervisor.user_id:
            return cls.for_user(supervisor.user)
        codes = [code for code, _name in settings.LANGUAGES]
        spoken = [code for code in supervisor.languages if code in codes]
        language = spoken[0] if spoken else settings.LANGUAGE_CODE
        return cls(name=supervisor.name, email=supervisor.email, language=language)

    @property
    def address(self) -> str:
        # headerregistry keeps a non-ASCII (IDN) domain, which Django sends as punycode;
        # formataddr would refuse it.
        return str(Address(display_name=single_line(self.name), addr_spec=self.email))


def send_templated_email(name: str, user, context: dict, *, attachments=(), headers=None) -> None:
    """Render the templates in the recipient's language and send one message to them.

    ``user`` is a user or a ``Recipient``; ``attachments`` are (filename, content, mimetype).
    """
    recipient = user if isinstance(user, Recipient) else Recipient.for_user(user)
    language = recipient.language
    with translation.override(language):
        context = {
            **context,
            "recipient": recipient.user or recipient,
            "recipient_name": recipient.name,
            "language": language,
        }
        subject = single_line(
            render_to_string(f"tyonohjaus_plugin/emails/{name}_subject.txt", context)
        )
        text = render_to_string(f"tyonohjaus_plugin/emails/{name}.txt", context)
        html = render_to_string(f"tyonohjaus_plugin/emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[recipient.address], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
