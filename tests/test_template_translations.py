"""No untranslated string from the plugin's catalogue on any plugin template (issue 17 item 5).

The catalogues: every entry of fi and sv translated (en is the source language; an en msgstr is
needed only where a msgid is not English). The templates: every template under
tyonohjaus_plugin/templates is rendered in fi, sv and en, through its view where it has one (the
employee's pages in each language; the admin in Finnish here, in sv and en in
test_admin_language), else directly (e-mails, blocks, includes), and no text in one language is
a text only another language has (for fi and sv: a msgid left untranslated).
Coverage figures: ``python scripts/catalogue_coverage.py``.
"""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from tests.catalogue import catalogue, check_pages, coverage, foreign, shown_texts, wrong_language
from tests.plugin_urls import build_site, client_for, fill, plugin_routes, real_value
from tyonohjaus_plugin.models import Application, ApplicationRound, Meeting, Supervisor

TEMPLATES = Path(__file__).resolve().parent.parent / "tyonohjaus_plugin" / "templates"
ALL_TEMPLATES = sorted(
    str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*") if path.is_file()
)
LANGUAGES = ("fi", "sv", "en")
#: The test site's Finnish content that happens to be a catalogue string too: the fi page's
#: title, and a label of its facts block (copied as is into the sv and en pages).
CONTENT = ["Työnohjaus", "Tapaamiset"]


@pytest.mark.parametrize("app", ["tyonohjaus_plugin", "example_site"])
def test_finnish_and_swedish_catalogues_are_complete(app):
    figures = coverage(app)
    for language in ("fi", "sv"):
        translated, total = figures[language]
        assert total > 0 and translated == total, (app, language, figures[language])


def test_english_needs_a_msgstr_only_where_the_msgid_is_not_english():
    """en is the source language: an empty msgstr shows the msgid. A msgid in Finnish or
    Swedish (words with letters English has not; "ä" alone is an example in an English
    sentence) would need an en msgstr."""
    not_english = re.compile(r"\w*[åäöÅÄÖ]\w*")
    missing = [
        entry.msgid
        for entry in catalogue("en")
        if not entry.obsolete
        and not entry.translated()
        and any(len(word) > 2 for word in not_english.findall(entry.msgid))
    ]
    assert missing == []


@pytest.fixture
def site(service_pages, locales):
    return build_site(service_pages["fi"], locales)


def employee_paths(route, real, language):
    return fill(route, real_value(route, real)).replace("/fi/", f"/{language}/", 1)


@pytest.mark.django_db
def test_every_plugin_template_in_each_language(site, service_pages):
    users, _ids, _tokens, _page, real = site
    rendered, problems = set(), {}
    colleague = get_user_model().objects.get(username="colleague")
    employee_routes = [r for r in plugin_routes() if r.startswith("fi/") and "invitations" not in r]
    invitation = [r for r in plugin_routes() if r.startswith("fi/") and "invitations" in r]
    for language in LANGUAGES:
        paths = [employee_paths(route, real, language) for route in employee_routes]
        paths.append(service_pages[language].url)
        for client, these in (
            (client_for(users["employee"]), paths),
            (client_for(colleague), [employee_paths(invitation[0], real, language)]),
        ):
            _opened, found, templates = check_pages(client, these, language, data=CONTENT)
            rendered |= templates
            problems.update({f"{language} {path}": texts for path, texts in found.items()})
    # The admin in Finnish (sv and en: test_admin_language).
    hr = users["hr"]
    hr.is_superuser = True  # every plugin screen opens
    hr.save()
    profile = UserProfile.get_for_user(hr)
    profile.preferred_language = "fi"
    profile.save()
    admin = [fill(r, real_value(r, real)) for r in plugin_routes() if r.startswith("admin/")]
    _opened, found, templates = check_pages(client_for(hr), admin, "fi", data=CONTENT)
    rendered |= templates
    problems.update({f"fi {path}": texts for path, texts in found.items()})

    # The rest (e-mails, blocks, includes no view rendered here) directly, with the site's rows.
    direct, failed = set(), {}
    context = direct_context(real, hr)
    for name in ALL_TEMPLATES:
        if name in rendered and not name.startswith("tyonohjaus_plugin/emails/"):
            continue
        for language in LANGUAGES:
            with translation.override(language):
                try:
                    output = render_to_string(name, context)
                except Exception as error:  # noqa: BLE001 (a template that needs its view)
                    failed[name] = f"{type(error).__name__}: {error}"
                    break
            texts = shown_texts(output) if name.endswith(".html") else output.splitlines()
            texts = [" ".join(text.split()) for text in texts if text.strip()]
            if found := wrong_language(texts, language):
                problems[f"{language} {name}"] = found
        else:
            direct.add(name)
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    covered = rendered | direct
    missing = [name for name in ALL_TEMPLATES if name not in covered]
    assert missing == [], json.dumps({name: failed.get(name) for name in missing}, indent=1)


def direct_context(real, user):
    """What the views and senders give the templates, enough to render every text."""
    request = RequestFactory().get("/")
    request.user = user
    application = Application.objects.get(pk=real["applications"])
    meeting = Meeting.objects.get(pk=real["meetings"])
    return {
        "request": request,
        "application": application,
        "round": ApplicationRound.objects.get(pk=real["rounds"]),
        "meeting": meeting,
        "engagement": meeting.engagement,
        "supervisor": Supervisor.objects.get(pk=real["supervisors"]),
        "recipient_name": "Anna",
        "service_title": "Palvelu",
        "now": timezone.now(),
        "waiting": 2,
        "days": 14,
        "this_language": {"responses": 3, "yes_share": 66.7},
        "all_languages": {"responses": 5, "yes_share": 60.0},
        "message": "Refused.",
    }


def test_the_check_finds_an_untranslated_msgid():
    """The check itself: an English msgid on a Swedish page is found, a Swedish text is not."""
    with translation.override("sv"):
        sentence = translation.gettext("This cannot be deleted while other records use it.")
    english = "This cannot be deleted while other records use it."
    assert wrong_language([english], "sv") == {"en": [english]}
    assert wrong_language([sentence], "sv") == {}
    assert foreign(shown_texts(f"<p title='{english}'>x</p>"), "en") == [english]
