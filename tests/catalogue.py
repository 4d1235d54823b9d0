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


def translations(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _key(entry):
    return (entry.msgctxt, entry.msgid)


@cache
def only_in(language) -> tuple[set[str], list[re.Pattern]]:
    """The plugin's texts in ``language`` that no other language shares (for fi: msgstrs that
    differ from the msgid, the sv text and the en text): plain texts, and patterns of those
    with placeholders. A reader in another language must never see one of them."""
    others = {}
    for other in {"fi", "sv", "en"} - {language}:
        for entry in catalogue(other):
            texts = [t for t in translations(entry) if t] or [entry.msgid]
            others.setdefault(_key(entry), set()).update(texts)
    plain, patterns = set(), []
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        shared = others.get(_key(entry), set()) | {entry.msgid, entry.msgid_plural}
        for text in translations(entry):
            text = " ".join(text.split())
            if not text or text in shared:
                continue
            if PLACEHOLDER.search(text):
                parts = PLACEHOLDER.split(text)
                if len("".join(parts).strip()) < 5:
                    continue  # too little fixed text to tell a language by
                parts = [re.escape(part) for part in parts]
                patterns.append(re.compile(".+?".join(parts), re.S))
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


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def shown_texts(html: str) -> list[str]:
    """Text nodes, shown attributes and the strings of JSON data (charts, Wagtail's config) of
    an HTML page, whitespace collapsed."""
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
