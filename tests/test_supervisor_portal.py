"""The external supervisor's portal (issue 18 item 4), through HTTP: the signed personal link
(tampered, expired, revoked, rate-limited), "send me a new link" without telling who is a
supervisor, only their own engagements, the declaration, and meetings held or moved by the
admin's rules."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from tests.factories import ApplicationFactory, ApplicationRoundFactory, SupervisorFactory
from tests.test_engagement_admin import make_engagements, user_with
from tyonohjaus_plugin.core.tokens import SUPERVISOR_SALT, make_supervisor_token
from tyonohjaus_plugin.models import (
    Delivery,
    Engagement,
    EngagementParticipant,
    ExcludedPair,
    Meeting,
)
from tyonohjaus_plugin.outbox import delivery as outbox
from tyonohjaus_plugin.supervisors import portal

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
PORTAL = "/fi/hr/supervisor/"
REQUEST_LINK = "/fi/hr/supervisor/link/"


def enter(client, supervisor, engagement=None):
    token = make_supervisor_token(supervisor)
    url = f"/fi/hr/supervisor/enter/{token}/" + (f"{engagement.pk}/" if engagement else "")
    return client.get(url)


@pytest.fixture
def external():
    return SupervisorFactory(name="Eeva Ulkoinen", email="eeva@example.org")


@pytest.fixture
def signed_in(client, external):
    assert enter(client, external).status_code == 303
    return client


def pending_engagement(supervisor, situation="Oma tilanne"):
    application = ApplicationFactory(
        round=ApplicationRoundFactory(state="closed"), status="matched", situation=situation
    )
    engagement = Engagement.objects.create(
        application=application,
        supervisor=supervisor,
        round=application.round,
        state="pending",
        confirmed_at=timezone.now(),
    )
    EngagementParticipant.objects.create(engagement=engagement, user=application.applicant)
    return engagement


def test_the_link_is_kept_in_the_session_and_leaves_the_address_bar(client, external):
    (engagement,) = make_engagements(external, 1)
    token = make_supervisor_token(external)
    response = client.get(f"/fi/hr/supervisor/enter/{token}/{engagement.pk}/")
    assert response.status_code == 303
    assert response["Location"] == f"/fi/hr/supervisor/engagements/{engagement.pk}/"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert token not in page.content.decode()
    # Without the session (another browser) the pages do not open.
    stranger = Client().get(PORTAL)
    assert stranger.status_code == 400
    assert REQUEST_LINK in stranger.content.decode()


def test_the_list_shows_only_own_engagements_active_first(signed_in, external):
    ended, active = make_engagements(external, 2)
    Engagement.objects.filter(pk=ended.pk).update(state="completed")
    (foreign,) = make_engagements(SupervisorFactory(), 1)
    response = signed_in.get(PORTAL)
    assert response.status_code == 200
    listed = [row["engagement"].pk for row in response.context["rows"]]
    assert listed == [active.pk, ended.pk]
    assert foreign.application.applicant.get_full_name() not in response.content.decode()


def test_a_tampered_or_expired_link_is_a_400_offering_a_new_one(client, external):
    token = make_supervisor_token(external)
    tampered = client.get(f"/fi/hr/supervisor/enter/{token[:-2]}xx/")
    assert tampered.status_code == 400
    assert REQUEST_LINK in tampered.content.decode()

    class OldSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 31 * 24 * 60 * 60)

    expired = OldSigner(salt=SUPERVISOR_SALT).sign_object(
        {"s": external.pk, "g": external.link_generation}, compress=True
    )
    response = client.get(f"/fi/hr/supervisor/enter/{expired}/")
    assert response.status_code == 400
    assert client.get(PORTAL).status_code == 400  # nothing was kept


def test_hr_revokes_every_link_even_one_open_in_a_browser(client, signed_in, external):
    old_token = make_supervisor_token(external)
    hr = user_with("access_admin", "view_supervisor", "change_supervisor")
    admin = Client()
    admin.force_login(hr)
    url = reverse("tyonohjaus_supervisors:revoke_links", args=[external.pk])
    assert admin.get(url).status_code == 200  # the confirmation
    assert admin.post(url).status_code == 302
    external.refresh_from_db()
    assert external.link_generation == 1
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.supervisor.links_revoked")
    assert entry.data == {"generation": 1} and entry.label == f"Supervisor #{external.pk}"

    revoked = signed_in.get(PORTAL)
    assert revoked.status_code == 403
    assert REQUEST_LINK in revoked.content.decode()
    assert Client().get(f"/fi/hr/supervisor/enter/{old_token}/").status_code == 403
    # A link made now works.
    fresh = Client()
    assert enter(fresh, external).status_code == 303
    assert fresh.get(PORTAL).status_code == 200
    # A deactivated supervisor's link stops too.
    external.active = False
    external.save()
    assert fresh.get(PORTAL).status_code == 403


def test_hr_sends_the_link_and_it_opens_the_portal(client, external):
    hr = user_with("access_admin", "view_supervisor", "change_supervisor")
    client.force_login(hr)
    edit = client.get(reverse("tyonohjaus_supervisors:edit", args=[external.pk]))
    send_url = reverse("tyonohjaus_supervisors:send_link", args=[external.pk])
    assert send_url in edit.content.decode()
    assert client.post(send_url).status_code == 302
    assert client.post(send_url).status_code == 302  # twice in the hour: one message
    assert Delivery.objects.filter(kind="supervisor_link", target_id=external.pk).count() == 1
    entries = ModelLogEntry.objects.filter(action="tyonohjaus_plugin.supervisor.link_sent")
    assert [e.data for e in entries.order_by("pk")] == [{"queued": 1}, {"queued": 0}]
    mail.outbox.clear()
    outbox.process()
    (message,) = mail.outbox
    assert message.to == ["Eeva Ulkoinen <eeva@example.org>"]
    link = next(word for word in message.body.split() if "/supervisor/enter/" in word)
    visitor = Client()
    landing = visitor.get("/" + link.split("/", 3)[3])
    assert landing.status_code == 303
    assert visitor.get(PORTAL).status_code == 200
    # An internal supervisor gets no link: they use the admin.
    internal = SupervisorFactory(internal=True)
    assert (
        client.post(reverse("tyonohjaus_supervisors:send_link", args=[internal.pk])).status_code
        == 409
    )


def test_requests_are_rate_limited_per_link_with_a_translated_page(client, external, monkeypatch):
    monkeypatch.setattr(portal, "LINK_RATE_LIMITS", ((2, 60),))
    token = make_supervisor_token(external)
    assert client.get(f"/fi/hr/supervisor/enter/{token}/").status_code == 303
    assert client.get(PORTAL).status_code == 200
    # The same link from another browser counts against the link's limit too.
    limited = Client(HTTP_ACCEPT_LANGUAGE="sv").get(f"/sv/hr/supervisor/enter/{token}/")
    assert limited.status_code == 429
    with translation.override("sv"):
        assert translation.gettext("Please wait a moment") in limited.content.decode()
    assert "Vänta" in limited.content.decode()
    assert client.get(PORTAL).status_code == 429


def test_a_new_link_is_asked_for_without_learning_who_is_a_supervisor(client, external):
    known = client.post(REQUEST_LINK, {"email": "EEVA@example.org"})
    unknown = Client().post(REQUEST_LINK, {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.status_code == 303
    assert Client().get(known["Location"]).content == client.get(known["Location"]).content
    links = Delivery.objects.filter(kind="supervisor_link")
    assert list(links.values_list("target_id", flat=True)) == [external.pk]
    client.post(REQUEST_LINK, {"email": "eeva@example.org"})  # again within the hour
    assert links.count() == 1
    # An internal supervisor's or an inactive one's address gets nothing either.
    SupervisorFactory(name="Passiivinen", email="passive@example.org", active=False)
    Client().post(REQUEST_LINK, {"email": "passive@example.org"})
    assert links.count() == 1
    # A bad address: the error at the field, what was typed kept.
    bad = Client(HTTP_ACCEPT_LANGUAGE="en").post(REQUEST_LINK, {"email": "eeva@"})
    assert bad.status_code == 400
    assert 'value="eeva@"' in bad.content.decode()
    assert 'aria-invalid="true"' in bad.content.decode()


def test_asking_for_links_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr(portal, "REQUEST_RATE_LIMITS", ((2, 600),))
    for _n in range(2):
        assert client.post(REQUEST_LINK, {"email": "x@example.org"}).status_code == 303
    assert client.post(REQUEST_LINK, {"email": "x@example.org"}).status_code == 429


def test_another_supervisors_engagement_is_a_404(signed_in, external):
    (foreign,) = make_engagements(SupervisorFactory(), 1)
    pending = pending_engagement(SupervisorFactory())
    meeting = foreign.meetings.first()
    assert signed_in.get(f"/fi/hr/supervisor/engagements/{foreign.pk}/").status_code == 404
    assert signed_in.get("/fi/hr/supervisor/engagements/abc/").status_code == 404
    declare = f"/fi/hr/supervisor/engagements/{pending.pk}/declare/"
    assert signed_in.post(declare, {"conflict": "yes"}).status_code == 404
    held = f"/fi/hr/supervisor/meetings/{meeting.pk}/cancel/"
    assert signed_in.post(held).status_code == 404
    meeting.refresh_from_db()
    pending.refresh_from_db()
    assert (meeting.state, pending.state) == ("planned", "pending")


def test_only_own_engagements_answers_are_shown(signed_in, external):
    (own,) = make_engagements(external, 1)
    own.application.situation = "Oman ohjattavan tilanne"
    own.application.save()
    (foreign,) = make_engagements(SupervisorFactory(), 1)
    foreign.application.situation = "Toisen ohjattavan salaisuus"
    foreign.application.save()
    page = signed_in.get(f"/fi/hr/supervisor/engagements/{own.pk}/").content.decode()
    assert "Oman ohjattavan tilanne" in page
    assert own.application.applicant.get_full_name() in page
    for url in (PORTAL, f"/fi/hr/supervisor/engagements/{own.pk}/"):
        assert "Toisen ohjattavan salaisuus" not in signed_in.get(url).content.decode()
    # The read of the answers is audit-logged like the admin's, with ids and codes only.
    entry = ModelLogEntry.objects.filter(action="tyonohjaus_plugin.application.viewed").last()
    assert entry.object_id == str(own.application.pk)
    assert entry.data == {"confidential": True, "screen": "portal", "supervisor": external.pk}


def test_the_external_supervisor_declares_no_relationship(signed_in, external):
    engagement = pending_engagement(external)
    page = signed_in.get(
        f"/fi/hr/supervisor/engagements/{engagement.pk}/", HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert 'name="conflict" value="no"' in page.content.decode()
    response = signed_in.post(
        f"/fi/hr/supervisor/engagements/{engagement.pk}/declare/", {"conflict": "no"}
    )
    assert response.status_code == 303
    engagement.refresh_from_db()
    assert engagement.declared_at is not None and engagement.state != "pending"
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.engagement.declared")
    assert entry.user is None
    assert entry.data == {"state": engagement.state, "supervisor": external.pk}
    again = signed_in.post(
        f"/fi/hr/supervisor/engagements/{engagement.pk}/declare/", {"conflict": "yes"}
    )
    assert again.status_code == 409


def test_the_external_supervisor_declares_a_conflict(signed_in, external):
    engagement = pending_engagement(external)
    response = signed_in.post(
        f"/fi/hr/supervisor/engagements/{engagement.pk}/declare/", {"conflict": "yes"}
    )
    assert response.status_code == 303 and response["Location"] == PORTAL
    engagement.refresh_from_db()
    engagement.application.refresh_from_db()
    assert (engagement.state, engagement.end_reason) == ("cancelled", "conflict")
    assert engagement.application.status == "in_review"
    assert ExcludedPair.objects.filter(
        application=engagement.application, supervisor=external, reason="conflict"
    ).exists()


def test_the_declaration_request_e_mails_an_external_supervisor_their_portal_link(client, external):
    from tyonohjaus_plugin.engagements.services import after_confirm

    engagement = pending_engagement(external)
    after_confirm([engagement], [], timezone.now())
    mail.outbox.clear()
    outbox.process()
    (message,) = mail.outbox
    link = next(word for word in message.body.split() if "/supervisor/enter/" in word)
    path = "/" + link.split("/", 3)[3]
    landing = client.get(path)
    assert landing["Location"] == f"/fi/hr/supervisor/engagements/{engagement.pk}/"


def test_portal_moves_follow_the_admins_rules(signed_in, external):
    first, second = make_engagements(external, 2, meetings=1)
    meeting = first.meetings.get()
    prefix = f"m{meeting.pk}"
    url = f"/fi/hr/supervisor/meetings/{meeting.pk}/move/"
    holiday = signed_in.post(
        url.replace("/fi/", "/en/"), {f"{prefix}-day": "2027-05-06", f"{prefix}-at": "10:00"}
    )  # Ascension Day
    assert holiday.status_code == 400
    page = holiday.content.decode()
    assert "public holiday" in page and 'value="2027-05-06"' in page
    # Onto the supervisor's other meeting: an overlap.
    other_start = datetime.datetime(2027, 3, 3, 10, tzinfo=HELSINKI)  # a Wednesday
    second.meetings.update(
        starts_at=other_start, ends_at=other_start + datetime.timedelta(minutes=90)
    )
    overlap = signed_in.post(
        url.replace("/fi/", "/en/"), {f"{prefix}-day": "2027-03-03", f"{prefix}-at": "10:30"}
    )
    assert overlap.status_code == 400
    assert "already has another meeting" in overlap.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    # A good time: moved, everyone gets the update, logged without a user.
    day = datetime.date(2027, 3, 2)  # a Tuesday
    moved = signed_in.post(url, {f"{prefix}-day": day.isoformat(), f"{prefix}-at": "10:00"})
    assert moved.status_code == 303
    meeting.refresh_from_db()
    assert (timezone.localtime(meeting.starts_at).date(), meeting.sequence) == (day, 1)
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.meeting.moved")
    assert entry.user is None


def test_the_external_supervisor_marks_a_meeting_held(signed_in, external):
    (engagement,) = make_engagements(external, 1, meetings=2)
    first = engagement.meetings.get(number=1)
    past = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=1)
    )
    page = signed_in.get(f"/fi/hr/supervisor/engagements/{engagement.pk}/").content.decode()
    assert f"/fi/hr/supervisor/meetings/{first.pk}/held/" in page
    response = signed_in.post(f"/fi/hr/supervisor/meetings/{first.pk}/held/")
    assert response.status_code == 303
    first.refresh_from_db()
    engagement.refresh_from_db()
    assert (first.state, engagement.state) == ("held", "in_progress")


def test_the_access_link_buttons_need_the_change_permission(client, external):
    send_url = reverse("tyonohjaus_supervisors:send_link", args=[external.pk])
    revoke_url = reverse("tyonohjaus_supervisors:revoke_links", args=[external.pk])
    viewer = user_with("access_admin", "view_supervisor")
    client.force_login(viewer)
    inspect = client.get(reverse("tyonohjaus_supervisors:inspect", args=[external.pk]))
    assert inspect.status_code == 200 and send_url not in inspect.content.decode()
    assert client.post(send_url).status_code == 403
    assert client.post(revoke_url).status_code == 403
    external.refresh_from_db()
    assert external.link_generation == 0
    assert not Delivery.objects.filter(kind="supervisor_link").exists()
    client.force_login(user_with("access_admin", "view_supervisor", "change_supervisor"))
    inspect = client.get(reverse("tyonohjaus_supervisors:inspect", args=[external.pk]))
    assert send_url in inspect.content.decode() and revoke_url in inspect.content.decode()


def test_names_and_answers_are_escaped_on_the_portal(signed_in, external):
    payload = '<script>alert("x")</script>'
    (engagement,) = make_engagements(external, 1)
    applicant = engagement.application.applicant
    applicant.first_name = payload
    applicant.save()
    engagement.application.situation = payload
    engagement.application.save()
    for url in (PORTAL, f"/fi/hr/supervisor/engagements/{engagement.pk}/"):
        page = signed_in.get(url).content.decode()
        assert payload not in page
        assert "&lt;script&gt;" in page
