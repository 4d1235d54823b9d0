"""The participant's end evaluation, reached by the signed link of the e-mail."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from tyonohjaus_plugin.actions.submit_evaluation import SubmitEvaluationAction
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.tokens import read_evaluation_token
from tyonohjaus_plugin.core.views import message_response, public_view
from tyonohjaus_plugin.models import EngagementParticipant

SCALE = [
    (5, gettext_lazy("5 – fully")),
    (4, gettext_lazy("4 – mostly")),
    (3, gettext_lazy("3 – partly")),
    (2, gettext_lazy("2 – a little")),
    (1, gettext_lazy("1 – not at all")),
]


class EvaluationForm(forms.Form):
    goals_reached = forms.TypedChoiceField(
        label=gettext_lazy("How well did you reach the goals you set at the start?"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose one of the options.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything else? (optional)"),
        help_text=gettext_lazy("Please do not write names or other personal details."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@never_cache
@login_required
@public_view
def evaluation(request, token):
    participant_id = read_evaluation_token(token)
    if participant_id is None:
        return message_response(
            request,
            None,
            _("The link is not valid"),
            _("This evaluation link has expired or is not valid."),
            400,
        )
    participant = get_object_or_404(
        EngagementParticipant.objects.select_related("engagement__application"),
        pk=participant_id,
        user=request.user,  # a forwarded link shows nothing to anyone else
    )
    answered = hasattr(participant, "evaluation")
    form = EvaluationForm(request.POST if request.method == "POST" and not answered else None)
    if request.method == "POST" and not answered and form.is_valid():
        SubmitEvaluationAction(
            participant,
            user=request.user,
            goals_reached=form.cleaned_data["goals_reached"],
            comment=form.cleaned_data["comment"],
        ).execute()
        response = HttpResponseRedirect(request.path)
        response.status_code = 303
        return response
    application = participant.engagement.application
    context = {
        "form": form,
        "answered": answered,
        # The goals set at the start, to the person who wrote them.
        "goals": application.goals if application.applicant_id == request.user.pk else "",
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "tyonohjaus_plugin/evaluation.html", context, status=status)
