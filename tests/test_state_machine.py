"""One guarded state machine: every status write of an application goes through
``Application.change_status`` and the workflow; withdrawn and completed are final."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import ApplicationFactory, ApplicationRoundFactory
from tests.test_engagements import confirmed, user_with  # noqa: F401 (fixture)
from tyonohjaus_plugin.actions.change_application_status import ChangeApplicationStatusAction
from tyonohjaus_plugin.actions.meetings import MarkMeetingHeldAction, MeetingChangeRefused
from tyonohjaus_plugin.actions.withdraw_application import WithdrawApplicationAction
from tyonohjaus_plugin.models import Application, Meeting
from tyonohjaus_plugin.models.workflow import FINAL_STATUSES, TRANSITIONS, StatusChangeNotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("direct_planning")]


def _meetings_in_the_past(engagement):
    meetings = list(engagement.meetings.order_by("number"))
    past = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(
        starts_at=past - datetime.timedelta(hours=2), ends_at=past
    )
    return meetings


@pytest.mark.usefixtures("direct_planning")  # held meetings need a planned series
def test_a_held_meeting_does_not_bring_a_withdrawn_application_back(confirmed):  # noqa: F811
    engagement = confirmed["engagement"]
    application = Application.objects.get(pk=engagement.application_id)
    hr = user_with("access_admin", "view_application", "change_application_status")
    ChangeApplicationStatusAction(application, user=hr, status="withdrawn").execute()
    # The withdrawal ended the engagement (issue 18): its meetings can no longer be held.
    engagement.refresh_from_db()
    assert (engagement.state, engagement.end_reason) == ("cancelled", "withdrawn")
    meetings = _meetings_in_the_past(engagement)
    with pytest.raises(MeetingChangeRefused):
        MarkMeetingHeldAction(meetings[0], user=confirmed["supervisor_user"]).execute()
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert list(application.events.values_list("status", flat=True)).count("in_progress") == 0


@pytest.mark.usefixtures("direct_planning")  # held meetings need a planned series
def test_a_held_meeting_does_not_reopen_a_completed_application(confirmed):  # noqa: F811
    engagement = confirmed["engagement"]
    application = Application.objects.get(pk=engagement.application_id)
    Application.objects.filter(pk=application.pk).update(status="completed")
    meetings = _meetings_in_the_past(engagement)
    MarkMeetingHeldAction(meetings[0], user=confirmed["supervisor_user"]).execute()
    application.refresh_from_db()
    assert application.status == "completed"


def test_withdrawing_records_when_the_status_changed(locales):
    round = ApplicationRoundFactory(closes_at=timezone.now() + datetime.timedelta(days=5))
    application = ApplicationFactory(round=round)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Application.objects.filter(pk=application.pk).update(status_changed_at=long_ago)
    before = timezone.now()
    WithdrawApplicationAction(application, user=application.applicant).execute()
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.status_changed_at >= before - datetime.timedelta(seconds=1)


@pytest.mark.parametrize("final", sorted(FINAL_STATUSES))
def test_final_statuses_have_no_way_out(final):
    assert TRANSITIONS[final] == ()


def test_change_status_refuses_a_step_the_workflow_does_not_have(locales):
    application = ApplicationFactory(status="submitted")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        with pytest.raises(StatusChangeNotAllowed):
            locked.change_status("completed")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not application.events.filter(status="completed").exists()


def test_change_status_keeps_the_time_and_the_history(locales):
    application = ApplicationFactory(status="submitted")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        locked.change_status("in_review")
    application.refresh_from_db()
    assert application.status == "in_review"
    assert application.status_changed_at is not None
    assert application.events.filter(kind="status_changed", status="in_review").count() == 1


def test_no_module_writes_a_status_past_the_state_machine():
    """Status writes live in ``Application.change_statuses`` and ``Engagement.change_state``."""
    import pathlib
    import re

    import tyonohjaus_plugin

    root = pathlib.Path(tyonohjaus_plugin.__file__).parent
    writes = re.compile(
        r"(update\([^)]*\b(status|state)=(ApplicationStatus|EngagementState|\"))"
        r"|(\b(application|engagement)\.(status|state) = )"
    )
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and path.relative_to(root).as_posix()
        not in ("models/applications.py", "models/engagements.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if writes.search(line)
    ]
    assert found == []
