"""The applications spreadsheet: columns and values for the list and bulk exports.

``COLUMNS`` says what each column holds for one application. An export reads the same values
straight from the database instead (``values_list`` in chunks, one query each for themes and
participants, choice labels resolved once per export): through model instances and Wagtail's
per-cell preprocessing, 10,000 applications took 7.9 s as CSV and 9.9 s as XLSX, against
0.7 s and 4.1 s now (``benchmarks/admin_exports.py``; the XLSX is openpyxl's per-cell cost).
The tests check that both paths give the same cells.
"""

import csv
import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.mixins import Echo

from tyonohjaus_plugin.core.exports import SafeSpreadsheetExportMixin, neutralise
from tyonohjaus_plugin.models import (
    Application,
    ApplicationFormat,
    ApplicationParticipant,
    ApplicationStatus,
    SupervisorPreference,
)
from tyonohjaus_plugin.permissions import can_view_confidential


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


def local(value):
    """Aware datetimes as naive local time: spreadsheet programs know no time zones."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


#: (key, heading, value function) for every column; confidential ones are added per user.
COLUMNS = [
    ("id", _("Application"), lambda a: a.pk),
    ("round", _("Round"), lambda a: a.round.name if a.round_id else ""),
    ("off_round", _("Between rounds"), lambda a: str(_("yes")) if a.round_id is None else ""),
    ("status", _("Status"), lambda a: a.get_status_display()),
    ("format", _("Format"), lambda a: a.get_format_display()),
    ("members", _("People"), lambda a: a.member_count),
    ("languages", _("Languages"), lambda a: ", ".join(a.languages)),
    ("themes", _("Themes"), lambda a: ", ".join(t.name for t in a.themes.all())),
    ("applicant", _("Applicant"), lambda a: person_name(a.applicant)),
    ("email", _("E-mail"), lambda a: a.applicant.email),
    ("unit", _("Unit"), lambda a: a.applicant_unit or ""),
    ("preference", _("Supervisor preference"), lambda a: a.get_supervisor_preference_display()),
    ("availability", _("Availability"), lambda a: a.availability),
    ("submitted_at", _("Submitted"), lambda a: local(a.submitted_at)),
    ("status_changed_at", _("Status changed"), lambda a: local(a.waiting_since)),
    ("hr_note", _("Internal note"), lambda a: a.hr_note),
]
CONFIDENTIAL_COLUMNS = [
    ("situation", _("Current situation"), lambda a: a.situation),
    ("goals", _("Goals"), lambda a: a.goals),
    ("supervisor_wishes", _("Supervisor wishes"), lambda a: a.supervisor_wishes),
    ("off_round_reason", _("Reason for applying between rounds"), lambda a: a.off_round_reason),
]

#: What the fast path reads per row, in this order; ``ROW_FIELDS`` is followed by the
#: confidential columns' own fields when the user may read them.
ROW_FIELDS = (
    "pk",
    "round_id",
    "round__name",
    "status",
    "format",
    "languages",
    "applicant__first_name",
    "applicant__last_name",
    "applicant_id",
    "applicant__username",  # the user model's USERNAME_FIELD
    "applicant__email",
    "supervisor_preference",
    "availability",
    "submitted_at",
    "status_changed_at",
    "hr_note",
)
CONFIDENTIAL_FIELDS = ("situation", "goals", "supervisor_wishes", "off_round_reason")
STANDARD_KEYS = [key for key, _heading, _value in COLUMNS]
CONFIDENTIAL_KEYS = [key for key, _heading, _value in CONFIDENTIAL_COLUMNS]

#: Control characters XML 1.0 cannot carry (openpyxl refuses them); dropped from XLSX cells.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_safe(value):
    """A cell value for openpyxl: empty text as no cell at all (openpyxl's cost is per cell),
    control characters XML cannot hold dropped."""
    if type(value) is str:
        if not value:
            return None
        if XML_ILLEGAL.search(value):
            return XML_ILLEGAL.sub("", value)
    return value


def with_listing_data(queryset):
    """Round, applicant, people count and the applicant's unit in the rows' own query."""
    members = (
        ApplicationParticipant.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.select_related("round", "applicant").annotate(
        member_count=Subquery(members),
        applicant_unit=Subquery(
            ApplicationParticipant.objects.filter(
                application=OuterRef("pk"), role="applicant"
            ).values("user__tyonohjaus_profile__unit_code")[:1]
        ),
    )


def theme_names(queryset):
    """``{application id: "Theme, Theme"}`` for the applications in ``queryset``: one query, in
    the themes' own order (as ``application.themes.all()``)."""
    through = Application.themes.through
    links = (
        through.objects.filter(application_id__in=queryset.values("pk"))
        .order_by("theme__sort_order", "theme__name", "theme_id")
        .values_list("application_id", "theme__name")
    )
    names = {}
    for application_id, name in links.iterator(chunk_size=2000):
        names.setdefault(application_id, []).append(name)
    return {application_id: ", ".join(themes) for application_id, themes in names.items()}


def participant_data(queryset):
    """People per application and the applicant's unit, as ``with_listing_data`` annotates
    them, for the applications in ``queryset``: one query.

    The export reads them here rather than through the annotations: run for every row, those
    correlated subqueries make PostgreSQL's planner estimate the export query high enough to JIT
    compile it (0.45 s at 10,000 rows, longer than the query itself).
    """
    links = ApplicationParticipant.objects.filter(
        application_id__in=queryset.values("pk")
    ).values_list("application_id", "role", "user__tyonohjaus_profile__unit_code")
    counts, units = {}, {}
    for application_id, role, unit in links.iterator(chunk_size=2000):
        counts[application_id] = counts.get(application_id, 0) + 1
        if role == "applicant":
            units.setdefault(application_id, unit)
    return counts, units


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
        self.list_export = [key for key, _heading, _value in self.columns]
        self.export_headings = {key: heading for key, heading, _value in self.columns}
        self._values = [value for _key, _heading, value in self.columns]

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
        # Labels, names and time zone are looked up once per export, not once per cell; a value
        # without a label comes out as itself, as Django's get_FOO_display() gives it.
        statuses = {value: neutralise(str(label)) for value, label in ApplicationStatus.choices}
        formats = {value: neutralise(str(label)) for value, label in ApplicationFormat.choices}
        preferences = {
            value: neutralise(str(label)) for value, label in SupervisorPreference.choices
        }
        yes = neutralise(str(_("yes")))
        themes = theme_names(queryset)
        counts, units = participant_data(queryset)
        names = applicant_names(queryset)
        zone = timezone.get_current_timezone()
        substitutes = {"applicant__username": f"applicant__{get_user_model().USERNAME_FIELD}"}
        if names is not None:  # a user model of its own may lack these fields: not read
            substitutes = dict.fromkeys(
                ("applicant__first_name", "applicant__last_name", "applicant__username"),
                "applicant_id",
            )
        fields = [substitutes.get(field, field) for field in ROW_FIELDS]
        if self.confidential:
            fields.extend(CONFIDENTIAL_FIELDS)
        values = queryset.values_list(*fields).iterator(chunk_size=self.chunk_size)
        for (
            pk,
            round_id,
            round_name,
            status,
            application_format,
            languages,
            first_name,
            last_name,
            applicant_id,
            username,
            email,
            preference,
            availability,
            submitted_at,
            status_changed_at,
            hr_note,
            *confidential,
        ) in values:
            if names is None:
                name = f"{first_name} {last_name}".strip() or username
            else:
                name = names.get(applicant_id, "")
            changed_at = status_changed_at or submitted_at
            if submitted_at is not None and submitted_at.tzinfo is not None:
                submitted_at = submitted_at.astimezone(zone).replace(tzinfo=None)
            if changed_at is not None and changed_at.tzinfo is not None:
                changed_at = changed_at.astimezone(zone).replace(tzinfo=None)
            row = [
                pk,
                neutralise(round_name) if round_id is not None else "",
                "" if round_id is not None else yes,
                statuses.get(status) or neutralise(status),
                formats.get(application_format) or neutralise(application_format),
                counts.get(pk),
                neutralise(", ".join(languages)),
                neutralise(themes.get(pk, "")),
                neutralise(name),
                neutralise(email),
                neutralise(units.get(pk) or ""),
                preferences.get(preference) or neutralise(preference),
                neutralise(availability),
                submitted_at,
                changed_at,
                neutralise(hr_note),
            ]
            if confidential:
                row.extend([neutralise(value) for value in confidential])
            yield row

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
