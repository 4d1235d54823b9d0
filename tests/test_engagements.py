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
from tests.meeting_checks import double_bookings, outside_working_hours
from tests.utils import final_status
from tyonohjaus_plugin.actions.meetings import (
    BLOCKED_DAY,
    OVERLAP,
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

# About the planned series, its moves and invitations: the confirm plans it at once.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("direct_planning")]
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


# -- Nobody in two meetings at once (issue 14, item 2) -----------------------------------------


def confirm(applications, supervisor, user):
    with transaction.atomic():
        locked = list(
            Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications])
        )
        return create_engagements(
            [(application, supervisor.pk) for application in locked],
            run=None,
            user=user,
            now=timezone.now(),
        )


def test_five_engagements_of_one_supervisor_from_one_round_never_overlap(locales):
    round = ApplicationRoundFactory(state="closed", programme_starts_on=datetime.date(2027, 3, 1))
    supervisor = SupervisorFactory()
    applications = [ApplicationFactory(round=round) for _ in range(5)]
    engagements = confirm(applications, supervisor, user_with("run_matching"))
    meetings = list(Meeting.objects.filter(engagement__in=engagements))
    assert len(meetings) == 5 * 4
    assert double_bookings() == []
    assert outside_working_hours(meetings) == []
    # Spread over the week at the usual time, not stacked: each series keeps one wall time and
    # its rhythm of about three weeks.
    for engagement in engagements:
        local = [m.starts_at.astimezone(HELSINKI) for m in engagement.meetings.order_by("number")]
        assert len({t.time() for t in local}) == 1
        gaps = [(b.date() - a.date()).days for a, b in zip(local, local[1:], strict=False)]
        assert all(21 <= gap <= 28 for gap in gaps), gaps
    firsts = sorted(m.starts_at.astimezone(HELSINKI) for m in meetings if m.number == 1)
    assert [t.strftime("%a %H:%M") for t in firsts] == [
        "Mon 14:00", "Tue 14:00", "Wed 14:00", "Thu 14:00", "Fri 14:00"
    ]  # fmt: skip
    # Confirmed later for the same supervisor: still no overlap, with the gap kept.
    engagements += confirm([ApplicationFactory(round=round)], supervisor, user_with())
    assert double_bookings() == []
    gap = datetime.timedelta(minutes=15)
    times = sorted(
        Meeting.objects.filter(engagement__supervisor=supervisor).values_list(
            "starts_at", "ends_at"
        )
    )
    assert all(b[0] - a[1] >= gap for a, b in zip(times, times[1:], strict=False))


def test_a_person_in_two_engagements_is_never_in_two_meetings_at_once(locales):
    """The same employee with two supervisors (an off-round engagement and one from a round, or a
    member of two groups), and an internal supervisor who is a participant elsewhere."""
    start = datetime.date(2027, 3, 1)
    person = UserFactory()
    first = ApplicationFactory(
        round=ApplicationRoundFactory(state="closed", programme_starts_on=start),
        applicant=person,
    )
    second = ApplicationFactory(
        round=ApplicationRoundFactory(state="closed", programme_starts_on=start), format="group"
    )
    ApplicationParticipantFactory(application=second, user=person, status="confirmed")
    internal = SupervisorFactory(internal=True)
    third = ApplicationFactory(
        round=ApplicationRoundFactory(state="closed", programme_starts_on=start),
        applicant=internal.user,
    )
    hr = user_with("run_matching")
    confirm([first], SupervisorFactory(), hr)
    confirm([second], SupervisorFactory(), hr)
    confirm([third], SupervisorFactory(), hr)
    confirm([ApplicationFactory(round=first.round)], internal, hr)
    mine = [m for m in Meeting.objects.all() if m.engagement.participants.filter(user=person)]
    assert len(mine) == 8
    assert double_bookings() == []


@pytest.fixture
def two_engagements(confirmed):
    """A second engagement of the same supervisor, and the supervisor signed in to the admin."""
    other = ApplicationFactory(round=confirmed["application"].round)
    (second,) = confirm([other], confirmed["supervisor"], confirmed["hr"])
    confirmed["supervisor_user"].user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    return confirmed | {"second": second}


def move(client, meeting, day, at, **extra):
    prefix = f"m{meeting.pk}"
    data = {f"{prefix}-day": day, f"{prefix}-at": at}
    data.update({f"{prefix}-{name}": value for name, value in extra.items()})
    url = reverse("tyonohjaus_engagements:meeting", args=[meeting.pk, "move"])
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_move_onto_another_meeting_is_refused_at_the_field(client, two_engagements):
    meeting = two_engagements["engagement"].meetings.get(number=2)
    other = two_engagements["second"].meetings.get(number=1)
    before = (meeting.starts_at, meeting.ends_at, meeting.sequence)
    local = other.starts_at.astimezone(HELSINKI) + datetime.timedelta(minutes=30)
    client.force_login(two_engagements["supervisor_user"])
    for allow in ({}, {"outside_working_hours": "on"}):  # the override is for hours, not overlaps
        response = move(client, meeting, local.date().isoformat(), local.strftime("%H:%M"), **allow)
        assert response.status_code == 400
        page = response.content.decode()
        assert "already has another meeting at that time" in page
        at = f"m{meeting.pk}-at"
        assert f'value="{local:%H:%M}"' in page and f'id="id_{at}-error"' in page
        assert f'aria-describedby="id_{at}-error"' in page
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at, meeting.sequence) == before
    assert not ModelLogEntry.objects.filter(action="tyonohjaus_plugin.meeting.moved").exists()
    # Ending as the other meeting starts is fine (moves are refused for a real overlap only).
    before_it = (other.starts_at - datetime.timedelta(minutes=90)).astimezone(HELSINKI)
    response = move(client, meeting, before_it.date().isoformat(), before_it.strftime("%H:%M"))
    assert response.status_code == 302
    assert double_bookings() == []


def test_a_participants_other_meeting_refuses_the_move_too(two_engagements):
    member = two_engagements["member"]
    june = ApplicationRoundFactory(state="closed", programme_starts_on=datetime.date(2027, 6, 1))
    elsewhere = ApplicationFactory(round=june, applicant=member)
    (engagement,) = confirm([elsewhere], SupervisorFactory(), two_engagements["hr"])
    theirs = engagement.meetings.get(number=1).starts_at.astimezone(HELSINKI)
    meeting = two_engagements["engagement"].meetings.get(number=4)
    with pytest.raises(MeetingChangeRefused) as refusal:
        MoveMeetingAction(
            meeting, user=two_engagements["supervisor_user"], day=theirs.date(), at=theirs.time()
        ).execute()
    assert refusal.value.reason == OVERLAP


def test_a_move_outside_working_hours_needs_the_explicit_allow(client, two_engagements):
    meeting = two_engagements["engagement"].meetings.get(number=3)
    before = meeting.starts_at
    client.force_login(two_engagements["supervisor_user"])
    response = move(client, meeting, "2027-04-14", "23:30")  # a Wednesday; would end at 01:00
    assert response.status_code == 400
    page = response.content.decode()
    assert "outside working hours (08:00–16:00)" in page and 'value="23:30"' in page
    assert move(client, meeting, "2027-04-14", "07:45").status_code == 400
    assert move(client, meeting, "2027-04-17", "10:00").status_code == 400  # a Saturday
    meeting.refresh_from_db()
    assert meeting.starts_at == before
    response = move(client, meeting, "2027-04-14", "23:30", outside_working_hours="on")
    assert response.status_code == 302
    meeting.refresh_from_db()
    local = meeting.starts_at.astimezone(HELSINKI)
    assert (local.date(), local.strftime("%H:%M")) == (datetime.date(2027, 4, 14), "23:30")
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.meeting.moved")
    assert entry.data == {"sequence": 1, "outside_working_hours": True}
    assert entry.user_id == two_engagements["supervisor_user"].pk
    # A day off, allowed on purpose: the supervisor's Saturday.
    assert (
        move(client, meeting, "2027-04-17", "10:00", outside_working_hours="on").status_code == 302
    )
    # An ordinary move logs no override.
    assert move(client, meeting, "2027-04-15", "09:00").status_code == 302
    data = [e.data for e in ModelLogEntry.objects.filter(action="tyonohjaus_plugin.meeting.moved")]
    assert sorted(map(len, data)) == [1, 2, 2] and {"sequence": 3} in data


def test_the_move_form_offers_the_override(client, two_engagements):
    detail = reverse("tyonohjaus_engagements:detail", args=[two_engagements["engagement"].pk])
    client.force_login(two_engagements["supervisor_user"])
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    meeting = two_engagements["engagement"].meetings.get(number=1)
    assert f'name="m{meeting.pk}-outside_working_hours"' in page
    assert "Allow outside working hours" in page
