"""The application's own e-mails through the outbox (issue 14: items 3, 6, 8 and 14).

Receipts, co-applicant invitations, a colleague's answer, HR's status changes and withdrawals
are ``Delivery`` rows added in the transaction of the change and sent by the outbox: an address
that cannot be delivered fails visibly (HR resends it after fixing the address), a crash between
claim and send is recovered by the sweep, plain text is never HTML-escaped, and the applicant's
answers never tell whether a named colleague has applied.
"""

from __future__ import annotations

import datetime
import re
import smtplib
from email.utils import parseaddr
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import tyonohjaus_plugin
from tests.factories import UserFactory
from tyonohjaus_plugin.actions.change_application_status import ChangeApplicationStatusAction
from tyonohjaus_plugin.core.emails import Recipient, send_templated_email
from tyonohjaus_plugin.core.tokens import make_invitation_token
from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    ApplicationRound,
    Delivery,
    DeliveryKind,
    DeliveryState,
    EmployeeProfile,
)
from tyonohjaus_plugin.outbox import delivery as outbox
from tyonohjaus_plugin.tasks import send_outbox_task, send_reminders_task

pytestmark = pytest.mark.django_db

FORM = {
    "format": "group",
    "languages": ["fi"],
    "situation": "Uusi tiimi",
    "goals": "Yhteinen suunta",
    "supervisor_preference": "none",
    "consent": "on",
}
NASTY = 'O\'Brien <x> & "co"'
ESCAPED = "O&#x27;Brien &lt;x&gt; &amp; &quot;co&quot;"


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def page(open_service_page):
    return open_service_page


@pytest.fixture
def run_commit_hooks(django_capture_on_commit_callbacks):
    """Requests whose commit hooks (queueing ``send_outbox_task``, run synchronously) run."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def apply(client, page, run_commit_hooks, *colleagues, **fields):
    data = {**FORM, **fields, "co_applicants": "\n".join(c.email for c in colleagues)}
    if not colleagues:
        data["format"] = "individual"
    return run_commit_hooks(client.post, f"/fi/hr/apply/{page.pk}/", data)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def to(address):
    return [m for m in mail.outbox if address in m.to[0]]


def invitation_url(participant):
    return f"/fi/hr/invitations/{make_invitation_token(participant)}/"


# --- item 3: every message through the outbox; undeliverable addresses are reported -------


def test_django_cannot_send_to_a_non_ascii_local_part():
    """Why such an address fails instead of going out: Django 5.2 rewrites the local part into
    an RFC 2047 encoded-word (another address) and never asks for SMTPUTF8. When Django learns
    SMTPUTF8 this fails, and ``core.emails.deliverable_address`` can let these through."""
    assert sanitize_address("pärttyli@example.org", "utf-8").startswith("=?utf-8?")


def test_a_non_ascii_local_part_fails_visibly_and_hr_resends_after_fixing_it(
    page, run_commit_hooks
):
    applicant = UserFactory(email="anna@example.org")
    bad = UserFactory(first_name="Pärttyli", email="pärttyli@example.org")
    good = UserFactory(email="pekka@example.org")
    response = apply(login(applicant), page, run_commit_hooks, bad, good)
    assert response.status_code == 303  # the application is taken; nothing crashes

    # The receipt and the good invitation went out; the bad one failed with its reason.
    assert len(to("anna@example.org")) == 1 and len(to("pekka@example.org")) == 1
    assert len(mail.outbox) == 2
    participant = ApplicationParticipant.objects.get(user=bad)
    failed = Delivery.objects.get(
        kind=DeliveryKind.CO_APPLICANT_INVITATION, target_id=participant.pk
    )
    assert (failed.state, failed.error, failed.attempts) == ("failed", "non_ascii_local_part", 1)
    assert participant.invitation_sent_at is None  # only set when actually sent
    assert ApplicationParticipant.objects.get(user=good).invitation_sent_at is not None
    assert Application.objects.get().receipt_sent_at is not None
    assert send_reminders_task() == 0  # a permanent failure is not retried by itself

    # HR sees it in the outbox, with the reason, and may send it again.
    hr = login(user_with("access_admin", "view_delivery", "change_delivery"))
    listing = hr.get(reverse("tyonohjaus_outbox:index") + "?state=failed").text
    assert "Undeliverable address" in listing or "Osoitteeseen ei voi" in listing
    assert reverse("tyonohjaus_outbox:resend", args=[failed.pk]) in listing
    assert "pärttyli" not in listing and "Pärttyli" not in listing  # ids only, no address

    bad.email = "parttyli@example.org"
    bad.save()
    resend = reverse("tyonohjaus_outbox:resend", args=[failed.pk])
    assert run_commit_hooks(hr.post, resend).status_code == 302
    assert send_reminders_task() == 1
    failed.refresh_from_db()
    assert failed.state == "sent"
    (message,) = to("parttyli@example.org")
    assert "/fi/hr/invitations/" in message.body
    participant.refresh_from_db()
    assert participant.invitation_sent_at is not None


class RefusingBackend(EmailBackend):
    """Like Django's SMTP backend when the server refuses the only recipient."""

    def send_messages(self, messages):
        recipients = {address: (550, b"5.1.1 no such user") for m in messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


def test_a_refused_recipient_fails_at_once_with_the_reason(page, run_commit_hooks, settings):
    settings.EMAIL_BACKEND = "tests.test_outbox_applications.RefusingBackend"
    applicant = UserFactory(email="anna@example.org")
    assert apply(login(applicant), page, run_commit_hooks).status_code == 303
    receipt = Delivery.objects.get(kind=DeliveryKind.RECEIPT)
    assert (receipt.state, receipt.error, receipt.attempts) == ("failed", "recipient_refused", 1)
    assert Application.objects.get().receipt_sent_at is None


def test_a_crash_between_claim_and_send_is_recovered_by_the_sweep(page, monkeypatch):
    applicant = UserFactory(email="anna@example.org")
    colleague = UserFactory(email="pekka@example.org")
    client = login(applicant)
    # The commit hooks do not run: as if the worker died before sending anything.
    response = client.post(f"/fi/hr/apply/{page.pk}/", {**FORM, "co_applicants": colleague.email})
    assert response.status_code == 303
    assert mail.outbox == []
    claimed = outbox.claim_next()  # claimed and committed, then the worker is killed
    assert claimed.state == DeliveryState.SENDING
    assert send_outbox_task() == 1  # the other message goes; the claimed one waits
    Delivery.objects.filter(pk=claimed.pk).update(
        claimed_at=claimed.claimed_at - outbox.stale_after() - datetime.timedelta(seconds=1)
    )
    assert send_reminders_task() == 1  # the sweep reopens it and sends it
    assert sorted(parseaddr(m.to[0])[1] for m in mail.outbox) == [
        "anna@example.org",
        "pekka@example.org",
    ]
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}
    assert send_reminders_task() == 0


def test_no_personal_data_in_the_queued_tasks(page, run_commit_hooks, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "tyonohjaus_plugin.jobs.async_task", lambda *args, **kwargs: queued.append((args, kwargs))
    )
    applicant = UserFactory(first_name="Anna", email="anna@example.org")
    colleague = UserFactory(email="pekka@example.org")
    apply(login(applicant), page, run_commit_hooks, colleague)
    assert queued
    for args, kwargs in queued:
        text = repr((args, kwargs))
        assert "anna" not in text.lower() and "pekka" not in text and "@" not in text
        assert all(isinstance(a, str) and a.startswith("tyonohjaus_plugin.") for a in args[:1])
        assert all(isinstance(a, int) for a in args[1:])


# --- item 8: plain text is not HTML-escaped ----------------------------------------------

EMAILS = Path(tyonohjaus_plugin.__file__).parent / "templates/tyonohjaus_plugin/emails"


class Anything:
    """Any attribute or call of it is itself, and it prints as ``NASTY``: every variable
    of every e-mail template (present and future) carries the text."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("_at"):  # a moment, for the ``date`` filter
            return datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter(())

    def __str__(self):
        return NASTY


@pytest.mark.parametrize(
    "name", sorted(p.name.removesuffix(".html") for p in EMAILS.glob("*.html"))
)
def test_every_email_keeps_plain_text_verbatim_and_escapes_only_html(name):
    text = (EMAILS / f"{name}.txt").read_text()
    subject = (EMAILS / f"{name}_subject.txt").read_text()
    context = {key: Anything() for key in re.findall(r"\b([a-z_]+)\b", text + subject)}
    context.update(waiting=3, days=5, confirmed=True)
    recipient = Recipient(name=NASTY, email="x@example.org", language="en")
    send_templated_email(name, recipient, context)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for part in (message.subject, message.body):
        assert "&#x27;" not in part and "&lt;" not in part and "&amp;" not in part
        assert "&quot;" not in part
    # Every subject naming a text (not only a date or a count) carries it verbatim.
    if re.search(r"[a-z_]+=(?![a-z_.]*_at\b)[a-z_]", subject.replace("count waiting=", "")):
        assert NASTY in message.subject
    assert NASTY in message.body
    assert NASTY not in html and ESCAPED in html


def test_a_header_still_never_carries_a_line_break(page, run_commit_hooks):
    applicant = UserFactory(first_name="Anna\r\nBcc: evil@example.org", email="anna@example.org")
    colleague = UserFactory(first_name="O'Brien <x>", last_name="&", email="ob@example.org")
    apply(login(applicant), page, run_commit_hooks, colleague)
    invitation = to("ob@example.org")[0]
    assert "\n" not in invitation.subject and "\r" not in invitation.subject
    head = invitation.message().as_bytes().split(b"\n\n", 1)[0]
    assert not any(line.lower().startswith(b"bcc") for line in head.split(b"\n"))
    receipt = to("anna@example.org")[0]
    assert "O&#x27;" not in receipt.body
    # The colleague's name reaches the applicant's e-mails verbatim when they answer.
    participant = ApplicationParticipant.objects.get(user=colleague)
    run_commit_hooks(login(colleague).post, invitation_url(participant), {"decision": "confirm"})
    (answer,) = [m for m in to("anna@example.org") if m is not receipt]
    assert "O'Brien <x> &" in answer.subject and "O'Brien <x> &" in answer.body


# --- item 14: withdraw confirms and says so; the applicant hears of every change ---------


def test_withdraw_asks_first_then_says_it_was_done_and_sends_an_email(page, run_commit_hooks):
    applicant = UserFactory(email="anna@example.org")
    client = login(applicant)
    apply(client, page, run_commit_hooks)
    application = Application.objects.get()
    url = reverse("tyonohjaus_plugin:withdraw_application", args=[application.pk])

    mine = client.get(reverse("tyonohjaus_plugin:my_applications")).text
    assert f'href="{url}"' in mine  # a link to the confirmation page, not a one-click POST
    confirm = client.get(url)
    assert confirm.status_code == 200
    form = confirm.text.split("tyonohjaus-withdraw", 1)[1]
    assert '<form method="post">' in form and "csrfmiddlewaretoken" in form
    application.refresh_from_db()
    assert application.status == "submitted"  # asking changes nothing

    response = run_commit_hooks(client.post, url)
    assert response.status_code == 303
    followed = client.get(response["Location"])
    assert "hakemuksesi on peruttu" in followed.text.lower() or "was withdrawn" in followed.text
    assert 'role="status"' in followed.text
    application.refresh_from_db()
    assert application.status == "withdrawn"
    withdrawn = [m for m in to("anna@example.org") if "/applications/" not in m.body]
    assert len(withdrawn) == 1
    assert client.get(url).status_code == 409  # nothing left to withdraw: said at once

    other = login(UserFactory())
    assert other.get(url).status_code == 404 and other.post(url).status_code == 404


def test_withdraw_after_the_close_is_refused_before_asking(page, run_commit_hooks):
    applicant = UserFactory(email="anna@example.org")
    client = login(applicant)
    apply(client, page, run_commit_hooks)
    application = Application.objects.get()
    ApplicationRound.objects.update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    url = reverse("tyonohjaus_plugin:withdraw_application", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 409 and "tyonohjaus-withdraw" not in response.text
    assert client.post(url).status_code == 409
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_applicant_hears_each_answer_of_a_colleague(page, run_commit_hooks):
    applicant = UserFactory(email="anna@example.org")
    EmployeeProfile.objects.create(user=applicant, preferred_language="sv")
    yes = UserFactory(first_name="Ville", last_name="Kyllä", email="ville@example.org")
    no = UserFactory(first_name="Eeva", last_name="Ei", email="eeva@example.org")
    apply(login(applicant), page, run_commit_hooks, yes, no)
    mail.outbox.clear()
    for user, decision in ((yes, "confirm"), (no, "decline")):
        participant = ApplicationParticipant.objects.get(user=user)
        response = run_commit_hooks(
            login(user).post, invitation_url(participant), {"decision": decision}
        )
        assert response.status_code == 303
    confirmed, declined = mail.outbox
    assert confirmed.to[0].endswith("<anna@example.org>") or confirmed.to == ["anna@example.org"]
    assert "Ville Kyllä" in confirmed.subject and "Eeva Ei" in declined.subject
    assert "/sv/hr/my-applications/" in confirmed.body  # in the applicant's language
    assert confirmed.subject != declined.subject


def test_hr_status_change_emails_the_applicant_once_per_change(page, run_commit_hooks):
    applicant = UserFactory(email="anna@example.org")
    apply(login(applicant), page, run_commit_hooks)
    mail.outbox.clear()
    hr = user_with("access_admin", "view_application", "change_application_status")
    application = Application.objects.get()
    run_commit_hooks(
        ChangeApplicationStatusAction(application, user=hr, status="in_review").execute
    )
    (message,) = mail.outbox
    assert "Käsittelyssä" in message.subject or "In review" in message.subject
    assert send_reminders_task() == 0  # sent once
    kinds = Delivery.objects.values_list("kind", "slot")
    assert sum(1 for kind, _slot in kinds if kind == DeliveryKind.APPLICATION_STATUS) == 1


def test_a_superseded_status_message_is_not_sent(page, run_commit_hooks):
    applicant = UserFactory(email="anna@example.org")
    apply(login(applicant), page, run_commit_hooks)
    mail.outbox.clear()
    hr = user_with("access_admin", "view_application", "change_application_status")
    application = Application.objects.get()
    # Two changes before any sending: only the latest is worth telling.
    ChangeApplicationStatusAction(application, user=hr, status="in_review").execute()
    ChangeApplicationStatusAction(application, user=hr, status="waitlisted").execute()
    assert send_outbox_task() == 1
    (message,) = mail.outbox
    assert "Jonossa" in message.subject or "Waitlisted" in message.subject


# --- item 6: the applicant's answers never tell whether a colleague has applied ----------


def _normalised(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r"\d+", "N", text)


def _applicant_view(page, run_commit_hooks, *, colleague_applied: bool) -> list:
    """What the applicant sees and receives, in a world rolled back afterwards (same names)."""
    with transaction.atomic():
        applicant = UserFactory(
            username="anna", first_name="Anna", last_name="A", email="anna@example.org"
        )
        colleague = UserFactory(
            username="ville", first_name="Ville", last_name="V", email="ville@example.org"
        )
        if colleague_applied:
            assert apply(login(colleague), page, run_commit_hooks).status_code == 303
        mail.outbox.clear()
        client = login(applicant)
        response = apply(client, page, run_commit_hooks, colleague)
        seen = [response.status_code, _normalised(response.get("Location", ""))]
        seen_path = response["Location"]
        for path in (seen_path, reverse("tyonohjaus_plugin:my_applications")):
            shown = client.get(path)
            seen += [shown.status_code, _normalised(shown.text)]
        participant = ApplicationParticipant.objects.get(
            user=colleague, application__applicant=applicant
        )
        colleague_client = login(colleague)
        if colleague_applied:
            # Told (the colleague only) that they are in another application; they choose.
            tried = run_commit_hooks(
                colleague_client.post, invitation_url(participant), {"decision": "confirm"}
            )
            assert tried.status_code == 409 and 'role="alert"' in tried.text
        # The colleague declines (here: to stay in their own application).
        answered = run_commit_hooks(
            colleague_client.post, invitation_url(participant), {"decision": "decline"}
        )
        assert answered.status_code == 303
        for path in (seen_path, reverse("tyonohjaus_plugin:my_applications")):
            shown = client.get(path)
            seen += [shown.status_code, _normalised(shown.text)]
        seen += [(m.to, m.subject, _normalised(m.body)) for m in mail.outbox if "anna@" in m.to[0]]
        transaction.set_rollback(True)
    return seen


def test_the_applicant_cannot_tell_whether_a_colleague_has_applied(page, run_commit_hooks):
    """Every response and e-mail the applicant gets is the same whether the named colleague had
    applied already (and then declined after being told) or simply declined."""
    not_applied = _applicant_view(page, run_commit_hooks, colleague_applied=False)
    applied = _applicant_view(page, run_commit_hooks, colleague_applied=True)
    assert applied[0] == 303 and "/applications/" in applied[1]
    assert len(applied) == 12  # apply, 2 pages, 2 pages after the answer, receipt + answer
    assert applied == not_applied
