"""Engagements after a confirm: meeting plan, .ics invitations, moves, held, evaluation, views."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.utils import final_status
from tyonohjaus_plugin.actions.meetings import (
    BLOCKED_DAY,
    CancelMeetingAction,
    MarkMeetingHeldAction,
    MeetingChangeRefused,
    MoveMeetingAction,
)
from tyonohjaus_plugin.core.tokens import make_evaluation_token
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import (
    Application,
    Delivery,
    EmployeeProfile,
    Engagement,
    EvaluationAnswer,
    Meeting,
    Supervisor,
)
from tyonohjaus_plugin.tasks import send_reminders_task

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def confirmed(locales):
    """A group application (applicant + confirmed member + invited one) confirmed with an
    internal supervisor, and its deliveries sent."""
    round = ApplicationRoundFactory(
        state="closed", programme_starts_on=datetime.date(2027, 3, 1)
    )  # a Monday, far enough ahead
    application = ApplicationFactory(round=round, format="group")
    member, invited = UserFactory(), UserFactory()
    EmployeeProfile.objects.create(user=member, unit_code="U2", preferred_language="sv")
    for user, status in ((member, "confirmed"), (invited, "invited")):
        ApplicationParticipantFactory(application=application, user=user, status=status)
    supervisor_user = UserFactory(first_name="Tuula", last_name="Ohjaaja")
    supervisor = SupervisorFactory(
        internal=True, user=supervisor_user, languages=["fi"], formats=["group"]
    )
    hr = user_with("access_admin", "view_application", "run_matching")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        (engagement,) = create_engagements(
            [(locked, supervisor.pk)], run=None, user=hr, now=timezone.now()
        )
    mail.outbox.clear()
    sent = send_reminders_task()
    return {
        "engagement": engagement,
        "application": application,
        "member": member,
        "invited": invited,
        "supervisor": supervisor,
        "supervisor_user": supervisor_user,
        "hr": hr,
        "sent": sent,
    }


def calendars(messages):
    found = []
    for message in messages:
        for filename, content, mimetype in message.attachments:
            if filename.endswith(".ics"):
                found.append((message, icalendar.Calendar.from_ical(content), mimetype))
    return found


def event_of(calendar):
    return next(iter(calendar.walk("VEVENT")))


def test_confirming_plans_the_meetings_in_local_time_skipping_holidays(confirmed):
    meetings = list(confirmed["engagement"].meetings.order_by("number"))
    assert [m.number for m in meetings] == [1, 2, 3, 4]
    local = [m.starts_at.astimezone(HELSINKI) for m in meetings]
    assert {(t.hour, t.minute) for t in local} == {(14, 0)}  # across the DST change in March
    # 1.3. → 22.3. → 12.4. → 3.5.2027; Easter Monday 29.3. is not hit, 3.5. is a Monday
    assert [t.date() for t in local] == [
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 22),
        datetime.date(2027, 4, 12),
        datetime.date(2027, 5, 3),
    ]
    assert {m.ends_at - m.starts_at for m in meetings} == {datetime.timedelta(minutes=90)}


def test_everyone_gets_an_ics_invitation_in_their_language(confirmed):
    # 4 meetings x (applicant, confirmed member, supervisor); the invited member is not in it.
    assert confirmed["sent"] == 12
    recipients = {message.to[0] for message in mail.outbox}
    assert confirmed["invited"].email not in " ".join(recipients)
    assert any(confirmed["member"].email in r for r in recipients)
    assert any(confirmed["supervisor_user"].email in r for r in recipients)
    found = calendars(mail.outbox)
    assert len(found) == 12
    message, calendar, mimetype = found[0]
    assert calendar["METHOD"] == "REQUEST" and "method=REQUEST" in mimetype
    event = event_of(calendar)
    assert event.decoded("DTSTART").astimezone(HELSINKI).hour == 14
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Helsinki"
    swedish = [m for m in mail.outbox if confirmed["member"].email in m.to[0]]
    assert "Arbetshandledning" in swedish[0].subject or "handledning" in swedish[0].body
    # No free text of the application in any message or calendar file.
    for message in mail.outbox:
        assert confirmed["application"].situation not in message.body
    # A second sweep sends nothing again.
    mail.outbox.clear()
    assert send_reminders_task() == 0 and mail.outbox == []


def test_moving_a_meeting_sends_an_update_and_cancel_a_cancellation(confirmed):
    meeting = confirmed["engagement"].meetings.get(number=2)
    first_uids = {
        str(event_of(c)["UID"])
        for _m, c, _t in calendars(mail.outbox)
        if f"-{meeting.pk}@" in str(event_of(c)["UID"])
    }
    assert len(first_uids) == 1  # one UID per meeting, the same for everyone
    MoveMeetingAction(
        meeting, user=confirmed["supervisor_user"], day=datetime.date(2027, 3, 24),
        at=datetime.time(9, 30),
    ).execute()  # fmt: skip
    mail.outbox.clear()
    assert send_reminders_task() == 3
    updates = [event_of(c) for _m, c, _t in calendars(mail.outbox)]
    assert {str(e["UID"]) for e in updates} == first_uids  # the same event, updated
    assert {int(e["SEQUENCE"]) for e in updates} == {1}
    assert {
        e.decoded("DTSTART").astimezone(HELSINKI).strftime("%d.%m. %H:%M") for e in updates
    } == {"24.03. 09:30"}

    CancelMeetingAction(meeting, user=confirmed["supervisor_user"]).execute()
    mail.outbox.clear()
    assert send_reminders_task() == 3
    cancels = calendars(mail.outbox)
    assert {c["METHOD"] for _m, c, _t in cancels} == {"CANCEL"}
    assert {int(event_of(c)["SEQUENCE"]) for _m, c, _t in cancels} == {2}
    actions = list(ModelLogEntry.objects.values_list("action", flat=True))
    assert actions.count("tyonohjaus_plugin.meeting.moved") == 1
    assert actions.count("tyonohjaus_plugin.meeting.cancelled") == 1


def test_a_meeting_cannot_move_to_a_holiday_or_be_changed_by_others(confirmed):
    meeting = confirmed["engagement"].meetings.get(number=3)
    with pytest.raises(MeetingChangeRefused) as refusal:
        MoveMeetingAction(
            meeting, user=confirmed["supervisor_user"], day=datetime.date(2027, 5, 6),  # Ascension
            at=datetime.time(14),
        ).execute()  # fmt: skip
    assert refusal.value.reason == BLOCKED_DAY
    from django.core.exceptions import PermissionDenied

    for stranger in (confirmed["member"], UserFactory(), confirmed["hr"]):
        with pytest.raises(PermissionDenied):
            CancelMeetingAction(meeting, user=stranger).execute()
    meeting.refresh_from_db()
    assert meeting.state == "planned" and meeting.sequence == 0


def test_held_meetings_move_the_engagement_and_application_along(confirmed):
    engagement = confirmed["engagement"]
    meetings = list(engagement.meetings.order_by("number"))
    past = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(
        starts_at=past - datetime.timedelta(hours=2), ends_at=past
    )
    MarkMeetingHeldAction(meetings[0], user=confirmed["supervisor_user"]).execute()
    engagement.refresh_from_db()
    assert engagement.state == "in_progress"
    assert Application.objects.get(pk=engagement.application_id).status == "in_progress"
    for meeting in meetings[1:3]:
        MarkMeetingHeldAction(meeting, user=confirmed["supervisor_user"]).execute()
    CancelMeetingAction(meetings[3], user=confirmed["supervisor_user"]).execute()
    engagement.refresh_from_db()
    # The last planned meeting was cancelled, not held: completion waits for HR or a held one.
    assert engagement.state in ("in_progress", "completed")
    # The end evaluation goes to each participant once, after the last meeting.
    mail.outbox.clear()
    send_reminders_task()
    evaluation_mails = [m for m in mail.outbox if "evaluations/" in m.body]
    assert len(evaluation_mails) == 2
    send_reminders_task()
    assert len([m for m in mail.outbox if "evaluations/" in m.body]) == 2


def test_the_evaluation_link_works_once_and_only_for_its_participant(client, confirmed):
    participant = confirmed["engagement"].participants.get(user=confirmed["member"])
    url = reverse("tyonohjaus_plugin:evaluation", args=[make_evaluation_token(participant)])
    client.force_login(confirmed["application"].applicant)  # someone else in the group
    assert final_status(client, client.get(url)) == 404
    client.force_login(confirmed["member"])
    response = client.post(url, {"goals_reached": "9", "comment": "x"})
    assert response.status_code == 400 and "x</textarea>" in response.text
    assert client.post(url, {"goals_reached": "4", "comment": "Hyvä"}).status_code == 303
    assert client.post(url, {"goals_reached": "1"}).status_code == 200  # shows the thanks
    assert list(EvaluationAnswer.objects.values_list("goals_reached", flat=True)) == [4]
    assert client.get(url.replace("evaluations/", "evaluations/x")).status_code in (400, 404)


def test_hr_sees_evaluation_results_only_from_five_answers(client, confirmed):
    hr = user_with("access_admin", "view_engagement")
    client.force_login(hr)
    url = reverse("tyonohjaus_engagements:index")
    engagement = confirmed["engagement"]
    people = list(engagement.participants.all())
    for number, participant in enumerate(people):
        EvaluationAnswer.objects.create(
            engagement=engagement, participant=participant, goals_reached=5 - number,
            answered_on=datetime.date.today(),
        )  # fmt: skip
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "results are shown from 5 answers" in page
    assert "on average" not in page


def test_engagement_views_respect_who_may_see_them(client, confirmed):
    engagement = confirmed["engagement"]
    other_supervisor_user = UserFactory()
    Supervisor.objects.create(kind="internal", user=other_supervisor_user, languages=["fi"])
    detail = reverse("tyonohjaus_engagements:detail", args=[engagement.pk])
    index = reverse("tyonohjaus_engagements:index")
    confirmed["supervisor_user"].user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    other_supervisor_user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    hr = user_with("access_admin", "view_engagement")
    employee = user_with("access_admin")
    cases = {
        "own supervisor": (confirmed["supervisor_user"], 200, 200),
        "other supervisor": (other_supervisor_user, 200, 404),
        "HR": (hr, 200, 200),
        "admin user": (employee, 403, 404),
    }
    situation = confirmed["application"].situation
    for name, (user, index_status, detail_status) in cases.items():
        client.force_login(user)
        assert final_status(client, client.get(index)) == index_status, name
        response = client.get(detail)
        assert final_status(client, response) == detail_status, name
        # The answers: the matched supervisor only (HR here lacks the confidential permission).
        assert (situation in response.text) == (name == "own supervisor"), name
    client.force_login(other_supervisor_user)
    meeting = engagement.meetings.first()
    move = reverse("tyonohjaus_engagements:meeting", args=[meeting.pk, "cancel"])
    assert final_status(client, client.post(move)) == 404
    client.force_login(confirmed["supervisor_user"])
    assert client.post(move).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == "cancelled"


def test_the_outbox_shows_states_and_hr_may_resend_a_failed_message(client, confirmed):
    delivery = Delivery.objects.first()
    Delivery.objects.filter(pk=delivery.pk).update(state="failed", error="SMTPException")
    url = reverse("tyonohjaus_outbox:index")
    client.force_login(user_with("access_admin"))
    assert client.get(url).status_code == 403
    viewer = user_with("access_admin", "view_delivery")
    client.force_login(viewer)
    page = client.get(url + "?state=failed").text
    assert "SMTPException" in page and "/resend/" not in page
    resend = reverse("tyonohjaus_outbox:resend", args=[delivery.pk])
    assert client.post(resend).status_code == 403
    client.force_login(user_with("access_admin", "view_delivery", "change_delivery"))
    assert client.post(resend).status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 0
    assert final_status(client, client.post(resend)) == 404  # not failed any more
    # No address or name in the outbox rows: ids only.
    for row in Delivery.objects.values("recipient", "slot", "error"):
        assert "@" not in "".join(row.values())
    assert Engagement.objects.count() == 1


def test_the_admin_home_shows_this_weeks_meetings_and_outbox_problems(client, confirmed):
    meeting = confirmed["engagement"].meetings.get(number=1)
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
    )
    supervisor = confirmed["supervisor_user"]
    supervisor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(supervisor)
    home = client.get(reverse("wagtailadmin_home")).text
    assert "tyonohjaus-meetings" in home
    assert reverse("tyonohjaus_engagements:detail", args=[meeting.engagement_id]) in home
    assert reverse("tyonohjaus_outbox:index") not in home  # no outbox permission
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(state="uncertain")
    client.force_login(user_with("access_admin", "view_delivery"))
    home = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").text
    assert reverse("tyonohjaus_outbox:index") in home
    client.force_login(user_with("access_admin"))
    assert "tyonohjaus-meetings" not in client.get(reverse("wagtailadmin_home")).text


def test_hr_cancels_an_engagement_and_everyone_gets_the_cancellations(client, confirmed):
    engagement = confirmed["engagement"]
    url = reverse("tyonohjaus_engagements:cancel", args=[engagement.pk])
    supervisor = confirmed["supervisor_user"]
    supervisor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(supervisor)
    assert client.post(url).status_code == 403  # the supervisor moves meetings, HR ends
    hr = user_with("access_admin", "view_engagement", "change_engagement")
    client.force_login(hr)
    assert client.post(url).status_code == 302
    engagement.refresh_from_db()
    assert engagement.state == "cancelled"
    assert set(engagement.meetings.values_list("state", flat=True)) == {"cancelled"}
    mail.outbox.clear()
    assert send_reminders_task() == 12  # 4 meetings x 3 people
    assert {c["METHOD"] for _m, c, _t in calendars(mail.outbox)} == {"CANCEL"}
    assert client.post(url).status_code == 409
    assert (
        ModelLogEntry.objects.filter(action="tyonohjaus_plugin.engagement.cancelled").count() == 1
    )


def test_a_refused_move_shows_why_at_the_date_and_keeps_what_was_typed(client, confirmed):
    meeting = confirmed["engagement"].meetings.get(number=3)
    supervisor = confirmed["supervisor_user"]
    supervisor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(supervisor)
    url = reverse("tyonohjaus_engagements:meeting", args=[meeting.pk, "move"])
    prefix = f"m{meeting.pk}"
    response = client.post(
        url, {f"{prefix}-day": "2027-05-06", f"{prefix}-at": "14:00"}, HTTP_ACCEPT_LANGUAGE="en"
    )  # Ascension Day
    assert response.status_code == 400
    page = response.content.decode()
    assert "public holiday" in page and 'value="2027-05-06"' in page
    assert 'aria-invalid="true"' in page
    response = client.post(url, {f"{prefix}-day": "6.5.", f"{prefix}-at": "14:00"})
    assert response.status_code == 400 and 'value="6.5."' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 0
