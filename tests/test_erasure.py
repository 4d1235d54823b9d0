"""Erasure on request (RELIABILITY §5) and its replay after a restore (test 18's restore part):
the person's own applications end and are anonymised, their places in others' groups lose them
without touching the others, one audit entry with ids only, and a restored pre-erasure dump
brings nobody back once the tombstones are replayed."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import privacy_scenario as scenario
from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    EngagementFactory,
    EngagementParticipantFactory,
    MeetingFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.utils import group_for
from tyonohjaus_plugin.actions.base import NotPermitted
from tyonohjaus_plugin.actions.erase_person import ErasePersonAction
from tyonohjaus_plugin.log_actions import PERSON_ERASED
from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    Delivery,
    Engagement,
    ErasureTombstone,
    Meeting,
)
from tyonohjaus_plugin.models.outbox import user_key
from tyonohjaus_plugin.privacy.erasure import holdings

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    user = UserFactory(username="hr-erasure")
    user.groups.add(group_for("hr"))
    return user


def person_with_everything():
    """A person who applied alone (engagement in progress, two planned meetings) and is a
    member of a colleague's group (engagement in progress too)."""
    round = ApplicationRoundFactory(state="matched")
    own = ApplicationFactory(
        round=round, status="in_progress", situation=scenario.text("own"), hr_note="HR note"
    )
    person = own.applicant
    supervisor = SupervisorFactory()
    engagement = EngagementFactory(application=own, supervisor=supervisor, state="in_progress")
    EngagementParticipantFactory(engagement=engagement, user=person)
    for number in (1, 2):
        MeetingFactory(
            engagement=engagement,
            number=number,
            starts_at=timezone.now() + datetime.timedelta(days=7 * number),
        )
    Delivery.objects.create(
        kind="receipt",
        target_id=own.pk,
        recipient=user_key(person.pk),
        due_at=timezone.now(),
        state="sent",
    )
    colleague_text = "Kollegan oma tilanne " + scenario.MARK
    group = ApplicationFactory(
        round=round, format="group", status="in_progress", situation=colleague_text
    )
    membership = ApplicationParticipantFactory(
        application=group, user=person, status="confirmed", holds_place=False
    )
    other_member = ApplicationParticipantFactory(
        application=group, status="confirmed", holds_place=False
    )
    group_engagement = EngagementFactory(application=group, state="in_progress")
    for user in (group.applicant, person, other_member.user):
        EngagementParticipantFactory(engagement=group_engagement, user=user)
    Delivery.objects.create(
        kind="co_applicant_answer",
        target_id=membership.pk,
        recipient=user_key(group.applicant_id),
        due_at=timezone.now(),
    )
    return person, own, group, engagement, group_engagement, colleague_text


def test_erasure_ends_anonymises_and_leaves_the_others_alone(hr):
    person, own, group, engagement, group_engagement, colleague_text = person_with_everything()
    seen = holdings(person.pk)
    assert seen["counts"]["applications"] == 1 and seen["counts"]["memberships"] == 1
    assert [e.pk for e in seen["ends"]] == [engagement.pk]
    assert [e.pk for e in seen["leaves"]] == [group_engagement.pk]

    action = ErasePersonAction(person.pk, user=hr)
    tombstone = action.execute()

    own.refresh_from_db()
    assert own.status == "withdrawn" and own.anonymised_at is not None
    assert own.applicant_id is None and own.situation == "" and own.hr_note == ""
    assert Engagement.objects.get(pk=engagement.pk).state == "cancelled"
    assert set(Meeting.objects.filter(engagement=engagement).values_list("state", flat=True)) == {
        "cancelled"
    }
    # The supervisor still gets the cancellations; the person gets nothing more.
    supervisor_key = f"s{engagement.supervisor_id}"
    if engagement.supervisor.user_id:
        supervisor_key = user_key(engagement.supervisor.user_id)
    assert (
        Delivery.objects.filter(
            kind="invitation", recipient=supervisor_key, state="pending"
        ).count()
        == 2
    )
    assert not Delivery.objects.filter(recipient=user_key(person.pk)).exists()
    # The colleague's group goes on without the person, the others' data untouched.
    group.refresh_from_db()
    assert group.status == "in_progress" and group.situation == colleague_text
    assert group.applicant_id is not None
    assert not ApplicationParticipant.objects.filter(user=person).exists()
    assert ApplicationParticipant.objects.filter(application=group).count() == 3
    assert Engagement.objects.get(pk=group_engagement.pk).state == "in_progress"
    assert group_engagement.participants.exclude(user=None).count() == 2
    assert not Delivery.objects.filter(kind="co_applicant_answer").exists()
    # Nothing left, one tombstone, one audit entry with ids only.
    assert scenario.people_links([person.pk]) == dict.fromkeys(
        scenario.people_links([person.pk]), 0
    )
    assert ErasureTombstone.objects.get().user_id == person.pk == tombstone.user_id
    entry = ModelLogEntry.objects.get(action=PERSON_ERASED)
    assert entry.user_id == hr.pk and entry.label == f"Erasure #{tombstone.pk}"
    assert entry.data == {
        "user_id": person.pk,
        "applications": 1,
        "memberships": 1,
        "engagements_ended": 1,
    }
    for name in (person.username, person.email, person.first_name, person.last_name):
        assert name not in entry.label + json.dumps(entry.data)


def test_erasure_needs_its_own_permission():
    person = ApplicationFactory().applicant
    hr_without = UserFactory()
    hr_without.groups.add(group_for("hr_assistant"))
    with pytest.raises(NotPermitted):
        ErasePersonAction(person.pk, user=hr_without).execute()
    assert Application.objects.filter(applicant=person).exists()


def test_erasing_twice_is_harmless(hr):
    person, *_ = person_with_everything()
    ErasePersonAction(person.pk, user=hr).execute()
    ErasePersonAction(person.pk, user=hr).execute()
    assert ErasureTombstone.objects.count() == 1
    assert ModelLogEntry.objects.filter(action=PERSON_ERASED).count() == 2


def test_restored_dump_replays_the_tombstones(hr, tmp_path):
    """RELIABILITY test 18 (restore): a dump from before the erasure, restored, then the
    tombstones replayed: 0 erased people come back."""
    person, own, group, *_ = person_with_everything()
    other = ApplicationFactory(situation="Toisen hakijan teksti")
    dump = tmp_path / "backup.json"
    call_command("dumpdata", "tyonohjaus_plugin", output=str(dump), verbosity=0)

    ErasePersonAction(person.pk, user=hr).execute()
    out = io.StringIO()
    call_command("tyonohjaus_tombstones", "export", stdout=out)
    tombstones = tmp_path / "tombstones.json"
    tombstones.write_text(out.getvalue())
    assert json.loads(out.getvalue())["tombstones"][0]["user_id"] == person.pk

    # The restore: the backup's rows come back as they were (the tombstone table with them).
    ErasureTombstone.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    assert Application.objects.get(pk=own.pk).applicant_id == person.pk  # resurrected ...
    assert ApplicationParticipant.objects.filter(user=person).count() == 2

    call_command("tyonohjaus_tombstones", "replay", str(tombstones), stdout=io.StringIO())
    assert scenario.people_links([person.pk]) == dict.fromkeys(
        scenario.people_links([person.pk]), 0
    )  # ... and gone again
    assert Application.objects.get(pk=own.pk).situation == ""
    assert Application.objects.get(pk=other.pk).situation == "Toisen hakijan teksti"
    assert Application.objects.get(pk=group.pk).applicant_id is not None
    assert ErasureTombstone.objects.filter(user_id=person.pk).exists()


def test_replay_keeps_what_the_person_did_after_the_erasure(hr, tmp_path):
    person = ApplicationFactory(status="withdrawn").applicant
    ErasePersonAction(person.pk, user=hr).execute()
    ErasureTombstone.objects.filter(user_id=person.pk).update(
        erased_at=timezone.now() - datetime.timedelta(days=1)
    )
    later = ApplicationFactory(applicant=person, round=ApplicationRoundFactory())
    out = io.StringIO()
    call_command("tyonohjaus_tombstones", "export", stdout=out)
    path = tmp_path / "t.json"
    path.write_text(out.getvalue())
    call_command("tyonohjaus_tombstones", "replay", str(path), stdout=io.StringIO())
    assert Application.objects.get(pk=later.pk).applicant_id == person.pk


def test_replay_of_a_bad_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "bad.json"
    path.write_text('{"tombstones": [{"user_id": "x"}]}')
    with pytest.raises(CommandError, match="Cannot read the tombstones"):
        call_command("tyonohjaus_tombstones", "replay", str(path))


def test_the_plugin_keeps_nothing_in_sessions(client: Client):
    """The erasure checklist names sessions: an employee's visit leaves only Django's keys."""
    user = UserFactory()
    client.force_login(user)
    from django.urls import reverse

    client.get(reverse("tyonohjaus_plugin:my_applications"))
    client.get(reverse("tyonohjaus_plugin:download_my_data"))
    assert all(key.startswith("_auth_") for key in client.session.keys())


def test_people_data_is_not_indexed_nor_revisioned():
    """The checklist's search index and revisions: neither can hold an application."""
    from wagtail.models import RevisionMixin
    from wagtail.search import index

    from tyonohjaus_plugin.models import EngagementParticipant, EvaluationAnswer

    for model in (
        Application,
        ApplicationParticipant,
        Engagement,
        EvaluationAnswer,
        EngagementParticipant,
    ):
        assert not issubclass(model, index.Indexed | RevisionMixin), model


def test_deleting_a_user_account_erases_their_data_and_keeps_the_statistics():
    person, own, group, engagement, group_engagement, colleague_text = person_with_everything()
    person.delete()
    own.refresh_from_db()
    assert own.anonymised_at is not None and own.situation == "" and own.status == "withdrawn"
    assert Engagement.objects.get(pk=engagement.pk).state == "cancelled"
    assert ApplicationParticipant.objects.filter(application=group).count() == 3
    assert Application.objects.get(pk=group.pk).situation == colleague_text
    entry = ModelLogEntry.objects.get(action=PERSON_ERASED)
    assert entry.user_id is None
    assert ErasureTombstone.objects.filter(user_id=entry.data["user_id"]).exists()
