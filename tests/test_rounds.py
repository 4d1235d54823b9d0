"""Application rounds: one open round per service (a database rule) and an exact close."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from tests.factories import ApplicationRoundFactory
from tyonohjaus_plugin.actions.close_round import CloseRoundAction
from tyonohjaus_plugin.actions.open_round import OpenRoundAction
from tyonohjaus_plugin.models import ApplicationRound, RoundState

pytestmark = pytest.mark.django_db


def test_second_open_round_of_a_service_is_refused_by_the_database():
    first = ApplicationRoundFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationRoundFactory(service_key=first.service_key)
    # Another service may have its own open round; the same service many closed ones.
    ApplicationRoundFactory()
    ApplicationRoundFactory(service_key=first.service_key, state=RoundState.CLOSED)
    assert ApplicationRound.objects.open().for_service(first.service_key).count() == 1


def test_round_must_close_after_it_opens():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationRoundFactory(opens_at=now, closes_at=now)


def test_accepts_only_inside_its_window_and_while_open_or_closing():
    round = ApplicationRoundFactory()
    inside = round.opens_at + datetime.timedelta(hours=1)
    assert round.accepts_at(inside)
    assert not round.accepts_at(round.closes_at)
    assert not round.accepts_at(round.opens_at - datetime.timedelta(seconds=1))
    round.state = RoundState.MATCHED
    assert not round.accepts_at(inside)


def test_close_round_stamps_the_database_clock_and_logs(django_user_model):
    hr = django_user_model.objects.create_user("hr")
    hr.user_permissions.add(Permission.objects.get(codename="manage_rounds"))
    round = ApplicationRoundFactory()
    before = timezone.now()
    closed = CloseRoundAction(round, user=hr).execute()
    assert closed.state == RoundState.CLOSED
    assert before - datetime.timedelta(seconds=5) <= closed.closes_at <= timezone.now()
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.round.closed")
    assert entry.user_id == hr.pk
    assert entry.label == round.name


def test_closing_after_the_deadline_keeps_the_deadline():
    round = ApplicationRoundFactory(
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=2),
    )
    deadline = round.closes_at
    assert CloseRoundAction(round).execute().closes_at == deadline


def test_open_and_close_need_the_permission(django_user_model):
    user = django_user_model.objects.create_user("someone")
    round = ApplicationRoundFactory(state=RoundState.UPCOMING)
    with pytest.raises(PermissionDenied):
        OpenRoundAction(round, user=user).execute()
    with pytest.raises(PermissionDenied):
        CloseRoundAction(round, user=user).execute()


def test_opening_a_second_round_gives_a_clear_error():
    first = ApplicationRoundFactory()
    second = ApplicationRoundFactory(service_key=first.service_key, state=RoundState.UPCOMING)
    with translation.override("fi"), pytest.raises(ValidationError, match="jo avoin hakukierros"):
        OpenRoundAction(second).execute()
    second.refresh_from_db()
    assert second.state == RoundState.UPCOMING
