"""Screens of the supervision agreement: the admin's POST endpoints and printable page (on the
engagement page's "Agreement" panel), and a participant's agreement page, acknowledgement and
printable page (logged in; anyone else is answered 404).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tyonohjaus_plugin.actions.agreement import (
    GOALS_MAX_LENGTH,
    STALE,
    AcknowledgeAgreementAction,
    AgreementRefused,
    EditAgreementGoalsAction,
)
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.views import back_to, public_view
from tyonohjaus_plugin.engagements.agreements import agreement_context, is_engagement_supervisor
from tyonohjaus_plugin.engagements.views import EngagementInspectView
from tyonohjaus_plugin.models import Agreement, EngagementParticipant
from tyonohjaus_plugin.permissions import can_view_confidential


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=gettext_lazy("Goals agreed together"),
        help_text=gettext_lazy(
            "Write the goals you agreed together in the first meeting. Saving makes a new "
            "version that everyone acknowledges again."
        ),
        max_length=GOALS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreementAdminView(EngagementInspectView):
    """``goals`` (POST, the engagement's supervisor), ``acknowledge`` (POST, the supervisor)
    and ``print`` (GET: whoever sees the engagement; goals as on the panel)."""

    audit_screen = "agreement"

    def dispatch(self, request, *args, **kwargs):
        action = kwargs.get("action")
        allowed = ["get"] if action == "print" else ["post"]
        if action not in ("goals", "acknowledge", "print"):
            raise Http404
        if request.method.lower() not in allowed:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_agreement(self):
        return get_object_or_404(
            Agreement.objects.select_related("engagement"), engagement=self.object
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        agreement = self.get_agreement()
        agreement.engagement = self.object
        show = is_engagement_supervisor(self.object, user=request.user) or can_view_confidential(
            request.user
        )
        context = {
            "a": agreement_context(agreement, get_language(), show_goals=show),
            "show_answers": show,  # the audit entry of a page with the goals
            "back_url": reverse(self.inspect_url_name, args=[self.object.pk]),
        }
        self.template_name = "tyonohjaus_plugin/agreement_print.html"
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        engagement = self.object
        agreement = self.get_agreement()
        agreement.engagement = engagement
        detail = reverse(self.inspect_url_name, args=[engagement.pk])
        if self.kwargs["action"] == "goals":
            form = GoalsForm(request.POST)
            if not form.is_valid():
                self.goals_form = form
                return self.render_to_response(self.get_context_data(), status=400)
            with back_to(detail):
                EditAgreementGoalsAction(
                    agreement,
                    user=request.user,
                    goals=form.cleaned_data["goals"],
                    version=form.cleaned_data["version"],
                ).execute()
            messages.success(
                request, _("Goals saved: everyone is asked to acknowledge the new version.")
            )
        else:
            with back_to(detail):
                AcknowledgeAgreementAction(
                    agreement, user=request.user, version=request.POST.get("version")
                ).execute()
            messages.success(request, _("You acknowledged the agreement."))
        return redirect(detail)


def _participant(request, pk):
    """The signed-in user's place in engagement ``pk`` (404 for anyone else)."""
    return get_object_or_404(
        EngagementParticipant.objects.select_related(
            "engagement__application", "engagement__supervisor__user"
        ),
        engagement_id=pk,
        user=request.user,
    )


def _page(request, participant, *, status=200, refusal=None):
    context = {
        "engagement": participant.engagement,
        "participant": participant,
        "refusal": refusal,
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/agreement.html", context, status=status)


@login_required
@require_GET
def agreement_page(request, pk):
    """A participant's own agreement page (the participant page may include the same section)."""
    return _page(request, _participant(request, pk))


@login_required
@require_POST
@public_view
def acknowledge_agreement(request, pk):
    """POST ``version``: the participant acknowledges what they read; a stale version shows the
    agreement again (409) with "read it again". ``next`` (a local URL) is where to go after."""
    participant = _participant(request, pk)
    agreement = get_object_or_404(Agreement, engagement_id=pk)
    agreement.engagement = participant.engagement
    try:
        AcknowledgeAgreementAction(
            agreement,
            user=request.user,
            participant=participant,
            version=request.POST.get("version"),
        ).execute()
    except AgreementRefused as refusal:
        if refusal.reason != STALE:
            raise
        return _page(request, participant, status=409, refusal=refusal.message)
    messages.success(request, _("Thank you: you acknowledged the agreement."))
    after = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        after, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        after = reverse("tyonohjaus_plugin:agreement", args=[pk])
    response = HttpResponseRedirect(after)
    response.status_code = 303
    return response


@login_required
@require_GET
def agreement_print(request, pk):
    """The printable agreement, in the reader's language."""
    participant = _participant(request, pk)
    agreement = get_object_or_404(Agreement, engagement_id=pk)
    agreement.engagement = participant.engagement
    context = {
        "a": agreement_context(agreement, get_language()),
        "back_url": reverse("tyonohjaus_plugin:agreement", args=[pk]),
    }
    return TemplateResponse(request, "tyonohjaus_plugin/agreement_print.html", context)
