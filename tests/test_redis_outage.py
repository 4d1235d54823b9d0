"""Redis stopped: the site keeps answering, and the queue catches up when Redis is back
(issue 15, item 6). A real ``redis-server`` holds the cache and django-q2's broker, as in the
example site's production settings; the test stops it mid-way."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django_q.conf import Conf

from tests.factories import UserFactory
from tests.redis_server import redis_server  # noqa: F401 - the fixture
from tests.utils import APPLICATION_FORM, group_for
from tyonohjaus_plugin import jobs
from tyonohjaus_plugin.core.cache import DegradingRedisCache
from tyonohjaus_plugin.models import (
    Application,
    Delivery,
    DeliveryKind,
    DeliveryState,
    MatchRun,
    MatchRunState,
    RoundState,
)
from tyonohjaus_plugin.tasks import close_due_rounds_task, send_reminders_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_redis(redis_server, settings, monkeypatch):  # noqa: F811
    """The cache on the degrading backend and django-q2's broker on Redis (not run inline)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "tyonohjaus_plugin.core.cache.DegradingRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", redis_server.url)
    monkeypatch.setattr(Conf, "SYNC", False)
    return redis_server


def test_the_page_the_application_and_closing_answer_while_redis_is_down(
    on_redis, open_service_page, open_round, caplog, django_capture_on_commit_callbacks
):
    employee = Client()
    employee.force_login(UserFactory(email="hanna@example.org"))
    hr_user = UserFactory(username="hr-officer")
    hr_user.groups.add(group_for("hr", models=["applicationround"], name="Round managers"))
    hr = Client()
    hr.force_login(hr_user)
    url = open_service_page.url
    assert employee.get(url).status_code == 200  # Redis up: the cache is filled

    on_redis.stop()
    caplog.set_level(logging.WARNING)
    assert employee.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = employee.post(f"/fi/hr/apply/{open_service_page.pk}/", APPLICATION_FORM)
    assert response.status_code == 303
    application = Application.objects.get(applicant__email="hanna@example.org")
    receipt = Delivery.objects.get(kind=DeliveryKind.RECEIPT, target_id=application.pk)
    assert receipt.state == DeliveryState.PENDING  # its task could not be queued: not lost
    assert employee.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(f"/admin/tyonohjaus/rounds/{open_round.pk}/close/")
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.state == RoundState.CLOSED
    run = MatchRun.objects.get(round=open_round)
    assert run.state == MatchRunState.QUEUED  # its task was not queued; the requeue finds it
    assert "Cache unavailable" in caplog.text
    assert "Could not queue" in caplog.text
    assert "hanna" not in caplog.text  # no personal data in the outage's log lines

    on_redis.start()
    assert jobs.enqueue("tyonohjaus_plugin.tasks.send_outbox_task") is True
    cache.set("tyonohjaus:back", 1)
    assert cache.get("tyonohjaus:back") == 1
    # The minute sweep sends what the lost task would have sent, exactly once.
    mail.outbox.clear()
    assert send_reminders_task() >= 1
    receipt.refresh_from_db()
    assert receipt.state == DeliveryState.SENT
    assert sum("<hanna@example.org>" in m.to[0] for m in mail.outbox) == 1
    assert send_reminders_task() == 0
    # A matching run whose task was lost is queued again by the round sweep once it is old.
    MatchRun.objects.filter(pk=run.pk).update(created_at=run.created_at.replace(year=2020))
    close_due_rounds_task()
    from django_q.brokers import get_broker

    assert get_broker().queue_size() >= 1


def test_every_cache_call_degrades_and_logs_once_a_minute(on_redis, caplog):
    backend = DegradingRedisCache(on_redis.url, {"OPTIONS": {"socket_connect_timeout": 1}})
    assert backend.ping() is True
    backend.set("k", "v")
    assert backend.get("k") == "v"
    on_redis.stop()
    caplog.set_level(logging.WARNING, logger="tyonohjaus_plugin.cache")
    assert backend.ping() is False
    assert backend.get("k") is None
    assert backend.get("k", "fallback") == "fallback"
    assert backend.get_many(["k", "l"]) == {}
    assert backend.add("n", 1) is False
    assert backend.has_key("k") is False
    assert backend.set("k", "w") is None
    assert backend.delete("k") is False
    assert backend.get_or_set("g", lambda: 7) == 7
    with pytest.raises(ValueError):
        backend.incr("n")
    assert caplog.text.count("Cache unavailable") == 1  # once a minute, not per call
    on_redis.start()
    assert backend.get("k") is None  # a restarted Redis without persistence is empty
    backend.set("k", "x")
    assert backend.get("k") == "x"
