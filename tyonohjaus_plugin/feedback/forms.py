"""Forms of the feedback prompt."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.models.feedback import COMMENT_MAX_LENGTH


class FeedbackForm(forms.Form):
    """Yes/no with an optional comment; ``website`` is a honeypot that people never see."""

    answer = forms.TypedChoiceField(
        label=_("Did you find the information you needed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    comment = forms.CharField(
        label=_("What were you looking for? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "tyonohjaus-feedback-%s")
        super().__init__(*args, **kwargs)

    @property
    def is_from_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
