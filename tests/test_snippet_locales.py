"""The plugin's translatable snippets show which language version each row is (issue 17 item 3).

Tried as an editor would, the provider listing mixed its three language versions with nothing to
tell them apart, and the English provider was edited with Finnish text by mistake.
"""

import re

import pytest
from django.test import Client
from wagtail.users.models import UserProfile

from tests.factories import PrivacyNoticeFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

#: Locale labels as Wagtail names them (the language's own name, from LANGUAGES).
LABELS = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def admin_client(language="en"):
    user = UserFactory(username=f"editor-{language}", is_superuser=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def snippets(providers, locales):
    """Each translatable snippet in fi, sv and en, as ``{model: {code: row}}``."""
    fi_theme = ThemeFactory(name="Muutos työssä", locale=locales["fi"])
    themes = {"fi": fi_theme}
    for code, name in (("sv", "Förändring i arbetet"), ("en", "Change at work")):
        themes[code] = ThemeFactory(
            name=name, locale=locales[code], translation_key=fi_theme.translation_key
        )
    fi_notice = PrivacyNoticeFactory(title="Tietosuoja", locale=locales["fi"])
    notices = {"fi": fi_notice}
    for code, title in (("sv", "Dataskydd"), ("en", "Privacy")):
        notices[code] = PrivacyNoticeFactory(
            title=title, locale=locales[code], translation_key=fi_notice.translation_key
        )
    return {"providers": providers, "themes": themes, "privacy-notices": notices}


def rows(content):
    """``{pk: locale label}`` of the listing's rows (Wagtail's locale cell follows the title)."""
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", content, re.S):
        edit = re.search(r'href="/admin/tyonohjaus_plugin/[^/]+/edit/(\d+)/"', row)
        label = re.search(r'class="w-status[^"]*"[^>]*>\s*([^<]+?)\s*<', row)
        if edit:
            found[int(edit.group(1))] = label.group(1) if label else None
    return found


@pytest.mark.parametrize("kind", ["providers", "themes", "privacy-notices"])
def test_the_listing_shows_each_rows_locale(snippets, kind):
    listing = admin_client().get(f"/admin/tyonohjaus_plugin/{kind}/")
    assert listing.status_code == 200
    shown = rows(listing.content.decode())
    assert shown == {row.pk: LABELS[code] for code, row in snippets[kind].items()}


@pytest.mark.parametrize(("language", "heading"), [("sv", "Språk"), ("en", "Language")])
def test_the_locale_column_is_headed_in_the_admin_users_language(snippets, language, heading):
    """Wagtail's LocaleColumn translates its label when the viewset is defined: it read
    "Maa-asetusto" in every admin language."""
    listing = admin_client(language).get("/admin/tyonohjaus_plugin/providers/").content.decode()
    headings = [" ".join(h.split()) for h in re.findall(r"<th[^>]*>(.*?)</th>", listing, re.S)]
    assert any(re.sub(r"<[^>]+>", "", h).strip() == heading for h in headings), headings


@pytest.mark.parametrize("kind", ["providers", "themes", "privacy-notices"])
def test_the_locale_filter_narrows_the_rows(snippets, kind):
    client = admin_client()
    listing = client.get(f"/admin/tyonohjaus_plugin/{kind}/").content.decode()
    assert 'name="locale"' in listing  # the filter is offered
    for code, row in snippets[kind].items():
        filtered = client.get(f"/admin/tyonohjaus_plugin/{kind}/?locale={code}")
        assert rows(filtered.content.decode()) == {row.pk: LABELS[code]}, code


@pytest.mark.parametrize("kind", ["providers", "themes", "privacy-notices"])
def test_the_edit_view_says_which_language_version_it_is(snippets, kind):
    en = snippets[kind]["en"]
    content = admin_client("fi").get(f"/admin/tyonohjaus_plugin/{kind}/edit/{en.pk}/").text
    heading = re.search(r'<h2[^>]*id="header-title"[^>]*>(.*?)</h2>', content, re.S).group(1)
    assert f"{en} (English)</span>" in heading  # the language's own name, as in the switcher
    # Wagtail's locale switcher (status panel) links to the other versions.
    for code in ("fi", "sv"):
        other = snippets[kind][code]
        assert f'href="/admin/tyonohjaus_plugin/{kind}/edit/{other.pk}/" lang="{code}"' in content


@pytest.mark.parametrize(("language", "yes"), [("fi", "Kyllä"), ("sv", "Ja"), ("en", "Yes")])
def test_yes_and_no_in_the_admin_users_language(snippets, language, yes):
    """Wagtail's columns showed a theme's (and a supervisor's) "active" as "True"."""
    from tests.factories import SupervisorFactory

    SupervisorFactory()
    client = admin_client(language)
    for url in ("/admin/tyonohjaus_plugin/themes/", "/admin/tyonohjaus/supervisors/"):
        listing = client.get(url).content.decode()
        hidden = re.findall(r'<span class="w-sr-only">\s*(.*?)\s*</span>', listing, re.S)
        assert yes in hidden and "True" not in hidden, url
        assert not re.search(r"<td[^>]*>\s*(True|False)\s*</td>", listing), url
