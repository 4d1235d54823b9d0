"""Submitting applications: the action and the database rules behind it."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from tests.factories import ApplicationRoundFactory, PrivacyNoticeFactory, UserFactory
from tyonohjaus_plugin.actions.submit_application import (
    AlreadyApplied,
    ApplicationData,
    RoundNotAccepting,
    SubmitApplicationAction,
)
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    ParticipantStatus,
)
from tyonohjaus_plugin.models.applications import SITUATION_MAX_LENGTH
from tyonohjaus_plugin.signals import application_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    return PrivacyNoticeFactory()


@pytest.fixture
def round():
    return ApplicationRoundFactory()


def submit(user, round, notice, service_key=None, **data):
    data.setdefault("format", "individual")
    data.setdefault("languages", ["fi"])
    return SubmitApplicationAction(
        user=user,
        service_key=service_key or round.service_key,
        round=round,
        data=ApplicationData(**data),
        notice=notice,
    ).execute()


def test_individual_application_is_stored_with_its_applicant(
    round, notice, django_capture_on_commit_callbacks
):
    user = UserFactory()
    received = []

    def receiver(sender, application, **kwargs):
        received.append(application)

    application_submitted.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            application = submit(user, round, notice, situation="Uusi esihenkilötehtävä")
    finally:
        application_submitted.disconnect(receiver)
    assert application.round == round and application.applicant == user
    assert application.consent_version == notice.version
    assert application.situation == "Uusi esihenkilötehtävä"
    assert application.submitted_at <= timezone.now()
    (participant,) = application.participants.all()
    assert (participant.user, participant.status, participant.holds_place) == (
        user,
        ParticipantStatus.CONFIRMED,
        True,
    )
    assert list(ApplicationEvent.objects.values_list("kind", flat=True)) == ["submitted"]
    assert received == [application]
    assert str(application) == f"Application #{application.pk}"  # no names in log labels


def test_second_submission_returns_the_first(round, notice):
    user = UserFactory()
    first = submit(user, round, notice)
    with pytest.raises(AlreadyApplied) as excinfo:
        submit(user, round, notice, format="team")
    assert excinfo.value.application == first
    assert Application.objects.count() == 1


def test_a_member_holds_a_place_only_after_confirming_one_group(round, notice):
    """Naming a colleague never depends on whether they applied (README: co-applicants); the
    place is taken when they confirm, and the database still allows one place per person."""
    from tyonohjaus_plugin.actions.respond_to_invitation import (
        InAnotherApplication,
        RespondToInvitationAction,
    )

    alice, bob, carl, dina = UserFactory.create_batch(4)
    first = submit(alice, round, notice, format="group", co_applicants=[bob, carl])
    second = submit(dina, round, notice, format="group", co_applicants=[carl])
    assert Application.objects.count() == 2
    assert not ApplicationParticipant.objects.filter(user=carl, holds_place=True).exists()

    def answer(application, user, confirm=True):
        participant = ApplicationParticipant.objects.get(application=application, user=user)
        return RespondToInvitationAction(participant, user=user, confirm=confirm).execute()

    answer(first, carl)
    with pytest.raises(InAnotherApplication):
        answer(second, carl)
    invited = ApplicationParticipant.objects.get(application=second, user=carl)
    assert (invited.status, invited.holds_place) == ("invited", False)  # nothing changed
    answer(second, carl, confirm=False)  # the colleague's choice: the second one is declined
    assert ApplicationParticipant.objects.filter(user=carl, holds_place=True).count() == 1
    # An invited member who has not answered is free to apply on their own.
    assert submit(bob, round, notice).applicant == bob
    with pytest.raises(InAnotherApplication):
        answer(first, bob)


def test_declined_member_is_free_again(round, notice):
    alice, bob = UserFactory.create_batch(2)
    application = submit(alice, round, notice, format="group", co_applicants=[bob])
    ApplicationParticipant.objects.filter(application=application, user=bob).update(
        status=ParticipantStatus.DECLINED, holds_place=False
    )
    assert submit(bob, round, notice).applicant == bob


def test_closed_round_refuses(notice):
    round = ApplicationRoundFactory(
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with pytest.raises(RoundNotAccepting):
        submit(UserFactory(), round, notice)
    upcoming = ApplicationRoundFactory(
        state="upcoming", opens_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(RoundNotAccepting):
        submit(UserFactory(), upcoming, notice)
    assert Application.objects.count() == 0


def test_off_round_application_once_per_service(notice):
    user = UserFactory()
    service = uuid.uuid4()
    first = SubmitApplicationAction(
        user=user,
        service_key=service,
        round=None,
        data=ApplicationData(format="individual", languages=["sv"], off_round_reason="Kriisi"),
        notice=notice,
    ).execute()
    assert first.is_off_round and first.off_round_reason == "Kriisi"
    with pytest.raises(AlreadyApplied):
        SubmitApplicationAction(
            user=user,
            service_key=service,
            round=None,
            data=ApplicationData(format="individual", languages=["sv"]),
            notice=notice,
        ).execute()


def test_one_place_per_person_per_round_is_a_database_constraint(round, notice):
    user = UserFactory()
    first = submit(user, round, notice)
    other = submit(UserFactory(), round, notice)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationParticipant.objects.create(
            application=other, round=round, user=user, role="co_applicant", status="invited"
        )
    assert first.participants.count() == 1


def test_free_text_length_is_refused_on_every_write(round, notice):
    """The database holds ciphertext (longer than the text), so the limit is the field's: the
    model's validation and every write (an update too), as the length constraint was."""
    application = submit(UserFactory(), round, notice)
    application.situation = "ä" * (SITUATION_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as error:
        application.full_clean()
    assert list(error.value.message_dict) == ["situation"]
    with pytest.raises(DataError), transaction.atomic():
        application.save()
    with pytest.raises(DataError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            situation="x" * (SITUATION_MAX_LENGTH + 1)
        )
    Application.objects.filter(pk=application.pk).update(situation="ä" * SITUATION_MAX_LENGTH)
    application.refresh_from_db()
    assert application.situation == "ä" * SITUATION_MAX_LENGTH
