"""An editor's round trip through wagtail-localize in a real browser, on the demo data.

The demo editor edits the Finnish lead and publishes, syncs the translated pages, translates the
new string in wagtail-localize's translation editor and publishes the Swedish page; the live
Swedish page shows it (axe finds nothing in the plugin's part of it) and Reports → Translations
lists the page. The translation editor itself is wagtail-localize's: the plugin adds no markup
to it, which the test checks instead of running axe there. Screenshots (for the issue's
closing note) go to ``SCREENSHOT_DIR/localize-*.png``.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect
from wagtail_localize.models import TranslationSource

from example_site.home.management.commands.load_demo_data import SERVICE_KEY
from tests.browser.conftest import (  # noqa: F401 - fixtures
    PLUGIN_CONTAINER,
    admin_page_for,
    axe,
    browser,
    new_browser_page,
    save_screenshot,
)
from tyonohjaus_plugin.models import ServicePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_LEAD_FI = "Uusi hakukierros avautuu pian: lue ohjeet ja hae ajoissa."
NEW_LEAD_SV = "En ny ansökningsomgång öppnar snart: läs anvisningarna och ansök i tid."


def test_editor_syncs_and_translates_a_changed_lead(admin_page_for, live_server, axe):  # noqa: F811
    call_command("load_demo_data", stdout=io.StringIO())
    pages = {
        page.locale.language_code: page
        for page in ServicePage.objects.filter(translation_key=SERVICE_KEY)
    }
    page = admin_page_for(get_user_model().objects.get(username="editor"))
    url = live_server.url

    # 1. The Finnish page, in the ordinary editor: a new lead, published.
    page.goto(f"{url}{reverse('wagtailadmin_pages:edit', args=[pages['fi'].pk])}")
    page.locator("#id_lead").fill(NEW_LEAD_FI)
    page.locator("footer [data-w-dropdown-target='toggle']").click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages")).to_contain_text("published")

    # 2. "Sync translated pages", from the Finnish page's header menu.
    source = TranslationSource.objects.get_for_instance(pages["fi"])
    sync_url = reverse("wagtail_localize:update_translations", args=[source.pk])
    page.goto(f"{url}{reverse('wagtailadmin_pages:edit', args=[pages['fi'].pk])}")
    page.locator("header [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("link", name="Sync translated pages").click()
    expect(page).to_have_url(re.compile(re.escape(sync_url)))
    save_screenshot(page, "localize-1-sync.png")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".messages")).to_be_visible()

    # 3. The Swedish page opens in wagtail-localize's translation editor; the new string waits.
    page.goto(f"{url}{reverse('wagtailadmin_pages:edit', args=[pages['sv'].pk])}")
    editor = page.locator(".js-translation-editor")
    expect(editor).to_have_count(1)
    # The plugin adds nothing to this screen (its panels are not shown to translators), so
    # there is no plugin markup for axe to check here.
    assert page.locator(PLUGIN_CONTAINER).count() == 0
    waiting = page.locator("li.incomplete").filter(has_text=NEW_LEAD_FI)
    expect(waiting).to_have_count(1)
    save_screenshot(page, "localize-2-translation-editor.png")
    waiting.get_by_role("button", name="Translate").click()
    waiting.locator("textarea").fill(NEW_LEAD_SV)
    waiting.get_by_role("button", name="Save").click()
    done = page.locator("li.complete").filter(has_text=NEW_LEAD_SV)
    expect(done).to_have_count(1)
    expect(page.locator("li.incomplete")).to_have_count(0)
    page.get_by_role("button", name=re.compile("^Publish in ")).click()
    expect(page.locator(".messages")).to_be_visible()
    save_screenshot(page, "localize-3-published.png")

    # 4. The live Swedish page shows the translation, and the plugin's page stays accessible.
    page.goto(f"{url}{pages['sv'].url}")
    expect(page.locator("body")).to_contain_text(NEW_LEAD_SV)
    axe.assert_accessible(page, "on the synced Swedish page")
    save_screenshot(page, "localize-4-sv-page.png")

    # 5. Reports → Translations lists the page, up to date.
    page.goto(f"{url}{reverse('wagtail_localize:translations_report')}")
    row = page.locator("tr").filter(
        has=page.locator(f"a[href$='{reverse('wagtailadmin_pages:edit', args=[pages['sv'].pk])}']")
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Up to date")
    save_screenshot(page, "localize-5-report.png")
