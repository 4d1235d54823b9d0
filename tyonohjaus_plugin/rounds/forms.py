"""Admin form of application rounds."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tyonohjaus_plugin.models import ApplicationRound
from tyonohjaus_plugin.models.pages import service_choices
from tyonohjaus_plugin.models.rounds import translated_languages


def validate_year(value):
    if not 2000 <= value.year <= 2999:
        raise ValidationError(_("Enter a date between the years 2000 and 2999."), code="year")


class ApplicationRoundForm(WagtailAdminModelForm):
    """The service is chosen by its page; the state changes only through open/close.

    The name has one field per site language: ``name`` for the default language (required) and
    ``name_<code>`` for each other one (optional), kept in ``name_translations``.
    """

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
        languages = dict(settings.LANGUAGES)
        default = settings.LANGUAGE_CODE
        self.fields["name"].label = _("Name (%(language)s)") % {
            "language": str(languages.get(default, default))
        }
        translations = self.instance.name_translations or {}
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("name") + 1
        added = [
            (
                self.translation_field(code),
                forms.CharField(
                    label=_("Name (%(language)s)") % {"language": str(language)},
                    help_text=_("Optional: without it this language shows the name above."),
                    max_length=100,
                    required=False,
                    initial=translations.get(code, ""),
                ),
            )
            for code, language in translated_languages()
        ]
        self.fields = dict(fields[:at] + added + fields[at:])

    @staticmethod
    def translation_field(code):
        return f"name_{code.replace('-', '_')}"

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("A round must close after it opens."))
        return cleaned

    def save(self, commit=True):
        self.instance.service_key = uuid.UUID(self.cleaned_data["service"])
        self.instance.name_translations = {
            code: name
            for code, _language in translated_languages()
            if (name := self.cleaned_data.get(self.translation_field(code), "").strip())
        }
        return super().save(commit=commit)
