"""The admin speaks the admin user's language on every plugin screen (issue 17 item 4).

An HR user whose Wagtail profile says Swedish (then English) opens every admin URL of the plugin,
taken from the URL resolver: each page says ``<html lang>`` in that language and shows none of
the plugin's strings of another language (for Finnish: a msgstr of the fi catalogue that is not
also the sv or en text; for English: a msgid that fi and sv translate, i.e. an untranslated
one), in its text, its shown attributes or its JSON data (chart labels, menu labels). The exports'
headings and a refusal read the same way.
"""

import csv
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.utils import translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from tests.catalogue import check_pages, foreign, shown_texts
from tests.plugin_urls import build_site, client_for, fill, plugin_routes, real_value
from tyonohjaus_plugin.permissions import APP_LABEL
from tyonohjaus_plugin.viewsets import ProviderViewSet, TyonohjausViewSetGroup

pytestmark = pytest.mark.django_db

ADMIN = "/admin/tyonohjaus/applications/"
FINNISH_PAGE = "Työnohjaus"


@pytest.fixture
def site(service_pages, locales):
    return build_site(service_pages["fi"], locales)


def hr_user(site, language):
    """The site's HR user, given every plugin permission so that every screen opens for them,
    speaking ``language`` in the admin."""
    users, *_rest = site
    hr = users["hr"]
    hr.user_permissions.add(*Permission.objects.filter(content_type__app_label=APP_LABEL))
    profile = UserProfile.get_for_user(hr)
    profile.preferred_language = language
    profile.save()
    return hr


def admin_routes():
    return [route for route in plugin_routes() if route.startswith("admin/")]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_plugin_admin_screen_speaks_the_users_language(site, language):
    *_rest, real = site
    client = client_for(hr_user(site, language))
    paths = [fill(route, real_value(route, real)) for route in admin_routes()]
    feedback = [path for path in paths if "/feedback/" in path]
    opened, problems, _templates = check_pages(client, set(paths) - set(feedback), language)
    # Feedback rows name the page it was given on, in that page's own language: data (the test
    # site's Finnish page is titled "Työnohjaus", also a catalogue string).
    more, more_problems, _templates = check_pages(client, feedback, language, data=[FINNISH_PAGE])
    opened, problems = opened + more, {**problems, **more_problems}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    # The sweep reached the plugin's screens (lists, forms, detail pages, the dashboard).
    assert len(opened) >= 70, opened  # 77 on 2026-12-03


@pytest.mark.parametrize("language", ["sv", "en"])
def test_export_headings_and_cells_speak_the_users_language(site, language):
    client = client_for(hr_user(site, language))
    body = b"".join(client.get(f"{ADMIN}?export=csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(f"{ADMIN}?export=xlsx").streaming_content))
    ).active
    xlsx = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for table in (rows, xlsx):
        texts = [str(value) for row in table for value in row if value]
        assert len(table[0]) > 5 and foreign(texts, "fi") == []


@pytest.mark.parametrize(
    ("language", "title"), [("sv", "Arbetshandledning"), ("en", "Work supervision")]
)
def test_a_rounds_service_is_named_in_the_users_language(site, language, title):
    """The service choice read the Finnish page's title in every admin language."""
    *_rest, real = site
    client = client_for(hr_user(site, language))
    rounds = "/admin/tyonohjaus/rounds/"
    for url in (f"{rounds}new/", f"{rounds}edit/{real['rounds']}/"):
        form = client.get(url).content.decode()
        choices = re.search(r'<select name="service".*?</select>', form, re.S).group(0)
        assert f">{title}</option>" in choices and FINNISH_PAGE not in choices, url


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_refusal_speaks_the_users_language(site, language):
    *_rest, real = site
    client = client_for(hr_user(site, language))
    response = client.post(f"/admin/tyonohjaus/supervisors/delete/{real['supervisors']}/")
    assert response.status_code == 409
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    with translation.override(language):
        message = gettext("This cannot be deleted while other records use it.")
    assert message in html and "Tätä ei voi poistaa" not in html
    assert foreign(shown_texts(html), "fi") == []


def test_menu_item_names_do_not_depend_on_the_language():
    """Wagtail names a menu item after its label when the viewset gives no ``menu_name``, in
    the language active when the menu is first built: the sidebar's identifiers (and what
    Wagtail remembers by them) were Swedish or English depending on who came first."""
    viewsets = [*TyonohjausViewSetGroup.items, ProviderViewSet]
    names = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            names[language] = [viewset().get_menu_item().name for viewset in viewsets]
    assert names["fi"] == names["sv"] == names["en"]
    assert "supervisors" in names["sv"] and "handledare" not in names["sv"]
