"""Races of the first meeting time on PostgreSQL (real threads, real transactions): choices and
decisions lock the engagement and then the people, so a time is never given twice and a series is
never planned twice."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.meeting_checks import double_bookings
from tests.test_concurrency import run_concurrently, unexpected
from tyonohjaus_plugin.actions.agree_times import (
    ChooseTimesAction,
    DecideTimeAction,
    TimesRefused,
)
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import Application, EngagementState, Meeting

pytestmark = [
    pytest.mark.workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # concurrency is proven on PostgreSQL; SQLite serialises writers
]
N = 6


@pytest.fixture(autouse=True)
def _no_declaration(settings):
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "CONFLICT_DECLARATION": False}


def confirm(applications, supervisor):
    with transaction.atomic():
        locked = list(Application.objects.select_for_update().filter(pk__in=applications))
        return create_engagements(
            [(a, supervisor.pk) for a in locked], run=None, user=None, now=timezone.now()
        )


def test_one_hand_picked_time_for_many_engagements_of_one_supervisor_goes_once(locales):
    round = ApplicationRoundFactory(state="closed", programme_starts_on=datetime.date(2027, 3, 1))
    supervisor = SupervisorFactory(default_capacity=N)
    hr = UserFactory(is_superuser=True)
    engagements = confirm([ApplicationFactory(round=round).pk for _ in range(N)], supervisor)
    assert {e.state for e in engagements} == {EngagementState.SCHEDULING}

    def decide(engagement):
        return DecideTimeAction(
            engagement, user=hr, day=datetime.date(2027, 3, 10), at=datetime.time(10)
        ).execute()

    outcomes = run_concurrently(decide, engagements, workers=N)
    assert unexpected(outcomes, TimesRefused) == []
    planned = [o for o in outcomes if o.error is None]
    assert len(planned) == 1, [repr(o.error) for o in outcomes]
    assert {o.error.reason for o in outcomes if o.error} == {"taken"}
    assert double_bookings() == []


def test_the_last_two_answers_at_once_plan_the_series_once(locales):
    round = ApplicationRoundFactory(state="closed", programme_starts_on=datetime.date(2027, 3, 1))
    application = ApplicationFactory(round=round, format="group")
    ApplicationParticipantFactory(application=application, user=UserFactory(), status="confirmed")
    (engagement,) = confirm([application.pk], SupervisorFactory())
    participants = list(engagement.participants.select_related("engagement"))

    def answer(participant):
        return ChooseTimesAction(participant, user=participant.user, suitable=[1, 2]).execute()

    outcomes = run_concurrently(answer, participants, workers=2)
    assert [o.error for o in outcomes] == [None, None]
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.PLANNED
    assert Meeting.objects.filter(engagement=engagement).count() == engagement.meeting_count
