"""The retention job in a real ``qcluster``, SIGKILLed midway (issue 16): every application is
either fully anonymised or untouched, and the next run finishes the rest.

PostgreSQL only, with the harness of ``tests/test_outbox_workers.py``.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from tests import privacy_scenario as scenario
from tests.factories import ApplicationParticipantFactory
from tests.test_outbox_workers import harness  # noqa: F401 (the fixture)
from tyonohjaus_plugin.actions.run_retention import run_retention
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import AnonymisationRun, Application, ApplicationParticipant, Delivery
from tyonohjaus_plugin.models.outbox import user_key

pytestmark = [
    pytest.mark.workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
]

APPLICATIONS = 300


def seed():
    round = scenario.finished_round(
        programme_ends_on=timezone.localdate() - datetime.timedelta(days=400),
        closes_at=timezone.now() - datetime.timedelta(days=500),
        opens_at=timezone.now() - datetime.timedelta(days=520),
    )
    for _ in range(APPLICATIONS):
        application = scenario.ended_application(round, status="rejected", days_ago=400)
        ApplicationParticipantFactory(
            application=application, status="confirmed", holds_place=False
        )
        Delivery.objects.create(
            kind="receipt",
            target_id=application.pk,
            recipient=user_key(application.applicant_id),
            due_at=timezone.now(),
            state="sent",
        )
    return round


def states():
    """Per application: (anonymised_at set, applicant gone, members gone, text gone, mail gone)."""
    out = {}
    people = dict.fromkeys(Application.objects.values_list("pk", flat=True), 0)
    for application_id in ApplicationParticipant.objects.filter(user__isnull=False).values_list(
        "application_id", flat=True
    ):
        people[application_id] += 1
    mail = set(Delivery.objects.values_list("target_id", flat=True))
    for pk, anonymised_at, applicant_id, situation, note in Application.objects.values_list(
        "pk", "anonymised_at", "applicant_id", "situation", "hr_note"
    ):
        out[pk] = (
            anonymised_at is not None,
            applicant_id is None,
            people[pk] == 0,
            situation == "" and note == "",
            pk not in mail,
        )
    return out


def test_retention_job_killed_midway_leaves_each_application_whole_or_untouched(
    harness,  # noqa: F811
    monkeypatch,
):
    seed()
    # One application per transaction: the run lasts long enough for the kill to land midway.
    monkeypatch.setenv("TYONOHJAUS_WORKER_RETENTION_BATCH_SIZE", "1")
    cluster = harness.start(workers=1)
    enqueue("tyonohjaus_plugin.tasks.run_retention_task")
    deadline = time.monotonic() + 90
    while Application.objects.filter(anonymised_at__isnull=False).count() < 30:
        assert time.monotonic() < deadline, harness.logs()
        time.sleep(0.02)
    cluster.kill()

    seen = states()
    done = [pk for pk, flags in seen.items() if flags[0]]
    assert 30 <= len(done) < APPLICATIONS, "the kill did not land midway"
    halfway = {pk: flags for pk, flags in seen.items() if len(set(flags)) != 1}
    assert halfway == {}, f"partly anonymised: {halfway}"
    assert AnonymisationRun.objects.count() == 0  # the killed run recorded nothing

    counts = run_retention()
    assert counts["identities"] == APPLICATIONS - len(done)
    assert all(all(flags) for flags in states().values())
    assert run_retention()["identities"] == 0
    assert AnonymisationRun.objects.count() == 1
