"""HR's reports in the admin: one page per section with its filters, charts, tables and
exports, and a printable yearly report.

Everything here needs ``view_reports``; a user without it gets a 403 page (also an editor or a
supervisor who can sign in to the admin). The figures are aggregates (``queries``) and a count of
people under five is never shown (``stats.suppress``), so an export is not audited like the
applications list's, which holds people.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tyonohjaus_plugin.core.exports import SafeSpreadsheetExportMixin
from tyonohjaus_plugin.core.views import permission_denied
from tyonohjaus_plugin.feedback.charts import layout, weekly
from tyonohjaus_plugin.models import ApplicationFormat, ApplicationRound
from tyonohjaus_plugin.models.pages import service_choices
from tyonohjaus_plugin.permissions import can_view_reports
from tyonohjaus_plugin.reports import tables as report_tables
from tyonohjaus_plugin.reports.queries import OFF_ROUND, Criteria, Report

#: How far back the feedback trend reaches when the period names no dates.
FEEDBACK_DAYS = 365


class ReportFilterForm(forms.Form):
    """The filters; every field may stay empty (all). Bad values are errors at the field."""

    rounds = forms.MultipleChoiceField(
        label=gettext_lazy("Rounds"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=gettext_lazy("None chosen: every round and the applications between rounds."),
    )
    date_from = forms.DateField(
        label=gettext_lazy("Applications sent from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Applications sent until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False)
    format = forms.ChoiceField(label=gettext_lazy("Format"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("A unit code, e.g. H523."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = ApplicationRound.objects.order_by("-opens_at", "-pk")
        self.fields["rounds"].choices = [
            *((str(r.pk), r.localized_name) for r in rounds),
            (OFF_ROUND, _("Between rounds")),
        ]
        self.fields["service"].choices = [("", _("All services")), *service_choices()]
        self.fields["format"].choices = [("", _("All formats")), *ApplicationFormat.choices]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("date_from"), cleaned.get("date_to")
        if since and until and until < since:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned

    def criteria(self) -> Criteria:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Criteria(
            rounds=tuple(data.get("rounds") or ()),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            service=data.get("service") or "",
            format=data.get("format") or "",
            language=data.get("language") or "",
            unit=data.get("unit") or "",
        )

    def set_units(self, units: list[str], *, check: bool = True):
        """Offer the units the report may name; an unknown one is an error at the field."""
        unit = self.cleaned_data.get("unit", "") if self.is_bound else ""
        shown = units if not unit or unit in units or check else [*units, unit]
        self.fields["unit"].widget = forms.Select(
            choices=[("", _("All units")), *((u, u) for u in shown)]
        )
        if check and unit and unit not in units:
            self.add_error("unit", _("No unit of this code is shown in the chosen period."))


class ReportSpreadsheet(SafeSpreadsheetExportMixin):
    """One report table as CSV or XLSX, through the plugin's safe export."""

    def __init__(self, table: report_tables.Table):
        self.table = table
        self.list_export = [c.key for c in table.columns]
        self.export_headings = {c.key: c.heading for c in table.columns}
        self.export_filename = f"report-{table.key.replace('_', '-')}"

    def to_row_dict(self, item):
        return {c.key: self.table.export_value(item.get(c.key), c.kind) for c in self.table.columns}


class ReportsMixin(WagtailAdminTemplateMixin):
    header_icon = "table"
    page_title = gettext_lazy("Reports")
    section = ""

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def form(self):
        return ReportFilterForm(self.request.GET if self.filtered else None)

    @property
    def filtered(self) -> bool:
        return any(key in self.request.GET for key in ReportFilterForm.base_fields)

    def report(self, **overrides) -> Report | None:
        """The report of the valid filters, or None when a filter is wrong (400)."""
        form = self.form
        if form.is_bound and not form.is_valid():
            form.set_units([], check=False)
            return None
        criteria = form.criteria()
        if overrides:
            criteria = Criteria(**{**criteria.__dict__, **overrides})
        report = Report(criteria)
        # The named units cost a pass over every application: read only where they are used.
        if criteria.unit or self.section == "units":
            form.set_units(report.unit_choices())
        return None if form.errors else report

    def feedback_period(self, report: Report) -> tuple[datetime.date, datetime.date]:
        c = report.criteria
        today = timezone.localdate()
        until = c.date_to or today
        since = c.date_from
        if since is None and not c.all_rounds and report.rounds():
            since = timezone.localdate(report.rounds()[0].opens_at)
        return since or until - datetime.timedelta(days=FEEDBACK_DAYS), until


class ReportView(ReportsMixin, View):
    """One section of the reports (``SECTIONS``), its tables exportable with ``?export=``."""

    template_name = "tyonohjaus_plugin/admin/reports/index.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, section="demand"):
        names = dict(report_tables.SECTIONS)
        if section not in names:
            raise Http404
        self.section = section
        report = self.report()
        tables, feedback_chart = [], None
        if report is not None:
            if section == "feedback":
                since, until = self.feedback_period(report)
                tables, rows = report_tables.feedback_tables(report, since, until)
                feedback_chart = layout(weekly(rows))
            else:
                tables = report_tables.BUILDERS[section](report)
            export = request.GET.get("export")
            if export in SafeSpreadsheetExportMixin.FORMATS:
                wanted = request.GET.get("table", tables[0].key if tables else "")
                table = next((t for t in tables if t.key == wanted), None)
                if table is None:
                    raise Http404
                return ReportSpreadsheet(table).as_spreadsheet(table.rows, export)
        query = request.GET.copy()
        query.pop("export", None)
        query.pop("table", None)
        context = self.get_context_data(
            form=self.form,
            section=section,
            section_name=names[section],
            sections=[
                (slug, name, reverse("tyonohjaus_reports:section", args=[slug]))
                for slug, name in report_tables.SECTIONS
            ],
            tables=tables,
            feedback_chart=feedback_chart,
            query=query.urlencode(),
            print_url=reverse("tyonohjaus_reports:print"),
            year=timezone.localdate().year,
        )
        return TemplateResponse(
            request, self.template_name, context, status=400 if report is None else 200
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)


class PrintReportView(ReportsMixin, View):
    """The yearly report on one printable page: applications sent in the year, every section,
    with the filters of the page it was opened from."""

    template_name = "tyonohjaus_plugin/admin/reports/print.html"
    section = "units"  # all sections, the units among them

    def get(self, request):
        years = YearForm(request.GET if "year" in request.GET else {"year": timezone.now().year})
        if not years.is_valid():
            return TemplateResponse(
                request,
                "tyonohjaus_plugin/admin/reports/print.html",
                {"year_form": years, "errors": True},
                status=400,
            )
        year = years.cleaned_data["year"]
        report = self.report(
            date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31)
        )
        if report is None:
            return TemplateResponse(
                request, self.template_name, {"year_form": years, "errors": True}, status=400
            )
        sections = []
        for slug, name in report_tables.SECTIONS:
            if slug == "feedback":
                since, until = self.feedback_period(report)
                found, rows = report_tables.feedback_tables(report, since, until)
                sections.append((name, found, layout(weekly(rows))))
            else:
                sections.append((name, report_tables.BUILDERS[slug](report), None))
        return TemplateResponse(
            request,
            self.template_name,
            {
                "year": year,
                "year_form": years,
                "sections": sections,
                "criteria": report.criteria,
                "made_at": timezone.localtime(),
                "back_url": reverse("tyonohjaus_reports:index"),
            },
        )
