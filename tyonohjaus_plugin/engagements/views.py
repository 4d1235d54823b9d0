"""Engagements for HR (all) and supervisors (their own), their meetings, and the outbox."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from tyonohjaus_plugin.actions.meetings import (
    BLOCKED_DAY,
    IN_THE_PAST,
    NOT_PLANNED,
    CancelEngagementAction,
    CancelMeetingAction,
    MarkMeetingHeldAction,
    MeetingChangeRefused,
    MoveMeetingAction,
)
from tyonohjaus_plugin.core.views import refused
from tyonohjaus_plugin.models import (
    Engagement,
    EngagementState,
    EvaluationAnswer,
    Meeting,
    MeetingState,
    Supervisor,
)
from tyonohjaus_plugin.permissions import (
    CHANGE_ENGAGEMENTS,
    VIEW_ENGAGEMENTS,
    can_manage_meetings,
    can_view_confidential,
)

PAGE_SIZE = 50
#: HR sees evaluation results only over at least this many answers (no single person's answer).
MIN_ANSWERS = 5


def is_supervisor(user) -> bool:
    # Remembered on the request's user object: the admin menu asks more than once per page.
    if not hasattr(user, "_tyonohjaus_is_supervisor"):
        user._tyonohjaus_is_supervisor = (
            user.is_active and Supervisor.objects.filter(user_id=user.pk).exists()
        )
    return user._tyonohjaus_is_supervisor


def can_open_engagements(user) -> bool:
    return user.is_active and (user.has_perm(VIEW_ENGAGEMENTS) or is_supervisor(user))


def evaluation_summary(answers) -> dict:
    figures = answers.aggregate(count=Count("pk"), average=Avg("goals_reached"))
    if figures["count"] < MIN_ANSWERS:
        return {"count": figures["count"], "shown": False}
    return {"count": figures["count"], "shown": True, "average": figures["average"]}


def index(request):
    if not can_open_engagements(request.user):
        raise PermissionDenied
    state = request.GET.get("state")
    engagements = (
        Engagement.objects.visible_to(request.user)
        .select_related("application__applicant", "supervisor__user", "round")
        .annotate(
            people=Count("participants", distinct=True),
            next_meeting=Min(
                "meetings__starts_at",
                filter=Q(
                    meetings__state=MeetingState.PLANNED, meetings__starts_at__gt=timezone.now()
                ),
            ),
        )
        .order_by("-confirmed_at", "-pk")
    )
    if state in EngagementState.values:
        engagements = engagements.filter(state=state)
    context = {
        "page": Paginator(engagements, PAGE_SIZE).get_page(request.GET.get("p")),
        "states": [(code, label, None) for code, label in EngagementState.choices],
        "state": state,
        "hr": request.user.has_perm(VIEW_ENGAGEMENTS),
    }
    if context["hr"]:
        context["evaluations"] = evaluation_summary(EvaluationAnswer.objects.all())
    return TemplateResponse(request, "tyonohjaus_plugin/admin/engagement_index.html", context)


class MoveForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("New date"), widget=forms.DateInput({"type": "date"}))
    at = forms.TimeField(label=gettext_lazy("Start time"), widget=forms.TimeInput({"type": "time"}))


def detail(request, pk, *, bound=None, status=200):
    """The engagement and its meetings; ``bound`` is a refused move form to show with its
    errors next to the fields and what was typed."""
    engagement = get_object_or_404(
        Engagement.objects.visible_to(request.user).select_related(
            "application__applicant", "supervisor__user", "round"
        ),
        pk=pk,
    )
    meetings = list(engagement.meetings.all())
    now = timezone.now()
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at)
        meeting.form = MoveForm(
            prefix=f"m{meeting.pk}", initial={"day": local.date(), "at": local.time()}
        )
        if bound is not None and bound.prefix == meeting.form.prefix:
            meeting.form = bound
        meeting.can_hold = meeting.state == MeetingState.PLANNED and meeting.starts_at <= now
    # The answers are confidential: the matched supervisor and HR with the permission only.
    own = engagement.supervisor.user_id == request.user.pk
    context = {
        "engagement": engagement,
        "meetings": meetings,
        "people": engagement.participants.select_related("user"),
        "can_manage": can_manage_meetings(request.user, engagement),
        "can_cancel": request.user.has_perm(CHANGE_ENGAGEMENTS)
        and engagement.state in (EngagementState.PLANNED, EngagementState.IN_PROGRESS),
        "show_answers": own or can_view_confidential(request.user),
    }
    return TemplateResponse(
        request, "tyonohjaus_plugin/admin/engagement_detail.html", context, status=status
    )


def refusal_message(reason: str) -> str:
    return {
        NOT_PLANNED: _("The meeting is no longer planned: it was held or cancelled."),
        IN_THE_PAST: _(
            "Choose a time in the future; a meeting is marked held only after it starts."
        ),
        BLOCKED_DAY: _(
            "That day is a weekend, a public holiday or in a period kept free of meetings."
        ),
    }.get(reason, _("The change was not made."))


@require_POST
def cancel_engagement(request, pk):
    engagement = get_object_or_404(Engagement.objects.visible_to(request.user), pk=pk)
    try:
        CancelEngagementAction(engagement, user=request.user).execute()
    except MeetingChangeRefused as refusal:
        return refused(
            request,
            refusal_message(refusal.reason),
            reverse("tyonohjaus_engagements:detail", args=[pk]),
        )
    messages.success(request, _("Engagement cancelled; everyone gets the cancellations."))
    return redirect("tyonohjaus_engagements:detail", pk)


@require_POST
def change_meeting(request, pk, action):
    meeting = get_object_or_404(
        Meeting.objects.select_related("engagement__supervisor").filter(
            engagement__in=Engagement.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    form = None
    if action == "move":
        form = MoveForm(request.POST, prefix=f"m{meeting.pk}")
        if not form.is_valid():
            return detail(request, meeting.engagement_id, bound=form, status=400)
        operation = MoveMeetingAction(
            meeting, user=request.user, day=form.cleaned_data["day"], at=form.cleaned_data["at"]
        )
        done = _("Meeting moved; everyone gets an updated invitation.")
    elif action == "cancel":
        operation = CancelMeetingAction(meeting, user=request.user)
        done = _("Meeting cancelled; everyone gets a cancellation.")
    elif action == "held":
        operation = MarkMeetingHeldAction(meeting, user=request.user)
        done = _("Meeting marked held.")
    else:
        raise Http404
    try:
        operation.execute()
    except MeetingChangeRefused as refusal:
        if form is not None and refusal.reason in (BLOCKED_DAY, IN_THE_PAST):
            # A day the plan rules keep free, or a past time: say so at the date field.
            form.add_error("day", refusal_message(refusal.reason))
            return detail(request, meeting.engagement_id, bound=form, status=400)
        return refused(
            request,
            refusal_message(refusal.reason),
            reverse("tyonohjaus_engagements:detail", args=[meeting.engagement_id]),
        )
    messages.success(request, done)
    return redirect("tyonohjaus_engagements:detail", meeting.engagement_id)
