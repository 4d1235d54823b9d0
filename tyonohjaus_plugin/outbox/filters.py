"""Filters of the outbox listing: state and kind of message."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from tyonohjaus_plugin.models import Delivery, DeliveryKind, DeliveryState


class DeliveryFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=DeliveryState.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=DeliveryKind.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Delivery
        fields = ["state", "kind"]
