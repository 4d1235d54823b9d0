"""HR's screens for supervisors: a form, a filtered listing and Wagtail's generic views.

``str(supervisor)`` is "Supervisor #N" because it labels audit-log entries; every screen here
shows ``display_name`` instead.
"""

from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce, Concat, Lower
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets import Button, ButtonWithDropdown

from tyonohjaus_plugin.actions.base import NotPermitted
from tyonohjaus_plugin.actions.supervisor_links import (
    RevokeSupervisorLinksAction,
    SendSupervisorLinkAction,
)
from tyonohjaus_plugin.core.search import words_match
from tyonohjaus_plugin.core.tables import YesNoColumn
from tyonohjaus_plugin.core.views import ListingMessagesMixin, ProtectedDeleteMixin
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    ApplicationFormat,
    ApplicationRound,
    FreedBy,
    RoundState,
    Supervisor,
    SupervisorCapacity,
    SupervisorKind,
    ThemeCatalogue,
)
from tyonohjaus_plugin.supervisors.forms import field_label, language_choices


def _choice_labels(values, choices):
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def capacity_round():
    """The round whose capacities matter now: the open round, else the latest closed one (HR
    matches it on the board), else none. The newest first if several services have one."""
    return (
        ApplicationRound.objects.filter(state__in=(RoundState.OPEN, RoundState.CLOSED))
        .order_by(Case(When(state=RoundState.OPEN, then=Value(0)), default=Value(1)), "-opens_at")
        .first()
    )


class SupervisorIndexView(ListingMessagesMixin, generic.IndexView):
    @cached_property
    def capacity_round(self):
        return capacity_round()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.capacity_round is not None:
            # The board's figure: the round's own capacity where HR set one, else the default.
            in_round = SupervisorCapacity.objects.filter(
                supervisor=OuterRef("pk"), round=self.capacity_round
            ).values("capacity")[:1]
            queryset = queryset.annotate(
                round_capacity=Coalesce(Subquery(in_round), F("default_capacity"))
            )
        # ``sort_name`` lets HR sort by the name shown, wherever it comes from.
        return queryset.select_related("user").annotate(
            sort_name=Lower(
                Case(
                    When(
                        kind=SupervisorKind.INTERNAL,
                        then=Concat("user__first_name", Value(" "), "user__last_name"),
                    ),
                    default=F("name"),
                    output_field=CharField(),
                )
            )
        )

    def get_title_url(self, instance):
        return self.get_edit_url(instance) or self.get_inspect_url(instance)

    @cached_property
    def columns(self):
        # Wagtail's helper adds the row's edit/delete buttons to the title column.
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "display_name",
                label=field_label("name"),
                sort_key="sort_name",
                get_url=self.get_title_url,
            ),
            Column("kind", label=field_label("kind"), accessor="get_kind_display", sort_key="kind"),
            Column(
                "languages",
                label=field_label("languages"),
                accessor=lambda obj: _choice_labels(obj.languages, language_choices()),
            ),
            Column(
                "formats",
                label=field_label("formats"),
                accessor=lambda obj: _choice_labels(obj.formats, ApplicationFormat.choices),
            ),
            Column(
                "default_capacity",
                label=field_label("default_capacity"),
                sort_key="default_capacity",
            ),
            *self.round_capacity_columns(),
            YesNoColumn("active", label=field_label("active"), sort_key="active"),
        ]

    def round_capacity_columns(self):
        if self.capacity_round is None:
            return []
        label = gettext("Capacity in %(round)s") % {"round": self.capacity_round.localized_name}
        return [Column("round_capacity", label=label, sort_key="round_capacity")]

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        for button in buttons:
            if isinstance(button, ButtonWithDropdown):
                button.attrs["aria-label"] = gettext("More options for “%(name)s”") % {
                    "name": instance.display_name
                }
        return buttons

    def search_queryset(self, queryset):
        """Every word typed must match one of the name or e-mail fields ("Aino Lehto")."""
        if not self.is_searching:
            return queryset
        return queryset.filter(words_match(self.search_query, self.search_fields))


class SupervisorLinkButtonsMixin:
    """An external supervisor's edit and inspect screens offer HR the access-link buttons
    (issue 18 item 4): send a new link, revoke every link sent so far."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.kind == SupervisorKind.EXTERNAL and self.request.user.has_perm(
            "tyonohjaus_plugin.change_supervisor"
        ):
            for action, label, icon, priority in (
                ("send_link", gettext("Send the access link"), "mail", 30),
                ("revoke_links", gettext("Revoke all access links"), "lock", 40),
            ):
                url = reverse(f"tyonohjaus_supervisors:{action}", args=[self.object.pk])
                buttons.append(Button(label, url=url, icon_name=icon, priority=priority))
        return buttons


class SupervisorNameMixin:
    """Headers and breadcrumbs name the supervisor rather than "Supervisor #N"."""

    def get_page_subtitle(self):
        return self.object.display_name

    def get_breadcrumbs_items(self):
        generic_label = str(self.object)
        return [
            {**item, "label": self.object.display_name}
            if item.get("label") == generic_label
            else item
            for item in super().get_breadcrumbs_items()
        ]


class SupervisorCreateView(generic.CreateView):
    def get_success_message(self, instance):
        return gettext("Supervisor “%(name)s” added.") % {"name": instance.display_name}


class SupervisorEditView(SupervisorLinkButtonsMixin, SupervisorNameMixin, generic.EditView):
    def save_instance(self):
        """More places (capacity raised, or active again) go to the waiting list after the
        commit (``tasks.fill_freed_places_task``: ids and a code only)."""
        before = (
            type(self.object)
            .objects.filter(pk=self.object.pk)
            .values("default_capacity", "active")
            .first()
        )
        instance = super().save_instance()
        if instance.active and before is not None:
            if instance.default_capacity > before["default_capacity"] or not before["active"]:
                pk = instance.pk
                transaction.on_commit(
                    lambda: enqueue(
                        "tyonohjaus_plugin.tasks.fill_freed_places_task", pk, FreedBy.CAPACITY
                    )
                )
        return instance

    def get_success_message(self):
        return gettext("Supervisor “%(name)s” saved.") % {"name": self.object.display_name}


class SupervisorDeleteView(ProtectedDeleteMixin, SupervisorNameMixin, generic.DeleteView):
    def get_success_message(self):
        return gettext("Supervisor “%(name)s” deleted.") % {"name": self.object.display_name}


class SupervisorHistoryView(SupervisorNameMixin, HistoryView):
    pass


class SupervisorUsageView(SupervisorNameMixin, UsageView):
    pass


class SupervisorInspectView(SupervisorLinkButtonsMixin, SupervisorNameMixin, generic.InspectView):
    """What a supervisor offers, readable with ``view_supervisor`` alone (the HR assistant)."""

    def get_fields(self):
        return [
            "kind",
            "name",
            "email",
            "organisation",
            "qualification",
            "languages",
            "formats",
            "themes",
            "unit_codes",
            "conflict_unit_codes",
            "conflict_users",
            "default_capacity",
            "round_capacities",
            "cost_per_meeting",
            "active",
        ]

    def get_field_label(self, field_name, field):
        if field_name == "round_capacities":
            return capfirst(SupervisorCapacity._meta.verbose_name_plural)
        return super().get_field_label(field_name, field)

    def get_name_display_value(self):
        return self.object.display_name

    def get_email_display_value(self):
        return self.object.contact_email

    def get_themes_display_value(self):
        # In the admin user's language, by translation key (``ThemeCatalogue``).
        return ", ".join(ThemeCatalogue().names(self.object.themes.all())) or "-"

    def get_languages_display_value(self):
        return _choice_labels(self.object.languages, language_choices()) or "-"

    def get_formats_display_value(self):
        return _choice_labels(self.object.formats, ApplicationFormat.choices) or "-"

    def get_unit_codes_display_value(self):
        return ", ".join(self.object.unit_codes) or "-"

    def get_conflict_unit_codes_display_value(self):
        return ", ".join(self.object.conflict_unit_codes) or "-"

    def get_conflict_users_display_value(self):
        people = self.object.conflict_users.all()
        return (
            ", ".join(person.get_full_name() or person.get_username() for person in people) or "-"
        )

    def get_round_capacities_display_value(self):
        rows = self.object.round_capacities.select_related("round")
        return ", ".join(f"{row.round.localized_name}: {row.capacity}" for row in rows) or "-"


def supervisor_link(request, pk, action):
    """GET: confirm; POST: e-mail the external supervisor a new access link (``send_link``), or
    make every link sent so far stop working (``revoke_links``)."""
    if not request.user.has_perm("tyonohjaus_plugin.change_supervisor"):
        raise NotPermitted
    supervisor = get_object_or_404(Supervisor, pk=pk)
    if request.method == "POST":
        if action == "send_link":
            SendSupervisorLinkAction(supervisor, user=request.user).execute()
            messages.success(
                request,
                gettext("The access link is on its way to %(name)s.")
                % {"name": supervisor.display_name},
            )
        else:
            RevokeSupervisorLinksAction(supervisor, user=request.user).execute()
            messages.success(
                request,
                gettext("Every access link sent to %(name)s so far has stopped working.")
                % {"name": supervisor.display_name},
            )
        return redirect("tyonohjaus_supervisors:edit", supervisor.pk)
    context = {"supervisor": supervisor, "action": action}
    return TemplateResponse(request, "tyonohjaus_plugin/admin/supervisor_link.html", context)
