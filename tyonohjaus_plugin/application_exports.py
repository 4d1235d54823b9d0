"""The applications spreadsheet: columns, values and a fast writer (list and bulk export)."""

import datetime
from io import BytesIO

from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exports import SafeSpreadsheetExportMixin, neutralise
from .models import ApplicationParticipant
from .permissions import can_view_confidential


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


def with_listing_data(queryset):
    """One query for the rows (plus one for themes when exporting), however many there are."""
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


class ApplicationSpreadsheet(SafeSpreadsheetExportMixin):
    """Wagtail's spreadsheet export of applications, columns chosen by what ``user`` may read."""

    export_filename = "applications"

    def __init__(self, user):
        self.columns = COLUMNS + (CONFIDENTIAL_COLUMNS if can_view_confidential(user) else [])
        self.list_export = [key for key, _heading, _value in self.columns]
        self.export_headings = {key: heading for key, heading, _value in self.columns}
        self._values = [value for _key, _heading, value in self.columns]

    def prepare(self, queryset):
        return (
            with_listing_data(queryset).prefetch_related("themes").order_by("-submitted_at", "pk")
        )

    def to_row_dict(self, item):
        return dict(zip(self.list_export, (value(item) for value in self._values), strict=True))

    def row_values(self, item):
        return [neutralise(value(item)) for value in self._values]

    def write_xlsx(self, queryset, output):
        """Plain values into a write-only sheet: text is already neutralised, so openpyxl's
        per-cell formula detection (and Wagtail's per-cell objects) can be skipped."""
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(_("Applications")))
        sheet.append([str(heading) for _key, heading, _value in self.columns])
        for item in queryset:
            sheet.append(self.row_values(item))
        workbook.save(output)

    def response(self, queryset, export_format):
        queryset = self.prepare(queryset)
        if export_format == self.FORMAT_XLSX:
            output = BytesIO()
            self.write_xlsx(queryset, output)
            output.seek(0)
            return FileResponse(
                output,
                as_attachment=True,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                filename=f"{self.export_filename}.xlsx",
            )
        return self.write_csv_response(queryset)
