"""Settings for real ``qcluster`` processes started by tests and benchmarks.

``tests/test_outbox_workers.py`` and ``benchmarks/reminders.py`` run
``manage.py qcluster`` with ``DJANGO_SETTINGS_MODULE=tests.worker_settings`` and these
environment variables:

- ``DATABASE_URL``: the server, as for the test suite (PostgreSQL);
- ``TYONOHJAUS_WORKER_DB``: the database to use on it, i.e. the test database the test process
  made (``connection.settings_dict["NAME"]``) or the benchmark's own;
- ``TYONOHJAUS_WORKER_COUNT`` (default 2), ``TYONOHJAUS_WORKER_TIMEOUT`` (20) and
  ``TYONOHJAUS_WORKER_RETRY`` (30): the cluster;
- ``TYONOHJAUS_WORKER_STALE_AFTER``: the plugin's ``OUTBOX_STALE_AFTER_SECONDS``;
- ``TYONOHJAUS_WORKER_EMAIL_BACKEND`` (default ``tests.mail_backends.DeliveryLogBackend``) and
  the backend's own variables (see ``tests.mail_backends``); with Django's SMTP backend,
  ``TYONOHJAUS_WORKER_SMTP_PORT`` (on 127.0.0.1, e.g. ``benchmarks/smtp_sink.py``);
- ``TYONOHJAUS_WORKER_OUTBOX_BATCH_SIZE``, ``…_MAX_SEND_TASKS``, ``…_SEND_THREADS``: the plugin's
  ``OUTBOX_*`` settings of the same names (defaults otherwise).

The queue is the test suite's (``Q_CLUSTER["name"]`` of ``tests.settings``), so the test
process enqueues with ``async_task`` and these workers take the task.
"""

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES, Q_CLUSTER

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
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("TYONOHJAUS_WORKER_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 10

# A claim lost with a killed worker is reopened after a few seconds instead of five minutes
# (one send here takes ~50 ms); below the task timeout on purpose, so W007 is silenced too.
TYONOHJAUS_PLUGIN = {
    **globals().get("TYONOHJAUS_PLUGIN", {}),
    "OUTBOX_STALE_AFTER_SECONDS": int(os.environ.get("TYONOHJAUS_WORKER_STALE_AFTER", "300")),
    **{
        key: int(os.environ[f"TYONOHJAUS_WORKER_{key}"])
        for key in (
            "OUTBOX_BATCH_SIZE",
            "OUTBOX_MAX_SEND_TASKS",
            "OUTBOX_SEND_THREADS",
            "RETENTION_BATCH_SIZE",
        )
        if os.environ.get(f"TYONOHJAUS_WORKER_{key}")
    },
}
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "tyonohjaus_plugin.W007"]
