"""Receipts and co-applicant invitations: language, headers, signed links, answers."""

import time
from email.utils import parseaddr

import pytest
from django.core import mail, signing
from django.test import Client

from tests.factories import UserFactory
from tyonohjaus_plugin.core.emails import single_line
from tyonohjaus_plugin.core.tokens import SALT, make_invitation_token
from tyonohjaus_plugin.models import ApplicationParticipant, EmployeeProfile
from tyonohjaus_plugin.tasks import send_application_emails_task

pytestmark = pytest.mark.django_db

FORM = {
    "format": "group",
    "languages": ["fi", "sv"],
    "situation": "Uusi tiimi",
    "goals": "Yhteinen suunta",
    "supervisor_preference": "none",
    "consent": "on",
}


@pytest.fixture
def setup(open_round, service_pages, locales):
    page, round = service_pages["fi"], open_round
    applicant = UserFactory(first_name="Äijä", last_name="Öhman", email="aija@example.org")
    swede = UserFactory(first_name="Åsa", last_name="Ek", email="asa@example.org")
    EmployeeProfile.objects.create(user=swede, preferred_language="sv")
    finn = UserFactory(first_name="Pekka", last_name="Puu", email="pekka@example.org")
    return page, round, applicant, swede, finn


@pytest.fixture
def submit_group(django_capture_on_commit_callbacks):
    """Submit the group application as ``applicant``; commit hooks (the e-mail task) run."""

    def submit(page, applicant):
        client = Client()
        client.force_login(applicant)
        data = {**FORM, "co_applicants": "asa@example.org\npekka@example.org"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/fi/hr/apply/{page.pk}/", data)
        assert response.status_code == 303
        return client

    return submit


def test_receipt_and_invitations_in_each_recipients_language(setup, submit_group):
    page, round, applicant, swede, finn = setup
    submit_group(page, applicant)

    assert len(mail.outbox) == 3
    by_recipient = {message.to[0]: message for message in mail.outbox}
    receipt = next(m for m in mail.outbox if "aija@example.org" in m.to[0])
    assert receipt.subject == "Olemme vastaanottaneet hakemuksesi: Työnohjaus"
    assert "http://testserver/fi/hr/applications/" in receipt.body
    swedish = next(m for k, m in by_recipient.items() if "asa@example.org" in k)
    assert swedish.subject == "Äijä Öhman bjuder in dig till en gemensam ansökan: Arbetshandledning"
    assert "http://testserver/sv/hr/invitations/" in swedish.body
    finnish = next(m for k, m in by_recipient.items() if "pekka@example.org" in k)
    assert finnish.subject.startswith("Äijä Öhman kutsuu sinut yhteiseen hakemukseen")
    # Non-ASCII display names are encoded in the header; the message serialises cleanly.
    raw = swedish.message().as_bytes()
    assert b"=?utf-8?" in raw.split(b"\n\n", 1)[0].lower()
    assert all(m.alternatives and m.alternatives[0][1] == "text/html" for m in mail.outbox)


def test_the_task_sends_each_message_once(setup, submit_group):
    page, round, applicant, *_ = setup
    submit_group(page, applicant)
    application_id = ApplicationParticipant.objects.first().application_id
    assert send_application_emails_task(application_id) == 0
    assert send_application_emails_task(999999) == 0
    assert len(mail.outbox) == 3


def test_line_breaks_never_reach_a_header(setup, submit_group):
    assert single_line("Hei\r\nBcc: x@example.org") == "Hei Bcc: x@example.org"
    page, round, applicant, swede, finn = setup
    finn.first_name = "Pekka\r\nBcc: evil@example.org"
    finn.save()
    submit_group(page, applicant)
    message = next(m for m in mail.outbox if "pekka@example.org" in m.to[0])
    headers = message.message().as_bytes().split(b"\n\n", 1)[0].split(b"\n")
    assert not any(line.lower().startswith(b"bcc") for line in headers)  # no injected header
    assert [parseaddr(address)[1] for address in message.recipients()] == ["pekka@example.org"]


def invitation_url(participant):
    return f"/fi/hr/invitations/{make_invitation_token(participant)}/"


def test_co_applicant_confirms_with_the_link(setup, submit_group):
    page, round, applicant, swede, finn = setup
    submit_group(page, applicant)
    participant = ApplicationParticipant.objects.get(user=finn)
    client = Client()
    client.force_login(finn)
    page_html = client.get(invitation_url(participant)).content.decode()
    assert "Äijä Öhman" in page_html and 'value="confirm"' in page_html
    assert client.post(invitation_url(participant), {"decision": "confirm"}).status_code == 303
    participant.refresh_from_db()
    assert (participant.status, participant.holds_place) == ("confirmed", True)
    again = client.post(invitation_url(participant), {"decision": "decline"})
    assert again.status_code == 409


def test_declining_frees_the_place(setup, submit_group):
    page, round, applicant, swede, finn = setup
    submit_group(page, applicant)
    participant = ApplicationParticipant.objects.get(user=finn)
    client = Client()
    client.force_login(finn)
    client.post(invitation_url(participant), {"decision": "decline"})
    participant.refresh_from_db()
    assert (participant.status, participant.holds_place) == ("declined", False)
    data = {**FORM, "format": "individual"}
    assert client.post(f"/fi/hr/apply/{page.pk}/", data).status_code == 303


def test_wrong_user_tampered_and_expired_links_are_refused(setup, submit_group):
    page, round, applicant, swede, finn = setup
    submit_group(page, applicant)
    participant = ApplicationParticipant.objects.get(user=finn)
    stranger = Client()
    stranger.force_login(swede)  # invited too, but this is Pekka's link
    wrong = stranger.get(invitation_url(participant))
    # Says so (translated, 403) and tells nothing of the application or its people.
    assert wrong.status_code == 403
    body = wrong.content.decode()
    assert "Tämä kutsu on jollekulle toiselle" in body or "This invitation is for someone" in body
    for leaked in ("Äijä", "Öhman", "Pekka", "Kevät 2027", 'value="confirm"'):
        assert leaked not in body
    assert stranger.post(invitation_url(participant), {"decision": "confirm"}).status_code == 403

    owner = Client()
    owner.force_login(finn)
    token = make_invitation_token(participant)
    assert owner.get(f"/fi/hr/invitations/{token[:-2]}xx/").status_code == 400

    class OldSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 60 * 24 * 60 * 60)

    expired = OldSigner(salt=SALT).sign_object({"p": participant.pk}, compress=True)
    assert owner.get(f"/fi/hr/invitations/{expired}/").status_code == 400
    assert owner.post(f"/fi/hr/invitations/{expired}/", {"decision": "confirm"}).status_code == 400
    participant.refresh_from_db()
    assert participant.status == "invited"
    anonymous = Client().get(invitation_url(participant))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
