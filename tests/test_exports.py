"""Every spreadsheet export, CSV and XLSX, with text XML 1.0 cannot carry (issue 14, item 7).

One U+FFFF in a feedback comment or an answer made the XLSX unreadable while the export was
logged as done. Each export is read back here: the XLSX with openpyxl's ``load_workbook`` (and
every part as XML), the CSV after its UTF-8 byte-order mark; no formula cells (RELIABILITY test
20); times local, to the second, in one format; the unit's name beside its code.
"""

import csv
import datetime
import io
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    EmployeeProfileFactory,
    UserFactory,
)
from tests.utils import group_for
from tyonohjaus_plugin.core.exports import (
    FORMULA_TRIGGERS,
    UTF8_BOM,
    SafeSpreadsheetExportMixin,
    neutralise,
    timestamp,
)
from tyonohjaus_plugin.models import Application, FeedbackResponse

pytestmark = pytest.mark.django_db

ADMIN = "/admin/tyonohjaus/applications/"
BULK = "/admin/bulk/tyonohjaus_plugin/application/export/"
SUMMARY = "/admin/tyonohjaus/feedback/"
RESPONSES = "/admin/tyonohjaus/feedback/comments/"

#: NUL cannot be stored in PostgreSQL text at all (Django's form fields refuse it first).
NUL = "" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "\x00"
#: Characters XML 1.0 forbids: non-characters, C0 controls (NUL too); a trigger behind them.
BROKEN = f"Ei\uffff toimi\ufffe{NUL}\x01\x08\x0b\x0c\x1f loppu"
BROKEN_CLEAN = "Ei toimi loppu"
HIDDEN_FORMULA = '\uffff=HYPERLINK("http://x")'
SUBMITTED = datetime.datetime(2026, 10, 5, 9, 7, 3, 654321, tzinfo=datetime.UTC)
#: 09:07:03 UTC is 12:07:03 in Helsinki (summer time), the test settings' time zone.
SUBMITTED_LOCAL = "2026-10-05 12:07:03"


@pytest.fixture
def hr_client(db):
    user = UserFactory(username="hr")
    user.groups.add(group_for("hr"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def broken_application(db):
    applicant = UserFactory(first_name="Äijä\uffff", last_name="Öljy")
    EmployeeProfileFactory(user=applicant, unit_code="H1\x01", unit_name="Henkilöstö\uffffpalvelut")
    application = ApplicationFactory(
        applicant=applicant,
        round=None,
        situation=BROKEN,
        goals=HIDDEN_FORMULA,
        availability=f"{NUL}\x01-1",
        off_round_reason="Kiire",
    )
    Application.objects.filter(pk=application.pk).update(submitted_at=SUBMITTED)
    ApplicationParticipantFactory(application=application, status="confirmed")
    return application


@pytest.fixture
def broken_feedback(service_pages):
    for comment in (BROKEN, HIDDEN_FORMULA):
        FeedbackResponse.objects.create(
            page=service_pages["fi"],
            locale=service_pages["fi"].locale,
            found_information=False,
            comment=comment,
            created_on=datetime.date(2026, 10, 5),
        )


def body_of(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_xlsx(response):
    body = body_of(response)
    with zipfile.ZipFile(io.BytesIO(body)) as package:  # every part is well-formed XML
        for name in package.namelist():
            ElementTree.fromstring(package.read(name))  # noqa: S314 (our own output)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.data_type for cell in cells].count("f") == 0
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = body_of(response)
    assert body.startswith(UTF8_BOM)
    return list(csv.reader(io.StringIO(body.removeprefix(UTF8_BOM).decode(), newline="")))


def texts(rows):
    return [value for row in rows for value in row if isinstance(value, str)]


def assert_clean(rows):
    """No cell holds a character XML forbids, none starts as a formula."""
    for text in texts(rows):
        assert neutralise(text) == text or text.startswith("'"), repr(text)
        assert "\uffff" not in text and "\x00" not in text and "\x01" not in text, repr(text)
        assert not text.startswith(FORMULA_TRIGGERS), repr(text)


def export(client, url, export_format):
    if url == BULK:
        ids = "&".join(f"id={pk}" for pk in Application.objects.values_list("pk", flat=True))
        return client.post(f"{BULK}?{ids}", {"format": export_format})
    return client.get(f"{url}?export={export_format}")


@pytest.mark.parametrize("url", [ADMIN, BULK])
def test_application_exports_round_trip_text_xml_cannot_carry(hr_client, broken_application, url):
    xlsx = read_xlsx(export(hr_client, url, "xlsx"))
    rows = read_csv(export(hr_client, url, "csv"))
    for sheet in (xlsx, rows):
        assert len(sheet) == 2
        assert_clean(sheet)
        cells = texts(sheet)
        assert BROKEN_CLEAN in cells
        assert '\'=HYPERLINK("http://x")' in cells
        assert "'-1" in cells
        assert "Äijä Öljy" in cells
    # Both formats hold the same cells (XLSX leaves empty cells out and keeps numbers and times
    # typed; a time's text is the CSV's).
    for xlsx_row, csv_row in zip(xlsx, rows, strict=True):
        assert ["" if value is None else str(value) for value in xlsx_row] == csv_row


def test_csv_times_are_local_to_the_second_and_units_have_names(hr_client, broken_application):
    rows = read_csv(hr_client.get(f"{ADMIN}?export=csv"))
    heading = dict(zip(rows[0], rows[1], strict=True))
    assert heading["Lähetetty"] == SUBMITTED_LOCAL
    columns = rows[0]
    code, name = columns.index("Yksikön koodi"), columns.index("Yksikkö")
    assert name == code + 1  # the unit's name beside its code
    assert rows[1][code] == "H1"
    assert rows[1][name] == "Henkilöstöpalvelut"

    xlsx = read_xlsx(hr_client.get(f"{ADMIN}?export=xlsx"))
    submitted = xlsx[1][xlsx[0].index("Lähetetty")]
    assert submitted == datetime.datetime(2026, 10, 5, 12, 7, 3)
    assert xlsx[1][xlsx[0].index("Yksikkö")] == "Henkilöstöpalvelut"


@pytest.mark.parametrize("url", [SUMMARY, RESPONSES])
def test_feedback_exports_round_trip_text_xml_cannot_carry(
    admin_client, broken_feedback, service_pages, url
):
    xlsx = read_xlsx(export(admin_client, url, "xlsx"))
    rows = read_csv(export(admin_client, url, "csv"))
    for sheet in (xlsx, rows):
        assert_clean(sheet)
        if url == RESPONSES:
            assert BROKEN_CLEAN in texts(sheet)
            assert '\'=HYPERLINK("http://x")' in texts(sheet)
        else:
            assert service_pages["fi"].title in texts(sheet)


def test_every_character_xml_forbids_is_dropped():
    """XML 1.0's Char production: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 up."""
    for code in [*range(0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]:
        character = chr(code)
        allowed = character in "\t\n\r"
        assert neutralise(f"a{character}b") == (f"a{character}b" if allowed else "ab"), hex(code)
        if ILLEGAL_CHARACTERS_RE.match(character):  # openpyxl's own list is covered
            assert not allowed
    for character in ("\u00e4", "\ud7ff", "\ue000", "\ufffd", "\U0001f600"):
        assert neutralise(f"a{character}b") == f"a{character}b"


def test_one_function_for_text_and_one_for_times():
    assert neutralise("a\ufffeb\ud800c\x1fd") == "abcd"
    assert neutralise("\x00\t=1") == "'\t=1"  # stripped first, then neutralised
    assert neutralise("tab\tinside\nand\rnewlines") == "tab\tinside\nand\rnewlines"
    assert neutralise(-1) == -1
    zone = timezone.get_current_timezone()
    assert timestamp(SUBMITTED, zone) == datetime.datetime(2026, 10, 5, 12, 7, 3)
    assert timestamp(datetime.datetime(2026, 1, 1, 8, 0, 0, 5)) == datetime.datetime(2026, 1, 1, 8)


def admin_views():
    """Every class-based view under Wagtail admin's URLs (the plugin's and Wagtail's own)."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is not None:
                    yield pattern, view_class

    return list(walk(get_resolver().url_patterns))


def test_every_plugin_export_view_writes_its_cells_through_the_safe_mixin():
    """A plugin view that offers an export (``list_export``) uses ``SafeSpreadsheetExportMixin``;
    Wagtail's index views without ``list_export`` offer none."""
    exporting = []
    for pattern, view_class in admin_views():
        if not view_class.__module__.startswith("tyonohjaus_plugin"):
            continue
        if issubclass(view_class, SpreadsheetExportMixin) and view_class.list_export:
            exporting.append(view_class)
            assert issubclass(view_class, SafeSpreadsheetExportMixin), pattern
    names = {view_class.__name__ for view_class in exporting}
    assert {"FeedbackSummaryView", "FeedbackResponsesView"} <= names
