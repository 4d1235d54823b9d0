"""The share control in a real browser: copy to the clipboard, announcement, no-JavaScript use."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES

pytestmark = pytest.mark.browser

URL_COPIED = {"fi": "URL kopioitu", "sv": "URL kopierad", "en": "URL copied"}
COPY_LINK = {"fi": "Kopioi linkki", "sv": "Kopiera länken", "en": "Copy link"}
ADDRESS_LABEL = {"fi": "Tämän sivun osoite", "sv": "Sidans adress", "en": "Address of this page"}
SHARE = {"fi": "Jaa", "sv": "Dela", "en": "Share"}

BUTTON = "[data-tyonohjaus-share] [data-tyonohjaus-share-button]"
STATUS = "[data-tyonohjaus-share] [data-tyonohjaus-share-status]"


def open_service_page(page, service_page):
    url = service_page.get_full_url()
    response = page.goto(url)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    return url


@pytest.mark.parametrize("language", LANGUAGES)
def test_copy_button_copies_canonical_url_and_announces_it(
    browser_page, live_server, live_service_pages, language
):
    browser_page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    url = open_service_page(browser_page, live_service_pages[language])
    assert browser_page.locator('link[rel="canonical"]').get_attribute("href") == url
    # The page has other live regions (feedback): find the share control by its landmark.
    share = browser_page.get_by_role("region", name=SHARE[language], exact=True)
    address = share.get_by_role("textbox", name=ADDRESS_LABEL[language], exact=True)
    expect(address).to_have_value(url)
    button = share.get_by_role("button", name=COPY_LINK[language], exact=True)
    status = share.get_by_role("status")
    expect(button).to_be_visible()
    expect(status).to_have_text("")

    button.click()

    expect(status).to_have_text(URL_COPIED[language])
    expect(status).to_have_attribute("aria-live", "polite")
    assert browser_page.evaluate("() => navigator.clipboard.readText()") == url


def test_second_click_clears_and_refills_the_live_region(
    browser_page, live_server, live_service_pages
):
    """Screen readers announce a live region on change: the same text must be set anew."""
    browser_page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    url = open_service_page(browser_page, live_service_pages["en"])
    button = browser_page.locator(BUTTON)
    status = browser_page.locator(STATUS)
    button.click()
    expect(status).to_have_text("URL copied")
    browser_page.evaluate("() => navigator.clipboard.writeText('something else')")
    status.evaluate(
        """status => {
            window.statusTexts = [];
            new MutationObserver(() => window.statusTexts.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )

    button.click()

    browser_page.wait_for_function("() => window.statusTexts.includes('URL copied')")
    assert browser_page.evaluate("() => window.statusTexts") == ["", "URL copied"]
    expect(status).to_have_text("URL copied")
    assert browser_page.evaluate("() => navigator.clipboard.readText()") == url


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_the_address_is_selectable_and_the_button_hidden(
    new_browser_page, live_service_pages, language
):
    page = new_browser_page(java_script_enabled=False)
    url = open_service_page(page, live_service_pages[language])
    share = page.get_by_role("region", name=SHARE[language], exact=True)
    address = share.get_by_role("textbox", name=ADDRESS_LABEL[language], exact=True)

    expect(page.locator(BUTTON)).to_be_hidden()
    expect(address).to_be_visible()
    expect(address).to_have_value(url)
    expect(address).to_have_attribute("readonly", "")
    expect(address).not_to_be_editable()
    expect(page.locator(STATUS)).to_have_text("")

    # Select the text as a keyboard user would. Playwright's evaluate still works here: it runs
    # through the DevTools protocol, while only the page's own scripts are disabled.
    address.focus()
    page.keyboard.press("ControlOrMeta+A")
    expect(address).to_be_focused()
    selection = address.evaluate("el => [el.selectionStart, el.selectionEnd, el.value.length]")
    assert selection == [0, len(url), len(url)]
    # Proof that share.js did not run: it would have shown the button.
    assert page.evaluate("() => document.querySelector('[data-tyonohjaus-share-button]').hidden")
