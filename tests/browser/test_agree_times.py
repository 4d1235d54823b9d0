"""A participant chooses the first meeting time on their supervision page (in Finnish), and HR
sees the answers on the engagement's admin page; axe finds nothing on either (issue 18)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot
from tests.factories import (
    ApplicationFactory,
    ApplicationRoundFactory,
    SupervisorAvailabilityFactory,
    SupervisorFactory,
    UserFactory,
)
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import Application, EngagementState, SlotAnswer

pytestmark = pytest.mark.browser


@pytest.fixture
def engagement(locales, settings):
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "CONFLICT_DECLARATION": False}
    round = ApplicationRoundFactory(state="closed", programme_starts_on=datetime.date(2027, 3, 1))
    application = ApplicationFactory(round=round)
    supervisor = SupervisorFactory(name="Marja Kallio", organisation="Ohjausverkko")
    SupervisorAvailabilityFactory(supervisor=supervisor, location="Teams")
    SupervisorAvailabilityFactory(
        supervisor=supervisor,
        weekday=3,
        starts=datetime.time(13),
        ends=datetime.time(16),
        location="Neuvotteluhuone Kuusi",
    )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        (created,) = create_engagements(
            [(locked, supervisor.pk)], run=None, user=None, now=timezone.now()
        )
    return created


def participant_page(new_browser_page, live_server, user):
    client = Client()
    client.force_login(user)
    page = new_browser_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


#: The times form's button (the agreement's acknowledge button is on the same page).
CHOOSE = "form:has(input[name=suitable]) button[type=submit]"


def test_a_participant_chooses_the_first_time_in_finnish(
    new_browser_page, live_server, axe, engagement
):
    user = engagement.participants.get().user
    page = participant_page(new_browser_page, live_server, user)
    with translation.override("fi"):
        path = reverse("tyonohjaus_plugin:supervision_detail", args=[engagement.pk])
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    container = page.locator("[data-tyonohjaus-plugin]")
    expect(container).to_contain_text("Marja Kallio")
    expect(container.locator("input[name=suitable]")).to_have_count(3)
    axe.assert_accessible(page, "on the participant's supervision page")
    # Nothing ticked: the error is at the fieldset, and accessible too.
    container.locator(CHOOSE).click()
    expect(container.locator(".tyonohjaus-error")).to_be_visible()
    axe.assert_accessible(page, "with the error")
    container.locator("#id_suitable_2").check()
    container.locator(CHOOSE).click()
    # The only participant answered: the earliest (only) suitable time is the first meeting.
    expect(container.locator("section[aria-labelledby=schedule] ol li")).to_have_count(
        engagement.meeting_count
    )
    axe.assert_accessible(page, "with the planned series")
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.PLANNED
    assert SlotAnswer.objects.get().suitable == [2]
    first = engagement.meetings.order_by("number").first()
    assert first.starts_at == engagement.slot_proposals.get(number=2).starts_at


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_participant_page_and_the_admin_panel_in_each_language(
    new_browser_page, admin_page_for, live_server, axe, engagement, language
):
    """Accessible in fi, sv and en; screenshots for a person to look at in
    /tmp/tyonohjaus-screens/times-*.png."""
    from wagtail.users.models import UserProfile

    user = engagement.participants.get().user
    page = participant_page(new_browser_page, live_server, user)
    with translation.override(language):
        path = reverse("tyonohjaus_plugin:supervision_detail", args=[engagement.pk])
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("input[name=suitable]")).to_have_count(3)
    save_screenshot(page, f"times-participant-{language}.png")
    axe.assert_accessible(page, f"on the participant's page in {language}")
    hr = UserFactory(first_name="Heli", last_name="HR")
    hr.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_engagement", "change_engagement"]
        )
    )
    admin = admin_page_for(hr)
    profile = UserProfile.get_for_user(hr)
    profile.preferred_language = language
    profile.save()
    admin.goto(f"{live_server.url}/admin/tyonohjaus/engagements/{engagement.pk}/")
    expect(admin.locator("[data-tyonohjaus-plugin] select[name=decide-number]")).to_be_visible()
    save_screenshot(admin, f"times-admin-{language}.png")
    axe.assert_accessible(admin, f"on the engagement's first-time panel in {language}")
