"""HR's supervisor form: unit codes, user choosers, internal or external."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tyonohjaus_plugin.core.ids import PkModelChoiceField, PkModelMultipleChoiceField
from tyonohjaus_plugin.models import (
    ApplicationFormat,
    Supervisor,
    SupervisorKind,
    Theme,
    ThemeCatalogue,
)

#: EmployeeProfile.unit_code is at most 50 characters; codes are single words.
UNIT_CODE_MAX_LENGTH = 50


UNIT_CODE_RE = re.compile(r"^[\w.\-/]+$")


def language_choices():
    return list(settings.LANGUAGES)


def field_label(name):
    return capfirst(Supervisor._meta.get_field(name).verbose_name)


def in_choice_order(values, choices):
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


class UserChoiceField(UserChoiceLabelMixin, PkModelChoiceField):
    pass


class UserMultipleChoiceField(UserChoiceLabelMixin, PkModelMultipleChoiceField):
    pass


class SupervisorForm(WagtailAdminModelForm):
    """Internal supervisors come from a user account; external ones have their own contact.

    Querysets that need the database (themes, users) are set in ``__init__``.
    """

    languages = forms.MultipleChoiceField(
        label=field_label("languages"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Languages the supervisor can supervise in."),
    )
    formats = forms.MultipleChoiceField(
        label=field_label("formats"),
        choices=ApplicationFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Forms of supervision the supervisor takes."),
    )
    themes = PkModelMultipleChoiceField(
        label=field_label("themes"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    user = UserChoiceField(
        label=field_label("user"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Internal supervisors: the employee's account."),
    )
    unit_codes = UnitCodesField(
        label=field_label("unit_codes"),
        required=False,
        help_text=_(
            "Organisational unit codes, separated by commas or new lines. The supervisor gets "
            "no applicants from these units."
        ),
    )
    conflict_unit_codes = UnitCodesField(
        label=field_label("conflict_unit_codes"),
        required=False,
        help_text=_("Further unit codes whose applicants the supervisor should not get."),
    )
    conflict_users = UserMultipleChoiceField(
        label=field_label("conflict_users"),
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
        # One row per theme (the canonical one applications link to too), named in the admin
        # user's language.
        catalogue = ThemeCatalogue()
        names = {entry.pk: entry.name for entry in catalogue.entries.values()}
        themes = self.fields["themes"]
        themes.queryset = Theme.objects.filter(pk__in=names)
        themes.label_from_instance = lambda theme: names.get(theme.pk, theme.name)
        active_users = get_user_model().objects.filter(is_active=True)
        ordering = ("last_name", "first_name", "username")
        # An account belongs to at most one supervisor.
        self.fields["user"].queryset = active_users.filter(
            Q(tyonohjaus_supervisor__isnull=True) | Q(pk=self.instance.user_id)
        ).order_by(*ordering)
        self.fields["conflict_users"].queryset = active_users.order_by(*ordering)

    def clean_languages(self):
        return in_choice_order(self.cleaned_data["languages"], language_choices())

    def clean_formats(self):
        return in_choice_order(self.cleaned_data["formats"], ApplicationFormat.choices)

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
