"""HR's screens for supervisors: a form, a filtered listing and Wagtail's generic views.

``str(supervisor)`` is "Supervisor #N" because it labels audit-log entries; every screen here
shows ``display_name`` instead.
"""

import json
import re

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Q, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Concat, Lower
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ButtonWithDropdown
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect
from wagtail.models import Locale

from ..models import ApplicationFormat, Supervisor, SupervisorCapacity, SupervisorKind, Theme

#: EmployeeProfile.unit_code is at most 50 characters; codes are single words.
UNIT_CODE_MAX_LENGTH = 50
UNIT_CODE_RE = re.compile(r"^[\w.\-/]+$")


def language_choices():
    return list(settings.LANGUAGES)


def _field_label(name):
    return capfirst(Supervisor._meta.get_field(name).verbose_name)


def _in_choice_order(values, choices):
    """Keep stored lists in one order (the order of the choices), whatever order was posted."""
    return [code for code, _label in choices if code in values]


class UnitCodesField(forms.CharField):
    """Unit codes separated by commas or new lines; cleans to a sorted list without repeats."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        codes = {part.strip() for part in re.split(r"[,\n]", text)} - {""}
        invalid = sorted(
            code
            for code in codes
            if len(code) > UNIT_CODE_MAX_LENGTH or not UNIT_CODE_RE.match(code)
        )
        if invalid:
            raise ValidationError(
                ngettext(
                    "“%(codes)s” is not a unit code. A code is one word of at most "
                    "%(max_length)s letters, digits, dots, hyphens or underscores.",
                    "“%(codes)s” are not unit codes. A code is one word of at most "
                    "%(max_length)s letters, digits, dots, hyphens or underscores.",
                    len(invalid),
                ),
                code="invalid_unit_code",
                params={"codes": "”, “".join(invalid), "max_length": UNIT_CODE_MAX_LENGTH},
            )
        return sorted(codes)


class UserChoiceLabelMixin:
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        username = obj.get_username()
        return f"{full_name} ({username})" if full_name else username


class UserChoiceField(UserChoiceLabelMixin, forms.ModelChoiceField):
    pass


class UserMultipleChoiceField(UserChoiceLabelMixin, forms.ModelMultipleChoiceField):
    pass


class SupervisorForm(WagtailAdminModelForm):
    """Internal supervisors come from a user account; external ones have their own contact.

    Querysets that need the database (themes, users) are set in ``__init__``.
    """

    languages = forms.MultipleChoiceField(
        label=_field_label("languages"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages the supervisor can supervise in."),
    )
    formats = forms.MultipleChoiceField(
        label=_field_label("formats"),
        choices=ApplicationFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Forms of supervision the supervisor takes."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_field_label("themes"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    user = UserChoiceField(
        label=_field_label("user"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Internal supervisors: the employee's account."),
    )
    unit_codes = UnitCodesField(
        label=_field_label("unit_codes"),
        required=False,
        help_text=_(
            "Organisational unit codes, separated by commas or new lines. The supervisor gets "
            "no applicants from these units."
        ),
    )
    conflict_unit_codes = UnitCodesField(
        label=_field_label("conflict_unit_codes"),
        required=False,
        help_text=_("Further unit codes whose applicants the supervisor should not get."),
    )
    conflict_users = UserMultipleChoiceField(
        label=_field_label("conflict_users"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("People the supervisor should not get as applicants."),
    )

    class Meta:
        model = Supervisor
        fields = [
            "kind",
            "user",
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
            "cost_per_meeting",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(locale=Locale.get_default())
        active_users = get_user_model().objects.filter(is_active=True)
        ordering = ("last_name", "first_name", "username")
        # An account belongs to at most one supervisor.
        self.fields["user"].queryset = active_users.filter(
            Q(tyonohjaus_supervisor__isnull=True) | Q(pk=self.instance.user_id)
        ).order_by(*ordering)
        self.fields["conflict_users"].queryset = active_users.order_by(*ordering)

    def clean_languages(self):
        return _in_choice_order(self.cleaned_data["languages"], language_choices())

    def clean_formats(self):
        return _in_choice_order(self.cleaned_data["formats"], ApplicationFormat.choices)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        cost = cleaned.get("cost_per_meeting")
        if kind == SupervisorKind.INTERNAL:
            self.clean_internal(cleaned, cost)
        elif kind == SupervisorKind.EXTERNAL:
            self.clean_external(cleaned)
        if cost is not None and cost < 0:
            self.add_error("cost_per_meeting", gettext("The cost cannot be negative."))
        return cleaned

    def clean_internal(self, cleaned, cost):
        """Name and e-mail come from the account; only externals are paid per meeting."""
        if not cleaned.get("user") and "user" not in self.errors:
            self.add_error("user", gettext("Choose the employee's user account."))
        for field in ("name", "email"):
            if cleaned.get(field):
                self.add_error(
                    field,
                    gettext(
                        "Leave this empty for an internal supervisor: the name and e-mail "
                        "come from the user account."
                    ),
                )
        if cost is not None:
            self.add_error(
                "cost_per_meeting",
                gettext("Only external supervisors have a cost per meeting."),
            )

    def clean_external(self, cleaned):
        if cleaned.get("user"):
            self.add_error(
                "user", gettext("An external supervisor has no user account: leave this empty.")
            )
        if not cleaned.get("name") and "name" not in self.errors:
            self.add_error("name", gettext("Enter the external supervisor's name."))
        if not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", gettext("Enter the external supervisor's e-mail."))


class SupervisorFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_field_label("kind"),
        choices=SupervisorKind.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    active = django_filters.BooleanFilter(label=_field_label("active"), widget=BooleanRadioSelect)
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        field_name="languages",
        choices=language_choices,
        method="filter_json_list",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"),
        field_name="formats",
        choices=ApplicationFormat.choices,
        method="filter_json_list",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = Supervisor
        fields = ["kind", "active", "language", "format"]

    def filter_json_list(self, queryset, name, value):
        # The lists hold plain codes, so the quoted code matches in the JSON text; unlike
        # ``contains`` on a JSON field, this works on SQLite as well as PostgreSQL.
        return queryset.filter(**{f"{name}__icontains": json.dumps(value)})


def _choice_labels(values, choices):
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


class SupervisorIndexView(generic.IndexView):
    def get_base_queryset(self):
        # ``sort_name`` lets HR sort by the name shown, wherever it comes from.
        return (
            super()
            .get_base_queryset()
            .select_related("user")
            .annotate(
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
                label=_field_label("name"),
                sort_key="sort_name",
                get_url=self.get_title_url,
            ),
            Column(
                "kind", label=_field_label("kind"), accessor="get_kind_display", sort_key="kind"
            ),
            Column(
                "languages",
                label=_field_label("languages"),
                accessor=lambda obj: _choice_labels(obj.languages, language_choices()),
            ),
            Column(
                "formats",
                label=_field_label("formats"),
                accessor=lambda obj: _choice_labels(obj.formats, ApplicationFormat.choices),
            ),
            Column(
                "default_capacity",
                label=_field_label("default_capacity"),
                sort_key="default_capacity",
            ),
            BooleanColumn("active", label=_field_label("active"), sort_key="active"),
        ]

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
        for word in self.search_query.split():
            query = Q()
            for field in self.search_fields:
                query |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(query)
        return queryset


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


class SupervisorEditView(SupervisorNameMixin, generic.EditView):
    def get_success_message(self):
        return gettext("Supervisor “%(name)s” saved.") % {"name": self.object.display_name}


class SupervisorDeleteView(SupervisorNameMixin, generic.DeleteView):
    def get_success_message(self):
        return gettext("Supervisor “%(name)s” deleted.") % {"name": self.object.display_name}


class SupervisorHistoryView(SupervisorNameMixin, HistoryView):
    pass


class SupervisorUsageView(SupervisorNameMixin, UsageView):
    pass


class SupervisorInspectView(SupervisorNameMixin, generic.InspectView):
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
        return ", ".join(f"{row.round.name}: {row.capacity}" for row in rows) or "-"


class SupervisorViewSet(ModelViewSet):
    """HR's list of supervisors; needs the plugin's supervisor permissions, not page rights."""

    model = Supervisor
    name = "tyonohjaus_supervisors"
    url_prefix = "tyonohjaus/supervisors"
    icon = "user"
    menu_label = _("Supervisors")
    copy_view_enabled = False
    index_view_class = SupervisorIndexView
    add_view_class = SupervisorCreateView
    edit_view_class = SupervisorEditView
    delete_view_class = SupervisorDeleteView
    history_view_class = SupervisorHistoryView
    usage_view_class = SupervisorUsageView
    inspect_view_enabled = True
    inspect_view_class = SupervisorInspectView
    filterset_class = SupervisorFilterSet
    search_fields = ["name", "email", "user__first_name", "user__last_name", "user__email"]
    search_backend_name = None  # Supervisor is not in the search index: search with the ORM
    ordering = "sort_name"

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("user"),
                    FieldPanel("name"),
                    FieldPanel("email"),
                    FieldPanel("organisation"),
                    FieldPanel("qualification"),
                ],
                heading=_("Supervisor"),
            ),
            MultiFieldPanel(
                [FieldPanel("languages"), FieldPanel("formats"), FieldPanel("themes")],
                heading=_("Supervision offered"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("unit_codes"),
                    FieldPanel("conflict_unit_codes"),
                    FieldPanel("conflict_users"),
                ],
                heading=_("Conflicts of interest"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("default_capacity"),
                    FieldPanel("cost_per_meeting"),
                    FieldPanel("active"),
                ],
                heading=_("Capacity and cost"),
            ),
            InlinePanel(
                "round_capacities",
                panels=[FieldPanel("round"), FieldPanel("capacity")],
                heading=_("Capacity in a round"),
                label=_("Round capacity"),
                help_text=_("Only where a round differs from the capacity per round above."),
            ),
        ],
        base_form_class=SupervisorForm,
    )
