import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, Site

from example_site.home import demo_content
from example_site.home.management.commands.load_demo_data import PROVIDER_KEY, SERVICE_KEY
from tyonohjaus_plugin.models import (
    Application,
    ApplicationRound,
    EmployeeProfile,
    FeedbackResponse,
    PrivacyNotice,
    Provider,
    ServicePage,
    Theme,
)


def snapshot():
    return {
        "pages": Page.objects.count(),
        "live_pages": Page.objects.live().count(),
        "users": get_user_model().objects.count(),
        "providers": Provider.objects.count(),
        "groups": Group.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "sites": Site.objects.count(),
        "feedback": FeedbackResponse.objects.count(),
        "rounds": ApplicationRound.objects.count(),
        "applications": Application.objects.count(),
        "themes": Theme.objects.count(),
        "notices": PrivacyNotice.objects.count(),
        "profiles": EmployeeProfile.objects.count(),
    }


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=io.StringIO())


def test_running_twice_gives_the_same_state(demo):
    first = snapshot()
    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == first
    # root, home ×3, service ×3: Wagtail's placeholder welcome page is gone.
    assert first["pages"] == 7
    assert first["providers"] == 3
    assert first["users"] == len(demo_content.USERS) + len(demo_content.COLLEAGUES)
    assert first["rounds"] == 2 and first["applications"] == 3 and first["themes"] == 18


def test_three_language_versions_are_live_and_linked(demo, client):
    pages = {
        page.locale.language_code: page
        for page in ServicePage.objects.filter(translation_key=SERVICE_KEY)
    }
    assert set(pages) == {"fi", "sv", "en"}
    assert all(page.live for page in pages.values())
    assert {p.pk for p in pages["fi"].get_translations()} == {pages["sv"].pk, pages["en"].pk}
    expected = {
        "fi": "/fi/tyonohjaus/",
        "sv": "/sv/arbetshandledning/",
        "en": "/en/work-supervision/",
    }
    for code, page in pages.items():
        assert page.url == expected[code]
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"<h1>{demo_content.SERVICE[code]['title']}</h1>" in response.content.decode()
        assert page.provider.locale.language_code == code
        assert page.provider.translation_key == PROVIDER_KEY
        assert page.provider.name == demo_content.PROVIDER[code]["name"]


def test_site_root_is_the_demo_home_page(demo, client):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'href="/en/work-supervision/"' in response.content.decode()


def test_printed_logins_work_and_roles_have_the_right_access(demo, client):
    for username, _first, _last, password, _role in demo_content.USERS:
        assert client.login(username=username, password=password), username
        admin = client.get("/admin/")
        if username in ("employee", "supervisor"):
            # No admin access (the supervisor's own views come with engagements).
            assert admin.status_code == 302
        else:
            assert admin.status_code == 200, username
        client.logout()

    User = get_user_model()
    page = ServicePage.objects.get(translation_key=SERVICE_KEY, locale__language_code="sv")
    editor_perms = page.permissions_for_user(User.objects.get(username="editor"))
    assert editor_perms.can_edit() and editor_perms.can_publish()
    for username in ("employee", "hr", "supervisor"):
        assert not page.permissions_for_user(User.objects.get(username=username)).can_edit()


def test_hr_sees_the_feedback_report_and_the_editor_does_not(demo, client):
    assert FeedbackResponse.objects.exists()
    client.login(username="hr", password="hr-demo")
    response = client.get("/admin/tyonohjaus/feedback/")
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    client.login(username="editor", password="editor-demo")
    assert client.get("/admin/tyonohjaus/feedback/").status_code == 403


def test_employee_can_apply_in_the_demo_open_round(demo, client):
    client.login(username="employee", password="employee-demo")
    page = ServicePage.objects.get(translation_key=SERVICE_KEY, locale__language_code="fi")
    content = client.get(page.url).content.decode()
    assert "Kevät 2027" in content and 'class="tyonohjaus-apply__form"' in content
    response = client.post(
        f"/fi/hr/apply/{page.pk}/",
        {
            "format": "group",
            "co_applicants": "liisa@example.org\nmikko@example.org",
            "languages": ["fi"],
            "situation": "Tiimimme rakenne muuttui.",
            "goals": "Yhteinen toimintatapa.",
            "supervisor_preference": "none",
            "consent": "on",
        },
    )
    assert response.status_code == 303
    assert Application.objects.filter(applicant__username="employee").count() == 1


def test_hr_manages_rounds_in_the_demo(demo, client):
    client.login(username="hr", password="hr-demo")
    listing = client.get("/admin/tyonohjaus/rounds/").content.decode()
    assert "Kevät 2027" in listing and "Syksy 2026" in listing
