"""Catalogues: compiled, complete for fi and sv, and placeholders always named."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
SOURCES = [
    path
    for path in (*ROOT.glob("tyonohjaus_plugin/**/*.py"), *ROOT.glob("example_site/**/*.py"))
    if "migrations" not in path.parts
]
needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext is not installed (CI installs it)"
)


def test_every_language_has_catalogues():
    found = {(path.parts[-5], path.parts[-3]) for path in CATALOGUES}
    assert found == {
        (app, lang) for app in ("tyonohjaus_plugin", "example_site") for lang in ("fi", "sv", "en")
    }
    for path in CATALOGUES:
        assert path.with_suffix(".mo").exists(), path


@needs_gettext
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: "/".join(path.parts[-5:-2]))
def test_mo_is_compiled_from_po(po):
    compiled = subprocess.run(
        ["msgfmt", "--check-format", "-o", "-", str(po)], check=True, capture_output=True
    ).stdout
    assert compiled == po.with_suffix(".mo").read_bytes(), "run `make messages` and commit"


@needs_gettext
@pytest.mark.parametrize(
    "po",
    [path for path in CATALOGUES if path.parts[-3] in ("fi", "sv")],
    ids=lambda path: "/".join(path.parts[-5:-2]),
)
def test_finnish_and_swedish_are_complete(po):
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


ANONYMOUS_PLACEHOLDER = re.compile(r"(?<!%)%(?![%(])[-#0 +]*\d*(?:\.\d+)?[sdif]|\{\d*\}")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: "/".join(path.parts[-5:-2]))
def test_placeholders_are_named(po):
    for line in po.read_text().splitlines():
        if line.startswith(("msgid ", "msgstr ")):
            assert not ANONYMOUS_PLACEHOLDER.search(line), f"{po}: {line}"


GETTEXT_CALL_WITH_FORMATTING = re.compile(
    r"\b(?:_|gettext|gettext_lazy|ngettext|pgettext)\(\s*f[\"']"  # f-string inside gettext
    r"|\b(?:_|gettext|gettext_lazy)\([^()]*\)\.format\("  # .format() on a translated string
)


def test_no_fstrings_or_format_in_gettext_calls():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in SOURCES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if GETTEXT_CALL_WITH_FORMATTING.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "URL kopioitu"), ("sv", "URL kopierad"), ("en", "URL copied")],
)
def test_compiled_catalogue_is_used(language, expected):
    with translation.override(language):
        assert translation.gettext("URL copied") == expected
