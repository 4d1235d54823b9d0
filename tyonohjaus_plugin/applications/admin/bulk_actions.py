"""Bulk actions on the applications list, through Wagtail's bulk-action framework.

Whatever ids are posted, only those inside ``Application.objects.visible_to(user)`` are
read, changed or exported; the rest are counted and ignored.
"""

from django import forms
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction

from tyonohjaus_plugin.actions.base import ActionRefused
from tyonohjaus_plugin.actions.change_application_status import (
    ChangeApplicationStatusAction,
)
from tyonohjaus_plugin.actions.export_applications import ExportApplicationsAction
from tyonohjaus_plugin.applications.admin.spreadsheet import ApplicationSpreadsheet
from tyonohjaus_plugin.core.ids import parse_pks
from tyonohjaus_plugin.core.views import permission_denied
from tyonohjaus_plugin.models import Application, ApplicationStatus
from tyonohjaus_plugin.models.workflow import is_allowed
from tyonohjaus_plugin.permissions import (
    can_change_status,
    can_export_applications,
    can_view_applications,
)


class ApplicationBulkAction(BulkAction):
    models = [Application]

    @classmethod
    def allowed(cls, user) -> bool:
        return can_view_applications(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def _selection(self):
        posted = self.request.GET.getlist("id")
        queryset = Application.objects.visible_to(self.request.user)
        if "all" not in posted:
            ids = parse_pks(posted)
            queryset = queryset.filter(pk__in=ids)
        objects = list(queryset.select_related("round").order_by("pk"))
        ignored = 0 if "all" in posted else len(set(posted)) - len(objects)
        return objects, ignored

    def get_actionable_objects(self):
        objects, _ignored = self._selection
        return objects, {"items_with_no_access": []}

    #: Heading and icon of the confirmation screen.
    title = ""
    icon = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"ignored": self._selection[1], "title": self.title, "icon": self.icon})
        return context


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ApplicationStatus.choices)


class ChangeStatusBulkAction(ApplicationBulkAction):
    display_name = _("Change status")
    action_type = "change_status"
    aria_label = _("Change the status of the selected applications")
    template_name = "tyonohjaus_plugin/admin/bulk_change_status.html"
    title = _("Change status")
    action_priority = 10
    form_class = StatusForm

    @classmethod
    def allowed(cls, user) -> bool:
        return can_change_status(user)

    def form_valid(self, form):
        target = form.cleaned_data["status"]
        changed = skipped = 0
        for application in self.get_actionable_objects()[0]:
            if not is_allowed(application.status, target):
                skipped += 1
                continue
            try:
                ChangeApplicationStatusAction(
                    application,
                    user=self.request.user,
                    status=target,
                    expected_status=application.status,
                ).execute()
            except ActionRefused:  # NotPermitted included
                skipped += 1
            else:
                changed += 1
        if changed:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d application moved to “%(status)s”.",
                    "%(count)d applications moved to “%(status)s”.",
                    changed,
                )
                % {"count": changed, "status": dict(ApplicationStatus.choices)[target]},
            )
        if skipped:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d application cannot move to that status and was left as it was.",
                    "%(count)d applications cannot move to that status and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
            )
        return redirect(self.next_url)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("xlsx", "XLSX"), ("csv", "CSV")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )


class ExportBulkAction(ApplicationBulkAction):
    display_name = _("Download")
    action_type = "export"
    aria_label = _("Download the selected applications as a spreadsheet")
    template_name = "tyonohjaus_plugin/admin/bulk_export.html"
    title = _("Download applications")
    icon = "download"
    action_priority = 20
    form_class = ExportForm

    @classmethod
    def allowed(cls, user) -> bool:
        return can_export_applications(user)

    def form_valid(self, form):
        objects = self.get_actionable_objects()[0]
        export_format = form.cleaned_data["format"]
        ExportApplicationsAction(
            user=self.request.user,
            format=export_format,
            row_count=len(objects),
            filters={"selected": True},
        ).execute()
        queryset = Application.objects.visible_to(self.request.user).filter(
            pk__in=[application.pk for application in objects]
        )
        return ApplicationSpreadsheet(self.request.user).response(queryset, export_format)
