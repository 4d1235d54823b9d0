"""Settings for real ``qcluster`` processes started by tests and benchmarks.

``tests/test_outbox_workers.py`` and ``benchmarks/reminders.py`` run
``manage.py qcluster`` with ``DJANGO_SETTINGS_MODULE=tests.worker_settings`` and these
environment variables:

- ``DATABASE_URL``: the server, as for the test suite (PostgreSQL);
- ``TYONOHJAUS_WORKER_DB``: the database to use on it, i.e. the test database the test process
  made (``connection.settings_dict["NAME"]``) or the benchmark's own;
- ``TYONOHJAUS_WORKER_COUNT`` (default 2), ``TYONOHJAUS_WORKER_TIMEOUT`` (20) and
  ``TYONOHJAUS_WORKER_RETRY`` (30): the cluster;
- ``TYONOHJAUS_WORKER_STALE_AFTER``: seconds for ``tyonohjaus_plugin.outbox.STALE_AFTER``;
- ``TYONOHJAUS_WORKER_EMAIL_BACKEND`` (default ``tests.mail_backends.DeliveryLogBackend``) and
  the backend's own variables (see ``tests.mail_backends``).

The queue is the test suite's (``Q_CLUSTER["name"]`` of ``tests.settings``), so the test
process enqueues with ``async_task`` and these workers take the task.
"""

import datetime
import os

from django.apps import AppConfig

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES, INSTALLED_APPS, Q_CLUSTER

DATABASES["default"]["NAME"] = os.environ["TYONOHJAUS_WORKER_DB"]

Q_CLUSTER = {
    "name": Q_CLUSTER["name"],
    "orm": "default",
    "sync": False,
    "workers": int(os.environ.get("TYONOHJAUS_WORKER_COUNT", "2")),
    # Short, so that a task lost with its worker comes back within a test (RELIABILITY §1.2
    # measured with the same figures). retry > timeout still holds (check E003).
    "timeout": int(os.environ.get("TYONOHJAUS_WORKER_TIMEOUT", "20")),
    "retry": int(os.environ.get("TYONOHJAUS_WORKER_RETRY", "30")),
    "max_attempts": 5,
    "catch_up": False,
    "poll": 0.1,
    "ack_failures": True,
    "save_limit": 1000,
    "label": "django-q2",
}
# retry is kept < timeout + 60 on purpose (see above); the warning would only clutter the log.
SILENCED_SYSTEM_CHECKS = ["tyonohjaus_plugin.W006"]

EMAIL_BACKEND = os.environ.get(
    "TYONOHJAUS_WORKER_EMAIL_BACKEND", "tests.mail_backends.DeliveryLogBackend"
)


class WorkerTestsConfig(AppConfig):
    """Applies what settings cannot: the outbox's ``STALE_AFTER`` is a module constant.

    Five minutes in production (far longer than any send, so a reopened claim is really dead);
    a test waits that long for every claim lost with a killed worker, so the workers use a few
    seconds (still far longer than one send here, about 50 ms). Set in ``ready()`` because the
    outbox module imports models and cannot be imported while settings load; the workers are
    forked from the process that ran ``ready()``, so they all see it.
    """

    name = "tests"
    label = "tyonohjaus_worker_tests"
    verbose_name = "Worker test settings"

    def ready(self):
        seconds = os.environ.get("TYONOHJAUS_WORKER_STALE_AFTER")
        if seconds:
            from tyonohjaus_plugin import outbox

            outbox.STALE_AFTER = datetime.timedelta(seconds=float(seconds))


INSTALLED_APPS = [*INSTALLED_APPS, "tests.worker_settings.WorkerTestsConfig"]
