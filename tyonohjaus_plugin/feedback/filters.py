"""Filters of the feedback reports."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.models import Locale

from tyonohjaus_plugin.models import (
    FeedbackResponse,
)
from tyonohjaus_plugin.models.pages import service_choices


class FeedbackFilterSet(WagtailFilterSet):
    created_on = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    page = django_filters.ChoiceFilter(
        label=_("Page"), field_name="page__translation_key", choices=service_choices
    )
    locale = django_filters.ModelChoiceFilter(
        label=_("Language"), queryset=Locale.objects.all(), empty_label=_("All languages")
    )
    found_information = django_filters.BooleanFilter(label=_("Found the information"))

    class Meta:
        model = FeedbackResponse
        fields = ["created_on", "page", "locale", "found_information"]
