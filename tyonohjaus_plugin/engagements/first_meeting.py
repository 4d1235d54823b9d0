"""A participant's answer after the first meeting: by the signed link of the e-mail, or from
the participant's own page (``supervision/includes/first_meeting.html`` links to the logged-in
route). Either way the participant row must be the logged-in user's: anyone else gets a 404."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tyonohjaus_plugin.actions.first_meeting import AnswerFirstMeetingAction, question_open
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.tokens import read_first_meeting_token
from tyonohjaus_plugin.core.views import message_response, public_view
from tyonohjaus_plugin.models import EngagementParticipant, FirstMeetingAnswer
from tyonohjaus_plugin.permissions import can_view_confidential

CHOICES = [
    ("yes", gettext_lazy("We continue")),
    ("no", gettext_lazy("Not a good fit: I would like another supervisor")),
]


class FirstMeetingForm(forms.Form):
    go_on = forms.TypedChoiceField(
        label=gettext_lazy("After the first meeting, do you wish to continue?"),
        choices=CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose one of the options.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        help_text=gettext_lazy(
            "Seen only by HR staff with access to confidential answers, never by the other "
            "people of the engagement. Please do not write other people's personal details."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def admin_panel(engagement, user, form=None) -> dict:
    """The context of ``admin/includes/first_meeting_panel.html`` on the engagement page: each
    person's answer (comments only for HR with the confidential permission) and the internal
    supervisor's own form while their answer is open."""
    answers = list(FirstMeetingAnswer.objects.filter(engagement=engagement))
    by_participant = {a.participant_id: a for a in answers if a.participant_id}
    rows = [
        {"person": p.user, "answer": by_participant.get(p.pk)}
        for p in engagement.participants.select_related("user").order_by("pk")
    ]
    supervisor_answer = next((a for a in answers if a.by_supervisor), None)
    own = engagement.supervisor.user_id is not None and engagement.supervisor.user_id == user.pk
    open_ = question_open(engagement)
    return {
        "first_meeting": {
            "shown": bool(answers) or open_,
            "rows": rows,
            "supervisor": engagement.supervisor,
            "supervisor_answer": supervisor_answer,
            "show_comments": can_view_confidential(user),
            "form": (form or FirstMeetingForm())
            if own and open_ and not supervisor_answer
            else None,
        }
    }


def _answer_page(request, participant):
    form = FirstMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        AnswerFirstMeetingAction(
            participant.engagement,
            user=request.user,
            participant=participant,
            go_on=form.cleaned_data["go_on"],
            comment=form.cleaned_data["comment"],
        ).execute()  # a second answer: 409 page (public_view)
        response = HttpResponseRedirect(request.path)
        response.status_code = 303
        return response
    engagement = participant.engagement
    answer = FirstMeetingAnswer.objects.filter(
        engagement=engagement, participant=participant
    ).first()
    context = {
        "engagement": engagement,
        "participant": participant,
        "form": form,
        "answer": answer,
        "question_open": answer is None and question_open(engagement),
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "tyonohjaus_plugin/first_meeting.html", context, status=status)


def _participant(request, pk):
    return get_object_or_404(
        EngagementParticipant.objects.select_related("engagement__supervisor"),
        pk=pk,
        user=request.user,  # a forwarded link shows nothing to anyone else
    )


@login_required
@require_http_methods(["GET", "POST"])
@public_view
def first_meeting(request, token):
    participant_id = read_first_meeting_token(token)
    if participant_id is None:
        return message_response(
            request,
            None,
            _("The link is not valid"),
            _("This link has expired or is not valid."),
            400,
        )
    return _answer_page(request, _participant(request, participant_id))


@login_required
@require_http_methods(["GET", "POST"])
@public_view
def first_meeting_mine(request, pk):
    """The same page for the logged-in participant, linked from their supervision page."""
    return _answer_page(request, _participant(request, pk))
