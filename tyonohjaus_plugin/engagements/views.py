"""Engagements for HR (all) and supervisors (their own), with their meetings.

Wagtail's generic listing and inspect views; the permission policy registered for ``Engagement``
(``engagements.policies``) decides who may open them, and every object is fetched through
``Engagement.objects.visible_to(user)``: an id outside it is a 404, whoever asks.
"""

from __future__ import annotations

from django import forms
from django.db.models import Avg, Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from tyonohjaus_plugin.actions.agree_times import DecideTimeAction, TimesRefused
from tyonohjaus_plugin.actions.declare_conflict import DeclareConflictAction
from tyonohjaus_plugin.actions.first_meeting import AnswerFirstMeetingAction
from tyonohjaus_plugin.actions.meetings import (
    BLOCKED_DAY,
    IN_THE_PAST,
    OUTSIDE_HOURS,
    OVERLAP,
    CancelEngagementAction,
    CancelMeetingAction,
    MarkMeetingHeldAction,
    MeetingChangeRefused,
    MoveMeetingAction,
)
from tyonohjaus_plugin.core.people import person_name
from tyonohjaus_plugin.core.tables import DateTimeColumn, StateColumn
from tyonohjaus_plugin.core.views import (
    AuditedReadMixin,
    ListingMessagesMixin,
    RefusalMixin,
    back_to,
)
from tyonohjaus_plugin.engagements import first_meeting
from tyonohjaus_plugin.engagements.agreements import admin_panel_context
from tyonohjaus_plugin.models import (
    ACTIVE_ENGAGEMENT_STATES,
    Engagement,
    EngagementState,
    EvaluationAnswer,
    Meeting,
    MeetingState,
    SlotAnswer,
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


def evaluation_summary(answers) -> dict:
    figures = answers.aggregate(count=Count("pk"), average=Avg("goals_reached"))
    if figures["count"] < MIN_ANSWERS:
        return {"count": figures["count"], "shown": False}
    return {"count": figures["count"], "shown": True, "average": figures["average"]}


def engagement_title(engagement) -> str:
    """The applicant and the format: what HR and the supervisor know the engagement by."""
    return _("%(person)s · %(format)s") % {
        "person": person_name(engagement.application.applicant),
        "format": engagement.application.get_format_display(),
    }


class EngagementIndexView(RefusalMixin, ListingMessagesMixin, generic.IndexView):
    """HR: every engagement; a supervisor: their own. State and round filters, search by the
    applicant's or the supervisor's name (never free text), 50 to a page."""

    template_name = "tyonohjaus_plugin/admin/engagement_index.html"
    any_permission_required = ["view"]
    page_title = gettext_lazy("Engagements")
    default_ordering = "-confirmed_at"
    paginate_by = PAGE_SIZE
    search_fields = ["application__applicant__first_name"]  # enables the search box; see below
    search_backend_name = None

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Engagement"),
                accessor=engagement_title,
                url_name=self.inspect_url_name,
                id_accessor="pk",
            ),
            Column(
                "round",
                label=_("Round"),
                accessor=lambda e: e.round.localized_name if e.round_id else _("Between rounds"),
            ),
            Column(
                "supervisor",
                label=_("Supervisor"),
                accessor=lambda e: e.supervisor.display_name,
            ),
            Column("people", label=_("People"), accessor="people"),
            StateColumn("state", label=_("State"), accessor=state_label, sort_key="state"),
            DateTimeColumn("next_meeting", label=_("Next meeting"), sort_key="next_meeting"),
            DateTimeColumn(
                "confirmed_at", label=capfirst(_("confirmed at")), sort_key="confirmed_at"
            ),
        ]

    def get_base_queryset(self):
        return (
            Engagement.objects.visible_to(self.request.user)
            .select_related("application__applicant", "supervisor__user", "round")
            .annotate(
                people=Count("participants", distinct=True),
                next_meeting=Min(
                    "meetings__starts_at",
                    filter=Q(
                        meetings__state=MeetingState.PLANNED,
                        meetings__starts_at__gt=timezone.now(),
                    ),
                ),
            )
        )

    def order_queryset(self, queryset):
        # A stable order for the pages: ties broken by the newest id.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")

    def search_queryset(self, queryset):
        """Every word must match the applicant's or the supervisor's name (not e-mails or the
        application's answers)."""
        if not self.is_searching:
            return queryset
        for word in self.search_query.split():
            queryset = queryset.filter(
                Q(application__applicant__first_name__icontains=word)
                | Q(application__applicant__last_name__icontains=word)
                | Q(supervisor__name__icontains=word)
                | Q(supervisor__user__first_name__icontains=word)
                | Q(supervisor__user__last_name__icontains=word)
            )
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm(VIEW_ENGAGEMENTS) and not self.results_only:
            context["evaluations"] = evaluation_summary(EvaluationAnswer.objects.all())
        return context


class MoveForm(forms.Form):
    # The browser's date and time inputs read ISO values only: a localised initial value
    # ("1.3.2027" in Finnish) would leave them empty.
    day = forms.DateField(
        label=gettext_lazy("New date"),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    at = forms.TimeField(
        label=gettext_lazy("Start time"),
        widget=forms.TimeInput({"type": "time"}, format="%H:%M"),
    )
    outside_working_hours = forms.BooleanField(
        label=gettext_lazy("Allow outside working hours"),
        required=False,
    )

    #: Where each refusal of the move is shown: the day for a day off, the time otherwise.
    REFUSAL_FIELDS = {BLOCKED_DAY: "day", IN_THE_PAST: "day", OUTSIDE_HOURS: "at", OVERLAP: "at"}

    def mark_errors(self):
        """Invalid inputs say so to assistive technology and point at their message."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )


class DecideTimeForm(forms.Form):
    """The first meeting time decided by the supervisor or HR: a proposal, or another day and
    time (checked like a move)."""

    number = forms.TypedChoiceField(
        label=gettext_lazy("Proposed time"), coerce=int, required=False, empty_value=None
    )
    day = forms.DateField(
        label=gettext_lazy("Another date"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    at = forms.TimeField(
        label=gettext_lazy("Start time"),
        required=False,
        widget=forms.TimeInput({"type": "time"}, format="%H:%M"),
    )

    #: Where each refusal of a hand-picked time is shown.
    REFUSAL_FIELDS = {
        "blocked_day": "day",
        "in_the_past": "day",
        "outside_hours": "at",
        "taken": "at",
        "no_time": "at",
    }

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = [("", "—")] + [
            (
                p.number,
                f"{p.number}. "
                + formats.date_format(timezone.localtime(p.starts_at), "SHORT_DATETIME_FORMAT"),
            )
            for p in proposals
        ]

    def clean(self):
        data = super().clean()
        if data.get("number") is None and "day" in data and "at" in data:
            if data["day"] is None:
                self.add_error("day", _("Choose a proposed time, or give another date and time."))
            if data["at"] is None:
                self.add_error("at", _("Give the start time."))
        return data

    mark_errors = MoveForm.mark_errors


class EngagementInspectView(AuditedReadMixin, RefusalMixin, generic.InspectView):
    """The engagement, its people and meetings, with the forms to move, cancel or mark a meeting
    held; ``bound`` is a refused move form shown with its errors and what was typed. A page that
    shows the application's answers is audit-logged (``AuditedReadMixin``)."""

    template_name = "tyonohjaus_plugin/admin/engagement_detail.html"
    audit_screen = "engagement"
    any_permission_required = ["view"]
    page_title = gettext_lazy("Engagement")
    #: The detail page's URL name, where the POST endpoints below send the user back.
    inspect_url_name = None
    bound = None
    first_meeting_form = None  # the supervisor's refused answer, shown with its errors

    def get_object(self, queryset=None):
        return get_object_or_404(
            Engagement.objects.visible_to(self.request.user).select_related(
                "application__applicant", "supervisor__user", "round"
            ),
            pk=self.pk,
        )

    def get_fields(self):
        return []

    def get_page_subtitle(self):
        return engagement_title(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Engagements")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_meetings(self):
        meetings = list(self.object.meetings.all())
        now = timezone.now()
        for meeting in meetings:
            local = timezone.localtime(meeting.starts_at)
            meeting.form = MoveForm(
                prefix=f"m{meeting.pk}", initial={"day": local.date(), "at": local.time()}
            )
            if self.bound is not None and self.bound.prefix == meeting.form.prefix:
                meeting.form = self.bound
            meeting.can_hold = meeting.state == MeetingState.PLANNED and meeting.starts_at <= now
        return meetings

    def get_times(self) -> dict | None:
        """While the first time is being chosen: the proposals with how many chose each (counts
        only), who has answered, and the decide form."""
        engagement = self.object
        if engagement.state != EngagementState.SCHEDULING:
            return None
        proposals = list(engagement.slot_proposals.all())
        answers = list(SlotAnswer.objects.filter(engagement=engagement, participant__isnull=False))
        for proposal in proposals:
            proposal.chosen_by = sum(proposal.number in a.suitable for a in answers)
        answered = {answer.participant_id for answer in answers}
        form = self.bound_decide or DecideTimeForm(proposals=proposals, prefix="decide")
        return {
            "proposals": proposals,
            "answered": [
                (participant.user, participant.pk in answered)
                for participant in engagement.participants.select_related("user")
            ],
            "none_suit": sum(not a.suitable for a in answers),
            "form": form,
            "can_decide": can_manage_meetings(self.request.user, engagement),
        }

    bound_decide = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        engagement, user = self.object, self.request.user
        context["times"] = self.get_times()
        # The answers are confidential: the matched supervisor and HR with the permission only.
        own = engagement.supervisor.user_id == user.pk
        context.update(
            {
                "engagement": engagement,
                "meetings": self.get_meetings(),
                "people": engagement.participants.select_related("user"),
                "can_manage": can_manage_meetings(user, engagement),
                "can_cancel": user.has_perm(CHANGE_ENGAGEMENTS)
                and engagement.state in ACTIVE_ENGAGEMENT_STATES,
                "show_answers": own or can_view_confidential(user),
                **first_meeting.admin_panel(engagement, user, self.first_meeting_form),
                # The declaration panel (issue 18 item 5): the supervisor while pending.
                "can_declare": own and engagement.state == EngagementState.PENDING,
                # The "Agreement" panel (engagements.agreements, H3).
                "agreement_panel": admin_panel_context(
                    user, engagement, get_language(), goals_form=getattr(self, "goals_form", None)
                ),
            }
        )
        return context

    def audited_read(self, context):
        # A page with the confidential answers is logged; without them (HR lacking the
        # permission) it shows nothing the audit log guards.
        return (self.object.application, True) if context.get("show_answers") else None

    def render_refused_move(self, form):
        """The detail page again, with the move form's errors at its fields (HTTP 400)."""
        self.bound = form
        form.mark_errors()
        return self.render_to_response(self.get_context_data(), status=400)


class CancelEngagementView(EngagementInspectView):
    """POST: HR ends the engagement; every planned meeting is cancelled (the action checks
    ``change_engagement``: a supervisor gets a 403)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        engagement = self.object
        with back_to(reverse(self.inspect_url_name, args=[engagement.pk])):
            CancelEngagementAction(engagement, user=request.user).execute()
        messages.success(request, _("Engagement cancelled; everyone gets the cancellations."))
        return redirect(self.inspect_url_name, engagement.pk)


class DeclareView(EngagementInspectView):
    """POST: the internal supervisor's declaration of conflicts of interest (the action checks
    that the user is the engagement's supervisor and that it is pending)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        engagement, conflict = self.object, request.POST.get("conflict")
        if conflict not in ("yes", "no"):
            raise Http404
        with back_to(reverse(self.inspect_url_name, args=[engagement.pk])):
            DeclareConflictAction(
                engagement, user=request.user, conflict=conflict == "yes"
            ).execute()
        if conflict == "yes":
            messages.success(
                request, _("Conflict of interest declared; HR will find another supervisor.")
            )
            return redirect(self.index_url_name)
        messages.success(request, _("Declaration saved: the meeting times are agreed next."))
        return redirect(self.inspect_url_name, engagement.pk)


def state_label(engagement) -> str:
    """The state, and why a cancelled engagement ended ("declared conflict" and no more)."""
    state = engagement.get_state_display()
    if engagement.end_reason:
        return f"{state}: {engagement.get_end_reason_display()}"
    return state


class DecideTimeView(EngagementInspectView):
    """POST: the supervisor or HR decides the first meeting time; the series is planned and the
    invitations go. A refused hand-picked time is shown at its field (400), a stale proposal is
    the refusal page (409)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        engagement = self.object
        proposals = list(engagement.slot_proposals.all())
        form = DecideTimeForm(request.POST, proposals=proposals, prefix="decide")
        if not form.is_valid():
            return self.render_refused_decide(form)
        data = form.cleaned_data
        action = DecideTimeAction(
            engagement,
            user=request.user,
            number=data["number"],
            day=None if data["number"] else data["day"],
            at=None if data["number"] else data["at"],
        )
        try:
            with back_to(reverse(self.inspect_url_name, args=[engagement.pk])):
                action.execute()
        except TimesRefused as refusal:
            if data["number"] is not None or refusal.reason not in form.REFUSAL_FIELDS:
                raise  # the one refusal path (RefusalMixin)
            form.add_error(form.REFUSAL_FIELDS[refusal.reason], refusal.message)
            return self.render_refused_decide(form)
        messages.success(
            request, _("First meeting time set; everyone gets the calendar invitations.")
        )
        return redirect(self.inspect_url_name, engagement.pk)

    def render_refused_decide(self, form):
        self.bound_decide = form
        form.mark_errors()
        return self.render_to_response(self.get_context_data(), status=400)


class MeetingActionView(EngagementInspectView):
    """POST ``move``, ``cancel`` or ``held`` for one meeting of a permitted engagement; the URL
    names the meeting, so the engagement is found through it."""

    http_method_names = ["post"]

    def get_object(self, queryset=None):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("engagement__supervisor").filter(
                engagement__in=Engagement.objects.visible_to(self.request.user)
            ),
            pk=self.pk,
        )
        self.pk = self.meeting.engagement_id
        return super().get_object(queryset)

    def post(self, request, *args, **kwargs):
        meeting, action, form = self.meeting, self.kwargs["action"], None
        if action == "move":
            form = MoveForm(request.POST, prefix=f"m{meeting.pk}")
            if not form.is_valid():
                return self.render_refused_move(form)
            operation = MoveMeetingAction(
                meeting,
                user=request.user,
                day=form.cleaned_data["day"],
                at=form.cleaned_data["at"],
                outside_working_hours=form.cleaned_data["outside_working_hours"],
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
            with back_to(reverse(self.inspect_url_name, args=[meeting.engagement_id])):
                operation.execute()
        except MeetingChangeRefused as refusal:
            if form is None or refusal.reason not in MoveForm.REFUSAL_FIELDS:
                raise  # the one refusal path (RefusalMixin)
            # A day off, a past time, outside working hours or an overlap: say so at the field.
            form.add_error(MoveForm.REFUSAL_FIELDS[refusal.reason], refusal.message)
            return self.render_refused_move(form)
        messages.success(request, done)
        return redirect(self.inspect_url_name, meeting.engagement_id)


class FirstMeetingAnswerView(EngagementInspectView):
    """POST: the internal supervisor's own answer after the first meeting (the action checks
    that the supervisor is the engagement's: anyone else gets a 403)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        engagement = self.object
        form = first_meeting.FirstMeetingForm(request.POST)
        if not form.is_valid():
            self.first_meeting_form = form
            return self.render_to_response(self.get_context_data(), status=400)
        with back_to(reverse(self.inspect_url_name, args=[engagement.pk])):
            AnswerFirstMeetingAction(
                engagement,
                user=request.user,
                supervisor=engagement.supervisor,
                go_on=form.cleaned_data["go_on"],
                comment=form.cleaned_data["comment"],
            ).execute()
        messages.success(request, _("Your answer was saved."))
        return redirect(self.inspect_url_name, engagement.pk)
