"""Everything translatable reads the same in fi, sv and en (issue 14 items 1 and 15).

Themes are matched across locales by translation key: an application keeps its themes whichever
language it is submitted, edited, filtered, exported or matched in, and every reader sees them in
their own language. Round names have a name per language, and dates read naturally.
"""

import csv
import datetime
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from tests.factories import (
    ApplicationFactory,
    ApplicationRoundFactory,
    PrivacyNoticeFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.utils import group_for
from tyonohjaus_plugin.matching.problem import build_problem
from tyonohjaus_plugin.models import Application, ApplicationRound, Supervisor, Theme

pytestmark = pytest.mark.django_db

ADMIN = "/admin/tyonohjaus/applications/"
FORM = {
    "languages": ["fi"],
    "situation": "Uusi tiimi",
    "goals": "Selkeyttä työhön",
    "availability": "Aamupäivisin",
    "supervisor_preference": "none",
    "consent": "on",
}


@pytest.fixture
def themes(locales):
    """Two themes in fi with sv translations (no en ones), and one not picked."""

    def theme(fi, sv, order):
        row = Theme.objects.create(name=fi, locale=locales["fi"], sort_order=order)
        Theme.objects.create(
            name=sv, locale=locales["sv"], translation_key=row.translation_key, sort_order=order
        )
        return row

    return {
        "change": theme("Muutos työssä", "Förändring i arbetet", 1),
        "role": theme("Uusi rooli", "Ny roll", 2),
        "stress": theme("Kuormitus", "Belastning", 3),
    }


@pytest.fixture
def world(service_pages, locales, themes):
    """An application submitted in Finnish with two themes, through HTTP."""
    for each in service_pages.values():
        each.applications_enabled = True
        each.save_revision().publish()
    page = service_pages["fi"]
    for code in ("fi", "sv", "en"):
        PrivacyNoticeFactory(locale=locales[code])
    round = ApplicationRoundFactory(
        service_key=page.translation_key,
        name="Kevät 2027",
        name_translations={"sv": "Våren 2027", "en": "Spring 2027"},
    )
    applicant = UserFactory(email="anna@example.org")
    client = Client()
    client.force_login(applicant)
    picked = [str(themes["change"].translation_key), str(themes["role"].translation_key)]
    data = {**FORM, "format": "individual", "themes": picked}
    assert client.post(f"/fi/hr/apply/{page.pk}/", data).status_code == 303
    application = Application.objects.get()
    return {"page": page, "round": round, "client": client, "application": application}


CHECKBOX_RE = r'<input type="checkbox" name="themes" value="([^"]+)"[^>]*>'


def stored_themes(application):
    return set(application.themes.values_list("pk", flat=True))


def ticked(content):
    """Translation keys of the ticked theme boxes."""
    return {
        match.group(1) for match in re.finditer(CHECKBOX_RE, content) if "checked" in match.group(0)
    }


def form_values(content):
    return {match.group(1) for match in re.finditer(r'name="themes" value="([^"]+)"', content)}


@pytest.mark.parametrize("language", ["sv", "en", "fi"])
def test_editing_in_another_language_keeps_the_themes(world, themes, language):
    application, client = world["application"], world["client"]
    before = stored_themes(application)
    assert before == {themes["change"].pk, themes["role"].pk}
    url = f"/{language}/hr/applications/{application.pk}/edit/"
    content = client.get(url).content.decode()
    keys = {str(themes["change"].translation_key), str(themes["role"].translation_key)}
    assert ticked(content) == keys  # shown ticked in the reader's language
    names = {"sv": "Förändring i arbetet", "en": "Muutos työssä", "fi": "Muutos työssä"}
    assert names[language] in content  # en has no translation: the Finnish name
    # The reader changes only the availability and sends the form as the browser would.
    response = client.post(url, {**FORM, "availability": "Iltapäivisin", "themes": sorted(keys)})
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.availability == "Iltapäivisin"
    assert stored_themes(application) == before


def test_a_theme_ticked_in_swedish_is_stored_on_the_canonical_row(world, themes):
    application, client = world["application"], world["client"]
    stress = themes["stress"]
    url = f"/sv/hr/applications/{application.pk}/edit/"
    assert str(stress.translation_key) in form_values(client.get(url).content.decode())
    keys = [str(themes[name].translation_key) for name in ("change", "stress")]
    assert client.post(url, {**FORM, "themes": keys}).status_code == 303
    assert stored_themes(application) == {themes["change"].pk, stress.pk}  # the fi rows
    # A row id (what the form sent before) is not a choice: an error at the field, nothing lost.
    bad = client.post(url, {**FORM, "themes": [str(stress.pk)]})
    assert bad.status_code == 400 and "tyonohjaus-application-themes_error" in bad.content.decode()
    assert stored_themes(application) == {themes["change"].pk, stress.pk}


def test_a_link_to_a_translation_row_and_a_retired_theme_survive_an_edit(world, themes, locales):
    """Links made before the canonical rows (or to a theme HR has since retired) stay."""
    application, client = world["application"], world["client"]
    role_key = themes["role"].translation_key
    sv_role = Theme.objects.get(translation_key=role_key, locale=locales["sv"])
    application.themes.set([themes["change"], sv_role])
    Theme.objects.filter(translation_key=themes["change"].translation_key).update(active=False)
    url = f"/fi/hr/applications/{application.pk}/edit/"
    content = client.get(url).content.decode()
    keys = {str(themes["change"].translation_key), str(themes["role"].translation_key)}
    assert ticked(content) == keys
    assert client.post(url, {**FORM, "themes": sorted(keys)}).status_code == 303
    assert stored_themes(application) == {themes["change"].pk, themes["role"].pk}
    # A new application is not offered the retired theme.
    form = world["client"].get(world["page"].url)
    assert str(themes["change"].translation_key) not in form_values(form.content.decode())


def hr_client(language):
    user = UserFactory()
    user.groups.add(group_for("hr", name=f"Test HR {user.username}"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def test_hr_note_edit_keeps_the_themes(world, themes):
    application = world["application"]
    before = stored_themes(application)
    client = hr_client("sv")
    response = client.post(f"{ADMIN}edit/{application.pk}/", {"hr_note": "Ringt"})
    assert response.status_code == 302
    assert stored_themes(application) == before


def test_hr_sees_themes_and_round_names_in_their_own_language(world, themes):
    application = world["application"]
    detail = {
        code: hr_client(code).get(f"{ADMIN}inspect/{application.pk}/").content.decode()
        for code in ("sv", "en", "fi")
    }
    assert "Förändring i arbetet, Ny roll" in detail["sv"] and "Muutos työssä" not in detail["sv"]
    assert "Muutos työssä, Uusi rooli" in detail["en"]  # no English names: the Finnish ones
    assert "Muutos työssä, Uusi rooli" in detail["fi"]
    assert "Våren 2027" in detail["sv"] and "Spring 2027" in detail["en"]
    assert "Kevät 2027" in detail["fi"]
    listing = hr_client("sv").get(ADMIN).content.decode()
    assert "Våren 2027" in listing
    # The theme filter: one choice per theme, in the reader's language, by translation key.
    assert f'value="{themes["change"].translation_key}">Förändring i arbetet<' in listing


def test_filter_export_and_matching_use_the_translation_key(world, themes, locales):
    application = world["application"]
    other = ApplicationFactory(round=world["round"])
    # A legacy link to the Swedish row is found by the same key.
    other.themes.set(
        [Theme.objects.get(translation_key=themes["change"].translation_key, locale=locales["sv"])]
    )
    client = hr_client("sv")
    key = themes["change"].translation_key
    listing = client.get(f"{ADMIN}?theme={key}").content.decode()
    assert f"application_{application.pk}_title" in listing
    assert f"application_{other.pk}_title" in listing
    body = b"".join(client.get(f"{ADMIN}?export=csv&theme={key}").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    themes_at, round_at = rows[0].index("Teman"), rows[0].index("Omgång")
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[str(application.pk)][themes_at] == "Förändring i arbetet, Ny roll"
    assert by_id[str(other.pk)][themes_at] == "Förändring i arbetet"
    assert by_id[str(application.pk)][round_at] == "Våren 2027"
    # Matching sees translation keys whichever row the link points at.
    supervisor = SupervisorFactory()
    Supervisor.objects.get(pk=supervisor.pk).themes.set([themes["change"]])
    Application.objects.filter(pk__in=[application.pk, other.pk]).update(status="submitted")
    problem = build_problem(world["round"])
    keys = {a.id: a.themes for a in problem.applications}
    assert keys[f"a{application.pk}"] == (str(key), str(themes["role"].translation_key))
    assert keys[f"a{other.pk}"] == (str(key),)
    assert str(key) in next(s for s in problem.supervisors if s.id == f"s{supervisor.pk}").themes


def test_my_applications_show_themes_and_round_in_the_readers_language(world):
    client = world["client"]
    sv = client.get("/sv/hr/my-applications/").content.decode()
    assert "Förändring i arbetet, Ny roll" in sv and "Våren 2027" in sv
    en = client.get("/en/hr/my-applications/").content.decode()
    assert "Muutos työssä, Uusi rooli" in en and "Spring 2027" in en


def test_the_migration_points_links_at_the_canonical_rows(world, themes, locales):
    application = world["application"]
    sv = {
        name: Theme.objects.get(translation_key=theme.translation_key, locale=locales["sv"])
        for name, theme in themes.items()
    }
    application.themes.set([sv["change"], themes["change"], sv["role"]])  # a duplicate too
    supervisor = SupervisorFactory()
    supervisor.themes.set([sv["stress"]])
    only_sv = Theme.objects.create(name="Bara svenska", locale=locales["sv"])
    later = Theme.objects.create(
        name="Bara svenska (en)", locale=locales["en"], translation_key=only_sv.translation_key
    )
    application.themes.add(later)
    migration = importlib.import_module(
        "tyonohjaus_plugin.migrations.0014_theme_links_to_canonical_rows"
    )
    migration.repoint(django_apps, None)
    assert stored_themes(application) == {themes["change"].pk, themes["role"].pk, only_sv.pk}
    assert set(supervisor.themes.values_list("pk", flat=True)) == {themes["stress"].pk}


# Round names


def test_the_service_page_shows_the_round_name_and_closing_time_in_each_language(
    world, service_pages
):
    round = world["round"]
    # 10.00 Helsinki time: English says "a.m.", which must not get a second full stop.
    round.closes_at = timezone.now().replace(hour=8, minute=0) + datetime.timedelta(days=3)
    round.save()
    expected = {"fi": "Kevät 2027", "sv": "Våren 2027", "en": "Spring 2027"}
    client = Client()
    for code, name in expected.items():
        content = client.get(service_pages[code].url).content.decode()
        assert name in content, code
        sentence = content.split("tyonohjaus-apply__round")[1].split("</p>")[0]
        assert ".." not in sentence, code
    en = client.get(service_pages["en"].url).content.decode()
    assert "a.m.</p>" in en and "a.m..</p>" not in en


def test_a_round_without_a_translation_falls_back_to_the_default_name(service_pages):
    round = ApplicationRoundFactory(name="Kevät 2028", name_translations={"sv": "Våren 2028"})
    with translation.override("en"):
        assert round.localized_name == "Kevät 2028"
    with translation.override("sv"):
        assert round.localized_name == "Våren 2028"
        assert str(round) == "Kevät 2028"  # audit-log labels stay language-free


def round_admin(language="sv"):
    user = UserFactory(username=f"rounds-{language}")
    user.groups.add(group_for("hr", models=["applicationround"], name=f"Rounds {language}"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def test_hr_names_a_round_in_every_language(service_pages):
    client = round_admin("en")
    form = client.get("/admin/tyonohjaus/rounds/new/").content.decode()
    assert 'name="name_sv"' in form and 'name="name_en"' in form and 'name="name_fi"' not in form
    now = timezone.now()
    data = {
        "name": "Syksy 2027",
        "name_sv": "Hösten 2027",
        "name_en": "",
        "service": str(service_pages["fi"].translation_key),
        "opens_at": (now + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
    }
    response = client.post("/admin/tyonohjaus/rounds/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    round = ApplicationRound.objects.get(name="Syksy 2027")
    assert round.name_translations == {"sv": "Hösten 2027"}
    edit = client.get(f"/admin/tyonohjaus/rounds/edit/{round.pk}/").content.decode()
    assert 'value="Hösten 2027"' in edit
    swede = round_admin("sv")
    assert "Hösten 2027" in swede.get("/admin/tyonohjaus/rounds/").content.decode()
    assert "Syksy 2027" in client.get("/admin/tyonohjaus/rounds/").content.decode()
    heading = re.search(
        r"<h1[^>]*>(.*?)</h1>", swede.get(f"/admin/tyonohjaus/rounds/edit/{round.pk}/").text, re.S
    )
    assert "Hösten 2027" in heading.group(1)


def test_name_translations_only_in_the_sites_other_languages(db):
    from django.core.exceptions import ValidationError

    round = ApplicationRoundFactory.build(name="Kevät", name_translations={"de": "Frühling"})
    with pytest.raises(ValidationError):
        round.full_clean(exclude=["service_key"])


# Dates


def test_admin_dates_share_one_format(world):
    application = world["application"]
    Application.objects.filter(pk=application.pk).update(
        submitted_at=datetime.datetime(2026, 12, 3, 14, 5, tzinfo=datetime.UTC)
    )
    expected = {"fi": "3.12.2026 16.05", "sv": "2026-12-03 16:05", "en": "12/03/2026 4:05 p.m."}
    for code, text in expected.items():
        client = hr_client(code)
        detail = client.get(f"{ADMIN}inspect/{application.pk}/").content.decode()
        listing = client.get(ADMIN).content.decode()
        assert text in detail and text in listing, code
        assert "a.m.." not in detail + listing and "p.m.." not in detail + listing


def test_supervisor_themes_in_the_admin_users_language(themes):
    supervisor = SupervisorFactory()
    supervisor.themes.set([themes["change"]])
    client = hr_client("sv")
    detail = client.get(f"/admin/tyonohjaus/supervisors/inspect/{supervisor.pk}/").text
    assert "Förändring i arbetet" in detail and "Muutos työssä" not in detail
    form = client.get(f"/admin/tyonohjaus/supervisors/edit/{supervisor.pk}/").text
    assert "Ny roll" in form and "Uusi rooli" not in form
