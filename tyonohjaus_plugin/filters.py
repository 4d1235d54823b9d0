import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.models import Locale

from .models import FeedbackResponse
from .utils import service_page_models


def service_choices():
    """One choice per service (translation set), labelled with the default language's title."""
    default_locale = Locale.get_default()
    titles = {}
    for model in service_page_models():
        for key, title, locale_id in model.objects.values_list(
            "translation_key", "title", "locale_id"
        ).order_by("title"):
            if key not in titles or locale_id == default_locale.pk:
                titles[key] = title
    return sorted(((str(key), title) for key, title in titles.items()), key=lambda c: c[1])


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
