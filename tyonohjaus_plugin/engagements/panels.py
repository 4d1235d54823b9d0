"""The admin home's "meetings this week": a supervisor's own, or all of them for HR, plus the
outbox's failed and uncertain messages for whoever may see the outbox. Three queries at most."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.admin.ui.components import Component

from tyonohjaus_plugin.models import Delivery, DeliveryState, Engagement, Meeting, MeetingState
from tyonohjaus_plugin.permissions import can_view_deliveries

#: Meetings listed on the panel at most (the engagements page has them all).
LIMIT = 10


class MeetingsPanel(Component):
    name = "tyonohjaus_meetings"
    order = 95
    template_name = "tyonohjaus_plugin/admin/panels/meetings.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
        meetings = (
            Meeting.objects.filter(
                engagement__in=Engagement.objects.visible_to(self.user),
                state=MeetingState.PLANNED,
                starts_at__gte=max(start, timezone.now() - datetime.timedelta(hours=2)),
                starts_at__lt=start + datetime.timedelta(days=7),
            )
            .select_related("engagement__supervisor__user", "engagement__application__applicant")
            .order_by("starts_at")
        )
        problems = None
        if can_view_deliveries(self.user):
            problems = Delivery.objects.filter(
                state__in=[DeliveryState.FAILED, DeliveryState.UNCERTAIN]
            ).count()
        return {"meetings": list(meetings[:LIMIT]), "problems": problems}


def add_meetings_panel(request, panels):
    user = request.user
    if Engagement.objects.visible_to(user).exists() or can_view_deliveries(user):
        panels.append(MeetingsPanel(user))
