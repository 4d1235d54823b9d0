"""Admin form of application rounds."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tyonohjaus_plugin.models import ApplicationRound
from tyonohjaus_plugin.models.pages import service_choices


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
