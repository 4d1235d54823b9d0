import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, Site

from example_site.home import demo_content
from example_site.home.management.commands.load_demo_data import (
    HR_ASSISTANT_GROUP,
    HR_GROUP,
    PROVIDER_KEY,
    SERVICE_KEY,
)
from tyonohjaus_plugin.models import (
    Application,
    ApplicationRound,
    EmployeeProfile,
    FeedbackResponse,
    PrivacyNotice,
    Provider,
    ServicePage,
    Supervisor,
    SupervisorCapacity,
    SupervisorKind,
    Theme,
)
from tyonohjaus_plugin.permissions import REGISTERED_CODENAMES


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
        "supervisors": Supervisor.objects.count(),
        "round_capacities": SupervisorCapacity.objects.count(),
        "supervisor_themes": Supervisor.themes.through.objects.count(),
        "group_permissions": Group.permissions.through.objects.count(),
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
    assert first["users"] == (
        len(demo_content.USERS) + len(demo_content.COLLEAGUES) + len(demo_content.SUPERVISOR_USERS)
    )
    assert first["rounds"] == 2 and first["applications"] == 3 and first["themes"] == 18
    assert first["supervisors"] == 12 and first["round_capacities"] == 2


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


def test_demo_supervisors_cover_languages_formats_and_real_units(demo):
    supervisors = list(Supervisor.objects.select_related("user"))
    internal = [s for s in supervisors if s.kind == SupervisorKind.INTERNAL]
    assert {s.user.username for s in internal} == {"supervisor", "tuula", "johan"}
    assert {code for s in supervisors for code in s.languages} == {"fi", "sv", "en"}
    assert {f for s in supervisors for f in s.formats} == {"individual", "group", "team"}
    profile_units = set(EmployeeProfile.objects.values_list("unit_code", flat=True))
    for supervisor in internal:
        assert supervisor.unit_codes == [supervisor.user.tyonohjaus_profile.unit_code]
    conflict_units = {code for s in supervisors for code in s.conflict_unit_codes}
    assert conflict_units and conflict_units <= profile_units
    for supervisor in supervisors:
        assert supervisor.themes.exists()
        assert supervisor.themes.filter(locale__language_code="fi").count() == (
            supervisor.themes.count()
        )
        assert (supervisor.cost_per_meeting is not None) == supervisor.is_external
    open_round = ApplicationRound.objects.get(state="open")
    sami = Supervisor.objects.get(user__username="supervisor")
    assert sami.capacity_for(open_round) == 3 and sami.default_capacity == 2


def test_supervisor_users_log_in_with_the_printed_password(demo, client):
    for username, *_rest in demo_content.SUPERVISOR_USERS:
        assert client.login(username=username, password=demo_content.SUPERVISOR_PASSWORD)
        client.logout()


def test_hr_has_all_plugin_permissions_and_the_assistant_no_free_text(demo, client):
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    hr = codenames(HR_GROUP)
    assert set(REGISTERED_CODENAMES) <= hr
    assert {
        "run_matching",
        "view_application",
        "change_application",
        "view_confidential_application",
        "change_application_status",
        "export_applications",
        "add_supervisor",
        "change_supervisor",
        "delete_supervisor",
        "view_supervisor",
    } <= hr
    assistant = codenames(HR_ASSISTANT_GROUP)
    assert assistant == {
        "access_admin",
        "view_application",
        "change_application",
        "change_application_status",
        "view_supervisor",
        "view_applicationround",
        "view_theme",
    }
    User = get_user_model()
    helper = User.objects.get(username="hrassistant")
    assert list(helper.groups.values_list("name", flat=True)) == [HR_ASSISTANT_GROUP]
    assert not helper.has_perm("tyonohjaus_plugin.view_confidential_application")
    assert not helper.has_perm("tyonohjaus_plugin.export_applications")

    client.login(username="hrassistant", password="hrassistant-demo")
    listing = client.get("/admin/tyonohjaus/supervisors/")
    assert listing.status_code == 200 and "Marja Kallio" in listing.content.decode()
    marja = Supervisor.objects.get(email="marja.kallio@ohjausverkko.example")
    assert client.get(f"/admin/tyonohjaus/supervisors/edit/{marja.pk}/").status_code == 302

    client.login(username="hr", password="hr-demo")
    assert client.get(f"/admin/tyonohjaus/supervisors/edit/{marja.pk}/").status_code == 200
