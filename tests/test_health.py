"""/healthz and /readyz for load balancers and supervisors (issue 15, "Health")."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.utils import timezone
from django_q.models import Schedule

from tyonohjaus_plugin import health, jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster_alive():
    """The minute schedule as a running cluster's scheduler leaves it: queued, next run ahead."""
    jobs.ensure_schedules()
    Schedule.objects.filter(name="tyonohjaus_plugin.send_reminders").update(
        task="a1b2c3", next_run=timezone.now() + datetime.timedelta(seconds=40)
    )


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_ready_when_database_migrations_cache_broker_and_a_cluster_are(client, cluster_alive):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert set(checks) == {"encryption", "database", "migrations", "cache", "broker", "cluster"}
    assert all(check["ok"] for check in checks.values())


def test_not_ready_without_a_cluster_heartbeat(client, settings, caplog):
    jobs.ensure_schedules()  # created by migrate, never run by a scheduler
    caplog.set_level(logging.INFO, logger="django.request")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cluster"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    # A failing probe is not a server error: nothing for ADMINS' mail every few seconds.
    assert "Service Unavailable" not in caplog.text
    # Ran by a scheduler, but longer ago than READINESS_CLUSTER_MINUTES (5).
    Schedule.objects.filter(name="tyonohjaus_plugin.send_reminders").update(
        task="a1b2c3", next_run=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert client.get("/readyz").status_code == 503
    # Web readiness only.
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "READINESS_CLUSTER_MINUTES": 0}
    assert client.get("/readyz").status_code == 200


def test_not_ready_without_an_encryption_key(client, settings, cluster_alive):
    """gunicorn runs no system checks (E009): the probe keeps such a process out instead."""
    settings.TYONOHJAUS_PLUGIN = {**settings.TYONOHJAUS_PLUGIN, "ENCRYPTION_KEYS": ()}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["encryption"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_not_ready_when_the_cache_is_unreachable(client, settings, cluster_alive):
    # A real connection to a closed port: the degrading backend answers misses, not errors.
    settings.CACHES = {
        "default": {
            "BACKEND": "tyonohjaus_plugin.core.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "ms": pytest.approx(0, abs=1000)}
    assert "127.0.0.1" not in response.content.decode()  # no hosts or error texts


def test_not_ready_with_migrations_left_to_apply(client, cluster_alive, monkeypatch):
    """A release whose migrate has not run yet: the newest migration is not recorded."""
    from django.db.migrations.recorder import MigrationRecorder

    monkeypatch.setattr(health, "_migrated", False)
    newest = (
        MigrationRecorder.Migration.objects.filter(app="tyonohjaus_plugin")
        .order_by("-name")
        .first()
    )
    newest.delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["ok"] is False
    newest.save()
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz/"])
def test_probes_skip_host_check_redirects_and_language_prefix(client, settings, path):
    settings.ALLOWED_HOSTS = ["intranet.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")  # a probe asks by address, over HTTP
    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
