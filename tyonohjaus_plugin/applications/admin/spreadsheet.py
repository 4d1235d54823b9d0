"""The applications spreadsheet: columns and values for the list and bulk exports.

Each ``Column`` in ``COLUMNS`` says once what it holds: its value read from one application,
and the same cell from the database fields the export reads instead (``values_list`` in chunks,
one query each for themes and participants, choice labels resolved once per export in a
``Context``). Adding a column is adding a ``Column``. Through model instances and Wagtail's
per-cell preprocessing, 10,000 applications took 7.9 s as CSV and 9.9 s as XLSX, against
0.7 s and 4.1 s now (``benchmarks/admin_exports.py``; the XLSX is openpyxl's per-cell cost).
The tests check that both paths give the same cells.
"""

import csv
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.mixins import Echo

from tyonohjaus_plugin.core.exports import SafeSpreadsheetExportMixin, neutralise, timestamp
from tyonohjaus_plugin.core.people import ANONYMISED, person_name
from tyonohjaus_plugin.models import (
    Application,
    ApplicationFormat,
    ApplicationParticipant,
    ApplicationStatus,
    SupervisorPreference,
    ThemeCatalogue,
)
from tyonohjaus_plugin.models.applications import CONFIDENTIAL_FIELDS
from tyonohjaus_plugin.models.rounds import localized_round_name
from tyonohjaus_plugin.permissions import can_view_confidential


def local(value):
    """Aware datetimes as naive local time to the second: spreadsheet programs know no time
    zones."""
    if isinstance(value, datetime.datetime):
        return timestamp(value)
    return value


def text(value, context):
    """The usual cell: the database value as it is, text neutralised."""
    return neutralise(value)


@dataclass(frozen=True)
class Column:
    """One column of the export, for both ways of filling it.

    ``value(application)`` is the cell read from a model instance (``row_values()`` neutralises
    it). The export itself reads ``fields`` with ``values_list`` and gets the same cell, ready to
    write, from ``cell(values, context)``: the field's value (a tuple of them for several fields)
    and the export's ``Context``. By default a column is the model's text field named ``key``.
    """

    key: str
    heading: str
    value: Callable[[Application], object] | None = None
    fields: tuple[str, ...] = ()
    cell: Callable[[object, "Context"], object] = text

    def __post_init__(self):
        if not self.fields:
            object.__setattr__(self, "fields", (self.key,))
        if self.value is None:
            object.__setattr__(self, "value", attrgetter(self.key))


def applicant_cell(values, context):
    applicant_id, first_name, last_name, username = values
    if applicant_id is None:
        return neutralise(str(ANONYMISED))
    if context.names is None:
        return neutralise(f"{first_name} {last_name}".strip() or username)
    return neutralise(context.names.get(applicant_id, ""))


#: Every column in order; the confidential ones are added for users who may read them.
COLUMNS = [
    Column("id", _("Application"), lambda a: a.pk, ("pk",)),
    Column(
        "round", _("Round"), lambda a: a.round.localized_name if a.round_id else "",
        ("round__name", "round__name_translations"),
        lambda name, c: "" if name[0] is None else neutralise(localized_round_name(*name)),
    ),
    Column(
        "off_round", _("Between rounds"), lambda a: str(_("yes")) if a.round_id is None else "",
        ("round_id",), lambda round_id, c: "" if round_id is not None else c.yes,
    ),
    Column(
        "status", _("Status"), lambda a: a.get_status_display(), ("status",),
        lambda status, c: c.statuses.get(status) or neutralise(status),
    ),
    Column(
        "format", _("Format"), lambda a: a.get_format_display(), ("format",),
        lambda value, c: c.formats.get(value) or neutralise(value),
    ),
    Column(
        "members", _("People"), lambda a: a.member_count, ("pk",), lambda pk, c: c.counts.get(pk)
    ),
    Column(
        "languages", _("Languages"), lambda a: ", ".join(a.languages), ("languages",),
        lambda languages, c: neutralise(", ".join(languages)),
    ),
    Column(
        "themes", _("Themes"), lambda a: ", ".join(ThemeCatalogue().names(a.themes.all())),
        ("pk",),
        lambda pk, c: neutralise(c.themes.get(pk, "")),
    ),
    Column(
        "applicant", _("Applicant"), lambda a: person_name(a.applicant),
        ("applicant_id", "applicant__first_name", "applicant__last_name", "applicant__username"),
        applicant_cell,
    ),
    Column(
        "email", _("E-mail"), lambda a: a.applicant.email if a.applicant else "",
        ("applicant__email",), lambda email, c: neutralise(email or ""),
    ),
    Column(
        "unit", _("Unit code"), lambda a: a.applicant_unit or "", ("pk",),
        lambda pk, c: neutralise(c.units.get(pk) or ""),
    ),
    Column(
        "unit_name", _("Unit"), lambda a: a.applicant_unit_name or "", ("pk",),
        lambda pk, c: neutralise(c.unit_names.get(pk) or ""),
    ),
    Column(
        "preference", _("Supervisor preference"),
        lambda a: a.get_supervisor_preference_display(),
        ("supervisor_preference",), lambda value, c: c.preferences.get(value) or neutralise(value),
    ),
    Column("availability", _("Availability")),
    Column(
        "submitted_at", _("Submitted"), lambda a: local(a.submitted_at), ("submitted_at",),
        lambda submitted_at, c: c.local(submitted_at),
    ),
    Column(
        "status_changed_at", _("Status changed"), lambda a: local(a.waiting_since),
        ("status_changed_at", "submitted_at"), lambda values, c: c.local(values[0] or values[1]),
    ),
    Column("hr_note", _("Internal note")),
]  # fmt: skip
CONFIDENTIAL_HEADINGS = {
    "situation": _("Current situation"),
    "goals": _("Goals"),
    "supervisor_wishes": _("Supervisor wishes"),
    "off_round_reason": _("Reason for applying between rounds"),
}
CONFIDENTIAL_COLUMNS = [Column(key, CONFIDENTIAL_HEADINGS[key]) for key in CONFIDENTIAL_FIELDS]
STANDARD_KEYS = [column.key for column in COLUMNS]
CONFIDENTIAL_KEYS = [column.key for column in CONFIDENTIAL_COLUMNS]


def xlsx_safe(value):
    """A cell value for openpyxl: empty text as no cell at all (openpyxl's cost is per cell).
    The text is already ``neutralise``d, so it holds nothing XML cannot carry."""
    if type(value) is str and not value:
        return None
    return value


def with_listing_data(queryset):
    """Round, applicant, people count and the applicant's unit in the rows' own query."""
    members = (
        ApplicationParticipant.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    applicant_profile = ApplicationParticipant.objects.filter(
        application=OuterRef("pk"), role="applicant"
    )
    return queryset.select_related("round", "applicant").annotate(
        member_count=Subquery(members),
        applicant_unit=Subquery(
            applicant_profile.values("user__tyonohjaus_profile__unit_code")[:1]
        ),
        applicant_unit_name=Subquery(
            applicant_profile.values("user__tyonohjaus_profile__unit_name")[:1]
        ),
    )


def theme_names(queryset):
    """``{application id: "Theme, Theme"}`` for the applications in ``queryset``, named in the
    reader's language (``ThemeCatalogue``): one query for the links."""
    catalogue = ThemeCatalogue()
    through = Application.themes.through
    links = through.objects.filter(application_id__in=queryset.values("pk")).values_list(
        "application_id", "theme_id"
    )
    themes = {}
    for application_id, theme_id in links.iterator(chunk_size=2000):
        themes.setdefault(application_id, []).append(theme_id)
    return {
        application_id: ", ".join(catalogue.names(ids)) for application_id, ids in themes.items()
    }


def participant_data(queryset):
    """People per application and the applicant's unit code and name, as ``with_listing_data``
    annotates them, for the applications in ``queryset``: one query.

    The export reads them here rather than through the annotations: run for every row, those
    correlated subqueries make PostgreSQL's planner estimate the export query high enough to JIT
    compile it (0.45 s at 10,000 rows, longer than the query itself).
    """
    links = ApplicationParticipant.objects.filter(
        application_id__in=queryset.values("pk")
    ).values_list(
        "application_id",
        "role",
        "user__tyonohjaus_profile__unit_code",
        "user__tyonohjaus_profile__unit_name",
    )
    counts, units, unit_names = {}, {}, {}
    for application_id, role, unit, unit_name in links.iterator(chunk_size=2000):
        counts[application_id] = counts.get(application_id, 0) + 1
        if role == "applicant":
            units.setdefault(application_id, unit)
            unit_names.setdefault(application_id, unit_name)
    return counts, units, unit_names


def applicant_names(queryset):
    """``person_name`` by user id, or None when the user model names people as Django's own
    does (then the names come with the rows and no user object is built)."""
    User = get_user_model()
    if (
        issubclass(User, AbstractUser)
        and User.get_full_name is AbstractUser.get_full_name
        and User.get_username is AbstractUser.get_username
    ):
        return None
    users = User.objects.filter(pk__in=queryset.values("applicant_id"))
    return {user.pk: person_name(user) for user in users.iterator(chunk_size=2000)}


class Context:
    """What cells need beyond their row, looked up once per export rather than once per cell:
    choice labels (a value without a label comes out as itself, as Django's ``get_FOO_display()``
    gives it), themes, people counts, units, applicant names and the time zone."""

    def __init__(self, queryset):
        def labels(choices):
            return {value: neutralise(str(label)) for value, label in choices}

        self.statuses = labels(ApplicationStatus.choices)
        self.formats = labels(ApplicationFormat.choices)
        self.preferences = labels(SupervisorPreference.choices)
        self.yes = neutralise(str(_("yes")))
        self.themes = theme_names(queryset)
        self.counts, self.units, self.unit_names = participant_data(queryset)
        self.names = applicant_names(queryset)
        self.zone = timezone.get_current_timezone()

    def local(self, value):
        """``local()`` with the time zone looked up once."""
        return timestamp(value, self.zone)


class ApplicationSpreadsheet(SafeSpreadsheetExportMixin):
    """Wagtail's spreadsheet export of applications, columns chosen by what ``user`` may read.

    Wagtail's mixin gives the headings, the file names and both responses. The rows come from
    ``rows()``; override ``row_values()`` (one application in, the cells out) to change cells,
    which then takes the slower path through model instances for every row.
    """

    export_filename = "applications"
    #: Rows fetched from the database at a time.
    chunk_size = 2000
    #: Rows per piece of the streamed CSV response.
    csv_rows_per_chunk = 200

    def __init__(self, user):
        self.confidential = can_view_confidential(user)
        self.columns = COLUMNS + (CONFIDENTIAL_COLUMNS if self.confidential else [])
        self.list_export = [column.key for column in self.columns]
        self.export_headings = {column.key: column.heading for column in self.columns}
        self._values = [column.value for column in self.columns]

    def prepare(self, queryset):
        """The applications to export, newest first.

        A filtered listing may be DISTINCT (django-filter's multiple choices); selecting the rows
        by id instead spares the database comparing whole ~2 KB rows to drop duplicates.
        """
        if queryset.query.distinct:
            queryset = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
        return with_listing_data(queryset).order_by("-submitted_at", "pk")

    def to_row_dict(self, item):
        return dict(zip(self.list_export, (value(item) for value in self._values), strict=True))

    def row_values(self, item):
        return [neutralise(value(item)) for value in self._values]

    def headings(self, queryset):
        return [self.get_heading(queryset, field) for field in self.list_export]

    def uses_fast_rows(self):
        """The database path applies while the columns and ``row_values`` are this class's."""
        standard = STANDARD_KEYS + (CONFIDENTIAL_KEYS if self.confidential else [])
        return (
            self.list_export == standard
            and type(self).row_values is ApplicationSpreadsheet.row_values
        )

    def rows(self, queryset):
        """Every exported row's cells in column order, text neutralised, datetimes local.

        ``queryset`` is what ``prepare()`` returns. A fixed number of queries, however many rows.
        """
        if not self.uses_fast_rows():
            items = queryset.prefetch_related("themes").iterator(chunk_size=self.chunk_size)
            return (self.row_values(item) for item in items)
        return self._fast_rows(queryset)

    def _fast_rows(self, queryset):
        context = Context(queryset)
        substitutes = {"applicant__username": f"applicant__{get_user_model().USERNAME_FIELD}"}
        if context.names is not None:  # a user model of its own may lack these fields: not read
            substitutes = dict.fromkeys(
                ("applicant__first_name", "applicant__last_name", "applicant__username"),
                "applicant_id",
            )
        # Each field read once; each column's cell function and where its values are in a row,
        # found once per export rather than once per cell.
        fields, plan = {}, []
        for column in self.columns:
            at = [fields.setdefault(substitutes.get(f, f), len(fields)) for f in column.fields]
            plan.append((column.cell, itemgetter(*at)))
        values = queryset.values_list(*fields).iterator(chunk_size=self.chunk_size)
        for row in values:
            yield [cell(get(row), context) for cell, get in plan]

    def stream_csv(self, queryset):
        """Wagtail's CSV stream, fed from ``rows()``: ``csv.writer`` writes each row into
        Wagtail's ``Echo`` buffer and pieces of ``csv_rows_per_chunk`` rows go out at once."""
        writer = csv.writer(Echo())
        lines = [writer.writerow(self.headings(queryset))]
        for cells in self.rows(queryset):
            lines.append(writer.writerow(cells))
            if len(lines) >= self.csv_rows_per_chunk:
                yield b"".join(lines)
                lines.clear()
        if lines:
            yield b"".join(lines)

    def write_xlsx(self, queryset, output):
        """openpyxl's write-only workbook, as Wagtail's, with plain values instead of one
        ``WriteOnlyCell`` per value: the text is already neutralised, so openpyxl's formula
        detection has nothing to find (the tests read the file back), and the per-cell objects
        were half of Wagtail's time (``benchmarks/admin_exports.py``)."""
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(_("Applications"))[:31])
        sheet.append([str(heading) for heading in self.headings(queryset)])
        for cells in self.rows(queryset):
            sheet.append([xlsx_safe(value) for value in cells])
        workbook.save(output)

    def response(self, queryset, export_format):
        queryset = self.prepare(queryset)
        if export_format == self.FORMAT_XLSX:
            return self.write_xlsx_response(queryset)
        return self.write_csv_response(queryset)
