import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.applications.data import ApplicationData
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.ids import PkModelMultipleChoiceField
from tyonohjaus_plugin.models import ApplicationFormat, SupervisorPreference, Theme
from tyonohjaus_plugin.models.applications import (
    EDITABLE_FIELDS,
    GOALS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SITUATION_MAX_LENGTH,
)


class ApplicationForm(forms.Form):
    """The application: lists its fields explicitly, so nothing else in POST reaches the model."""

    format = forms.ChoiceField(
        label=_("How would you like to take part?"),
        choices=ApplicationFormat.choices,
        widget=forms.RadioSelect,
        initial=ApplicationFormat.INDIVIDUAL,
    )
    co_applicants = forms.CharField(
        label=_("Colleagues in your group or team"),
        help_text=_(
            "Their work email addresses, one per line. They get an invitation to confirm. "
            "Not needed for individual supervision."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can use in supervision"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = PkModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    situation = forms.CharField(
        label=_("Your current situation"),
        help_text=_("Confidential: read only by HR staff with access and your supervisor."),
        max_length=SITUATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    goals = forms.CharField(
        label=_("What would you like to achieve?"),
        max_length=GOALS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    availability = forms.CharField(
        label=_("When are you usually available?"),
        help_text=_("For example: weekday mornings, not on Fridays."),
        max_length=500,
        required=False,
    )
    supervisor_preference = forms.ChoiceField(
        label=_("Supervisor"),
        choices=SupervisorPreference.choices,
        widget=forms.RadioSelect,
        initial=SupervisorPreference.NONE,
    )
    supervisor_wishes = forms.CharField(
        label=_("Supervisors you would like (optional)"), max_length=300, required=False
    )
    off_round_reason = forms.CharField(
        label=_("Why do you need supervision before the next round?"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(label=_("I have read the privacy notice and accept it."))

    def __init__(self, *args, user, locale_id, off_round=False, **kwargs):
        kwargs.setdefault("auto_id", "tyonohjaus-application-%s")
        super().__init__(*args, **kwargs)
        self.user = user
        self.off_round = off_round
        self.fields["themes"].queryset = Theme.objects.filter(active=True, locale_id=locale_id)
        if off_round:
            self.fields["off_round_reason"].required = True
        else:
            del self.fields["off_round_reason"]

    def clean_co_applicants(self):
        raw = self.cleaned_data.get("co_applicants", "")
        addresses = [item.strip() for item in re.split(r"[\s,;]+", raw) if item.strip()]
        lowered = [address.lower() for address in addresses]
        if len(set(lowered)) != len(lowered):
            raise forms.ValidationError(_("Each colleague can be listed only once."))
        if self.user.email and self.user.email.lower() in lowered:
            raise forms.ValidationError(_("Do not list yourself: you are the applicant."))
        query = Q()
        for address in addresses:
            query |= Q(email__iexact=address)
        users = (
            {
                user.email.lower(): user
                for user in get_user_model().objects.filter(query, is_active=True)
            }
            if addresses
            else {}
        )
        missing = [address for address in addresses if address.lower() not in users]
        if missing:
            raise forms.ValidationError(
                _("No active colleague has the address %(address)s."),
                params={"address": missing[0]},
            )
        return [users[address] for address in lowered]

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("format")
        members = cleaned.get("co_applicants") or []
        if chosen == ApplicationFormat.INDIVIDUAL and members:
            self.add_error("co_applicants", _("Individual supervision has no co-applicants."))
        elif chosen in (ApplicationFormat.GROUP, ApplicationFormat.TEAM):
            low, high = (
                plugin_settings.GROUP_CO_APPLICANTS
                if chosen == ApplicationFormat.GROUP
                else plugin_settings.TEAM_CO_APPLICANTS
            )
            if not low <= len(members) <= high:
                self.add_error(
                    "co_applicants",
                    forms.ValidationError(
                        _("List %(low)s to %(high)s colleagues."),
                        params={"low": low, "high": high},
                    ),
                )
        return cleaned

    def to_data(self) -> ApplicationData:
        cleaned = self.cleaned_data
        return ApplicationData(
            format=cleaned["format"],
            languages=list(cleaned["languages"]),
            situation=cleaned["situation"],
            goals=cleaned["goals"],
            availability=cleaned["availability"],
            supervisor_preference=cleaned["supervisor_preference"],
            supervisor_wishes=cleaned["supervisor_wishes"],
            off_round_reason=cleaned.get("off_round_reason", ""),
            theme_ids=[theme.pk for theme in cleaned["themes"]],
            co_applicants=cleaned["co_applicants"],
        )


class EditApplicationForm(ApplicationForm):
    """The applicant's answers; the format and the people stay (withdraw and apply again)."""

    #: The model's editable answers, plus the themes (a many-to-many, set by the action).
    EDITABLE = ("themes", *EDITABLE_FIELDS)

    def __init__(self, *args, application, **kwargs):
        super().__init__(
            *args,
            user=application.applicant,
            locale_id=kwargs.pop("locale_id"),
            off_round=application.round_id is None,
            **kwargs,
        )
        for name in list(self.fields):
            if name not in self.EDITABLE:
                del self.fields[name]
        if not self.is_bound:
            for name in self.fields:
                if name == "themes":
                    self.initial["themes"] = list(application.themes.values_list("pk", flat=True))
                else:
                    self.initial[name] = getattr(application, name)

    def clean(self):
        return forms.Form.clean(self)
