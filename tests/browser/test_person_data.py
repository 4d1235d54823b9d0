"""HR's "Personal data" in a real browser: the person page and the erasure's confirmation are
accessible, and confirming erases."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.factories import ApplicationFactory, EmployeeProfileFactory, UserFactory
from tyonohjaus_plugin.models import ErasureTombstone

pytestmark = pytest.mark.browser


def test_hr_finds_a_person_and_erases_their_data(admin_page_for, live_server, axe, locales):
    person = UserFactory(username="pia", first_name="Pia", last_name="Persona")
    EmployeeProfileFactory(user=person)
    ApplicationFactory(applicant=person)
    hr = UserFactory(username="hr-browser")
    hr.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "erase_person", "export_person_data"]
        )
    )
    page = admin_page_for(hr)
    page.goto(f"{live_server.url}/admin/tyonohjaus/people/")
    page.get_by_label("Name, username or e-mail address").fill("Persona")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Pia Persona").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    expect(page.locator("[data-tyonohjaus-plugin]")).to_contain_text("Own applications")
    axe.assert_accessible(page, "on the person page")

    page.get_by_role("link", name="Erase the person's data…").click()
    page.wait_for_url(f"**/people/{person.pk}/erase/")
    axe.assert_accessible(page, "on the erasure confirmation")
    page.get_by_role("button", name="Erase the data").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    expect(page.locator(".messages")).to_contain_text("erased")
    assert ErasureTombstone.objects.filter(user_id=person.pk).exists()
