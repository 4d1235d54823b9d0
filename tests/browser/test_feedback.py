"""The feedback prompt in a real browser: with JavaScript (in place) and without (plain POST)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGUAGES
from tyonohjaus_plugin.models import FeedbackResponse

pytestmark = pytest.mark.browser

TEXTS = {
    "fi": {"no": "Ei", "yes": "Kyllä", "send": "Lähetä", "thanks": "Kiitos palautteestasi!",
           "choose": "Valitse kyllä tai ei."},
    "sv": {"no": "Nej", "yes": "Ja", "send": "Skicka", "thanks": "Tack för din respons!",
           "choose": "Välj ja eller nej."},
    "en": {"no": "No", "yes": "Yes", "send": "Send", "thanks": "Thank you for your feedback!",
           "choose": "Choose yes or no."},
}  # fmt: skip


def submit_without_javascript(button):
    """Click a submit button of a plain form; the caller waits for the resulting URL.

    Playwright's wait for the navigation a click starts never returned here with JavaScript
    off and the threaded live server, so the click does not wait and the test waits for the URL.
    """
    button.click(no_wait_after=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_with_javascript_no_and_comment_thanks_in_place(
    browser_page, axe, live_service_pages, language
):
    text = TEXTS[language]
    page = live_service_pages[language]
    browser_page.goto(page.get_full_url())
    prompt = browser_page.locator("[data-tyonohjaus-feedback]")
    comment = prompt.locator("textarea")
    expect(comment).to_be_hidden()  # the comment belongs to a "no"
    axe.assert_accessible(browser_page, "before answering")

    prompt.get_by_label(text["no"], exact=True).check()
    expect(comment).to_be_visible()
    comment.fill("Puuttui tieto etäohjauksesta.")
    axe.assert_accessible(browser_page, "with the comment open")
    browser_page.evaluate("window.__notReloaded = true")
    prompt.get_by_role("button", name=text["send"]).click()

    status = prompt.locator("[data-tyonohjaus-feedback-status]")
    expect(status).to_have_text(text["thanks"])
    expect(prompt.locator("form")).to_have_count(0)
    assert browser_page.evaluate("window.__notReloaded") is True  # no page load happened
    assert browser_page.evaluate(
        "document.activeElement.hasAttribute('data-tyonohjaus-feedback-status')"
    )
    assert status.get_attribute("aria-live") == "polite"
    axe.assert_accessible(browser_page, "after answering")

    row = FeedbackResponse.objects.get()
    assert (row.page_id, row.found_information, row.comment) == (
        page.pk,
        False,
        "Puuttui tieto etäohjauksesta.",
    )


def test_with_javascript_missing_answer_shows_the_error_at_the_question(
    browser_page, axe, live_service_pages
):
    text = TEXTS["fi"]
    browser_page.goto(live_service_pages["fi"].get_full_url())
    prompt = browser_page.locator("[data-tyonohjaus-feedback]")
    prompt.get_by_role("button", name=text["send"]).click()

    error = prompt.locator("[data-tyonohjaus-error-for=answer]")
    expect(error).to_have_text(text["choose"])
    first_radio = prompt.get_by_label(text["yes"], exact=True)
    expect(first_radio).to_be_focused()
    assert first_radio.get_attribute("aria-invalid") == "true"
    fieldset = prompt.locator("fieldset")
    assert fieldset.get_attribute("aria-describedby") == "tyonohjaus-feedback-answer-error"
    axe.assert_accessible(browser_page, "with an error")
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_without_javascript_plain_post_and_redirect_back(
    new_browser_page, live_service_pages, language
):
    text = TEXTS[language]
    page = live_service_pages[language]
    browser_page = new_browser_page(java_script_enabled=False)
    browser_page.goto(page.get_full_url())
    prompt = browser_page.locator("[data-tyonohjaus-feedback]")
    comment = prompt.locator("textarea")
    expect(comment).to_be_visible()  # without JavaScript nothing is hidden

    prompt.get_by_label(text["no"], exact=True).check()
    comment.fill("Ilman skriptejä.")
    submit_without_javascript(prompt.get_by_role("button", name=text["send"]))
    browser_page.wait_for_url(f"**{page.url}#tyonohjaus-feedback")

    expect(prompt.locator("[data-tyonohjaus-feedback-status]")).to_have_text(text["thanks"])
    expect(prompt.locator("form")).to_have_count(0)
    row = FeedbackResponse.objects.get()
    assert (row.found_information, row.comment, row.locale_id) == (
        False,
        "Ilman skriptejä.",
        page.locale_id,
    )


@pytest.fixture
def scriptless_page(new_browser_page):
    """A page whose site scripts never load: the markup as without JavaScript, but axe can run
    (axe needs JavaScript itself, and with JavaScript switched off its promise never settles)."""
    page = new_browser_page()
    page.route("**/*.js", lambda route: route.abort())
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_scripts_error_and_thanks_pages_are_accessible(
    scriptless_page, axe, live_service_pages, language
):
    text = TEXTS[language]
    page = live_service_pages[language]
    scriptless_page.goto(page.get_full_url())
    prompt = scriptless_page.locator("[data-tyonohjaus-feedback]")
    expect(prompt.locator("textarea")).to_be_visible()
    axe.assert_accessible(scriptless_page, "without scripts, before answering")

    prompt.locator("textarea").fill("Typed before choosing")
    submit_without_javascript(prompt.get_by_role("button", name=text["send"]))
    scriptless_page.wait_for_url("**/hr/feedback/**")
    prompt = scriptless_page.locator("[data-tyonohjaus-feedback]")
    expect(prompt.locator("[data-tyonohjaus-error-for=answer]")).to_have_text(text["choose"])
    expect(prompt.locator("textarea")).to_have_value("Typed before choosing")
    axe.assert_accessible(scriptless_page, "without scripts, on the page with errors")
    assert FeedbackResponse.objects.count() == 0

    prompt.get_by_label(text["no"], exact=True).check()
    submit_without_javascript(prompt.get_by_role("button", name=text["send"]))
    scriptless_page.wait_for_url(f"**{page.url}#tyonohjaus-feedback")
    expect(scriptless_page.locator("[data-tyonohjaus-feedback-status]")).to_have_text(
        text["thanks"]
    )
    axe.assert_accessible(scriptless_page, "without scripts, after answering")
    assert FeedbackResponse.objects.get().comment == "Typed before choosing"
