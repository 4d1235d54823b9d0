import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from tyonohjaus_plugin.models import (
    Application,
    ApplicationFormat,
    ApplicationParticipant,
    ApplicationRound,
    ApplicationStatus,
    RoundState,
    ThemeCatalogue,
)
from tyonohjaus_plugin.models.applications import UNMATCHED_STATUSES


def theme_choices():
    """Every theme once, by translation key, named in the admin user's language (applicants
    pick in any language; links point at one row per key, see ``ThemeCatalogue``)."""
    return ThemeCatalogue().choices(everything=True)


class ApplicationFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=ApplicationRound.objects.all(), empty_label=_("All rounds")
    )
    off_round = django_filters.BooleanFilter(
        label=_("Between rounds"), field_name="round", lookup_expr="isnull"
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ApplicationStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    format = django_filters.ChoiceFilter(label=_("Format"), choices=ApplicationFormat.choices)
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, method="filter_language"
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=theme_choices, method="filter_theme"
    )
    unit = django_filters.CharFilter(
        label=_("Unit"), method="filter_unit", help_text=_("A unit code or part of its name.")
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), widget=DateRangePickerWidget
    )
    unconfirmed = django_filters.BooleanFilter(
        label=_("Colleagues yet to confirm"), method="filter_unconfirmed"
    )
    unmatched = django_filters.BooleanFilter(
        label=_("Unmatched after the round closed"), method="filter_unmatched"
    )

    class Meta:
        model = Application
        fields = [
            "round",
            "off_round",
            "status",
            "format",
            "language",
            "theme",
            "unit",
            "submitted_at",
            "unconfirmed",
            "unmatched",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the themes once per request: django-filter would call a choices callable for
        # the field, its validation and the active-filter labels (three times two queries).
        self.filters["theme"].extra["choices"] = theme_choices()
        self.filters["round"].field.label_from_instance = lambda round: round.localized_name

    def filter_language(self, queryset, name, value):
        # JSON lists are matched as text so that SQLite and PostgreSQL behave alike.
        return queryset.filter(languages__icontains=f'"{value}"')

    def filter_theme(self, queryset, name, value):
        return queryset.filter(
            pk__in=Application.themes.through.objects.filter(theme__translation_key=value).values(
                "application_id"
            )
        )

    def filter_unit(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        people = ApplicationParticipant.objects.filter(
            Q(user__tyonohjaus_profile__unit_code__iexact=value)
            | Q(user__tyonohjaus_profile__unit_name__icontains=value)
        )
        return queryset.filter(pk__in=people.values("application_id"))

    def filter_unconfirmed(self, queryset, name, value):
        from tyonohjaus_plugin.applications.admin.dashboard import (
            unconfirmed_group_q,  # the panel's count and this list agree
        )

        condition = unconfirmed_group_q()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_unmatched(self, queryset, name, value):
        condition = Q(
            status__in=UNMATCHED_STATUSES,
            round__state__in=(RoundState.CLOSED, RoundState.MATCHED, RoundState.ARCHIVED),
        )
        return queryset.filter(condition) if value else queryset.exclude(condition)
