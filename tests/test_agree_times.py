"""Agreeing the first meeting time (issue 18 item 1) and the one welcome message (item 7):
proposals from the supervisor's availability, participants choosing through HTTP, the automatic
pick, the supervisor's and HR's decision, the signed link, refusals as 4xx."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    MeetingFactory,
    SupervisorAvailabilityFactory,
    SupervisorFactory,
    UserFactory,
)
from tyonohjaus_plugin.core.participant_links import make_supervision_token, read_supervision_token
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import (
    Application,
    Delivery,
    DeliveryKind,
    EngagementState,
    SlotAnswer,
)
from tyonohjaus_plugin.outbox.due import create_due
from tyonohjaus_plugin.tasks import send_reminders_task

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture(autouse=True)
def _no_declaration(settings):
    # The declaration step is another part's (after_confirm): straight to the proposals here.
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "CONFLICT_DECLARATION": False}


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def confirm(application, supervisor):
    hr = user_with("access_admin", "view_application", "run_matching")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        (engagement,) = create_engagements(
            [(locked, supervisor.pk)], run=None, user=hr, now=timezone.now()
        )
    engagement.refresh_from_db()
    return engagement


@pytest.fixture
def group(locales):
    """A group (applicant + a confirmed member) confirmed with an internal supervisor who takes
    meetings on Tuesdays 9-12 online and Thursdays 13-16 in room B204."""
    round = ApplicationRoundFactory(state="closed", programme_starts_on=datetime.date(2027, 3, 1))
    application = ApplicationFactory(round=round, format="group")
    member = UserFactory()
    ApplicationParticipantFactory(application=application, user=member, status="confirmed")
    supervisor = SupervisorFactory(
        internal=True,
        user=user_with("access_admin", first_name="Tuula", last_name="Ohjaaja"),
        formats=["group"],
    )
    SupervisorAvailabilityFactory(supervisor=supervisor)
    SupervisorAvailabilityFactory(
        supervisor=supervisor,
        weekday=3,
        starts=datetime.time(13),
        ends=datetime.time(16),
        location="B204",
    )
    engagement = confirm(application, supervisor)
    people = {p.user_id: p for p in engagement.participants.all()}
    return {
        "engagement": engagement,
        "applicant": application.applicant,
        "member": member,
        "supervisor": supervisor,
        "participant": people[application.applicant_id],
        "member_participant": people[member.pk],
    }


def detail_url(engagement):
    return reverse("tyonohjaus_plugin:supervision_detail", args=[engagement.pk])


def choose(client, user, engagement, numbers=(), none=False):
    client.force_login(user)
    data = {"suitable": [str(n) for n in numbers]}
    if none:
        data["none"] = "on"
    return client.post(detail_url(engagement), data)


def test_confirm_proposes_times_inside_the_availability_and_sends_one_welcome_each(group):
    engagement = group["engagement"]
    assert engagement.state == EngagementState.SCHEDULING and engagement.proposed_at
    proposals = list(engagement.slot_proposals.order_by("number"))
    assert [p.number for p in proposals] == [1, 2, 3]
    for proposal in proposals:
        start, end = proposal.starts_at.astimezone(HELSINKI), proposal.ends_at.astimezone(HELSINKI)
        assert start.date() >= datetime.date(2027, 3, 1)
        window = {1: (9, 12, "Online"), 3: (13, 16, "B204")}[start.weekday()]
        assert window[0] <= start.hour and (end.hour, end.minute) <= (window[1], 0)
        assert proposal.location == window[2]
    assert not engagement.meetings.exists()
    kinds = list(Delivery.objects.values_list("kind", "recipient"))
    assert sorted(kinds) == sorted(
        [
            (DeliveryKind.WELCOME, f"u{group['applicant'].pk}"),
            (DeliveryKind.WELCOME, f"u{group['member'].pk}"),
            (DeliveryKind.WELCOME, f"u{group['supervisor'].user_id}"),
        ]
    )  # no meeting invitations before a time is agreed


def test_welcome_messages_name_the_supervisor_and_link_the_page(group, client):
    mail.outbox.clear()
    assert send_reminders_task() == 3
    by_address = {message.to[0]: message for message in mail.outbox}
    participant_mail = next(m for a, m in by_address.items() if group["member"].email in a)
    assert "Tuula Ohjaaja" in participant_mail.body
    with translation.override("fi"):  # the member's language (no profile: the site's)
        prefix = reverse("tyonohjaus_plugin:supervision_link", args=["T"]).removesuffix("T/")
    # The member's own signed link (compared by what it carries, not by its timestamp).
    (token,) = re.findall(re.escape(prefix) + r"([^/\s]+)/", participant_mail.body)
    assert read_supervision_token(token) == group["member_participant"].pk
    link = f"{prefix}{token}/"
    supervisor_mail = next(m for a, m in by_address.items() if "Tuula" in a)
    with translation.override("fi"):
        admin_link = reverse("tyonohjaus_engagements:detail", args=[group["engagement"].pk])
    assert admin_link in supervisor_mail.body
    client.force_login(group["member"])
    response = client.get(link)
    assert response.status_code == 303 and response["Location"] == detail_url(group["engagement"])


def test_tampered_foreign_and_expired_links(group, client, settings):
    token = make_supervision_token(group["member_participant"])
    client.force_login(group["member"])
    tampered = reverse("tyonohjaus_plugin:supervision_link", args=[token[:-2] + "xx"])
    assert client.get(tampered).status_code == 400
    client.force_login(group["applicant"])  # a forwarded link
    assert client.get(reverse("tyonohjaus_plugin:supervision_link", args=[token])).status_code == (
        404
    )
    client.force_login(UserFactory())
    assert client.get(detail_url(group["engagement"])).status_code == 404
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "EVALUATION_MAX_AGE_DAYS": 0}
    client.force_login(group["member"])
    import time

    time.sleep(1.1)
    assert client.get(reverse("tyonohjaus_plugin:supervision_link", args=[token])).status_code == (
        400
    )


def test_participants_choose_and_the_earliest_common_time_is_planned(group, client):
    engagement = group["engagement"]
    client.force_login(group["applicant"])
    response = client.get(detail_url(engagement))
    assert response.status_code == 200
    assert response.content.decode().count('name="suitable"') == 3
    assert choose(client, group["applicant"], engagement, [2, 3]).status_code == 303
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.SCHEDULING  # the member has not answered
    assert choose(client, group["member"], engagement, [1, 3]).status_code == 303
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.PLANNED
    third = engagement.slot_proposals.get(number=3)
    meetings = list(engagement.meetings.order_by("number"))
    assert len(meetings) == engagement.meeting_count
    assert meetings[0].starts_at == third.starts_at
    invitations = Delivery.objects.filter(kind=DeliveryKind.INVITATION, slot="seq0")
    assert invitations.count() == engagement.meeting_count * 3
    page = client.get(detail_url(engagement)).content.decode()
    assert 'name="suitable"' not in page and "<ol>" in page


def test_unknown_numbers_and_both_answers_are_refused_at_the_field(group, client):
    engagement = group["engagement"]
    response = choose(client, group["applicant"], engagement, [7])
    assert response.status_code == 400
    response = choose(client, group["applicant"], engagement, [1], none=True)
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    assert choose(client, group["applicant"], engagement).status_code == 400
    assert not SlotAnswer.objects.exists()


def test_none_suits_then_the_supervisor_decides(group, client):
    engagement = group["engagement"]
    choose(client, group["applicant"], engagement, none=True)
    choose(client, group["member"], engagement, [1])
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.SCHEDULING
    client.force_login(group["supervisor"].user)
    admin_page = client.get(reverse("tyonohjaus_engagements:detail", args=[engagement.pk]))
    assert admin_page.status_code == 200
    assert "tyonohjaus-engagement-times" in admin_page.content.decode()
    response = client.post(
        reverse("tyonohjaus_engagements:decide_time", args=[engagement.pk]),
        {"decide-number": "2"},
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.PLANNED
    assert engagement.meetings.order_by("number").first().starts_at == (
        engagement.slot_proposals.get(number=2).starts_at
    )
    # Choosing afterwards is refused (409), not a 500.
    assert choose(client, group["member"], engagement, [1]).status_code == 409


def test_hr_hears_after_the_answer_days_and_decides_another_time(group, client):
    engagement = group["engagement"]
    hr = user_with("access_admin", "view_engagement", "change_engagement", email="hr@example.org")
    assert create_due(timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(days=6)
    assert create_due(later) >= 1
    assert Delivery.objects.filter(
        kind=DeliveryKind.TIMES_UNANSWERED, target_id=engagement.pk, recipient=f"u{hr.pk}"
    ).exists()
    assert create_due(later) == 0  # once per engagement
    client.force_login(hr)
    url = reverse("tyonohjaus_engagements:decide_time", args=[engagement.pk])
    refused = client.post(url, {"decide-day": "2027-03-06", "decide-at": "10:00"})  # Saturday
    assert refused.status_code == 400 and "decide-day-error" in refused.content.decode()
    response = client.post(url, {"decide-day": "2027-03-10", "decide-at": "10:00"})
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.PLANNED
    first = engagement.meetings.order_by("number").first().starts_at.astimezone(HELSINKI)
    assert (first.date(), first.hour) == (datetime.date(2027, 3, 10), 10)
    mail.outbox.clear()
    send_reminders_task()
    assert not [m for m in mail.outbox if "hr@example.org" in m.to[0]]  # agreed meanwhile


def test_a_proposal_taken_meanwhile_is_refused_with_409(group, client):
    engagement = group["engagement"]
    first = engagement.slot_proposals.get(number=1)
    other = confirm(
        ApplicationFactory(round=engagement.round, format="individual"), group["supervisor"]
    )
    MeetingFactory(engagement=other, number=1, starts_at=first.starts_at, ends_at=first.ends_at)
    client.force_login(group["supervisor"].user)
    response = client.post(
        reverse("tyonohjaus_engagements:decide_time", args=[engagement.pk]),
        {"decide-number": "1"},
    )
    assert response.status_code == 409
    with translation.override("fi"):
        taken = gettext("That time is no longer free. Choose another time.")
    assert taken in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.SCHEDULING


def test_a_second_engagement_of_the_supervisor_is_offered_other_times(group):
    engagement = group["engagement"]
    other = confirm(
        ApplicationFactory(round=engagement.round, format="individual"), group["supervisor"]
    )
    mine = {p.starts_at for p in engagement.slot_proposals.all()}
    theirs = {p.starts_at for p in other.slot_proposals.all()}
    assert theirs and not mine & theirs


def test_no_time_fits_hr_is_told_at_once(locales):
    hr = user_with("access_admin", "change_engagement", email="hr@example.org")
    supervisor = SupervisorFactory()
    # Only on Saturdays: never a working day.
    SupervisorAvailabilityFactory(supervisor=supervisor, weekday=5)
    engagement = confirm(ApplicationFactory(), supervisor)
    assert engagement.state == EngagementState.SCHEDULING
    assert not engagement.slot_proposals.exists()
    assert Delivery.objects.filter(
        kind=DeliveryKind.TIMES_UNANSWERED, target_id=engagement.pk, recipient=f"u{hr.pk}"
    ).exists()


def test_without_agreed_times_the_series_is_planned_at_once(locales, direct_planning):
    engagement = confirm(ApplicationFactory(), SupervisorFactory())
    assert engagement.state == EngagementState.PLANNED
    assert engagement.meetings.count() == engagement.meeting_count
    assert not Delivery.objects.filter(kind=DeliveryKind.WELCOME).exists()


def test_my_supervision_lists_with_a_fixed_number_of_queries(group, client):
    user = group["applicant"]
    client.force_login(user)
    url = reverse("tyonohjaus_plugin:supervision")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    others = [confirm(ApplicationFactory(applicant=user), SupervisorFactory()) for _ in range(3)]
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    page = response.content.decode()
    assert all(detail_url(e) in page for e in [group["engagement"], *others])
    assert len(many) == len(few)
    assert (
        reverse("tyonohjaus_plugin:supervision")
        in client.get(reverse("tyonohjaus_plugin:my_applications")).content.decode()
    )


def test_hr_cancels_an_engagement_still_choosing_its_time(group, client):
    engagement = group["engagement"]
    hr = user_with("access_admin", "view_engagement", "change_engagement", email="hr@example.org")
    client.force_login(hr)
    detail = client.get(reverse("tyonohjaus_engagements:detail", args=[engagement.pk]))
    assert reverse("tyonohjaus_engagements:cancel", args=[engagement.pk]) in detail.content.decode()
    response = client.post(reverse("tyonohjaus_engagements:cancel", args=[engagement.pk]))
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.state == EngagementState.CANCELLED
    assert choose(client, group["member"], engagement, [1]).status_code == 409
    create_due(timezone.now() + datetime.timedelta(days=6))
    assert not Delivery.objects.filter(kind=DeliveryKind.TIMES_UNANSWERED).exists()
