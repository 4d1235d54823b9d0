"""HR's applications listing and exports: a fixed number of queries, and safe, faithful cells.

Timings live in ``benchmarks/admin_exports.py``; these tests pin what can be counted.
"""

import csv
import datetime
import io
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    EmployeeProfileFactory,
    UserFactory,
)
from tests.utils import group_for
from tyonohjaus_plugin.applications.admin.spreadsheet import (
    COLUMNS,
    CONFIDENTIAL_COLUMNS,
    ApplicationSpreadsheet,
    with_listing_data,
)
from tyonohjaus_plugin.core.exports import FORMULA_TRIGGERS, UTF8_BOM
from tyonohjaus_plugin.models import (
    Application,
    Theme,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/tyonohjaus/applications/"
#: The listing as Wagtail's own form submissions listing needs 13.
MAX_LISTING_QUERIES = 15
#: The listing's queries, the audit record (a transaction) and the export's three reads.
MAX_EXPORT_QUERIES = 20
LISTINGS = [
    "",
    "?status=submitted&status=in_review",
    "?q=virtanen",
    "?status=submitted&status=in_review&format=group&q=virtanen",
    "?unit=h1&language=fi&round={round}",
]
#: Columns that hold numbers (the application id and the people count).
NUMERIC_COLUMNS = (0, 5)


@pytest.fixture
def hr(db):
    # HR's application permissions only: the listing's query count depends on the menu.
    group = group_for("hr", models=["application"], name="Test HR")
    user = UserFactory(username="hr")
    user.groups.add(group)
    return user


@pytest.fixture
def hr_client(hr):
    client = Client()
    client.force_login(hr)
    return client


@pytest.fixture
def themes(db):
    locale, _created = Locale.objects.get_or_create(language_code="fi")
    return [
        Theme.objects.create(name=name, sort_order=order, locale=locale)
        for order, name in enumerate(["Muutos työssä", "Esihenkilötyö", "Jaksaminen"])
    ]


@pytest.fixture
def rounds(db):
    return [
        ApplicationRoundFactory(name="Kevät 2026", state="closed"),
        ApplicationRoundFactory(name="Syksy 2026"),
    ]


def add_applications(count, rounds, themes, start=0):
    """``count`` applications like real ones: groups with colleagues, units, themes, rounds."""
    for i in range(start, start + count):
        group = i % 3 == 1
        application = ApplicationFactory(
            round=rounds[i % 2] if i % 5 else None,
            applicant=UserFactory(last_name="Virtanen" if i % 2 else "Laine"),
            format="group" if group else "individual",
            status="in_review" if i % 4 == 0 else "submitted",
            languages=["fi", "en"] if i % 2 else ["fi"],
            situation=f"Tilanne {i}, pitkä kuvaus. " * 20,
            off_round_reason="" if i % 5 else "Kiireellinen",
        )
        application.themes.set(themes[: i % 4])
        EmployeeProfileFactory(user=application.applicant, unit_code=f"H{i % 3}")
        if group:
            for _ in range(2):
                ApplicationParticipantFactory(application=application)  # invited


def queries_for(client, url):
    """SQL statements for one GET after a warm-up (the whole body of an export consumed)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return [query["sql"] for query in context.captured_queries]


def listing_urls(rounds):
    return [ADMIN + query.format(round=rounds[1].pk) for query in LISTINGS]


def rows_shown(client, url):
    content = client.get(url).content.decode()
    pks = Application.objects.values_list("pk", flat=True)
    return sum(f"{ADMIN}inspect/{pk}/" in content for pk in pks)


# -- query counts -------------------------------------------------------------------------------


def test_listing_queries_are_few_and_do_not_grow_with_rows(hr_client, rounds, themes):
    add_applications(3, rounds, themes)
    assert all(rows_shown(hr_client, url) for url in listing_urls(rounds))  # none is empty
    small = {url: len(queries_for(hr_client, url)) for url in listing_urls(rounds)}
    add_applications(57, rounds, themes, start=3)
    assert rows_shown(hr_client, ADMIN) >= 20  # a full page, so a query per row would show
    large = {url: len(queries_for(hr_client, url)) for url in listing_urls(rounds)}
    assert large == small
    assert max(large.values()) <= MAX_LISTING_QUERIES, large


def test_listing_with_a_theme_filter_stays_within_the_query_budget(hr_client, rounds, themes):
    add_applications(3, rounds, themes)
    url = f"{ADMIN}?theme={themes[0].translation_key}"
    small = len(queries_for(hr_client, url))
    add_applications(57, rounds, themes, start=3)
    large = len(queries_for(hr_client, url))
    assert large == small
    assert large <= MAX_LISTING_QUERIES


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_rows(hr_client, rounds, themes, export_format):
    urls = [f"{ADMIN}?export={export_format}", f"{ADMIN}?export={export_format}&status=submitted"]
    add_applications(3, rounds, themes)
    small = {url: len(queries_for(hr_client, url)) for url in urls}
    add_applications(57, rounds, themes, start=3)
    large = {url: len(queries_for(hr_client, url)) for url in urls}
    assert large == small
    assert max(large.values()) <= MAX_EXPORT_QUERIES, large


def test_bulk_export_queries_do_not_grow_with_rows(hr_client, rounds, themes):
    def bulk_queries():
        ids = "&".join(f"id={pk}" for pk in Application.objects.values_list("pk", flat=True))
        url = f"/admin/bulk/tyonohjaus_plugin/application/export/?{ids}"
        with CaptureQueriesContext(connection) as context:
            response = hr_client.post(url, {"format": "csv"})
            b"".join(response.streaming_content)
        return len(context.captured_queries)

    add_applications(3, rounds, themes)
    bulk_queries()
    small = bulk_queries()
    add_applications(57, rounds, themes, start=3)
    assert bulk_queries() == small


# -- what the cells hold ------------------------------------------------------------------------

DANGEROUS = {
    "situation": '=HYPERLINK("http://example.org")',
    "goals": "+358 40 123",
    "supervisor_wishes": "-1",
    "availability": "@SUM(A1)",
    "hr_note": "\t=1+1",
    "off_round_reason": "\rcmd|' /C calc'!A0",
}


@pytest.fixture
def dangerous(db, rounds, themes):
    """Applications whose every text column starts with a formula trigger."""
    locale = themes[0].locale
    trigger_theme = Theme.objects.create(name="|Teema", sort_order=9, locale=locale)
    applicant = UserFactory(first_name="%Etu", last_name="Suku", email="-x@example.org")
    off_round = ApplicationFactory(round=None, applicant=applicant, languages=["=fi"], **DANGEROUS)
    off_round.themes.set([trigger_theme])
    EmployeeProfileFactory(user=applicant, unit_code="=H1")
    rounds[0].name = "+Kierros"
    rounds[0].save()
    in_round = ApplicationFactory(
        round=rounds[0],
        format="group",
        situation='Rivi 1,\nrivi 2 "lainaus" & <tagi> ja CR\r\nloppuu',
        goals="Ohjauskeskustelu\x01 merkillä",
    )
    in_round.themes.set(themes)
    ApplicationParticipantFactory(application=in_round, status="confirmed")
    return off_round, in_round


def read_csv(response):
    """The CSV's text after its byte-order mark (Excel needs it to read UTF-8)."""
    body = b"".join(response.streaming_content)
    assert body.startswith(UTF8_BOM)
    body = body.removeprefix(UTF8_BOM)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def read_xlsx(response):
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as package:  # every part is well-formed XML
        for name in package.namelist():
            ElementTree.fromstring(package.read(name))  # noqa: S314 (our own output)
    return openpyxl.load_workbook(io.BytesIO(body)).active


def assert_neutralised(rows):
    """No text cell starts with a trigger: each such value carries an apostrophe in front."""
    for row in rows[1:]:
        for index, cell in enumerate(row):
            if isinstance(cell, str) and index not in NUMERIC_COLUMNS:
                assert not cell.startswith(FORMULA_TRIGGERS), (index, cell)


def test_csv_export_neutralises_every_text_cell(hr_client, dangerous):
    off_round, in_round = dangerous
    body, rows = read_csv(hr_client.get(f"{ADMIN}?export=csv"))
    assert len(rows) == 3
    assert_neutralised(rows)
    headings = rows[0]
    cells = {int(row[0]): dict(zip(headings, row, strict=True)) for row in rows[1:]}
    exported = cells[off_round.pk]
    with translation.override("fi"):
        heading = {column.key: str(column.heading) for column in COLUMNS + CONFIDENTIAL_COLUMNS}
    for field, value in DANGEROUS.items():
        assert exported[heading[field]] == "'" + value
    assert exported[heading["applicant"]] == "'%Etu Suku"
    assert exported[heading["email"]] == "'-x@example.org"
    assert exported[heading["unit"]] == "'=H1"
    assert exported[heading["languages"]] == "'=fi"
    assert exported[heading["themes"]] == "'|Teema"
    assert cells[in_round.pk][heading["round"]] == "'+Kierros"
    assert cells[in_round.pk][heading["situation"]] == in_round.situation
    # a control character XML cannot hold is dropped from CSV cells too: both formats agree
    assert cells[in_round.pk][heading["goals"]] == "Ohjauskeskustelu merkillä"
    for row in rows[1:]:
        assert row[0].isdigit() and row[5].isdigit()
    assert cells[in_round.pk][heading["members"]] == "2"


def test_csv_is_quoted_exactly_as_the_csv_module_quotes(hr_client, dangerous):
    body, rows = read_csv(hr_client.get(f"{ADMIN}?export=csv"))
    expected = io.StringIO()
    csv.writer(expected).writerows(rows)
    assert body.decode("utf-8") == expected.getvalue()


def test_xlsx_export_has_no_formulas_and_keeps_numbers(hr_client, dangerous):
    off_round, in_round = dangerous
    sheet = read_xlsx(hr_client.get(f"{ADMIN}?export=xlsx"))
    with translation.override("fi"):
        assert sheet.title == str(_("Applications"))
    cells = [list(row) for row in sheet.iter_rows()]
    assert [cell.data_type for row in cells for cell in row].count("f") == 0
    rows = [[cell.value for cell in row] for row in cells]
    assert len(rows) == 3
    assert_neutralised(rows)
    headings = rows[0]
    by_id = {row[0]: dict(zip(headings, row, strict=True)) for row in rows[1:]}
    with translation.override("fi"):
        heading = {column.key: str(column.heading) for column in COLUMNS + CONFIDENTIAL_COLUMNS}
    for field, value in DANGEROUS.items():
        # XML parsers read a raw CR as LF; the apostrophe in front is what matters
        assert by_id[off_round.pk][heading[field]] == "'" + value.replace("\r", "\n")
    for row in rows[1:]:
        assert isinstance(row[0], int) and isinstance(row[5], int)
    assert by_id[in_round.pk][heading["members"]] == 2
    # text survives escaping (a CR reads back as LF); a control character XML cannot hold
    # is dropped
    expected_text = in_round.situation.replace("\r\n", "\n").replace("\r", "\n")
    assert by_id[in_round.pk][heading["situation"]] == expected_text
    assert by_id[in_round.pk][heading["goals"]] == "Ohjauskeskustelu merkillä"
    submitted = by_id[in_round.pk][heading["submitted_at"]]
    expected = timezone.make_naive(in_round.submitted_at).replace(microsecond=0)
    assert isinstance(submitted, datetime.datetime)
    assert submitted == expected


def test_fast_rows_equal_the_columns_read_from_each_application(hr, rounds, themes, dangerous):
    """The export reads the database directly; it must give what ``COLUMNS`` says."""
    add_applications(12, rounds, themes)
    spreadsheet = ApplicationSpreadsheet(hr)
    with translation.override("fi"):
        queryset = spreadsheet.prepare(with_listing_data(Application.objects.visible_to(hr)))
        assert spreadsheet.uses_fast_rows()
        fast = list(spreadsheet.rows(queryset))
        slow = [spreadsheet.row_values(item) for item in queryset.prefetch_related("themes")]
    assert len(fast) == 14
    assert fast == slow


def test_a_subclass_with_its_own_cells_takes_the_instance_path(hr, dangerous):
    class Shouting(ApplicationSpreadsheet):
        def row_values(self, item):
            return [str(value).upper() for value in super().row_values(item)]

    spreadsheet = Shouting(hr)
    queryset = spreadsheet.prepare(Application.objects.visible_to(hr))
    assert not spreadsheet.uses_fast_rows()
    rows = list(spreadsheet.rows(queryset))
    assert '\'=HYPERLINK("HTTP://EXAMPLE.ORG")' in rows[-1] + rows[0]


def test_assistant_exports_get_no_confidential_columns(dangerous):
    assistant = UserFactory(username="assistant")
    group = Group.objects.create(name="Assistants")
    codenames = ["access_admin", "view_application", "export_applications"]
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    assistant.groups.add(group)
    client = Client()
    client.force_login(assistant)
    _body, rows = read_csv(client.get(f"{ADMIN}?export=csv"))
    assert len(rows[0]) == len(COLUMNS)
    sheet = read_xlsx(client.get(f"{ADMIN}?export=xlsx"))
    assert sheet.max_column == len(COLUMNS)
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert not any(isinstance(v, str) and "HYPERLINK" in v for v in values)


def test_names_of_a_user_model_of_its_own_come_from_person_name(hr, dangerous, monkeypatch):
    """A user model that names people its own way: names by ``person_name``, one more query."""
    from tyonohjaus_plugin.applications.admin import spreadsheet as application_exports

    spreadsheet = ApplicationSpreadsheet(hr)
    queryset = spreadsheet.prepare(Application.objects.visible_to(hr))
    expected = list(spreadsheet.rows(queryset))
    monkeypatch.setattr(application_exports, "AbstractUser", type("OtherUser", (), {}))
    assert application_exports.applicant_names(queryset) is not None
    assert list(spreadsheet.rows(queryset)) == expected
