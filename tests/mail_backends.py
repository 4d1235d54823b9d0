"""E-mail backends for real worker processes: each message becomes one line in a shared file.

``tests/test_outbox_workers.py`` and ``benchmarks/reminders.py`` start ``qcluster`` processes
with ``tests.worker_settings``; these backends let them count what every process sent, by the
``X-Tyonohjaus-Delivery`` header that each outbox message carries (an id, no personal data).

Environment (read when a backend is opened):

- ``TYONOHJAUS_TEST_MAIL_LOG``: the file; each message appends ``"<delivery id> <pid>\\n"``.
- ``TYONOHJAUS_TEST_MAIL_POISON``: comma-separated addresses; a message to one of them kills
  its own process with SIGKILL (after appending ``"KILL <delivery id> <pid>\\n"``), like a
  message that crashes the mail library. Nothing is sent.
"""

from __future__ import annotations

import os
import signal
import time
from email.utils import getaddresses

from django.core.mail.backends.base import BaseEmailBackend

HEADER = "X-Tyonohjaus-Delivery"
LOG_ENV = "TYONOHJAUS_TEST_MAIL_LOG"
POISON_ENV = "TYONOHJAUS_TEST_MAIL_POISON"


class DeliveryLogBackend(BaseEmailBackend):
    """One line per message, like a mail server's log, with the time an SMTP exchange takes.

    The line is one ``write()`` to a file opened with ``O_APPEND``: the kernel has it once the
    call returns, so a process SIGKILLed a moment later loses nothing, and lines of several
    processes never interleave. ``fsync`` also keeps it over a machine crash. The line is written
    half-way through the ``delay``: a kill may land before the server "accepted" the message or
    after, the two cases of a real crash.
    """

    delay = 0.05
    fsync = True

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.path = os.environ[LOG_ENV]
        self.poison = {
            address.strip().lower()
            for address in os.environ.get(POISON_ENV, "").split(",")
            if address.strip()
        }

    def _append(self, fd, line: str) -> None:
        os.write(fd, line.encode())
        if self.fsync:
            os.fsync(fd)

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for message in email_messages:
                delivery = message.extra_headers.get(HEADER, "-")
                addresses = {addr.lower() for _name, addr in getaddresses(message.recipients())}
                if addresses & self.poison:
                    self._append(fd, f"KILL {delivery} {os.getpid()}\n")
                    os.kill(os.getpid(), signal.SIGKILL)
                time.sleep(self.delay / 2)
                self._append(fd, f"{delivery} {os.getpid()}\n")
                time.sleep(self.delay / 2)
        finally:
            os.close(fd)
        return len(email_messages)


class FastDeliveryLogBackend(DeliveryLogBackend):
    """The same line per message, without the SMTP time or fsync: for throughput benchmarks."""

    delay = 0.0
    fsync = False
