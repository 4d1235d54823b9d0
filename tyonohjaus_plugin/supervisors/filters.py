"""Filters of HR's supervisor listing."""

import json

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect

from tyonohjaus_plugin.models import (
    ApplicationFormat,
    Supervisor,
    SupervisorKind,
)
from tyonohjaus_plugin.supervisors.forms import field_label, language_choices


class SupervisorFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=field_label("kind"),
        choices=SupervisorKind.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    active = django_filters.BooleanFilter(label=field_label("active"), widget=BooleanRadioSelect)
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
