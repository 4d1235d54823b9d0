"""Filters of the engagement listing: state and round (no names, no free text)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from tyonohjaus_plugin.models import ApplicationRound, Engagement, EngagementState


class EngagementFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=EngagementState.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    round = django_filters.ModelChoiceFilter(
        label=_("Round"),
        queryset=ApplicationRound.objects.all(),
        empty_label=_("All rounds"),
    )
    off_round = django_filters.BooleanFilter(
        label=_("Between rounds"), field_name="round", lookup_expr="isnull"
    )

    class Meta:
        model = Engagement
        fields = ["state", "round", "off_round"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Round names in the admin user's language (str() is the default language's).
        self.filters["round"].field.label_from_instance = lambda round: round.localized_name
