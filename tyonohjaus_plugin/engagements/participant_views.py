"""A participant's own supervision: the list of their engagements and an engagement's page
(the supervisor, the proposed first times to choose from, then the schedule), logged in or by the
signed link of the welcome message (checked against the login, like the evaluation link).

Other helpers' sections (the agreement, the first-meeting decision) are included when their
templates exist: the page works without them.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tyonohjaus_plugin.actions.agree_times import NOT_SCHEDULING, ChooseTimesAction, TimesRefused
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.participant_links import read_supervision_token
from tyonohjaus_plugin.core.views import message_response, public_view
from tyonohjaus_plugin.models import (
    EngagementParticipant,
    EngagementState,
    MeetingState,
    SlotAnswer,
)

#: Sections of other parts of the process, included on the engagement page when present; each
#: gets ``engagement`` and ``participant`` in its context.
SECTIONS = {
    "agreement_section": "tyonohjaus_plugin/supervision/includes/agreement.html",
    "first_meeting_section": "tyonohjaus_plugin/supervision/includes/first_meeting.html",
}


@functools.cache
def _section_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def sections() -> dict:
    return {flag: name for flag, name in SECTIONS.items() if _section_exists(name)}


class ChooseTimesForm(forms.Form):
    suitable = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Times that suit me"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choose among the proposed times.")},
    )
    none = forms.BooleanField(label=gettext_lazy("None of these times suit me"), required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suitable"].choices = [(p.number, str(p.number)) for p in proposals]

    def clean(self):
        data = super().clean()
        if "suitable" in data and bool(data["suitable"]) == bool(data.get("none")):
            self.add_error(
                "suitable",
                _("Tick the times that suit you, or “None of these times suit me”, not both.")
                if data["suitable"]
                else _("Tick the times that suit you, or “None of these times suit me”."),
            )
        return data


def _participants(user):
    return EngagementParticipant.objects.filter(user=user).select_related(
        "engagement__supervisor__user", "engagement__application", "engagement__round"
    )


@login_required
@public_view
def my_supervision(request):
    """Every engagement the person takes part in, newest first, with its next meeting."""
    now = timezone.now()
    participants = (
        _participants(request.user)
        .annotate(
            next_meeting=Min(
                "engagement__meetings__starts_at",
                filter=Q(
                    engagement__meetings__state=MeetingState.PLANNED,
                    engagement__meetings__starts_at__gt=now,
                ),
            )
        )
        .order_by("-engagement__confirmed_at", "-pk")
    )
    context = {
        "participants": participants,
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/supervision/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@public_view
def supervision_detail(request, pk):
    participant = get_object_or_404(_participants(request.user), engagement_id=pk)
    return _engagement_page(request, participant)


@login_required
@public_view
def supervision_link(request, token):
    """The welcome message's link: to the person's engagement page, if it is theirs."""
    participant_id = read_supervision_token(token)
    if participant_id is None:
        return message_response(
            request,
            None,
            _("The link is not valid"),
            _("This link has expired or is not valid. Log in and open “My supervision”."),
            400,
        )
    participant = get_object_or_404(
        EngagementParticipant, pk=participant_id, user=request.user
    )  # a forwarded link shows nothing to anyone else
    response = HttpResponseRedirect(
        reverse("tyonohjaus_plugin:supervision_detail", args=[participant.engagement_id])
    )
    response.status_code = 303
    return response


def _engagement_page(request, participant):
    engagement = participant.engagement
    scheduling = engagement.state == EngagementState.SCHEDULING
    proposals = list(engagement.slot_proposals.all()) if scheduling else []
    answer = SlotAnswer.objects.filter(engagement=engagement, participant=participant).first()
    form = None
    if proposals:
        initial = {"suitable": answer.suitable, "none": not answer.suitable} if answer else {}
        bound = request.method == "POST"
        form = ChooseTimesForm(
            request.POST if bound else None, initial=initial, proposals=proposals
        )
        if bound and form.is_valid():
            action = ChooseTimesAction(
                participant, user=request.user, suitable=form.cleaned_data["suitable"]
            )
            action.execute()
            messages.success(
                request,
                _("Thank you: the first meeting is set and you will get calendar invitations.")
                if action.planned
                else _("Thank you: your answer has been saved."),
            )
            response = HttpResponseRedirect(request.path)
            response.status_code = 303
            return response
    elif request.method == "POST":
        # Nothing to choose (agreed or ended meanwhile): said as the action says it (409).
        raise TimesRefused(NOT_SCHEDULING)
    if form is not None and form.is_bound:
        selected = {str(value) for value in form["suitable"].value() or ()}
    else:
        selected = {str(number) for number in (answer.suitable if answer else ())}
    for proposal in proposals:
        proposal.field_id = f"id_suitable_{proposal.number}"
        proposal.checked = str(proposal.number) in selected
    context = {
        "engagement": engagement,
        "participant": participant,
        "supervisor": engagement.supervisor,
        "scheduling": scheduling,
        "proposals": proposals,
        "answer": answer,
        "form": form,
        "meetings": engagement.meetings.exclude(state=MeetingState.CANCELLED)
        if not scheduling
        else [],
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
        **sections(),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return TemplateResponse(
        request, "tyonohjaus_plugin/supervision/detail.html", context, status=status
    )
