"""The application predicates, written once on ``ApplicationQuerySet``, and the action base."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import ModelLogEntry

from tests.factories import ApplicationFactory, ApplicationRoundFactory, UserFactory
from tyonohjaus_plugin.actions.base import Action, ActionRefused
from tyonohjaus_plugin.models import Application, ApplicationRound
from tyonohjaus_plugin.models.workflow import ACTIVE_STATUSES, UNMATCHED_STATUSES, ApplicationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each(locales):
    round = ApplicationRoundFactory()
    by_status = {
        status: ApplicationFactory(round=round, status=status)
        for status in ApplicationStatus.values
    }
    off_round = ApplicationFactory(round=None, status="submitted")
    return round, by_status, off_round


def test_waiting_and_active_are_the_workflow_s_sets(one_of_each):
    round, by_status, off_round = one_of_each
    waiting = set(Application.objects.in_round(round).waiting().values_list("status", flat=True))
    active = set(Application.objects.in_round(round).active().values_list("status", flat=True))
    assert waiting == set(UNMATCHED_STATUSES)
    assert active == set(ACTIVE_STATUSES)
    assert list(Application.objects.in_round(None)) == [off_round]


def test_visible_to_needs_the_list_permission(one_of_each):
    stranger, hr = UserFactory(), UserFactory()
    hr.user_permissions.add(Permission.objects.get(codename="view_application"))
    hr = type(hr).objects.get(pk=hr.pk)  # fresh permission cache
    assert Application.objects.visible_to(stranger).count() == 0
    assert Application.objects.visible_to(hr).count() == Application.objects.count()


def test_search_matches_every_word_in_names_or_e_mail_never_the_answers(locales):
    aino = ApplicationFactory(
        applicant=UserFactory(first_name="Aino", last_name="Lehto", email="aino@example.org"),
        situation="Lehto is my manager",
    )
    ApplicationFactory(applicant=UserFactory(first_name="Aino", last_name="Virta"))
    assert list(Application.objects.search("aino lehto")) == [aino]
    assert list(Application.objects.search("AINO@EXAMPLE")) == [aino]
    assert Application.objects.search("manager").count() == 0


class _Open(Action):
    log_action = "tyonohjaus_plugin.round.opened"

    def __init__(self, round, *, fail=False, user=None):
        super().__init__(user=user)
        self.round, self.fail, self.after = round, fail, []

    def perform(self):
        ApplicationRound.objects.filter(pk=self.round.pk).update(name="changed")
        if self.fail:
            raise ActionRefused("nope")
        return self.round

    def committed(self, result):
        self.after.append(result)


def test_the_action_base_logs_and_signals_only_what_was_committed(locales):
    round = ApplicationRoundFactory(name="before")
    with pytest.raises(ActionRefused):
        _Open(round, fail=True).execute()
    round.refresh_from_db()
    assert round.name == "before"  # rolled back with the refusal
    assert not ModelLogEntry.objects.filter(action="tyonohjaus_plugin.round.opened").exists()
    action = _Open(round)
    with transaction.atomic():  # the caller's transaction: committed() waits for its commit
        action.execute()
        assert action.after == []
    round.refresh_from_db()
    assert round.name == "changed"
    assert ModelLogEntry.objects.filter(action="tyonohjaus_plugin.round.opened").count() == 1
