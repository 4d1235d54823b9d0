"""HR matches a round in a real browser: run, read why, pin, forbid, re-run, confirm."""

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from tests.factories import (
    ApplicationFactory,
    ApplicationRoundFactory,
    EmployeeProfileFactory,
    SupervisorFactory,
    ThemeFactory,
    UserFactory,
)
from tyonohjaus_plugin.models import (
    Engagement,
    MatchOverride,
    MatchRun,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def hr_page(admin_page_for, locales):
    user = UserFactory(username="matcher")
    group = Group.objects.create(name="Matching HR")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_application", "run_matching"]
        )
    )
    user.groups.add(group)
    return admin_page_for(user)


def test_hr_matches_a_round_on_the_board(hr_page, live_server, axe, locales):
    round = ApplicationRoundFactory(name="Kevät 2027", state="closed")
    theme = ThemeFactory(name="Career", locale=locales["fi"], sort_order=1)
    applications = []
    for unit in ("U1", "U2", "U3"):
        application = ApplicationFactory(round=round)
        EmployeeProfileFactory(user=application.applicant, unit_code=unit)
        application.themes.set([theme])
        applications.append(application)
    for name in ("Anna", "Bertil"):
        supervisor = SupervisorFactory(
            name=name, email=f"{name}@example.org", formats=["individual"], default_capacity=1
        )
    supervisor.themes.set([theme])  # Bertil covers the theme

    hr_page.goto(f"{live_server.url}/admin/tyonohjaus/matching/")
    hr_page.get_by_role("link", name="Kevät 2027").click()
    hr_page.get_by_role("button", name="Run matching").click()
    # The test settings run the task synchronously: the proposal is there after the redirect.
    expect(hr_page.locator(".tyonohjaus-proposals tbody tr")).to_have_count(2)
    expect(hr_page.locator(".tyonohjaus-proposals")).to_contain_text("Covers the theme ranked 1")
    hr_page.reload()  # without the fading "Matching started" message (see below)
    axe.assert_accessible(hr_page, "on the matching board")

    hr_page.get_by_role("link", name="Unmatched").click()
    expect(hr_page.locator("table.listing")).to_contain_text("suitable supervisors are full")
    unmatched = MatchRun.objects.get().unmatched.get().application
    axe.assert_accessible(hr_page, "on the unmatched list")

    # Pin the unmatched application to Bertil through the chooser, and re-run.
    hr_page.get_by_role("link", name=f"Choose a supervisor application {unmatched.pk}").click()
    hr_page.get_by_role("button", name="Pin Bertil").click()
    expect(hr_page.locator(".messages")).to_contain_text("Pinned")
    # Scan without Wagtail's message: its fade-in animation is caught at half contrast.
    hr_page.reload()
    axe.assert_accessible(hr_page, "on the supervisor chooser")
    assert MatchOverride.objects.get().supervisor.name == "Bertil"
    hr_page.get_by_role("link", name="Back to the proposal").click()
    hr_page.get_by_role("button", name="Run matching again").click()
    expect(hr_page.locator(".tyonohjaus-totals")).to_contain_text("Kept from the previous proposal")
    latest = MatchRun.objects.first()
    assert (unmatched.pk, supervisor.pk) in set(
        latest.proposals.values_list("application", "supervisor")
    )

    # Forbid one pair from the proposal row, then confirm all open matches.
    first_row = hr_page.locator(".tyonohjaus-proposals tbody tr").first
    first_row.get_by_role("button", name="Forbid").click()
    expect(hr_page.locator(".messages")).to_contain_text("Forbidden")
    hr_page.get_by_role("link", name="Confirm all open matches").click()
    hr_page.get_by_role("button", name="Confirm").click()
    expect(hr_page.locator(".messages")).to_contain_text("2 matches confirmed")
    assert Engagement.objects.count() == 2
