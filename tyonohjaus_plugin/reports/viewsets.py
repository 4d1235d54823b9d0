"""Admin menu entry of the HR reports ("Work supervision → Reports")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from tyonohjaus_plugin.core.views import shown_if
from tyonohjaus_plugin.permissions import can_view_reports
from tyonohjaus_plugin.reports.views import PrintReportView, ReportView


class ReportsViewSet(ViewSet):
    name = "tyonohjaus_reports"
    url_prefix = "tyonohjaus/reports"
    icon = "table"
    menu_label = _("Reports")
    menu_name = "reports"
    menu_item_class = shown_if(can_view_reports)

    def get_urlpatterns(self):
        return [
            path("", ReportView.as_view(), name="index"),
            path("print/", PrintReportView.as_view(), name="print"),
            path("<slug:section>/", ReportView.as_view(), name="section"),
        ]
