"""The application form in a real browser: accessible when empty and with errors."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES
from tests.factories import ApplicationRoundFactory, PrivacyNoticeFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def logged_in_page(new_browser_page, live_server, live_service_pages, locales):
    user = UserFactory(email="emma@example.org")
    client = Client()
    client.force_login(user)
    page = new_browser_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for service in live_service_pages.values():
        service.applications_enabled = True
        service.save_revision().publish()
    for code in LANGUAGES:
        PrivacyNoticeFactory(locale=locales[code], title=f"Notice {code}")
    ApplicationRoundFactory(service_key=live_service_pages["fi"].translation_key, name="Kevät")
    return page


SEND = {"fi": "Lähetä hakemus", "sv": "Skicka ansökan", "en": "Send application"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_empty_and_with_errors_is_accessible(
    logged_in_page, axe, live_service_pages, language
):
    page = live_service_pages[language]
    logged_in_page.goto(page.get_full_url())
    form = logged_in_page.locator("form.tyonohjaus-apply__form")
    expect(form).to_be_visible()
    axe.assert_accessible(logged_in_page, "with the empty application form")

    form.locator("textarea[name=situation]").fill("Kept after the error")
    form.get_by_role("button", name=SEND[language]).click(no_wait_after=True)
    logged_in_page.wait_for_url("**/hr/apply/**")
    summary = logged_in_page.locator(".tyonohjaus-error-summary")
    expect(summary).to_be_visible()
    expect(logged_in_page.locator("textarea[name=situation]")).to_have_value("Kept after the error")
    goals = logged_in_page.locator("textarea[name=goals]")
    assert goals.get_attribute("aria-invalid") == "true"
    assert "tyonohjaus-application-goals_error" in goals.get_attribute("aria-describedby")
    axe.assert_accessible(logged_in_page, "with errors in the application form")
