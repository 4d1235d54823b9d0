"""The external supervisor's portal: the agreement (goals, acknowledgement, printable page) and
the answer after the first meeting (issue 18 item 4), through HTTP with the portal's link."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.factories import ApplicationFactory, ApplicationRoundFactory, SupervisorFactory
from tyonohjaus_plugin.actions.first_meeting import AnswerFirstMeetingAction
from tyonohjaus_plugin.core.tokens import make_supervisor_token
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import (
    Agreement,
    AgreementAcknowledgement,
    Application,
    Delivery,
    DeliveryKind,
    ExcludedPair,
    FirstMeetingAnswer,
    Meeting,
)
from tyonohjaus_plugin.outbox import delivery as outbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("direct_planning")]

SECRET = "Salainen kommentti osallistujalta"


def confirm(supervisor, goals="Omat tavoitteet"):
    """A confirmed match: meetings planned at once (direct_planning) and the agreement made."""
    application = ApplicationFactory(round=ApplicationRoundFactory(state="closed"), goals=goals)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        (engagement,) = create_engagements(
            [(locked, supervisor.pk)], run=None, user=None, now=timezone.now()
        )
    return engagement


@pytest.fixture
def external():
    return SupervisorFactory(name="Eeva Ulkoinen", email="eeva@example.org", languages=["fi"])


@pytest.fixture
def engagement(external):
    return confirm(external)


@pytest.fixture
def portal(client, external):
    token = make_supervisor_token(external)
    assert client.get(f"/fi/hr/supervisor/enter/{token}/").status_code == 303
    return client


def url(engagement, part="", language="fi"):
    return f"/{language}/hr/supervisor/engagements/{engagement.pk}/{part}"


def hold_first_meeting(portal, engagement):
    first = engagement.meetings.get(number=1)
    past = timezone.now() - datetime.timedelta(hours=2)
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=1)
    )
    assert portal.post(f"/fi/hr/supervisor/meetings/{first.pk}/held/").status_code == 303


def test_the_supervisor_edits_the_goals_and_acknowledges_the_new_version(portal, engagement):
    page = portal.get(url(engagement, language="en"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Omat tavoitteet" in html  # their own engagement: the goals are shown
    assert url(engagement, "agreement/goals/", "en") in html
    assert "Acknowledgements of version 1" in html
    saved = portal.post(
        url(engagement, "agreement/goals/"), {"goals": "Yhdessä sovittu", "version": 1}
    )
    assert saved.status_code == 303
    agreement = Agreement.objects.get(engagement=engagement)
    assert (agreement.version, agreement.goals) == (2, "Yhdessä sovittu")
    acknowledged = portal.post(url(engagement, "agreement/acknowledge/"), {"version": 2})
    assert acknowledged.status_code == 303
    ack = AgreementAcknowledgement.objects.get(agreement=agreement)
    assert (ack.version, ack.by_supervisor, ack.user, ack.participant) == (2, True, None, None)
    html = portal.get(url(engagement, language="en")).content.decode()
    assert "You acknowledged version 2" in html
    assert url(engagement, "agreement/acknowledge/", "en") not in html
    printable = portal.get(url(engagement, "agreement/print/", "sv"))
    assert printable.status_code == 200
    assert "Yhdessä sovittu" in printable.content.decode()
    assert 'lang="sv"' in printable.content.decode()


def test_a_stale_version_is_a_409_keeping_what_was_typed(portal, engagement):
    portal.post(url(engagement, "agreement/goals/"), {"goals": "Ensimmäinen", "version": 1})
    stale = portal.post(
        url(engagement, "agreement/goals/", "en"), {"goals": "Minun versioni", "version": 1}
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "changed after you opened it" in html
    assert "Minun versioni" in html  # kept in the form
    assert 'name="version" value="2"' in html  # saving again is against the version now shown
    agreement = Agreement.objects.get(engagement=engagement)
    assert (agreement.version, agreement.goals) == (2, "Ensimmäinen")
    old_ack = portal.post(url(engagement, "agreement/acknowledge/", "en"), {"version": 1})
    assert old_ack.status_code == 409
    assert "Read it again" in old_ack.content.decode()
    assert not AgreementAcknowledgement.objects.exists()


def test_too_long_goals_are_an_error_at_the_field(portal, engagement):
    text = "x" * 4001
    response = portal.post(url(engagement, "agreement/goals/", "en"), {"goals": text, "version": 1})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_portal_goals-error"' in html and 'aria-invalid="true"' in html
    assert text in html
    assert Agreement.objects.get(engagement=engagement).version == 1


def test_another_supervisors_engagement_is_a_404(portal, engagement):
    foreign = confirm(SupervisorFactory())
    hold_first_meeting(portal, engagement)
    for part in ("agreement/goals/", "agreement/acknowledge/", "first-meeting/"):
        response = portal.post(url(foreign, part), {"goals": "x", "version": 1, "go_on": "no"})
        assert response.status_code == 404, part
    assert portal.get(url(foreign, "agreement/print/")).status_code == 404
    agreement = Agreement.objects.get(engagement=foreign)
    assert agreement.version == 1 and not agreement.acknowledgements.exists()
    foreign.refresh_from_db()
    assert foreign.state == "planned" and not FirstMeetingAnswer.objects.exists()


def test_not_a_good_fit_from_the_external_supervisor_ends_the_engagement(portal, engagement):
    assert "first-meeting/" not in portal.get(url(engagement)).content.decode()
    hold_first_meeting(portal, engagement)
    participant = engagement.participants.get()
    AnswerFirstMeetingAction(
        engagement, user=participant.user, participant=participant, go_on=True, comment=SECRET
    ).execute()
    page = portal.get(url(engagement, language="en"))
    html = page.content.decode()
    assert url(engagement, "first-meeting/", "en") in html
    assert "We continue" in html  # the participant's answer, not their comment
    assert SECRET not in html
    # No choice: the error at the field, the comment kept.
    invalid = portal.post(url(engagement, "first-meeting/", "en"), {"comment": "Oma huomio"})
    assert invalid.status_code == 400
    assert "Choose one of the options." in invalid.content.decode()
    assert "Oma huomio" in invalid.content.decode()
    answered = portal.post(
        url(engagement, "first-meeting/"), {"go_on": "no", "comment": "Kommenttini HR:lle"}
    )
    assert answered.status_code == 303
    engagement.refresh_from_db()
    engagement.application.refresh_from_db()
    assert (engagement.state, engagement.end_reason) == ("cancelled", "not_a_fit")
    assert engagement.application.status == "in_review"
    assert ExcludedPair.objects.filter(
        application=engagement.application, supervisor=engagement.supervisor, reason="not_a_fit"
    ).exists()
    answer = FirstMeetingAnswer.objects.get(by_supervisor=True)
    assert answer.go_on is False
    again = portal.post(url(engagement, "first-meeting/", "en"), {"go_on": "yes"})
    assert again.status_code == 409
    for page_url in (url(engagement), url(engagement, "agreement/print/")):
        html = portal.get(page_url).content.decode()
        assert SECRET not in html
        assert "Kommenttini HR:lle" not in html


def test_the_portals_posts_need_the_csrf_token(client, external, engagement):
    browser = Client(enforce_csrf_checks=True)
    token = make_supervisor_token(external)
    assert browser.get(f"/fi/hr/supervisor/enter/{token}/").status_code == 303
    first = engagement.meetings.get(number=1)
    past = timezone.now() - datetime.timedelta(hours=2)
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=1)
    )
    for part, data in (
        ("agreement/goals/", {"goals": "x", "version": 1}),
        ("agreement/acknowledge/", {"version": 1}),
        ("first-meeting/", {"go_on": "no"}),
    ):
        assert browser.post(url(engagement, part), data).status_code == 403, part
    agreement = Agreement.objects.get(engagement=engagement)
    assert agreement.version == 1 and not agreement.acknowledgements.exists()
    # The page's own forms carry the token.
    assert 'name="csrfmiddlewaretoken"' in browser.get(url(engagement)).content.decode()


def test_the_first_meeting_question_e_mails_the_portal_link_of_the_engagement(
    portal, external, engagement
):
    hold_first_meeting(portal, engagement)
    assert Delivery.objects.filter(
        kind=DeliveryKind.FIRST_MEETING_QUESTION, recipient=f"s{external.pk}"
    ).exists()
    mail.outbox.clear()
    outbox.process()
    (message,) = [
        m for m in mail.outbox if "eeva@example.org" in m.to[0] and "/supervisor/enter/" in m.body
    ]
    assert message.subject == "Ensitapaamisen jälkeen: jatkammeko?"  # in their language
    link = next(word for word in message.body.split() if "/supervisor/enter/" in word)
    visitor = Client()
    landing = visitor.get("/" + link.split("/", 3)[3])
    assert landing["Location"] == url(engagement)
    assert url(engagement, "first-meeting/") in visitor.get(landing["Location"]).content.decode()
