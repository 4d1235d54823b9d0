"""A supervisor moves a meeting and a participant answers the evaluation, in a real browser."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests.factories import ApplicationFactory, ApplicationRoundFactory, UserFactory
from tyonohjaus_plugin.core.tokens import make_evaluation_token
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import Application, EvaluationAnswer, Meeting, Supervisor

# These start from a planned series: the confirm plans it at once (no agreed first time).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("direct_planning")]


@pytest.fixture
def engagement(locales):
    round = ApplicationRoundFactory(state="closed")
    application = ApplicationFactory(round=round)
    supervisor_user = UserFactory(username="ohjaaja", first_name="Tuula", last_name="Ohjaaja")
    supervisor_user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    supervisor = Supervisor.objects.create(kind="internal", user=supervisor_user, languages=["fi"])
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        (created,) = create_engagements(
            [(locked, supervisor.pk)], run=None, user=None, now=timezone.now()
        )
    return created


def test_the_supervisor_moves_a_meeting(admin_page_for, live_server, axe, engagement):
    page = admin_page_for(engagement.supervisor.user)
    page.goto(f"{live_server.url}/admin/tyonohjaus/engagements/{engagement.pk}/")
    expect(page.locator("[data-tyonohjaus-plugin] table.listing tbody tr")).to_have_count(4)
    axe.assert_accessible(page, "on the engagement detail")
    meeting = engagement.meetings.get(number=2)
    target = meeting.starts_at.date() + datetime.timedelta(days=1)
    while target.weekday() >= 5:
        target += datetime.timedelta(days=1)
    row = page.locator("[data-tyonohjaus-plugin] table.listing tbody tr").nth(1)
    row.get_by_label("New date").fill(target.isoformat())
    row.get_by_label("Start time").fill("10:15")
    row.get_by_role("button", name="Move meeting 2").click()
    expect(page.locator(".messages")).to_contain_text("Meeting moved")
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "10:15"
    assert meeting.sequence == 1


def test_a_participant_answers_the_evaluation(new_browser_page, live_server, axe, engagement):
    participant = engagement.participants.get()
    Meeting.objects.filter(engagement=engagement).update(state="held")
    client = Client()
    client.force_login(participant.user)
    page = new_browser_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    with translation.override("en"):
        path = reverse("tyonohjaus_plugin:evaluation", args=[make_evaluation_token(participant)])
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("[data-tyonohjaus-plugin]")).to_contain_text("Choose one of the options")
    axe.assert_accessible(page, "on the evaluation form with an error")
    page.get_by_label("4 – mostly").check()
    page.get_by_label("Anything else? (optional)").fill("Selkeämpi arki.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("[role=status]")).to_contain_text("Thank you")
    axe.assert_accessible(page, "after the evaluation")
    assert list(EvaluationAnswer.objects.values_list("goals_reached", "comment")) == [
        (4, "Selkeämpi arki.")
    ]
