"""HR's screens for applications: Wagtail's generic list, detail, note and history views.

Every object is fetched through ``Application.objects.visible_to(user)``: an id outside it is
a 404,
whoever asks. Free text reaches the page only with the confidential permission.
"""

from django.contrib.admin.utils import quote
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets import ListingButton

from tyonohjaus_plugin.actions.base import NotPermitted
from tyonohjaus_plugin.actions.change_application_status import (
    ChangeApplicationStatusAction,
    StatusChangeRefused,
)
from tyonohjaus_plugin.actions.export_applications import ExportApplicationsAction
from tyonohjaus_plugin.actions.view_application import ViewApplicationAction
from tyonohjaus_plugin.applications.admin.filters import ApplicationFilterSet
from tyonohjaus_plugin.applications.admin.spreadsheet import (
    ApplicationSpreadsheet,
    person_name,
    with_listing_data,
)
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.tables import DateTimeColumn, StateColumn
from tyonohjaus_plugin.core.views import (
    AuditedReadMixin,
    ListingMessagesMixin,
    permission_denied,
)
from tyonohjaus_plugin.models import Application, ApplicationStatus, ThemeCatalogue
from tyonohjaus_plugin.models.workflow import allowed_targets
from tyonohjaus_plugin.permissions import (
    can_change_status,
    can_edit_note,
    can_export_applications,
    can_view_applications,
)

#: Filters an export record may keep: codes and ids, never the search text (it may be a name).
RECORDED_FILTERS = ("round", "off_round", "status", "format", "language", "theme")


class PermittedObjectMixin:
    """Fetch the object through the user's permitted queryset (404 outside it)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_view_applications(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(
            Application.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.object.display_title


class ApplicationUsageView(PermittedObjectMixin, UsageView):
    """Wagtail's usage screen, titled in the reader's language (it showed ``str()``)."""

    def get_breadcrumbs_items(self):
        label = str(self.object)
        return [
            {**item, "label": self.object.display_title} if item["label"] == label else item
            for item in super().get_breadcrumbs_items()
        ]


class ApplicationIndexView(ListingMessagesMixin, generic.IndexView):
    template_name = "tyonohjaus_plugin/admin/application_index.html"
    filterset_class = ApplicationFilterSet
    search_fields = ["applicant__first_name", "applicant__last_name", "applicant__email"]
    search_backend_name = None
    default_ordering = "-submitted_at"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        # A real 403 (Wagtail would redirect), also for page editors and other admin users.
        if not can_view_applications(request.user):
            return permission_denied(request)
        if self.is_export and not can_export_applications(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def spreadsheet(self):
        return ApplicationSpreadsheet(self.request.user)

    @cached_property
    def show_export_buttons(self):
        return can_export_applications(self.request.user)

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="application"),
            TitleColumn(
                "id",
                label=_("Application"),
                accessor="display_title",
                url_name=self.inspect_url_name,
                id_accessor="pk",
                get_title_id=lambda instance: f"application_{quote(instance.pk)}_title",
                sort_key="pk",
            ),
            Column("applicant", label=_("Applicant"), accessor=lambda a: person_name(a.applicant)),
            Column("format", label=_("Format"), accessor="get_format_display", sort_key="format"),
            Column("members", label=_("People"), accessor="member_count"),
            Column(
                "round",
                label=_("Round"),
                accessor=lambda a: a.round.localized_name if a.round_id else _("Between rounds"),
            ),
            StateColumn(
                "status", label=_("Status"), accessor="get_status_display", sort_key="status"
            ),
            DateTimeColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
            DateTimeColumn(
                "status_changed_at", label=_("Status changed"), sort_key="status_changed_at"
            ),
        ]

    def get_base_queryset(self):
        return with_listing_data(Application.objects.visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Wagtail's footer offers every registered bulk action; offer only the usable ones.
        actions = bulk_action_registry.get_bulk_actions_for_model(
            "tyonohjaus_plugin", "application"
        )
        context["bulk_buttons"] = [
            ListingButton(
                action.display_name,
                reverse(
                    "wagtail_bulk_action",
                    args=["tyonohjaus_plugin", "application", action.action_type],
                ),
                attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
                priority=action.action_priority,
                classname="bulk-action-btn",
            )
            for action in sorted(actions, key=lambda action: action.action_priority)
            if action.allowed(self.request.user)
        ]
        return context

    def search_queryset(self, queryset):
        """Every word must match the applicant's first name, last name or e-mail."""
        return queryset.search(self.search_query) if self.is_searching else queryset

    def recorded_filters(self):
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        recorded = {}
        for name in RECORDED_FILTERS:
            value = data.get(name)
            if value in (None, "", []):
                continue
            recorded[name] = getattr(value, "pk", value)
        if self.is_searching:
            recorded["search"] = True
        return recorded

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        # Export before Wagtail builds the listing context, which would load every row as a
        # model instance only to count them (about 1 s at 10,000 rows).
        queryset = self.get_queryset()
        export_format = request.GET["export"]
        ExportApplicationsAction(
            user=request.user,
            format=export_format,
            row_count=queryset.count(),
            filters=self.recorded_filters(),
        ).execute()
        return self.spreadsheet.response(queryset, export_format)


class ApplicationInspectView(AuditedReadMixin, PermittedObjectMixin, generic.InspectView):
    template_name = "tyonohjaus_plugin/admin/application_inspect.html"
    audit_screen = "application"

    def get(self, request, *args, **kwargs):
        # The object was already scoped to the user; the page shown is logged (AuditedReadMixin).
        self.object, self.confidential = ViewApplicationAction(
            self.object.pk, user=request.user
        ).execute()
        return super().get(request, *args, **kwargs)

    def audited_read(self, context):
        return self.object, self.confidential

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        user = self.request.user
        context.update(
            {
                "application": application,
                "confidential": self.confidential,
                "participants": application.participants.select_related(
                    "user", "user__tyonohjaus_profile"
                ).order_by("role", "pk"),
                "themes": ThemeCatalogue().names(application.themes.all()),
                "events": application.events.all(),
                "targets": [
                    (value, label)
                    for value, label in ApplicationStatus.choices
                    if value in allowed_targets(application.status)
                ]
                if can_change_status(user)
                else [],
                "status_url": reverse("tyonohjaus_applications:status", args=[application.pk]),
                "history_url": reverse("tyonohjaus_applications:history", args=[application.pk]),
                "can_edit_note": can_edit_note(user),
                "retention": application.retention_dates(),
                "retention_days": {
                    "free_text": plugin_settings.RETENTION_FREE_TEXT_DAYS,
                    "identity": plugin_settings.RETENTION_IDENTITY_DAYS,
                },
            }
        )
        return context


class ApplicationEditView(PermittedObjectMixin, generic.EditView):
    """HR's internal note is the only thing edited here; the answers belong to the applicant."""

    def dispatch(self, request, *args, **kwargs):
        if can_view_applications(request.user) and not can_edit_note(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("tyonohjaus_applications:inspect", args=[self.object.pk])

    def get_success_message(self):
        return _("Internal note saved.")


class ApplicationHistoryView(PermittedObjectMixin, HistoryView):
    # Seeing the history is part of viewing applications (Wagtail asks for add/change/delete).
    any_permission_required = ["view"]


@require_POST
def change_status(request, pk):
    """POST from the detail page: move one application; a refusal explains itself (409)."""
    if not can_change_status(request.user):
        raise NotPermitted
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    target = request.POST.get("status", "")
    expected = request.POST.get("expected_status", "")
    inspect_url = reverse("tyonohjaus_applications:inspect", args=[application.pk])
    if target not in ApplicationStatus.values:
        messages.error(request, _("Choose a status."))
        return redirect(inspect_url)
    try:
        ChangeApplicationStatusAction(
            application, user=request.user, status=target, expected_status=expected or None
        ).execute()
    except StatusChangeRefused as refusal:
        context = {
            "application": application,
            "message": refusal.message,
            "inspect_url": inspect_url,
        }
        return TemplateResponse(
            request, "tyonohjaus_plugin/admin/status_refused.html", context, status=409
        )
    messages.success(
        request,
        _("%(application)s is now “%(status)s”.")
        % {"application": application, "status": dict(ApplicationStatus.choices)[target]},
    )
    return redirect(inspect_url)
