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


def test_group_application_with_colleagues_found_by_name(logged_in_page, axe, live_service_pages):
    UserFactory(first_name="Liisa", last_name="Heikkinen", email="liisa@example.org")
    UserFactory(first_name="Mikko", last_name="Lehtonen", email="mikko@example.org")
    logged_in_page.goto(live_service_pages["fi"].get_full_url())
    form = logged_in_page.locator("form.tyonohjaus-apply__form")
    form.get_by_label("Pienryhmä (2–4)").check()
    search = form.get_by_label("Etsi kollega nimellä tai sähköpostilla")
    for typed, email in (("Liis", "liisa@example.org"), ("Mikk", "mikko@example.org")):
        search.fill(typed)
        expect(form.locator(f"datalist option[value='{email}']")).to_have_count(1)
        search.fill(email)  # what choosing the suggestion does
    expect(form.locator("textarea[name=co_applicants]")).to_have_value(
        "liisa@example.org\nmikko@example.org"
    )
    expect(form.get_by_role("status")).to_have_text("Lisätty Mikko Lehtonen.")
    axe.assert_accessible(logged_in_page, "with the colleague search in use")

    form.get_by_label("Suomi").check()
    form.locator("textarea[name=situation]").fill("Tiimi muuttui")
    form.locator("textarea[name=goals]").fill("Yhteinen suunta")
    form.get_by_label("Olen lukenut tietosuojaselosteen ja hyväksyn sen.").check()
    form.get_by_role("button", name="Lähetä hakemus").click(no_wait_after=True)
    logged_in_page.wait_for_url("**/hr/applications/*/received/")
    expect(logged_in_page.get_by_role("heading", level=1)).to_have_text("Hakemus vastaanotettu")
    expect(logged_in_page.locator("body")).to_contain_text("Liisa Heikkinen")
    axe.assert_accessible(logged_in_page, "on the receipt page")
