"""The external supervisor's portal: their engagements through a personal signed link, no account.

The link (``core.tokens.make_supervisor_token``, e-mailed by HR or on request) is used once in a
URL: ``enter`` checks it, keeps it in the session and redirects to a URL without it, so the token
does not stay in the browser history or reach another site as a referrer. Every later request
checks it again from the session: the signature, ``SUPERVISOR_LINK_DAYS`` and the supervisor's
``link_generation`` (HR's "Revoke all access links"), and counts it against rate limits per link
and per browser/address. A bad link is a 400 page, a revoked one (or a deactivated supervisor)
a 403 page, both offering "send me a new link"; another supervisor's engagement is a 404.

What the supervisor can do is what an internal supervisor can do in the admin for their own
engagements, through the same actions (``user=None`` + ``supervisor=``): the declaration of
conflicts of interest, meeting held, moving or cancelling a meeting, the agreement's goals and
acknowledgement, the answer after the first meeting. The application's
confidential answers are shown for their own engagements only, and each page showing them is
audit-logged like the admin's.
"""

from __future__ import annotations

import functools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Case, IntegerField, Min, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from tyonohjaus_plugin.actions.agreement import (
    GOALS_MAX_LENGTH,
    STALE,
    AcknowledgeAgreementAction,
    AgreementRefused,
    EditAgreementGoalsAction,
)
from tyonohjaus_plugin.actions.declare_conflict import DeclareConflictAction
from tyonohjaus_plugin.actions.first_meeting import AnswerFirstMeetingAction, question_open
from tyonohjaus_plugin.actions.meetings import (
    BLOCKED_DAY,
    IN_THE_PAST,
    OUTSIDE_HOURS,
    OVERLAP,
    CancelMeetingAction,
    MarkMeetingHeldAction,
    MeetingChangeRefused,
    MoveMeetingAction,
)
from tyonohjaus_plugin.actions.supervisor_links import RequestSupervisorLinkAction
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.people import person_name
from tyonohjaus_plugin.core.ratelimit import is_client_rate_limited, is_rate_limited
from tyonohjaus_plugin.core.refusals import ActionRefused
from tyonohjaus_plugin.core.tokens import read_supervisor_token
from tyonohjaus_plugin.log_actions import APPLICATION_VIEWED
from tyonohjaus_plugin.models import (
    ACTIVE_ENGAGEMENT_STATES,
    Agreement,
    Engagement,
    EngagementState,
    FirstMeetingAnswer,
    Meeting,
    MeetingState,
    Supervisor,
    SupervisorKind,
)

#: Where the access link is kept between requests (never in a URL after the first).
SESSION_KEY = "tyonohjaus_portal_link"
#: Requests per access link, and per browser (address and session) and per address: (count,
#: seconds) windows. A person reads a few pages a minute; a script trying links does not get far.
LINK_RATE_LIMITS = ((60, 60), (600, 3600))
BROWSER_RATE_LIMITS = ((60, 60), (600, 3600))
ADDRESS_RATE_LIMITS = ((300, 60), (3000, 3600))
#: "Send me a new link" requests per browser and per address.
REQUEST_RATE_LIMITS = ((5, 600), (20, 3600))
REQUEST_ADDRESS_RATE_LIMITS = ((30, 600), (100, 3600))

#: Include points of the engagement page: templates rendered in order with the page's context
#: (``engagement``, ``supervisor``, ``meetings``, ``people``, and ``goals_form``,
#: ``agreement_refusal``, ``first_meeting`` for the two below). The first-meeting times (H2) add
#: theirs at merge. Their POST views take ``user=None`` + ``supervisor=`` from ``portal_view``.
ENGAGEMENT_SECTIONS: list[str] = [
    "tyonohjaus_plugin/portal/includes/agreement.html",
    "tyonohjaus_plugin/portal/includes/first_meeting.html",
]

LINK_INVALID = "invalid"  # tampered, expired or missing: 400
LINK_REVOKED = "revoked"  # revoked by HR, or the supervisor is no longer active: 403


class LinkRefused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _context(request, **context) -> dict:
    path = request.get_full_path()
    return {
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
        # The same page in the other languages (i18n_patterns' prefix): the link stays in the
        # session, so switching keeps the supervisor on their page.
        "portal_languages": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
        **context,
    }


def _render(request, template, status=200, **context):
    return TemplateResponse(
        request,
        f"tyonohjaus_plugin/portal/{template}.html",
        _context(request, **context),
        status=status,
    )


def _link_refused(request, reason):
    status = 403 if reason == LINK_REVOKED else 400
    return _render(request, "link_refused", status=status, reason=reason)


def _rate_limited(request):
    return _render(request, "rate_limited", status=429)


def portal_supervisor(request, token: str) -> Supervisor:
    """The active external supervisor whose valid, unrevoked link ``token`` is."""
    read = read_supervisor_token(token)
    if read is None:
        raise LinkRefused(LINK_INVALID)
    supervisor_id, generation = read
    supervisor = Supervisor.objects.filter(pk=supervisor_id, kind=SupervisorKind.EXTERNAL).first()
    if supervisor is None:
        raise LinkRefused(LINK_INVALID)
    if supervisor.link_generation != generation or not supervisor.active:
        raise LinkRefused(LINK_REVOKED)
    return supervisor


def _limited(request, token: str) -> bool:
    per_link = bool(token) and is_rate_limited("portal:link", token, LINK_RATE_LIMITS)
    per_client = is_client_rate_limited("portal", request, BROWSER_RATE_LIMITS, ADDRESS_RATE_LIMITS)
    return per_link or per_client


def portal_view(view):
    """A portal page: the link from the session checked and counted, then ``view(request,
    supervisor, ...)``; a refused action is a message page in the portal's layout."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.session.get(SESSION_KEY, "")
        if _limited(request, token):
            return _rate_limited(request)
        try:
            supervisor = portal_supervisor(request, token)
        except LinkRefused as refusal:
            return _link_refused(request, refusal.reason)
        try:
            return view(request, supervisor, *args, **kwargs)
        except ActionRefused as refusal:
            if refusal.status == 404:
                raise Http404 from None
            return _render(
                request,
                "message",
                status=refusal.status,
                title=refusal.title,
                message=refusal.message,
            )

    return wrapper


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def enter(request, token, engagement_id=None):
    """The link of the e-mail: checked, kept in the session, and off the address bar."""
    if _limited(request, token):
        return _rate_limited(request)
    try:
        supervisor = portal_supervisor(request, token)
    except LinkRefused as refusal:
        response = _link_refused(request, refusal.reason)
    else:
        if request.session.get(SESSION_KEY) != token:
            request.session.cycle_key()  # a new session for a new link (no fixation)
        request.session[SESSION_KEY] = token
        url = reverse("tyonohjaus_plugin:portal")
        if engagement_id is not None and supervisor.engagements.filter(pk=engagement_id).exists():
            url = reverse("tyonohjaus_plugin:portal_engagement", args=[engagement_id])
        response = _see_other(url)
    # The token never leaves the site as a referrer, whatever the site's default policy.
    response["Referrer-Policy"] = "same-origin"
    return response


def _active_first():
    return Case(
        When(state__in=ACTIVE_ENGAGEMENT_STATES, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


@portal_view
def engagement_list(request, supervisor):
    engagements = (
        Engagement.objects.filter(supervisor=supervisor)
        .select_related("application", "round")
        .annotate(
            active_first=_active_first(),
            next_meeting=Min(
                "meetings__starts_at",
                filter=Q(
                    meetings__state=MeetingState.PLANNED, meetings__starts_at__gt=timezone.now()
                ),
            ),
        )
        .order_by("active_first", "-confirmed_at", "-pk")
    )
    rows = [
        {
            "engagement": engagement,
            "people": [person_name(p.user) for p in engagement.participants.all()],
        }
        for engagement in engagements.prefetch_related("participants__user")
    ]
    return _render(request, "list", supervisor=supervisor, rows=rows)


class PortalMoveForm(forms.Form):
    """The admin's move form (``engagements.views.MoveForm``), the same fields and rules."""

    day = forms.DateField(
        label=gettext_lazy("New date"),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    at = forms.TimeField(
        label=gettext_lazy("Start time"),
        widget=forms.TimeInput({"type": "time"}, format="%H:%M"),
    )
    outside_working_hours = forms.BooleanField(
        label=gettext_lazy("Allow outside working hours"), required=False
    )

    REFUSAL_FIELDS = {BLOCKED_DAY: "day", IN_THE_PAST: "day", OUTSIDE_HOURS: "at", OVERLAP: "at"}

    def mark_errors(self):
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )


def _own_engagement(supervisor, pk) -> Engagement:
    return get_object_or_404(
        Engagement.objects.filter(supervisor=supervisor).select_related(
            "application", "round", "supervisor"
        ),
        pk=pk,
    )


def _mark_errors(form):
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}-error"}
            )


class PortalGoalsForm(forms.Form):
    """The goals agreed together (the admin's ``agreement_views.GoalsForm``, the same rules)."""

    goals = forms.CharField(
        label=gettext_lazy("Goals agreed together"),
        help_text=gettext_lazy(
            "Write the goals you agreed together in the first meeting. Saving makes a new "
            "version that everyone acknowledges again."
        ),
        max_length=GOALS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PortalFirstMeetingForm(forms.Form):
    """The supervisor's answer after the first meeting (the admin's ``FirstMeetingForm``)."""

    go_on = forms.TypedChoiceField(
        label=gettext_lazy("After the first meeting, do you wish to continue?"),
        choices=[
            ("yes", gettext_lazy("We continue")),
            ("no", gettext_lazy("Not a good fit: HR looks for another supervisor")),
        ],
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


def _first_meeting(engagement, form=None) -> dict | None:
    """The "after the first meeting" section: whether each participant answered and how (never
    their comments: those are for HR with the confidential permission), the supervisor's own
    answer, or their form while the question is open. ``None`` before the question exists."""
    answers = list(FirstMeetingAnswer.objects.filter(engagement=engagement))
    open_ = question_open(engagement)
    if not answers and not open_:
        return None
    by_participant = {answer.participant_id: answer for answer in answers if answer.participant_id}
    rows = []
    for participant in engagement.participants.select_related("user").order_by("pk"):
        answer = by_participant.get(participant.pk)
        rows.append(
            {
                "name": person_name(participant.user),
                "answered": answer is not None,
                "go_on": answer.go_on if answer else None,
            }
        )
    own = next((answer for answer in answers if answer.by_supervisor), None)
    return {
        "rows": rows,
        "own": {"go_on": own.go_on, "answered_at": own.answered_at} if own else None,
        "form": (form or PortalFirstMeetingForm()) if open_ and own is None else None,
    }


def _detail(
    request,
    supervisor,
    engagement,
    *,
    bound=None,
    status=200,
    goals_form=None,
    agreement_refusal=None,
    first_meeting_form=None,
):
    meetings = list(engagement.meetings.all())
    now = timezone.now()
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at)
        meeting.form = PortalMoveForm(
            prefix=f"m{meeting.pk}", initial={"day": local.date(), "at": local.time()}
        )
        if bound is not None and bound.prefix == meeting.form.prefix:
            meeting.form = bound
        meeting.can_hold = meeting.state == MeetingState.PLANNED and meeting.starts_at <= now
    application = engagement.application
    # The answers are the supervisor's own engagement's: shown, and the read logged (ids only).
    log_portal_read(application, supervisor, "portal")
    return _render(
        request,
        "engagement",
        status=status,
        supervisor=supervisor,
        engagement=engagement,
        application=application,
        meetings=meetings,
        people=[person_name(p.user) for p in engagement.participants.select_related("user")],
        pending=engagement.state == EngagementState.PENDING,
        sections=ENGAGEMENT_SECTIONS,
        # The sections' own state: a refused or invalid post shown again with what was typed.
        goals_form=goals_form,
        agreement_refusal=agreement_refusal,
        first_meeting=_first_meeting(engagement, first_meeting_form),
    )


@portal_view
def engagement_detail(request, supervisor, pk):
    return _detail(request, supervisor, _own_engagement(supervisor, pk))


@require_POST
@portal_view
def declare(request, supervisor, pk):
    engagement = _own_engagement(supervisor, pk)
    conflict = request.POST.get("conflict")
    if conflict not in ("yes", "no"):
        raise Http404
    DeclareConflictAction(
        engagement, user=None, supervisor=supervisor, conflict=conflict == "yes"
    ).execute()
    if conflict == "yes":
        messages.success(
            request,
            _(
                "Thank you. HR has been told of a conflict of interest and will find another "
                "supervisor; nothing more is asked of you."
            ),
        )
        return _see_other(reverse("tyonohjaus_plugin:portal"))
    messages.success(request, _("Thank you: your declaration has been saved."))
    return _see_other(reverse("tyonohjaus_plugin:portal_engagement", args=[engagement.pk]))


@require_POST
@portal_view
def meeting_action(request, supervisor, pk, action):
    meeting = get_object_or_404(
        Meeting.objects.select_related("engagement__supervisor").filter(
            engagement__supervisor=supervisor
        ),
        pk=pk,
    )
    form = None
    if action == "move":
        form = PortalMoveForm(request.POST, prefix=f"m{meeting.pk}")
        if not form.is_valid():
            form.mark_errors()
            return _detail(
                request,
                supervisor,
                _own_engagement(supervisor, meeting.engagement_id),
                bound=form,
                status=400,
            )
        operation = MoveMeetingAction(
            meeting,
            user=None,
            supervisor=supervisor,
            day=form.cleaned_data["day"],
            at=form.cleaned_data["at"],
            outside_working_hours=form.cleaned_data["outside_working_hours"],
        )
        done = _("Meeting moved; everyone gets an updated invitation.")
    elif action == "cancel":
        operation = CancelMeetingAction(meeting, user=None, supervisor=supervisor)
        done = _("Meeting cancelled; everyone gets a cancellation.")
    elif action == "held":
        operation = MarkMeetingHeldAction(meeting, user=None, supervisor=supervisor)
        done = _("Meeting marked held.")
    else:
        raise Http404
    try:
        operation.execute()
    except MeetingChangeRefused as refusal:
        if form is None or refusal.reason not in PortalMoveForm.REFUSAL_FIELDS:
            raise
        form.add_error(PortalMoveForm.REFUSAL_FIELDS[refusal.reason], refusal.message)
        form.mark_errors()
        return _detail(
            request,
            supervisor,
            _own_engagement(supervisor, meeting.engagement_id),
            bound=form,
            status=400,
        )
    messages.success(request, done)
    return _see_other(reverse("tyonohjaus_plugin:portal_engagement", args=[meeting.engagement_id]))


def _engagement_url(engagement, anchor=""):
    return reverse("tyonohjaus_plugin:portal_engagement", args=[engagement.pk]) + anchor


def _own_agreement(supervisor, pk):
    engagement = _own_engagement(supervisor, pk)
    agreement = get_object_or_404(Agreement, engagement=engagement)
    agreement.engagement = engagement
    return engagement, agreement


@require_POST
@portal_view
def agreement_goals(request, supervisor, pk):
    """The goals agreed together: a new version. Saved from an older version than the current
    one: the page again (409) with the current agreement and what was typed."""
    engagement, agreement = _own_agreement(supervisor, pk)
    form = PortalGoalsForm(request.POST)
    if not form.is_valid():
        _mark_errors(form)
        return _detail(request, supervisor, engagement, goals_form=form, status=400)
    try:
        EditAgreementGoalsAction(
            agreement,
            user=None,
            supervisor=supervisor,
            goals=form.cleaned_data["goals"],
            version=form.cleaned_data["version"],
        ).execute()
    except AgreementRefused as refusal:
        if refusal.reason != STALE:
            raise
        return _detail(
            request,
            supervisor,
            engagement,
            goals_form=form,
            agreement_refusal=_(
                "The agreement changed after you opened it: your text is kept below. Read the "
                "current version, then save again."
            ),
            status=409,
        )
    messages.success(request, _("Goals saved: everyone is asked to acknowledge the new version."))
    return _see_other(_engagement_url(engagement, "#agreement"))


@require_POST
@portal_view
def agreement_acknowledge(request, supervisor, pk):
    """The supervisor acknowledges the version they read (a stale one: 409, read it again)."""
    engagement, agreement = _own_agreement(supervisor, pk)
    try:
        AcknowledgeAgreementAction(
            agreement, user=None, supervisor=supervisor, version=request.POST.get("version")
        ).execute()
    except AgreementRefused as refusal:
        if refusal.reason != STALE:
            raise
        return _detail(
            request, supervisor, engagement, agreement_refusal=refusal.message, status=409
        )
    messages.success(request, _("You acknowledged the agreement."))
    return _see_other(_engagement_url(engagement, "#agreement"))


def log_portal_read(application, supervisor, screen) -> None:
    """An external supervisor read the application's confidential answers (ids only)."""
    log(
        instance=application,
        action=APPLICATION_VIEWED,
        user=None,
        data={"confidential": True, "screen": screen, "supervisor": supervisor.pk},
    )


@portal_view
def agreement_print(request, supervisor, pk):
    """The printable agreement, in the reader's language (the participants' printable page)."""
    engagement, _agreement = _own_agreement(supervisor, pk)
    log_portal_read(engagement.application, supervisor, "portal_agreement")
    return _render(
        request,
        "agreement_print",
        supervisor=supervisor,
        engagement=engagement,
        back_url=_engagement_url(engagement, "#agreement"),
    )


@require_POST
@portal_view
def first_meeting(request, supervisor, pk):
    """The supervisor's "we continue / not a good fit" (a second answer: 409 page). "Not a good
    fit" ends the engagement (``AnswerFirstMeetingAction``)."""
    engagement = _own_engagement(supervisor, pk)
    form = PortalFirstMeetingForm(request.POST)
    if not form.is_valid():
        _mark_errors(form)
        return _detail(request, supervisor, engagement, first_meeting_form=form, status=400)
    AnswerFirstMeetingAction(
        engagement,
        user=None,
        supervisor=supervisor,
        go_on=form.cleaned_data["go_on"],
        comment=form.cleaned_data["comment"],
    ).execute()
    if form.cleaned_data["go_on"]:
        messages.success(request, _("Thank you: you answered that you continue."))
    else:
        messages.success(
            request,
            _(
                "Thank you: the engagement has ended. The remaining meetings are cancelled and "
                "HR looks for another supervisor for the application."
            ),
        )
    return _see_other(_engagement_url(engagement, "#first-meeting"))


class RequestLinkForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter your e-mail address."),
            "invalid": gettext_lazy("Enter an e-mail address such as name@example.fi."),
        },
    )


def request_link(request):
    """ "Send me a new link": the same answer whatever the address (no one learns who is a
    supervisor); an active external supervisor with the address gets one link an hour at most."""
    if request.method == "POST":
        if is_client_rate_limited(
            "portal:request", request, REQUEST_RATE_LIMITS, REQUEST_ADDRESS_RATE_LIMITS
        ):
            return _rate_limited(request)
        form = RequestLinkForm(request.POST)
        if form.is_valid():
            RequestSupervisorLinkAction(form.cleaned_data["email"]).execute()
            return _see_other(reverse("tyonohjaus_plugin:portal_request_link") + "?sent=1")
        for name in form.errors:
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}-error"}
            )
        return _render(
            request,
            "request_link",
            status=400,
            form=form,
            link_days=plugin_settings.SUPERVISOR_LINK_DAYS,
        )
    return _render(
        request,
        "request_link",
        form=RequestLinkForm(),
        sent=request.GET.get("sent") == "1",
        link_days=plugin_settings.SUPERVISOR_LINK_DAYS,
    )
