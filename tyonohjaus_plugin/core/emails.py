"""E-mails in the recipient's language: ``emails/<name>_subject.txt``, ``.txt`` and ``.html``.

The subject and the text body are plain text: they render without HTML escaping (an apostrophe
stays an apostrophe); only the HTML part is escaped. Headers are single lines (``single_line``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import errors
from email.headerregistry import Address

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's admin base URL (the intranet's address) + ``path``."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def single_line(value: str) -> str:
    """Header values never carry a line break (header injection); collapse whitespace."""
    return " ".join(str(value).split())


class Undeliverable(Exception):
    """This address cannot be sent to: a permanent failure, reported to HR (never retried).

    ``code`` is short and names no person: the outbox stores it as the delivery's error.
    """

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def deliverable_address(email: str) -> str:
    """``email`` if this setup can send to it, else ``Undeliverable``.

    A non-ASCII local part ("pärttyli@…") needs SMTPUTF8 end to end. Django 5.2 cannot: its
    ``sanitize_address`` turns the local part into an RFC 2047 encoded-word (another, wrong
    address) and its SMTP backend never asks the server for SMTPUTF8. So such an address fails
    visibly in the outbox instead of reaching nobody; a non-ASCII domain is fine (punycode).
    """
    local, at, domain = (email or "").rpartition("@")
    if not at or not local or not domain or any(ch in email for ch in "\r\n"):
        raise Undeliverable("invalid_address")
    if not local.isascii():
        raise Undeliverable("non_ascii_local_part")
    return email


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML autoescaping (every ``.txt`` of the e-mails).

    The plugin's templates are Django templates: the engine's own ``Template`` is rendered
    with ``Context(autoescape=False)``, so no text template needs ``{% autoescape off %}``.
    """
    template = get_template(template_name)
    template = getattr(template, "template", template)  # the DjangoTemplates backend wrapper
    return template.render(Context(context, autoescape=False))


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
        addr_spec = deliverable_address(self.email)
        try:
            return str(Address(display_name=single_line(self.name), addr_spec=addr_spec))
        except (ValueError, errors.MessageError):
            raise Undeliverable("invalid_address") from None


def send_templated_email(
    name: str, user, context: dict, *, attachments=(), headers=None, connection=None
) -> None:
    """Render the templates in the recipient's language and send one message to them.

    ``user`` is a user or a ``Recipient``; ``attachments`` are (filename, content, mimetype);
    ``connection`` a mail backend already open (the outbox sends a batch over one), else the
    message opens and closes one of its own.
    """
    recipient = user if isinstance(user, Recipient) else Recipient.for_user(user)
    address = recipient.address  # Undeliverable before anything is rendered
    language = recipient.language
    with translation.override(language):
        context = {
            **context,
            "recipient": recipient.user or recipient,
            "recipient_name": recipient.name,
            "language": language,
        }
        subject = single_line(render_text(f"tyonohjaus_plugin/emails/{name}_subject.txt", context))
        text = render_text(f"tyonohjaus_plugin/emails/{name}.txt", context)
        html = render_to_string(f"tyonohjaus_plugin/emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[address], headers=headers or {}, connection=connection
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
