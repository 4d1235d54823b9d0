"""Employee views of the application feature (the form itself is part of the service page)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tyonohjaus_plugin.actions.edit_application import EditApplicationAction
from tyonohjaus_plugin.actions.respond_to_invitation import (
    InAnotherApplication,
    RespondToInvitationAction,
)
from tyonohjaus_plugin.actions.submit_application import (
    AlreadyApplied,
    RoundNotAccepting,
    SubmitApplicationAction,
)
from tyonohjaus_plugin.actions.withdraw_application import (
    WithdrawalNotAllowed,
    WithdrawApplicationAction,
)
from tyonohjaus_plugin.applications.forms import ApplicationForm, EditApplicationForm
from tyonohjaus_plugin.applications.positions import position_text, waiting_positions
from tyonohjaus_plugin.applications.profiles import get_employee_profile
from tyonohjaus_plugin.applications.section import current_notice, current_rounds
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.ratelimit import is_rate_limited
from tyonohjaus_plugin.core.search import words_match
from tyonohjaus_plugin.core.tokens import read_invitation_token
from tyonohjaus_plugin.core.views import message_response, page_is_viewable, public_view
from tyonohjaus_plugin.models import Application, ApplicationParticipant, ThemeCatalogue
from tyonohjaus_plugin.models.pages import get_live_service_page


@never_cache
@login_required
@require_POST
def apply(request, page_id):
    page = get_live_service_page(page_id, applications_enabled=True)
    if page is None or not page_is_viewable(page, request):
        raise Http404
    if is_rate_limited("apply", str(request.user.pk), plugin_settings.APPLICATION_RATE_LIMITS):
        return message_response(
            request,
            page,
            _("Please wait a moment"),
            _("Too many submissions. Please try again later."),
            429,
        )
    open_round, _next = current_rounds(page.translation_key)
    notice = current_notice(page.locale_id)
    if (open_round is None and not page.allow_off_round) or notice is None:
        return round_closed(request, page)

    form = ApplicationForm(request.POST, user=request.user, off_round=open_round is None)
    if form.is_valid():
        # The unit (for conflicts in matching) and language come from the site's resolver.
        get_employee_profile(request.user)
        try:
            application = SubmitApplicationAction(
                user=request.user,
                service_key=page.translation_key,
                round=open_round,
                data=form.to_data(),
                notice=notice,
            ).execute()
        except AlreadyApplied as exc:
            return received(request, exc.application.pk, already=True)
        except RoundNotAccepting:
            return round_closed(request, page)
        else:
            response = HttpResponseRedirect(
                reverse("tyonohjaus_plugin:application_received", args=[application.pk])
            )
            response.status_code = 303
            return response
    # Show the page again with the errors next to the fields and everything typed kept.
    response = page.serve(request, application_form=form)
    response.status_code = 400
    return response


def round_closed(request, page):
    refusal = RoundNotAccepting()
    return message_response(request, page, refusal.title, refusal.message, refusal.status)


@never_cache
@login_required
def received(request, pk, already=False):
    """The confirmation page: only the application's own people can see it."""
    application = get_object_or_404(
        Application.objects.select_related("round"), pk=pk, participants__user=request.user
    )
    context = {
        "application": application,
        "already": already,
        "participants": application.participants.select_related("user").order_by("role", "pk"),
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/application_received.html", context)


@never_cache
@login_required
@public_view
def invitation(request, token):
    """A co-applicant's answer: only the invited person, only with a valid, unexpired link."""
    participant_id = read_invitation_token(token)
    if participant_id is None:
        return message_response(
            request,
            None,
            _("The link is not valid"),
            _("This invitation link has expired or is not valid. Ask the applicant to contact HR."),
            400,
        )
    participant = get_object_or_404(
        ApplicationParticipant.objects.select_related(
            "application__applicant", "application__round"
        ),
        pk=participant_id,
    )
    if participant.user_id != request.user.pk:
        # A forwarded link, or the wrong account logged in: say so, and nothing about the
        # application (the same page for every invitation that is not this person's).
        return message_response(
            request,
            None,
            _("This invitation is for someone else"),
            _(
                "You are logged in with an account this invitation was not sent to. If the "
                "invitation is yours, log out and log in with your own account, then open the "
                "link again."
            ),
            403,
        )
    conflict = None
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("confirm", "decline"):
            return HttpResponseBadRequest()
        try:
            RespondToInvitationAction(
                participant, user=request.user, confirm=decision == "confirm"
            ).execute()
        except InAnotherApplication as refusal:
            conflict = refusal  # the colleague chooses: the page again, with the reason
        else:
            response = HttpResponseRedirect(request.path)
            response.status_code = 303
            return response
    context = {
        "participant": participant,
        "application": participant.application,
        "conflict": conflict,
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(
        request,
        "tyonohjaus_plugin/invitation.html",
        context,
        status=conflict.status if conflict else 200,
    )


@never_cache
@login_required
def my_applications(request):
    applications = (
        Application.objects.filter(participants__user=request.user)
        .distinct()
        .select_related("round", "applicant")
        .prefetch_related("events", "participants__user", "themes")
        .order_by("-submitted_at")
    )
    themes = ThemeCatalogue()
    applications = list(applications)
    positions = waiting_positions(applications)
    for application in applications:
        application.theme_names = themes.names(application.themes.all())
        if application.pk in positions:
            application.position_text = position_text(application, positions[application.pk])
    context = {
        "applications": applications,
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/my_applications.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@public_view
def withdraw_application(request, pk):
    """GET asks for confirmation (a page, no JavaScript needed); POST withdraws and says so."""
    application = get_object_or_404(
        Application.objects.select_related("round"), pk=pk, applicant=request.user
    )
    if request.method == "POST":
        WithdrawApplicationAction(application, user=request.user).execute()
        messages.success(
            request,
            _("Your application was withdrawn. You will also get a confirmation by e-mail."),
        )
        response = HttpResponseRedirect(reverse("tyonohjaus_plugin:my_applications"))
        response.status_code = 303
        return response
    round = application.round
    if not application.is_active or (round and not round.accepts_at(timezone.now())):
        raise WithdrawalNotAllowed  # said before asking, not after
    context = {
        "application": application,
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/application_withdraw.html", context)


@never_cache
@login_required
@public_view
def edit_application(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("round"), pk=pk, applicant=request.user
    )
    if request.method == "POST":
        form = EditApplicationForm(request.POST, application=application)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "themes"}
            EditApplicationAction(
                application, user=request.user, values=values, theme_ids=form.theme_ids()
            ).execute()
            response = HttpResponseRedirect(reverse("tyonohjaus_plugin:my_applications"))
            response.status_code = 303
            return response
        status = 400
    else:
        form = EditApplicationForm(application=application)
        status = 200
    context = {
        "application": application,
        "form": form,
        "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
    }
    return TemplateResponse(
        request, "tyonohjaus_plugin/application_edit.html", context, status=status
    )


PEOPLE_RESULTS = 8


@never_cache
@login_required
def search_people(request):
    """Active colleagues by name or e-mail, for choosing co-applicants (never free addresses)."""
    if is_rate_limited("people", str(request.user.pk), ((60, 60),)):
        return JsonResponse({"results": []}, status=429)
    query = " ".join(request.GET.get("q", "").split())[:100]
    if len(query) < 2:
        return JsonResponse({"results": []})
    matches = words_match(query, ("first_name", "last_name", "email"), lookup="istartswith")
    people = (
        get_user_model()
        .objects.filter(matches, is_active=True)
        .exclude(pk=request.user.pk)
        .exclude(email="")
        .order_by("last_name", "first_name")[:PEOPLE_RESULTS]
    )
    results = [
        {"name": person.get_full_name() or person.get_username(), "email": person.email}
        for person in people
    ]
    return JsonResponse({"results": results})
