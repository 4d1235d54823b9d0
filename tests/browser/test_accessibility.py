"""axe-core on the service page in fi, sv and en (RELIABILITY.md §6, test 25).

Bar: 0 violations of any impact inside the plugin's container; 0 serious or critical violations
on the full page with the example site's theme. Writes one screenshot per language and the axe
results (with "incomplete" items for a person to review) to SCREENSHOT_DIR.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES, SCREENSHOT_DIR, save_screenshot

pytestmark = pytest.mark.browser

URL_COPIED = {"fi": "URL kopioitu", "sv": "URL kopierad", "en": "URL copied"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_page_has_no_axe_violations(
    browser_page, axe, live_server, live_service_pages, language
):
    browser_page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    url = live_service_pages[language].get_full_url()
    assert browser_page.goto(url).status == 200
    assert browser_page.locator("html").get_attribute("lang") == language
    button = browser_page.locator("[data-tyonohjaus-share] [data-tyonohjaus-share-button]")
    expect(button).to_be_visible()  # share.js has run: axe sees the page as visitors do
    save_screenshot(browser_page, f"service-page-{language}.png")
    results = axe.run(browser_page)
    (SCREENSHOT_DIR / f"axe-service-page-{language}.json").write_text(
        json.dumps(
            {key: results[key] for key in ("url", "testEngine", "violations", "incomplete")},
            indent=2,
            ensure_ascii=False,
        )
    )

    axe.assert_accessible(browser_page, f"on {url}")

    button.click()
    status = browser_page.locator("[data-tyonohjaus-share] [data-tyonohjaus-share-status]")
    expect(status).to_have_text(URL_COPIED[language])
    axe.assert_accessible(browser_page, f"on {url} after clicking the copy button")
