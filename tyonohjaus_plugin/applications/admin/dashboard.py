"""HR's panel on the Wagtail admin home: open rounds and the applications that need attention.

Everything is computed with two aggregate queries, however many applications there are. A site
or a later feature extends the panel by overriding ``get_rows()`` (see its docstring).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timeuntil
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from tyonohjaus_plugin.models import (
    Application,
    ApplicationFormat,
    ApplicationParticipant,
    ApplicationRound,
    ApplicationStatus,
    ParticipantRole,
    ParticipantStatus,
    RoundState,
)
from tyonohjaus_plugin.models.applications import ACTIVE_STATUSES, UNMATCHED_STATUSES
from tyonohjaus_plugin.permissions import can_view_applications

#: Round states from the close onwards: applications in them should have found a supervisor.
CLOSED_ROUND_STATES = (RoundState.CLOSED, RoundState.MATCHED, RoundState.ARCHIVED)
GROUP_FORMATS = (ApplicationFormat.GROUP, ApplicationFormat.TEAM)


def applications_url(params=()) -> str:
    """The applications listing filtered by ``params`` (pairs; a name may repeat).

    Returns "" while the listing is not installed, so the panel renders the count without a link.
    """
    try:
        base = reverse("tyonohjaus_applications:index")
    except NoReverseMatch:
        return ""
    query = urlencode(list(params), doseq=True)
    return f"{base}?{query}" if query else base


def unconfirmed_group_q() -> Q:
    """Active group or team applications with a co-applicant who has not answered yet."""
    pending_invitation = ApplicationParticipant.objects.filter(
        application=OuterRef("pk"),
        role=ParticipantRole.CO_APPLICANT,
        status=ParticipantStatus.INVITED,
    )
    return Q(format__in=GROUP_FORMATS, status__in=ACTIVE_STATUSES) & Q(Exists(pending_invitation))


@dataclass
class DashboardRow:
    """One line of the "needs attention" list: a translated label, linked when ``url`` is set."""

    label: str
    url: str = ""
    detail: str = ""


class ApplicationsDashboardPanel(Component):
    """Open rounds with their counts, and what waits for HR, each count linked to the listing.

    Override ``get_rows()`` to add lines, ``in_review_overdue_days`` to change when an application
    "in review" is flagged, or the template ``tyonohjaus_plugin/admin/panels/
    applications_dashboard.html`` to change the markup.
    """

    name = "tyonohjaus_applications"
    order = 90
    template_name = "tyonohjaus_plugin/admin/panels/applications_dashboard.html"
    #: An application "in review" for longer than this many days is listed as overdue.
    in_review_overdue_days = 14

    def render_html(self, parent_context=None):
        request = (parent_context or {}).get("request")
        if request is None or not can_view_applications(request.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        summary = self.get_summary(now)
        rows = self.get_rows(summary, now)
        return {
            "rounds": self.get_open_rounds(now),
            "rows": rows,
            "listing_url": applications_url(),
        }

    # Queries ------------------------------------------------------------------------------------

    def get_summary(self, now: datetime.datetime) -> dict:
        """Counts over every application, in one query."""
        overdue_before = now - datetime.timedelta(days=self.in_review_overdue_days)
        # Application.waiting_since in SQL: old rows have no status_changed_at.
        waiting_since = Coalesce("status_changed_at", "submitted_at")
        waited_since_before = Q(status_changed_at__lt=overdue_before) | Q(
            status_changed_at__isnull=True, submitted_at__lt=overdue_before
        )
        return Application.objects.order_by().aggregate(
            waiting=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
            oldest_waiting_since=Min(waiting_since, filter=Q(status=ApplicationStatus.SUBMITTED)),
            in_review_overdue=Count(
                "pk", filter=Q(status=ApplicationStatus.IN_REVIEW) & waited_since_before
            ),
            unconfirmed=Count("pk", filter=unconfirmed_group_q()),
            unmatched=Count(
                "pk",
                filter=Q(status__in=UNMATCHED_STATUSES, round__state__in=CLOSED_ROUND_STATES),
            ),
        )

    def get_open_rounds(self, now: datetime.datetime) -> list[dict]:
        """The open rounds, soonest closing first, with their counts (one query)."""
        unconfirmed_ids = Application.objects.filter(unconfirmed_group_q()).values("pk")
        rounds = (
            ApplicationRound.objects.open()
            .annotate(
                active=Count("applications", filter=Q(applications__status__in=ACTIVE_STATUSES)),
                waiting=Count(
                    "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)
                ),
                unconfirmed=Count("applications", filter=Q(applications__in=unconfirmed_ids)),
            )
            .order_by("closes_at", "pk")
        )
        return [self.describe_round(round, now) for round in rounds]

    # Presentation -------------------------------------------------------------------------------

    def describe_round(self, round: ApplicationRound, now: datetime.datetime) -> dict:
        in_round = [("round", round.pk)]
        counts = [
            DashboardRow(
                label=ngettext(
                    "%(count)s active application",
                    "%(count)s active applications",
                    round.active,
                )
                % {"count": round.active},
                url=applications_url(in_round + [("status", s) for s in ACTIVE_STATUSES]),
            )
        ]
        if round.waiting:
            counts.append(
                DashboardRow(
                    label=ngettext(
                        "%(count)s waiting for review",
                        "%(count)s waiting for review",
                        round.waiting,
                    )
                    % {"count": round.waiting},
                    url=applications_url(in_round + [("status", ApplicationStatus.SUBMITTED)]),
                )
            )
        if round.unconfirmed:
            counts.append(
                DashboardRow(
                    label=ngettext(
                        "%(count)s unconfirmed group",
                        "%(count)s unconfirmed groups",
                        round.unconfirmed,
                    )
                    % {"count": round.unconfirmed},
                    url=applications_url(in_round + [("unconfirmed", 1)]),
                )
            )
        closes_passed = round.closes_at <= now
        return {
            "round": round,
            "closes_passed": closes_passed,
            "closes_in": "" if closes_passed else timeuntil(round.closes_at, now, depth=1),
            "counts": counts,
        }

    def get_rows(self, summary: dict, now: datetime.datetime) -> list[DashboardRow]:
        """The "needs attention" lines; only those with something to do are listed.

        Extension point: later features add their own lines here by overriding this method,
        calling ``super()`` and appending ``DashboardRow`` objects. "Meetings this week" (the
        engagements feature) belongs here once meetings exist; until then it shows nothing.
        """
        rows = []
        if summary["waiting"]:
            days = (now - summary["oldest_waiting_since"]).days
            rows.append(
                DashboardRow(
                    label=ngettext(
                        "%(count)s application waiting for review",
                        "%(count)s applications waiting for review",
                        summary["waiting"],
                    )
                    % {"count": summary["waiting"]},
                    url=applications_url(
                        [("status", ApplicationStatus.SUBMITTED), ("ordering", "status_changed_at")]
                    ),
                    detail=ngettext(
                        "the oldest has waited %(days)s day",
                        "the oldest has waited %(days)s days",
                        days,
                    )
                    % {"days": days},
                )
            )
        if summary["in_review_overdue"]:
            rows.append(
                DashboardRow(
                    label=ngettext(
                        "%(count)s application in review for more than %(days)s days",
                        "%(count)s applications in review for more than %(days)s days",
                        summary["in_review_overdue"],
                    )
                    % {"count": summary["in_review_overdue"], "days": self.in_review_overdue_days},
                    url=applications_url(
                        [("status", ApplicationStatus.IN_REVIEW), ("ordering", "status_changed_at")]
                    ),
                )
            )
        if summary["unconfirmed"]:
            rows.append(
                DashboardRow(
                    label=ngettext(
                        "%(count)s group or team still waiting for a colleague to confirm",
                        "%(count)s groups or teams still waiting for a colleague to confirm",
                        summary["unconfirmed"],
                    )
                    % {"count": summary["unconfirmed"]},
                    url=applications_url([("unconfirmed", 1)]),
                )
            )
        if summary["unmatched"]:
            rows.append(
                DashboardRow(
                    label=ngettext(
                        "%(count)s application without a supervisor in a closed round",
                        "%(count)s applications without a supervisor in closed rounds",
                        summary["unmatched"],
                    )
                    % {"count": summary["unmatched"]},
                    url=applications_url([("unmatched", 1)]),
                )
            )
        return rows


def add_applications_panel(request, panels) -> None:
    """``construct_homepage_panels``: the panel is for users who may see applications only."""
    if can_view_applications(request.user):
        panels.append(ApplicationsDashboardPanel())
