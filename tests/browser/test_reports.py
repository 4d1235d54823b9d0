"""HR's reports in a real browser: axe-core finds nothing on a report page and on the printable
yearly report, in fi, sv and en; the charts are inline SVG with a title and the tables beside."""

import pytest
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from tests.browser.conftest import LANGUAGES, save_screenshot
from tests.factories import UserFactory
from tests.test_reports import known_round  # noqa: F401 (the hand-computed round)
from tests.utils import group_for

pytestmark = pytest.mark.browser

HEADINGS = {"fi": "Raportit", "sv": "Rapporter", "en": "Reports"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_reports_have_no_axe_violations(
    admin_page_for,
    axe,
    live_server,
    locales,
    known_round,  # noqa: F811
    language,
):
    user = UserFactory(username=f"hr-reports-{language}")
    user.groups.add(group_for("hr", name=f"HR reports {language}"))
    page = admin_page_for(user)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()

    for path, name in (("", "demand"), ("outcomes/", "outcomes"), ("units/", "units")):
        assert page.goto(f"{live_server.url}/admin/tyonohjaus/reports/{path}").status == 200
        assert page.locator("html").get_attribute("lang") == language
        expect(page.locator("h1")).to_contain_text(HEADINGS[language])
        if name != "units":  # the fixture's unit figures are all hidden: no chart there
            chart = page.locator("svg[role=img]").first
            expect(chart).to_be_visible()
            assert chart.locator("title").count() >= 1
        save_screenshot(page, f"reports-test-{name}-{language}.png")
        axe.assert_accessible(page, f"on the {name} report ({language})")

    assert page.goto(f"{live_server.url}/admin/tyonohjaus/reports/print/?year=2025").status == 200
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("table").first).to_be_visible()
    save_screenshot(page, f"reports-test-print-{language}.png")
    axe.assert_none(axe.run(page)["violations"], f"on the printable report ({language})")
