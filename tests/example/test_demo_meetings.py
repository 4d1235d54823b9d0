"""The demo's calendars: nobody double-booked, before and after HR confirms the closed round's
matching (the round that once gave one supervisor five meetings at the same moment)."""

from django.contrib.auth import get_user_model

from example_site.home.management.commands.load_demo_data import CLOSED_ROUND_NAME, SERVICE_KEY
from tests.meeting_checks import double_bookings, meetings_by_person, outside_working_hours
from tyonohjaus_plugin.actions.confirm_match_run import ConfirmMatchRunAction
from tyonohjaus_plugin.actions.run_matching import StartMatchRunAction
from tyonohjaus_plugin.models import ApplicationRound, Engagement, Meeting
from tyonohjaus_plugin.tasks import run_matching_task


def test_the_demo_has_no_overlapping_meetings_even_after_confirming_the_closed_round(
    demo, settings
):
    # The whole series planned at the confirm (no declaration, no choice of the first time):
    # what is checked here is that the planner keeps everyone's calendar free of clashes.
    settings.TYONOHJAUS_PLUGIN = {
        **getattr(settings, "TYONOHJAUS_PLUGIN", {}),
        "CONFLICT_DECLARATION": False,
        "AGREED_MEETING_TIMES": False,
    }
    assert Meeting.objects.exists()
    assert double_bookings() == []
    hr = get_user_model().objects.get(username="hr")
    round = ApplicationRound.objects.get(service_key=SERVICE_KEY, name=CLOSED_ROUND_NAME)
    run = StartMatchRunAction(round, user=hr).execute()
    run_matching_task(run.pk)
    run.refresh_from_db()
    outcome = ConfirmMatchRunAction(run, user=hr).execute()
    assert outcome["confirmed"] >= 20
    new = list(Meeting.objects.filter(engagement__match_run=run))
    assert len(new) == outcome["confirmed"] * 4
    busiest = max(
        Engagement.objects.filter(match_run=run).values_list("supervisor", flat=True),
        key=lambda pk: len(meetings_by_person()[("s", pk)]),
    )
    assert len(meetings_by_person()[("s", busiest)]) >= 8  # some supervisor has several series
    assert double_bookings() == []
    assert outside_working_hours(new) == []
