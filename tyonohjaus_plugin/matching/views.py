"""HR's matching board: runs per round, the proposal with reasons, pins, forbids and confirm.

Every view needs ``can_run_matching``; every change goes through an action object (audit log).
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from tyonohjaus_plugin.actions.base import NotPermitted
from tyonohjaus_plugin.actions.confirm_match_run import ConfirmMatchRunAction
from tyonohjaus_plugin.actions.confirm_off_round import ConfirmOffRoundAction
from tyonohjaus_plugin.actions.match_overrides import (
    RemoveMatchOverrideAction,
    SetMatchOverrideAction,
)
from tyonohjaus_plugin.actions.place_offers import (
    ConfirmPlaceOfferAction,
    DismissPlaceOfferAction,
)
from tyonohjaus_plugin.actions.run_matching import StartMatchRunAction
from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.ids import parse_pk
from tyonohjaus_plugin.core.views import back_to
from tyonohjaus_plugin.matching.engine import assign_one
from tyonohjaus_plugin.matching.engine.feasibility import blockers
from tyonohjaus_plugin.matching.engine.scoring import pair_value
from tyonohjaus_plugin.matching.problem import (
    application_key,
    build_application_problem,
    build_single_problem,
    latest_done_run,
    matchable_applications,
    off_round_applications,
    pk_of,
)
from tyonohjaus_plugin.matching.reasons import ReasonTexts
from tyonohjaus_plugin.models import (
    ApplicationRound,
    Engagement,
    MatchOverride,
    MatchProposal,
    MatchRun,
    MatchUnmatched,
    OverrideKind,
    PlaceOffer,
    PlaceOfferState,
    RoundState,
    Supervisor,
    SupervisorKind,
)
from tyonohjaus_plugin.models.applications import UNMATCHED_STATUSES
from tyonohjaus_plugin.models.matching import ACTIVE_RUN_STATES
from tyonohjaus_plugin.permissions import can_run_matching

PAGE_SIZE = 50
VIEWS = ("applications", "supervisors", "unmatched", "overrides")


def _guard(request):
    if not can_run_matching(request.user):
        raise NotPermitted


def _int_or_404(value) -> int:
    if (pk := parse_pk(value)) is None:
        raise Http404
    return pk


def index(request):
    """Rounds with their waiting applications and latest run; applications between rounds."""
    _guard(request)
    waiting = Count("applications", filter=Q(applications__status__in=UNMATCHED_STATUSES))
    rounds = list(
        ApplicationRound.objects.exclude(state=RoundState.UPCOMING)
        .annotate(waiting=waiting)
        .order_by("-closes_at")
    )
    latest = {}
    for run in MatchRun.objects.filter(round__in=rounds).order_by("round_id", "-created_at"):
        latest.setdefault(run.round_id, run)
    for round in rounds:
        round.latest_run = latest.get(round.pk)
    off_round = list(
        off_round_applications()
        .select_related("applicant", "round")
        .annotate(rematch=Exists(Engagement.objects.filter(application=OuterRef("pk"))))[:200]
    )
    context = {"rounds": rounds, "off_round": off_round, **place_offer_context(request)}
    return TemplateResponse(request, "tyonohjaus_plugin/admin/matching_index.html", context)


def place_offer_context(request) -> dict:
    """The waiting list's open offers, for the matching index and the dashboard panel."""
    offers = list(
        PlaceOffer.objects.filter(state=PlaceOfferState.OPEN)
        .select_related("application__applicant", "application__round", "supervisor__user")
        .order_by("created_at", "pk")[:100]
    )
    return {"place_offers": offers}


@require_POST
def decide_offer(request, pk, decision):
    """POST: HR confirms (through the off-round confirm) or dismisses a waiting-list offer."""
    _guard(request)
    offer = get_object_or_404(PlaceOffer.objects.select_related("application"), pk=pk)
    back = reverse("tyonohjaus_matching:index") + "#place-offers"
    with back_to(back):
        if decision == "confirm":
            offer = ConfirmPlaceOfferAction(offer, user=request.user).execute()
        elif decision == "dismiss":
            offer = DismissPlaceOfferAction(offer, user=request.user).execute()
        else:
            raise Http404
    if offer.state == PlaceOfferState.CONFIRMED:
        messages.success(request, _("Supervisor confirmed."))
    elif offer.state == PlaceOfferState.DISMISSED:
        messages.success(request, _("Offer dismissed; the place is offered to the next one."))
    else:
        messages.warning(
            request,
            _(
                "The offer is no longer possible: the application stopped waiting or the place "
                "was taken."
            ),
        )
    return redirect(back)


def board(request, pk):
    _guard(request)
    round = get_object_or_404(ApplicationRound, pk=pk)
    view = request.GET.get("view")
    view = view if view in VIEWS else "applications"
    runs = list(MatchRun.objects.filter(round=round).select_related("started_by")[:5])
    active = next((run for run in runs if run.state in ACTIVE_RUN_STATES), None)
    run = latest_done_run(round)
    texts = ReasonTexts()
    context = {
        "round": round,
        "runs": runs,
        "active_run": active,
        "run": run,
        "view": view,
        "views": [
            ("applications", _("By application")),
            ("supervisors", _("By supervisor")),
            ("unmatched", _("Unmatched")),
            ("overrides", _("Pins and forbids")),
        ],
        "waiting": matchable_applications(round).count(),
        "overrides": MatchOverride.objects.filter(round=round)
        .select_related("application__applicant", "supervisor__user")
        .order_by("kind", "application_id"),
    }
    if run is not None:
        context["totals"] = _totals(run, round)
    if view == "applications" and run is not None:
        proposals = (
            MatchProposal.objects.filter(run=run)
            .select_related("application__applicant", "supervisor__user")
            .order_by("application__submitted_at", "application_id")
        )
        page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("p"))
        for proposal in page:
            proposal.reason_texts = [texts.pair_text(reason) for reason in proposal.reasons]
            proposal.open = proposal.application.status in UNMATCHED_STATUSES
        context["page"] = page
    elif view == "unmatched" and run is not None:
        unmatched = (
            MatchUnmatched.objects.filter(run=run)
            .select_related("application__applicant")
            .order_by("application__submitted_at", "application_id")
        )
        page = Paginator(unmatched, PAGE_SIZE).get_page(request.GET.get("p"))
        for row in page:
            row.reason_text = texts.unmatched_text(row.reason)
            row.open = row.application.status in UNMATCHED_STATUSES
        context["page"] = page
    elif view == "supervisors" and run is not None:
        context["page"] = _supervisor_page(request, run, round)
    return TemplateResponse(request, "tyonohjaus_plugin/admin/matching_board.html", context)


def _totals(run, round):
    by_kind = dict(
        MatchProposal.objects.filter(run=run)
        .values_list("supervisor__kind")
        .annotate(n=Count("pk"))
        .values_list("supervisor__kind", "n")
    )
    cost = sum(
        (price or 0) * count
        for price, count in MatchProposal.objects.filter(
            run=run, supervisor__kind=SupervisorKind.EXTERNAL
        )
        .values_list("supervisor__cost_per_meeting")
        .annotate(n=Count("pk"))
        .values_list("supervisor__cost_per_meeting", "n")
    )
    summary = run.summary or {}
    return {
        "applications": summary.get("applications", 0),
        "matched": summary.get("matched", 0),
        "unmatched": summary.get("applications", 0) - summary.get("matched", 0),
        "internal": by_kind.get(SupervisorKind.INTERNAL, 0),
        "external": by_kind.get(SupervisorKind.EXTERNAL, 0),
        "cost": cost * plugin_settings.MEETINGS_PER_ENGAGEMENT,
        "meetings": plugin_settings.MEETINGS_PER_ENGAGEMENT,
        "kept": summary.get("kept"),
        "previous": summary.get("previous"),
        "score": summary.get("score"),
        "seconds": summary.get("seconds"),
    }


def _supervisor_page(request, run, round):
    proposed = Counter(
        dict(
            MatchProposal.objects.filter(run=run)
            .values_list("supervisor_id")
            .annotate(n=Count("pk"))
            .values_list("supervisor_id", "n")
        )
    )
    confirmed = Counter(
        dict(
            round.engagements.exclude(state="cancelled")
            .values_list("supervisor_id")
            .annotate(n=Count("pk"))
            .values_list("supervisor_id", "n")
        )
    )
    supervisors = list(
        Supervisor.objects.filter(Q(active=True) | Q(pk__in=proposed))
        .select_related("user")
        .prefetch_related("round_capacities")
    )
    supervisors.sort(key=lambda s: (-proposed[s.pk], s.display_name.lower(), s.pk))
    page = Paginator(supervisors, PAGE_SIZE).get_page(request.GET.get("p"))
    applications = {}
    for supervisor_id, application_id in MatchProposal.objects.filter(
        run=run, supervisor__in=[s.pk for s in page]
    ).values_list("supervisor_id", "application_id"):
        applications.setdefault(supervisor_id, []).append(application_id)
    for supervisor in page:
        supervisor.proposed = proposed[supervisor.pk]
        supervisor.confirmed = confirmed[supervisor.pk]
        supervisor.capacity = supervisor.capacity_for(round)
        supervisor.application_ids = sorted(applications.get(supervisor.pk, []))
    return page


def run_status(request, pk):
    """The round's latest run as JSON, polled by the board while matching runs."""
    _guard(request)
    round = get_object_or_404(ApplicationRound, pk=pk)
    run = MatchRun.objects.filter(round=round).first()
    if run is None:
        return JsonResponse({"state": None})
    since = run.started_at or run.created_at
    return JsonResponse(
        {
            "run": run.pk,
            "state": run.state,
            "label": run.get_state_display(),
            "seconds": int((timezone.now() - since).total_seconds()),
        }
    )


@require_POST
def start(request, pk):
    _guard(request)
    round = get_object_or_404(ApplicationRound, pk=pk)
    with back_to(reverse("tyonohjaus_matching:round", args=[round.pk])):
        StartMatchRunAction(round, user=request.user).execute()
    messages.success(request, _("Matching started. The proposal appears here when it is ready."))
    return redirect("tyonohjaus_matching:round", round.pk)


@require_POST
def set_override(request, pk):
    """POST ``pair`` = "pin:<application>:<supervisor>" or "forbid:...", from any board row."""
    _guard(request)
    round = get_object_or_404(ApplicationRound, pk=pk)
    parts = (request.POST.get("pair") or "").split(":")
    if len(parts) != 3 or parts[0] not in OverrideKind.values:
        raise Http404
    kind, application_id, supervisor_id = parts[0], _int_or_404(parts[1]), _int_or_404(parts[2])
    back = request.POST.get("next")
    if not (back or "").startswith(reverse("tyonohjaus_matching:round", args=[round.pk])):
        back = reverse("tyonohjaus_matching:round", args=[round.pk])
    with back_to(back):
        SetMatchOverrideAction(
            round,
            user=request.user,
            application_id=application_id,
            supervisor_id=supervisor_id,
            kind=kind,
        ).execute()
    if kind == OverrideKind.PIN:
        messages.success(request, _("Pinned. Run matching again to apply it."))
    else:
        messages.success(request, _("Forbidden. Run matching again to apply it."))
    return redirect(back)


@require_POST
def remove_override(request, pk):
    _guard(request)
    override = get_object_or_404(MatchOverride, pk=pk)
    RemoveMatchOverrideAction(override, user=request.user).execute()
    messages.success(request, _("Removed. Run matching again to apply it."))
    return redirect(
        reverse("tyonohjaus_matching:round", args=[override.round_id]) + "?view=overrides"
    )


def choose(request, pk, application_pk):
    """Every active supervisor for one application: which rules a pair breaks, places left and
    what it would score, with Pin and Forbid buttons."""
    _guard(request)
    round = get_object_or_404(ApplicationRound, pk=pk)
    application = get_object_or_404(
        matchable_applications(round).select_related("applicant"), pk=application_pk
    )
    problem = build_application_problem(application, round)
    unit = problem.applications[0]
    texts = ReasonTexts()
    pins = Counter(
        MatchOverride.objects.filter(round=round, kind=OverrideKind.PIN)
        .exclude(application=application)
        .values_list("supervisor_id", flat=True)
    )
    overrides = dict(
        MatchOverride.objects.filter(round=round, application=application).values_list(
            "supervisor_id", "kind"
        )
    )
    supervisors = {s.pk: s for s in Supervisor.objects.filter(active=True).select_related("user")}
    rows = []
    for offer in problem.supervisors:
        supervisor = supervisors[pk_of(offer.id)]
        conflict = (unit.id, offer.id) in problem.conflicts
        broken = [texts.blocker_text(r) for r in blockers(unit, offer, conflict=conflict)]
        rows.append(
            {
                "supervisor": supervisor,
                "problems": broken,
                "places": offer.capacity - pins[supervisor.pk],
                "value": pair_value(unit, offer, problem.weights),
                "override": overrides.get(supervisor.pk),
            }
        )
    rows.sort(key=lambda r: (bool(r["problems"]), -r["value"], r["supervisor"].display_name))
    context = {"round": round, "application": application, "rows": rows}
    return TemplateResponse(request, "tyonohjaus_plugin/admin/matching_choose.html", context)


def confirm(request, pk):
    """GET: how many pairs will be confirmed; POST: confirm them (all, or the chosen ones)."""
    _guard(request)
    run = get_object_or_404(MatchRun.objects.select_related("round"), pk=pk)
    board_url = reverse("tyonohjaus_matching:round", args=[run.round_id])
    source = request.POST if request.method == "POST" else request.GET
    chosen = source.getlist("application")
    application_ids = sorted({_int_or_404(value) for value in chosen}) if chosen else None
    if request.method == "POST":
        with back_to(board_url):
            outcome = ConfirmMatchRunAction(
                run, user=request.user, application_ids=application_ids
            ).execute()
        messages.success(
            request,
            _("%(confirmed)s matches confirmed; %(skipped)s skipped (no longer waiting).")
            % outcome,
        )
        return redirect(board_url)
    proposals = MatchProposal.objects.filter(run=run, application__status__in=UNMATCHED_STATUSES)
    if application_ids is not None:
        proposals = proposals.filter(application_id__in=application_ids)
    context = {
        "run": run,
        "round": run.round,
        "count": proposals.count(),
        "application_ids": application_ids or [],
        "board_url": board_url,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/admin/matching_confirm.html", context)


def off_round(request, application_pk):
    """An application from between rounds: the best supervisors with a free place, and confirm."""
    _guard(request)
    application = get_object_or_404(
        off_round_applications().select_related("applicant"), pk=application_pk
    )
    back = reverse("tyonohjaus_matching:index")
    if request.method == "POST":
        supervisor_id = _int_or_404(request.POST.get("supervisor"))
        with back_to(request.path):
            ConfirmOffRoundAction(
                application, user=request.user, supervisor_id=supervisor_id
            ).execute()
        messages.success(request, _("Supervisor confirmed."))
        return redirect(back)
    problem, loads = build_single_problem(application)
    texts = ReasonTexts()
    key = application_key(application.pk)
    candidates, unmatched = [], None
    # The engine's single assignment, repeated without the ones found: the best few in order.
    for _rank in range(5):
        result = assign_one(problem, key, loads)
        if not result.assignment:
            if not candidates:
                unmatched = texts.unmatched_text(result.unmatched[key])
            break
        _app, supervisor_key = result.assignment[0]
        candidates.append(
            (
                pk_of(supervisor_key),
                [texts.pair_text(reason) for reason in result.explanations[key]],
            )
        )
        problem = dataclasses.replace(problem, forbids=problem.forbids | {(key, supervisor_key)})
    supervisors = Supervisor.objects.select_related("user").in_bulk(
        [pk for pk, _reasons in candidates]
    )
    context = {
        "application": application,
        "ended": Engagement.objects.filter(application=application)
        .exclude(end_reason="")
        .select_related("supervisor__user")
        .order_by("-ended_at")
        .first(),
        "candidates": [(supervisors[pk], reasons) for pk, reasons in candidates],
        "unmatched": unmatched,
        "back_url": back,
    }
    return TemplateResponse(request, "tyonohjaus_plugin/admin/matching_off_round.html", context)
