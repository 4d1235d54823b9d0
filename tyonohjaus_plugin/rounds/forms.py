"""Admin form of application rounds."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tyonohjaus_plugin.models import ApplicationRound
from tyonohjaus_plugin.models.pages import service_choices


def validate_year(value):
    if not 2000 <= value.year <= 2999:
        raise ValidationError(_("Enter a date between the years 2000 and 2999."), code="year")


class ApplicationRoundForm(WagtailAdminModelForm):
    """The service is chosen by its page; the state changes only through open/close."""

    service = forms.ChoiceField(label=_("Service"), choices=service_choices)

    class Meta:
        model = ApplicationRound
        fields = [
            "name",
            "opens_at",
            "closes_at",
            "programme_starts_on",
            "programme_ends_on",
            "target_places",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Year 1 in Helsinki is before year 1 in UTC: an OverflowError (500) in the database
        # check of the constraints, before this form's own checks said anything.
        for name in ("opens_at", "closes_at", "programme_starts_on", "programme_ends_on"):
            self.fields[name].validators.append(validate_year)
        if self.instance.pk:
            self.fields["service"].initial = str(self.instance.service_key)

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("A round must close after it opens."))
        return cleaned

    def save(self, commit=True):
        self.instance.service_key = uuid.UUID(self.cleaned_data["service"])
        return super().save(commit=commit)
