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
