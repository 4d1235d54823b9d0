"""What the reminder sweep sends, to whom, and that it sends each thing once."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone

from tests.factories import ApplicationFactory, ApplicationRoundFactory, UserFactory
from tyonohjaus_plugin.models import (
    ApplicationParticipant,
    Delivery,
    Engagement,
    EngagementParticipant,
    Meeting,
    Supervisor,
)
from tyonohjaus_plugin.tasks import send_reminders_task

pytestmark = pytest.mark.django_db


def test_round_closing_reminder_goes_once_to_colleagues_who_have_not_answered(locales):
    now = timezone.now()
    closing = ApplicationRoundFactory(closes_at=now + datetime.timedelta(hours=20))
    later = ApplicationRoundFactory(closes_at=now + datetime.timedelta(days=10))
    people = {}
    for round in (closing, later):
        application = ApplicationFactory(round=round, format="group")
        for status in ("invited", "confirmed"):
            user = UserFactory()
            ApplicationParticipant.objects.create(
                application=application, round=round, user=user, role="co_applicant",
                status=status,
            )  # fmt: skip
            people[(round.pk, status)] = user
    send_reminders_task()
    assert len(mail.outbox) == 1
    assert people[(closing.pk, "invited")].email in mail.outbox[0].to[0]
    assert "/invitations/" in mail.outbox[0].body
    send_reminders_task()
    assert len(mail.outbox) == 1


def test_hr_digest_once_a_day_only_when_something_waits_too_long(locales, settings):
    hr_group = Group.objects.create(name="HR")
    hr_group.permissions.add(Permission.objects.get(codename="view_application"))
    hr = UserFactory(email="hr@example.org")
    hr.groups.add(hr_group)
    UserFactory(email="someone@example.org")  # not HR
    recent = ApplicationFactory()
    send_reminders_task()
    assert mail.outbox == []  # nothing waits long enough
    old = timezone.now() - datetime.timedelta(days=8)
    type(recent).objects.filter(pk=recent.pk).update(status_changed_at=old)
    send_reminders_task()
    send_reminders_task()
    assert len(mail.outbox) == 1
    assert "hr@example.org" in mail.outbox[0].to[0]
    assert "1" in mail.outbox[0].subject
    assert recent.situation not in mail.outbox[0].body


def test_meeting_reminder_48_hours_before_and_again_after_a_move(locales):
    application = ApplicationFactory()
    supervisor = Supervisor.objects.create(
        kind="external", name="Anna", email="anna@example.org", languages=["sv"]
    )
    engagement = Engagement.objects.create(
        application=application, supervisor=supervisor, confirmed_at=timezone.now()
    )
    EngagementParticipant.objects.create(engagement=engagement, user=application.applicant)
    soon = timezone.now() + datetime.timedelta(hours=30)
    meeting = Meeting.objects.create(
        engagement=engagement, number=1, starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
    )
    far = soon + datetime.timedelta(days=10)
    Meeting.objects.create(
        engagement=engagement, number=2, starts_at=far, ends_at=far + datetime.timedelta(hours=1)
    )
    assert send_reminders_task() == 2  # the applicant and the external supervisor
    assert {m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox} == {
        application.applicant.email,
        "anna@example.org",
    }
    swedish = next(m for m in mail.outbox if "anna@" in m.to[0])
    assert "Påminnelse" in swedish.subject
    assert send_reminders_task() == 0
    # Moved to another time within 48 h: a reminder for the new time.
    moved = soon + datetime.timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=moved, ends_at=moved + datetime.timedelta(hours=1)
    )
    assert send_reminders_task() == 2
    # Cancelled meetings get no reminder.
    again = soon + datetime.timedelta(hours=4)
    Meeting.objects.filter(pk=meeting.pk).update(
        state="cancelled", starts_at=again, ends_at=again + datetime.timedelta(hours=1)
    )
    assert send_reminders_task() == 0
    assert not Delivery.objects.filter(state="failed").exists()
