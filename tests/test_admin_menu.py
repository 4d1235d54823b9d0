"""The plugin's admin menu group and its snippet screens."""

import pytest
from django.urls import reverse

from tests.factories import PrivacyNoticeFactory
from tyonohjaus_plugin.models import PrivacyNotice, Theme


@pytest.mark.django_db
def test_hr_screens_for_themes_and_privacy_notices(client, django_user_model, locales):
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    client.force_login(admin)
    Theme.objects.create(name="Muutos työssä", locale=locales["fi"])
    PrivacyNoticeFactory(title="Tietosuojaseloste", version=3)
    home = client.get("/admin/").content.decode()  # also loads the admin URLs and viewsets
    assert "tyonohjaus" in home  # the group's menu name is in the sidebar data
    themes = client.get(reverse(Theme.snippet_viewset.get_url_name("list")))
    notices = client.get(reverse(PrivacyNotice.snippet_viewset.get_url_name("list")))
    assert themes.status_code == notices.status_code == 200
    assert "Muutos työssä" in themes.content.decode()
    assert "Tietosuojaseloste" in notices.content.decode()


@pytest.mark.django_db
def test_employee_cannot_open_the_theme_list(client, django_user_model):
    user = django_user_model.objects.create_user("employee", password="pw")
    client.force_login(user)
    client.get("/admin/")  # loads the admin URLs and viewsets
    response = client.get(reverse(Theme.snippet_viewset.get_url_name("list")))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def submenu_labels(user):
    """The labels in the plugin's menu group as ``user`` sees it (Wagtail's own menu code)."""
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = user
    for item in admin_menu.menu_items_for_request(request):
        if item.name == "tyonohjaus":
            return [str(child.label) for child in item.menu.menu_items_for_request(request)]
    return []


@pytest.mark.django_db
def test_the_menu_group_shows_each_user_only_what_they_may_use(client, django_user_model):
    from django.contrib.auth.models import Permission
    from django.utils import translation

    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    client.force_login(admin)
    client.get("/admin/")  # loads the admin URLs and viewsets
    with translation.override("en"):
        assert submenu_labels(admin)[:7] == [
            "Rounds",
            "Applications",
            "Supervisors",
            "Matching",
            "Engagements",
            "Outbox",
            "Feedback",
        ]
        assistant = django_user_model.objects.create_user("assistant", password="pw")
        assistant.user_permissions.add(
            *Permission.objects.filter(codename__in=["access_admin", "view_application"])
        )
        assert submenu_labels(assistant) == ["Applications"]
        matcher = django_user_model.objects.create_user("matcher", password="pw")
        matcher.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["access_admin", "view_application", "run_matching"]
            )
        )
        assert submenu_labels(matcher) == ["Applications", "Matching"]
        editor = django_user_model.objects.create_user("editor", password="pw")
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        assert submenu_labels(editor) == []
