"""Concurrent confirms never double-book anyone (issue 14, item 2), with real threads and real
transactions on PostgreSQL (the pattern of tests/test_concurrency.py)."""

import pytest
from django.db.models import Count

from tests.factories import ApplicationFactory, ApplicationParticipantFactory, SupervisorFactory
from tests.meeting_checks import double_bookings, meetings_by_person, outside_working_hours
from tests.test_concurrency import _matching_hr, run_concurrently, unexpected
from tyonohjaus_plugin.actions.confirm_off_round import ConfirmOffRoundAction
from tyonohjaus_plugin.models import Engagement, Meeting

pytestmark = [
    pytest.mark.usefixtures("direct_planning"),  # the confirm plans the series at once
    pytest.mark.workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # concurrency is proven on PostgreSQL; SQLite serialises writers
]

#: Engagements per supervisor confirmed at once.
N = 8


def test_concurrent_confirms_never_double_book_a_supervisor_or_a_participant(
    django_user_model, locales
):
    """2N HR confirmations at once: N for supervisor S, and N group engagements with supervisor
    T whose member i is the applicant of S's engagement i. Each person's meetings are planned
    while another thread plans the same person's other engagement."""
    first = SupervisorFactory(name="S", email="s@example.org", default_capacity=N)
    second = SupervisorFactory(name="T", email="t@example.org", default_capacity=N)
    work = []
    for _ in range(N):
        own = ApplicationFactory(round=None)
        group = ApplicationFactory(round=None, format="group")
        ApplicationParticipantFactory(application=group, user=own.applicant, status="confirmed")
        work += [(own, first), (group, second)]
    (user,) = _matching_hr(django_user_model, "hr", 1)

    def confirm(item):
        application, supervisor = item
        fresh = django_user_model.objects.get(pk=user.pk)
        return ConfirmOffRoundAction(application, user=fresh, supervisor_id=supervisor.pk).execute()

    outcomes = run_concurrently(confirm, work, workers=8)
    assert unexpected(outcomes) == []
    counts = dict(Engagement.objects.values_list("supervisor").annotate(n=Count("pk")).order_by())
    assert counts == {first.pk: N, second.pk: N}
    meetings = list(Meeting.objects.all())
    assert len(meetings) == 2 * N * 4
    overlaps = double_bookings()
    people = meetings_by_person()
    print(  # noqa: T201
        f"\n{2 * N} concurrent confirms: {len(meetings)} meetings, {len(people)} people, "
        f"{len(overlaps)} overlapping pairs, {len(outside_working_hours(meetings))} outside hours"
    )
    assert overlaps == []
    assert outside_working_hours(meetings) == []
