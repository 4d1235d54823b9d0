"""HR in a real browser: bulk-select applications, change their status, read one (accessible)."""

import pytest
from playwright.sync_api import expect

from tests.factories import ApplicationFactory, ApplicationRoundFactory, UserFactory
from tests.utils import group_for
from tyonohjaus_plugin.models import Application

pytestmark = pytest.mark.browser


@pytest.fixture
def hr_page(admin_page_for, locales):
    user = UserFactory(username="hr-browser")
    group = group_for("hr", models=["application"], name="HR in the browser")
    user.groups.add(group)
    return admin_page_for(user)


def test_hr_bulk_changes_status_and_reads_an_application(hr_page, live_server, axe):
    round = ApplicationRoundFactory(name="Kevät 2027")
    first, second, third = (ApplicationFactory(round=round) for _ in range(3))
    hr_page.goto(f"{live_server.url}/admin/tyonohjaus/applications/?status=submitted")
    rows = hr_page.locator("table.listing tbody tr")
    expect(rows).to_have_count(3)

    for application in (first, second):
        hr_page.locator(
            f"input[data-bulk-action-checkbox][data-object-id='{application.pk}']"
        ).check()
    footer = hr_page.locator("[data-bulk-action-footer]")
    expect(footer).to_be_visible()
    footer.get_by_role("link", name="Change the status of the selected applications").click()
    hr_page.wait_for_url("**/admin/bulk/tyonohjaus_plugin/application/change_status/**")
    hr_page.get_by_label("New status").select_option("in_review")
    hr_page.get_by_role("button", name="Change status").click()
    hr_page.wait_for_url("**/admin/tyonohjaus/applications/**")
    expect(hr_page.locator(".messages")).to_contain_text("2")
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "in_review", second.pk: "in_review", third.pk: "submitted"}

    hr_page.goto(f"{live_server.url}/admin/tyonohjaus/applications/inspect/{first.pk}/")
    expect(hr_page.locator("[data-tyonohjaus-plugin]")).to_contain_text(first.situation)
    axe.assert_accessible(hr_page, "on the application detail")
    hr_page.get_by_label("Matched").check()
    hr_page.get_by_role("button", name="Change status").click()
    hr_page.wait_for_url(f"**/inspect/{first.pk}/")
    first.refresh_from_db()
    assert first.status == "matched"
