"""The plugin's own catalogues, read with polib, and the texts a response shows: shared by the
tests that look for a string left in the wrong language (issue 17 items 4 and 5)."""

import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "tyonohjaus_plugin" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
#: Attributes a reader sees or hears.
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value"}


@cache
def catalogue(language) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=0)


def shown(entry) -> list[str]:
    """What a reader sees of an entry: its translations, or (untranslated, as en is) the msgid."""
    texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    texts = [text for text in texts if text]
    return texts or [text for text in (entry.msgid, entry.msgid_plural) if text]


#: Contexts of msgids that are names of languages.
LANGUAGE_NAME_CONTEXTS = {"a supervisor who speaks"}


@cache
def only_in(language) -> tuple[set[str], list[re.Pattern]]:
    """The plugin's texts as a reader of ``language`` sees them that no other language shares
    (for fi: msgstrs that are neither the sv nor the en text; for en: msgids that fi and sv
    translate): plain texts, and patterns of those with placeholders. A reader in another
    language must never see one of them."""
    # Any text of another language, case aside (Wagtail capitalises verbose names: "text" is
    # the en "Text", and the sv "Text" of another msgid).
    shared = {
        " ".join(text.split()).casefold()
        for other in {"fi", "sv", "en"} - {language}
        for entry in catalogue(other)
        for text in shown(entry)
    }
    plain, patterns = set(), []
    for entry in catalogue(language):
        # Language names ("English", "svenska") are on every screen in Wagtail's locale
        # switchers and choosers, whatever the reader's language.
        if entry.obsolete or entry.msgctxt in LANGUAGE_NAME_CONTEXTS:
            continue
        for text in shown(entry):
            text = " ".join(text.split())
            if not text or text.casefold() in shared:
                continue
            if PLACEHOLDER.search(text):
                parts = PLACEHOLDER.split(text)
                if len("".join(parts).strip()) < 5:
                    continue  # too little fixed text to tell a language by
                # A count ("%(count)s comments") is a number: "Add or show comments" is not it.
                counted = bool(entry.msgid_plural)
                values = [
                    r"[\d\s.,]+" if counted or placeholder.endswith("d") else ".+?"
                    for placeholder in PLACEHOLDER.findall(text)
                ]
                pattern = re.escape(parts[0]) + "".join(
                    value + re.escape(part) for value, part in zip(values, parts[1:], strict=True)
                )
                patterns.append(re.compile(pattern, re.S))
            else:
                plain.add(text)
    return plain, patterns


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._skip, self._json = [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
            self._json = tag == "script" and attrs.get("type") == "application/json"
        for name, value in attrs.items():
            if name in SHOWN_ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
            self._json = False

    def handle_data(self, data):
        if self._json:
            self.texts.extend(_json_strings(json.loads(data)) if data.strip() else [])
        elif not self._skip:
            self.texts.append(data)


#: Keys of JSON data whose values a reader sees (Wagtail's sidebar: labels; the rest of the
#: data is identifiers, icon names and URLs).
SHOWN_KEYS = {"label", "footer_text", "title", "text", "sublabel"}


def _json_strings(value, key=None):
    if isinstance(value, str):
        if key in SHOWN_KEYS:
            yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _json_strings(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, key)


def shown_texts(html: str) -> list[str]:
    """Text nodes (charts are SVG: theirs too), shown attributes and the shown strings of JSON
    data (Wagtail's sidebar) of an HTML page, whitespace collapsed."""
    parser = _Texts()
    parser.feed(html)
    return [text for text in (" ".join(t.split()) for t in parser.texts) if text]


def foreign(texts, language) -> list[str]:
    """The texts that are one of ``language``'s own strings (a whole text, or a long one inside
    a longer text)."""
    plain, patterns = only_in(language)
    found = []
    for text in texts:
        if text in plain or any(pattern.fullmatch(text) for pattern in patterns):
            found.append(text)
        elif len(text) > 24 and any(len(s) >= 20 and s in text for s in plain):
            found.append(text)
    return found


def wrong_language(texts, language) -> dict[str, list[str]]:
    """``{other language: its own texts found}`` in a page meant to be in ``language``."""
    found = {other: foreign(texts, other) for other in ("fi", "sv", "en") if other != language}
    return {other: texts for other, texts in found.items() if texts}


def coverage(app="tyonohjaus_plugin") -> dict[str, tuple[int, int]]:
    """``{language: (translated, total)}`` of an app's catalogues, obsolete entries left out
    and fuzzy ones counted as untranslated (as gettext uses them)."""
    root = LOCALE.parent.parent / app / "locale"
    figures = {}
    for language in ("fi", "sv", "en"):
        po = polib.pofile(str(root / language / "LC_MESSAGES" / "django.po"), wrapwidth=0)
        entries = [entry for entry in po if not entry.obsolete]
        figures[language] = (sum(entry.translated() for entry in entries), len(entries))
    return figures


#: Wagtail's own English, not the plugin's: the slim header's ``aria-label="Actions"`` is
#: hard-coded in wagtailadmin/shared/headers/_actions.html (8.0.1), and its side panel's hidden
#: counter reads "None" until its script runs.
WAGTAIL_HARDCODED = {"Actions", "None"}


#: Wagtail's usage screens (of a round, a privacy notice) name each row with ``str()``, and an
#: application's ``str()`` stays language-free for audit-log labels. Left for a later change.
USAGE_ROW = re.compile(r"Application #\d+")


def check_pages(client, paths, language, *, data=()):
    """GET each path as ``client``; return the paths opened (200, HTML), ``{path: {other
    language: texts}}`` of the texts in the wrong language, and the plugin templates rendered.
    ``data``: texts that are the site's content, not the catalogue's (a page's title)."""
    opened, problems, templates = [], {}, set()
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        templates.update(
            template.name
            for template in response.templates
            if (template.name or "").startswith("tyonohjaus_plugin/")
        )
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "<html" in html:  # full pages; results/ views answer with a fragment
            assert re.search(rf'<html lang="{language}"', html), path
        opened.append(path)
        usage_of_another_model = "/usage/" in path and "/applications/" not in path
        texts = [
            text
            for text in shown_texts(html)
            if text not in WAGTAIL_HARDCODED | set(data)
            and not (usage_of_another_model and USAGE_ROW.fullmatch(text))
        ]
        if found := wrong_language(texts, language):
            problems[path] = found
    return opened, problems, templates
