"""After the first meeting: the question to everyone, one answer per person, and the re-match
after "not a good fit" (issue 18 item 3)."""

import datetime
import re
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import ApplicationFactory, EmployeeProfileFactory, UserFactory
from tests.utils import admin_in, final_status
from tyonohjaus_plugin.actions.first_meeting import (
    ANSWERED,
    AnswerFirstMeetingAction,
    FirstMeetingRefused,
)
from tyonohjaus_plugin.core.tokens import (
    FIRST_MEETING_SALT,
    make_first_meeting_token,
    read_first_meeting_token,
)
from tyonohjaus_plugin.models import (
    Application,
    Delivery,
    DeliveryKind,
    Engagement,
    EngagementParticipant,
    ExcludedPair,
    FirstMeetingAnswer,
    Meeting,
    PlaceOffer,
    Supervisor,
)
from tyonohjaus_plugin.outbox import delivery as outbox
from tyonohjaus_plugin.privacy.subject_access import export_person

pytestmark = pytest.mark.django_db


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def internal(**fields):
    user = user_with("access_admin")
    return Supervisor.objects.create(
        kind="internal", user=user, languages=["fi"], formats=["individual", "group"], **fields
    )


@pytest.fixture
def admin_urls(client):
    client.get("/admin/")


@pytest.fixture
def engagement(admin_urls):
    """An off-round application matched with an internal supervisor: meeting 1 started an hour
    ago, three more planned."""
    supervisor = internal(default_capacity=2)
    application = ApplicationFactory(round=None, status="matched")
    EmployeeProfileFactory(user=application.applicant, unit_code="U1")
    engagement = Engagement.objects.create(
        application=application,
        supervisor=supervisor,
        state="planned",
        confirmed_at=timezone.now(),
    )
    EngagementParticipant.objects.create(engagement=engagement, user=application.applicant)
    start = timezone.now() - datetime.timedelta(hours=1)
    for number in range(1, 5):
        starts = start + datetime.timedelta(days=21 * (number - 1))
        Meeting.objects.create(
            engagement=engagement,
            number=number,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=90),
        )
    return engagement


def participant_of(engagement):
    return engagement.participants.get()


def hold_first_meeting(client, engagement, django_capture_on_commit_callbacks):
    client.force_login(engagement.supervisor.user)
    first = engagement.meetings.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tyonohjaus_engagements:meeting", args=[first.pk, "held"]))
    assert response.status_code == 302
    client.logout()


def test_meeting_one_held_asks_everyone_once_with_their_own_link(
    client, engagement, django_capture_on_commit_callbacks
):
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    participant = participant_of(engagement)
    keys = set(
        Delivery.objects.filter(kind=DeliveryKind.FIRST_MEETING_QUESTION).values_list(
            "target_id", "recipient"
        )
    )
    assert keys == {
        (engagement.pk, f"u{participant.user_id}"),
        (engagement.pk, f"u{engagement.supervisor.user_id}"),
    }
    outbox.process()
    by_address = {message.to[0].split("<")[-1].rstrip(">"): message for message in mail.outbox}
    to_participant = by_address[participant.user.email]
    # The participant's own signed link (compared by what it carries: its timestamp is the
    # second it was made).
    prefix = reverse("tyonohjaus_plugin:first_meeting", args=["TOKEN"]).split("TOKEN")[0]
    (token,) = re.findall(re.escape(prefix) + r"([^/\s]+)/", to_participant.body)
    assert read_first_meeting_token(token) == participant.pk
    to_supervisor = by_address[engagement.supervisor.user.email]
    assert reverse("tyonohjaus_engagements:detail", args=[engagement.pk]) in to_supervisor.body
    # Marking meeting 2 held asks nothing more.
    second = engagement.meetings.get(number=2)
    Meeting.objects.filter(pk=second.pk).update(starts_at=timezone.now())
    client.force_login(engagement.supervisor.user)
    client.post(reverse("tyonohjaus_engagements:meeting", args=[second.pk, "held"]))
    assert Delivery.objects.filter(kind=DeliveryKind.FIRST_MEETING_QUESTION).count() == 2


def test_an_external_supervisor_is_told_to_answer_in_the_portal(
    client, engagement, django_capture_on_commit_callbacks
):
    external = Supervisor.objects.create(
        kind="external", name="Ulla", email="ulla@example.org", languages=["en"]
    )
    Engagement.objects.filter(pk=engagement.pk).update(supervisor=external)
    engagement.refresh_from_db()
    hr = user_with("access_admin", "view_engagement", "change_engagement")
    client.force_login(hr)
    first = engagement.meetings.get(number=1)
    client.post(reverse("tyonohjaus_engagements:meeting", args=[first.pk, "held"]))
    outbox.process()
    (message,) = [m for m in mail.outbox if "ulla@example.org" in m.to[0]]
    assert "portal" in message.body
    assert "/first-meeting/" not in message.body


def test_not_a_good_fit_ends_the_engagement_and_puts_the_application_back(
    client, engagement, django_capture_on_commit_callbacks
):
    old = engagement.supervisor
    other = internal(default_capacity=1)
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    participant = participant_of(engagement)
    client.force_login(participant.user)
    url = reverse("tyonohjaus_plugin:first_meeting", args=[make_first_meeting_token(participant)])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"go_on": "no", "comment": "Kemiat eivät kohdanneet."})
    assert response.status_code == 303

    engagement.refresh_from_db()
    assert (engagement.state, engagement.end_reason) == ("cancelled", "not_a_fit")
    assert set(engagement.meetings.values_list("number", "state")) == {
        (1, "held"),
        (2, "cancelled"),
        (3, "cancelled"),
        (4, "cancelled"),
    }
    # Everyone gets each cancellation (sequence 1 of the cancelled meetings).
    cancellations = Delivery.objects.filter(kind=DeliveryKind.INVITATION, slot="seq1")
    assert cancellations.count() == 3 * 2
    assert ExcludedPair.objects.filter(
        application=engagement.application, supervisor=old, reason="not_a_fit"
    ).exists()
    application = Application.objects.get(pk=engagement.application_id)
    assert application.status == "in_review"
    answer = FirstMeetingAnswer.objects.get(engagement=engagement)
    assert (answer.go_on, answer.comment) == (False, "Kemiat eivät kohdanneet.")

    # HR sees it back, with the off-round proposals: never the old supervisor.
    hr = user_with("access_admin", "run_matching", "view_application")
    client.force_login(admin_in(hr, "en"))
    index = client.get(reverse("tyonohjaus_matching:index"))
    assert application in index.context["off_round"]
    assert "Back after an ended engagement" in index.content.decode()
    page = client.get(reverse("tyonohjaus_matching:off_round", args=[application.pk]))
    proposed = [supervisor for supervisor, _reasons in page.context["candidates"]]
    assert proposed == [other]
    assert "is no longer proposed for this application" in page.content.decode()
    # Confirming the old supervisor by hand is refused too.
    refused = client.post(
        reverse("tyonohjaus_matching:off_round", args=[application.pk]), {"supervisor": old.pk}
    )
    assert refused.status_code == 409
    confirmed = client.post(
        reverse("tyonohjaus_matching:off_round", args=[application.pk]), {"supervisor": other.pk}
    )
    assert confirmed.status_code == 302
    new = application.engagements.get(state__in=("pending", "scheduling", "planned"))
    assert new.supervisor == other


def test_a_rematch_of_a_round_application_is_matched_off_round(
    client, engagement, django_capture_on_commit_callbacks
):
    """An application from a round that comes back is matched with the off-round rules."""
    from tests.factories import ApplicationRoundFactory

    round = ApplicationRoundFactory(state="matched")
    Application.objects.filter(pk=engagement.application_id).update(round=round)
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    AnswerFirstMeetingAction(
        engagement, user=engagement.supervisor.user, supervisor=engagement.supervisor, go_on=False
    ).execute()
    client.force_login(user_with("access_admin", "run_matching", "view_application"))
    page = client.get(reverse("tyonohjaus_matching:off_round", args=[engagement.application_id]))
    assert page.status_code == 200
    assert page.context["unmatched"]  # the only supervisor is excluded


def test_one_answer_per_person_and_a_second_is_a_409_page(
    client, engagement, django_capture_on_commit_callbacks
):
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    participant = participant_of(engagement)
    AnswerFirstMeetingAction(
        engagement, user=participant.user, participant=participant, go_on=True
    ).execute()
    with pytest.raises(FirstMeetingRefused) as refused:
        AnswerFirstMeetingAction(
            engagement, user=participant.user, participant=participant, go_on=False
        ).execute()
    assert refused.value.reason == ANSWERED
    client.force_login(participant.user)
    with translation.override("en"):
        mine = reverse("tyonohjaus_plugin:first_meeting_mine", args=[participant.pk])
    assert "you continue" in client.get(mine).content.decode()
    response = client.post(mine, {"go_on": "no"})
    assert response.status_code == 409
    assert "one answer per person" in response.content.decode()
    assert FirstMeetingAnswer.objects.get().go_on is True
    assert Engagement.objects.get(pk=engagement.pk).state == "in_progress"


def test_the_question_opens_only_after_meeting_one_is_held(client, engagement):
    participant = participant_of(engagement)
    client.force_login(participant.user)
    mine = reverse("tyonohjaus_plugin:first_meeting_mine", args=[participant.pk])
    response = client.post(mine, {"go_on": "no"})
    assert response.status_code == 409
    assert not FirstMeetingAnswer.objects.exists()


def test_missing_choice_is_shown_at_the_field_keeping_the_comment(
    client, engagement, django_capture_on_commit_callbacks
):
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    participant = participant_of(engagement)
    client.force_login(participant.user)
    mine = reverse("tyonohjaus_plugin:first_meeting_mine", args=[participant.pk])
    response = client.post(mine, {"comment": "Mietin vielä"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_go_on-error"' in html  # the message at the choice it is about
    assert "Mietin vielä</textarea>" in html


def test_links_and_pages_belong_to_their_participant(
    client, engagement, django_capture_on_commit_callbacks
):
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    participant = participant_of(engagement)
    token = make_first_meeting_token(participant)
    # Another employee with the forwarded link, or the other route: 404.
    client.force_login(UserFactory())
    assert client.get(reverse("tyonohjaus_plugin:first_meeting", args=[token])).status_code == 404
    mine = reverse("tyonohjaus_plugin:first_meeting_mine", args=[participant.pk])
    assert client.post(mine, {"go_on": "no"}).status_code == 404
    # Tampered and expired links: 400.
    client.force_login(participant.user)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    tampered_url = reverse("tyonohjaus_plugin:first_meeting", args=[tampered])
    assert client.get(tampered_url).status_code == 400
    long_ago = time.time() - 400 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        expired = signing.dumps({"f": participant.pk}, salt=FIRST_MEETING_SALT, compress=True)
    with translation.override("en"):
        response = client.get(reverse("tyonohjaus_plugin:first_meeting", args=[expired]))
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not FirstMeetingAnswer.objects.exists()
    # Anonymous: the login page.
    client.logout()
    assert client.get(reverse("tyonohjaus_plugin:first_meeting", args=[token])).status_code == 302


def test_another_internal_supervisor_cannot_answer_for_the_engagement(
    client, engagement, django_capture_on_commit_callbacks
):
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    stranger = internal()
    client.force_login(stranger.user)
    url = reverse("tyonohjaus_engagements:first_meeting", args=[engagement.pk])
    assert final_status(client, client.post(url, {"go_on": "no"})) == 404
    assert not FirstMeetingAnswer.objects.exists()


def test_the_panel_shows_comments_only_with_the_confidential_permission(
    client, engagement, django_capture_on_commit_callbacks
):
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    participant = participant_of(engagement)
    AnswerFirstMeetingAction(
        engagement,
        user=participant.user,
        participant=participant,
        go_on=True,
        comment="Luottamuksellinen huomio",
    ).execute()
    detail = reverse("tyonohjaus_engagements:detail", args=[engagement.pk])
    # The supervisor sees the answers and their own form, but not the comment.
    client.force_login(admin_in(engagement.supervisor.user, "en"))
    html = client.get(detail).content.decode()
    assert "After the first meeting" in html and "We continue" in html
    assert "Luottamuksellinen huomio" not in html
    assert reverse("tyonohjaus_engagements:first_meeting", args=[engagement.pk]) in html
    # HR without the confidential permission: no comment either.
    client.force_login(user_with("access_admin", "view_engagement", "view_application"))
    assert "Luottamuksellinen huomio" not in client.get(detail).content.decode()
    # HR with it: the comment.
    client.force_login(
        user_with(
            "access_admin",
            "view_engagement",
            "view_application",
            "view_confidential_application",
        )
    )
    assert "Luottamuksellinen huomio" in client.get(detail).content.decode()


def test_the_internal_supervisor_answers_in_the_admin(
    client, engagement, django_capture_on_commit_callbacks
):
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    client.force_login(engagement.supervisor.user)
    url = reverse("tyonohjaus_engagements:first_meeting", args=[engagement.pk])
    bad = client.post(url, {"comment": "kesken"})
    assert bad.status_code == 400
    assert "kesken</textarea>" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"go_on": "no"}).status_code == 302
    assert Engagement.objects.get(pk=engagement.pk).end_reason == "not_a_fit"
    assert client.post(url, {"go_on": "yes"}).status_code == 409


def test_the_comment_is_in_the_writers_export_only(client, engagement):
    Meeting.objects.filter(engagement=engagement, number=1).update(state="held")
    Engagement.objects.filter(pk=engagement.pk).update(state="in_progress")
    participant = participant_of(engagement)
    AnswerFirstMeetingAction(
        engagement, user=participant.user, participant=participant, go_on=True, comment="Oma"
    ).execute()
    mine = export_person(participant.user)["engagements"][0]["first_meeting_answer"]
    assert (mine["go_on"], mine["comment"]) == (True, "Oma")
    assert "Oma" not in str(export_person(engagement.supervisor.user))


def test_the_freed_place_goes_to_the_waiting_list(
    client, engagement, django_capture_on_commit_callbacks
):
    waiting = ApplicationFactory(round=None)
    hold_first_meeting(client, engagement, django_capture_on_commit_callbacks)
    participant = participant_of(engagement)
    with django_capture_on_commit_callbacks(execute=True):
        AnswerFirstMeetingAction(
            engagement, user=participant.user, participant=participant, go_on=False
        ).execute()
    offer = PlaceOffer.objects.get()
    assert (offer.application, offer.supervisor, offer.freed_by) == (
        waiting,
        engagement.supervisor,
        "not_a_fit",
    )


def test_the_retention_job_empties_the_comment_with_the_applications_free_text(engagement):
    from tyonohjaus_plugin.actions.run_retention import run_retention
    from tyonohjaus_plugin.conf import plugin_settings

    Meeting.objects.filter(engagement=engagement, number=1).update(state="held")
    Engagement.objects.filter(pk=engagement.pk).update(state="in_progress")
    participant = participant_of(engagement)
    AnswerFirstMeetingAction(
        engagement, user=participant.user, participant=participant, go_on=True, comment="Oma"
    ).execute()
    ended = timezone.now() - datetime.timedelta(days=plugin_settings.RETENTION_FREE_TEXT_DAYS + 1)
    Application.objects.filter(pk=engagement.application_id).update(
        status="completed", status_changed_at=ended
    )
    run_retention()
    assert Application.objects.get(pk=engagement.application_id).goals == ""
    assert FirstMeetingAnswer.objects.get().comment == ""
