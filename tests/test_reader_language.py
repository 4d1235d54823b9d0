"""A round's name and a theme read in the reader's language on every screen (issue 17 item 2).

One application, submitted in the reader's language, is read in fi, sv and en: on the service
page's form, in My applications, in the receipt e-mail, in HR's listing and its theme filter, in
the CSV and XLSX exports (headings and cells) and in the matching reasons. Each place shows the
reader's names and, in sv and en, never the Finnish ones.
"""

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.factories import (
    ApplicationRoundFactory,
    EmployeeProfileFactory,
    PrivacyNoticeFactory,
    UserFactory,
)
from tests.test_exports import read_csv, read_xlsx
from tests.test_locales import hr_client
from tests.utils import APPLICATION_FORM
from tyonohjaus_plugin.matching.reasons import ReasonTexts
from tyonohjaus_plugin.models import Application, Theme

pytestmark = pytest.mark.django_db

ADMIN = "/admin/tyonohjaus/applications/"
LANGUAGES = ["fi", "sv", "en"]
ROUND = {"fi": "Kevät 2027", "sv": "Våren 2027", "en": "Spring 2027"}
THEME = {"fi": "Muutos työssä", "sv": "Förändring i arbetet", "en": "Change at work"}
OTHER_THEME = {"fi": "Uusi rooli", "sv": "Ny roll", "en": "New role"}
#: The export's headings of these columns, as the reader's catalogue has them.
HEADINGS = {"fi": ("Hakukierros", "Teemat"), "sv": ("Omgång", "Teman"), "en": ("Round", "Themes")}


def absent_finnish(language, content):
    """In sv and en, none of the Finnish names (fi reads them, of course)."""
    if language != "fi":
        for name in (ROUND["fi"], THEME["fi"], OTHER_THEME["fi"]):
            assert name not in content, (language, name)


@pytest.fixture
def themes(locales):
    rows = {}
    for order, names in enumerate((THEME, OTHER_THEME), 1):
        fi = Theme.objects.create(name=names["fi"], locale=locales["fi"], sort_order=order)
        for code in ("sv", "en"):
            Theme.objects.create(
                name=names[code],
                locale=locales[code],
                translation_key=fi.translation_key,
                sort_order=order,
            )
        rows[names["en"]] = fi
    return rows


@pytest.fixture
def world(service_pages, locales, themes, django_capture_on_commit_callbacks, request):
    """An application sent through the reader's own page, by an applicant who reads it too."""
    language = request.param
    for page in service_pages.values():
        page.applications_enabled = True
        page.save_revision().publish()
    for code in LANGUAGES:
        PrivacyNoticeFactory(locale=locales[code])
    round = ApplicationRoundFactory(
        service_key=service_pages["fi"].translation_key,
        name=ROUND["fi"],
        name_translations={"sv": ROUND["sv"], "en": ROUND["en"]},
    )
    applicant = UserFactory(email="anna@example.org")
    EmployeeProfileFactory(user=applicant, preferred_language=language)
    client = Client()
    client.force_login(applicant)
    page = service_pages[language]
    form = client.get(page.url).content.decode()
    key = str(themes["Change at work"].translation_key)
    data = {**APPLICATION_FORM, "themes": [key]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{language}/hr/apply/{page.pk}/", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    return {
        "language": language,
        "form": form,
        "client": client,
        "round": round,
        "key": key,
        "application": Application.objects.get(),
    }


reader = pytest.mark.parametrize("world", LANGUAGES, indirect=True, ids=LANGUAGES)


@reader
def test_the_service_page_form(world):
    language, form = world["language"], world["form"]
    assert ROUND[language] in form
    for name in (THEME[language], OTHER_THEME[language]):
        assert f"> {name}</label>" in form  # the checkbox's label
    absent_finnish(language, form)


@reader
def test_my_applications(world):
    language = world["language"]
    content = world["client"].get(f"/{language}/hr/my-applications/").content.decode()
    assert ROUND[language] in content and THEME[language] in content
    absent_finnish(language, content)


@reader
def test_the_receipt_email(world):
    language = world["language"]
    (receipt,) = [m for m in mail.outbox if "anna@example.org" in m.to[0]]
    html = receipt.alternatives[0][0] if receipt.alternatives else ""
    for body in (receipt.body, html):
        assert ROUND[language] in body
        absent_finnish(language, receipt.subject + body)


@reader
def test_the_hr_listing_and_its_theme_filter(world):
    language, key = world["language"], world["key"]
    client = hr_client(language)
    listing = client.get(ADMIN).content.decode()
    assert ROUND[language] in listing
    assert f'value="{key}">{THEME[language]}<' in listing  # the filter's choice
    filtered = client.get(f"{ADMIN}?theme={key}").content.decode()
    assert f"application_{world['application'].pk}_title" in filtered
    detail = client.get(f"{ADMIN}inspect/{world['application'].pk}/").content.decode()
    assert THEME[language] in detail and ROUND[language] in detail
    for content in (listing, filtered, detail):
        absent_finnish(language, content)


@reader
def test_the_exports(world):
    language = world["language"]
    client = hr_client(language)
    round_heading, themes_heading = HEADINGS[language]
    for rows in (
        read_csv(client.get(f"{ADMIN}?export=csv")),
        read_xlsx(client.get(f"{ADMIN}?export=xlsx")),
    ):
        heading = rows[0]
        (row,) = rows[1:]
        assert row[heading.index(round_heading)] == ROUND[language]
        assert row[heading.index(themes_heading)] == THEME[language]
        absent_finnish(language, str(rows))


@reader
def test_the_matching_reasons(world):
    language, key = world["language"], world["key"]
    with translation.override(language):
        text = ReasonTexts().pair_text(("covers_theme", {"rank": 1, "theme": key}))
    assert text.endswith(f": {THEME[language]}")
    absent_finnish(language, text)
