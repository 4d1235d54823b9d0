"""Public endpoint of the feedback prompt: a plain form POST, or fetch() from feedback.js."""

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tyonohjaus_plugin.actions.submit_feedback import SubmitFeedbackAction
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.ratelimit import is_client_rate_limited
from tyonohjaus_plugin.core.views import page_is_viewable
from tyonohjaus_plugin.feedback.forms import FeedbackForm
from tyonohjaus_plugin.feedback.prompt import feedback_texts, has_answered, remember_answer
from tyonohjaus_plugin.models.pages import get_live_service_page

ANCHOR = "#tyonohjaus-feedback"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@require_POST
def submit_feedback(request, page_id):
    page = get_live_service_page(page_id, feedback_enabled=True)
    if page is None or not page_is_viewable(page, request):
        raise Http404
    as_json = wants_json(request)

    if is_client_rate_limited(
        "feedback",
        request,
        plugin_settings.FEEDBACK_RATE_LIMITS,
        plugin_settings.FEEDBACK_ADDRESS_RATE_LIMITS,
    ):
        message = _("Too many answers from your network. Please try again in a minute.")
        if as_json:
            return JsonResponse({"message": message}, status=429)
        context = {
            "message": message,
            "page_url": page.get_url(None) + ANCHOR,
            "tyonohjaus_base_template": plugin_settings.BASE_TEMPLATE,
        }
        return render(request, "tyonohjaus_plugin/feedback_rate_limited.html", context, status=429)

    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if as_json:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        # Show the page again with the errors next to the fields and the typed text kept.
        response = page.serve(request, feedback_form=form)
        response.status_code = 400
        return response

    # A bot that filled the honeypot and a second answer in the same browser session get the
    # same friendly answer as everyone else, but nothing is stored.
    if not form.is_from_bot and not has_answered(request, page):
        SubmitFeedbackAction(
            page,
            found_information=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
        ).execute()

    if as_json:
        response = JsonResponse({"message": feedback_texts(page)["thanks"]})
    else:
        response = HttpResponseRedirect(page.get_url(None) + ANCHOR)
        response.status_code = 303  # POST-redirect-GET
    remember_answer(request, response, page)
    return response
