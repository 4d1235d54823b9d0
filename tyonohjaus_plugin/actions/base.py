"""The one shape of every operation, after ``wagtail.actions``: ``check()`` (permission and
state, raising ``ActionRefused``), then inside one transaction lock and do (``perform()``), the
audit-log entry and the signal after the commit.

A subclass sets ``log_action`` (``None``: not logged) and implements ``perform()``; it may
override ``check()``, ``log_entry()`` (what to log: instance and data, never personal data) and
``committed()`` (signals and queued work, run after the commit).
"""

from __future__ import annotations

from django.db import transaction
from wagtail.log_actions import log

from tyonohjaus_plugin.core.refusals import (  # noqa: F401 (the family, for action modules)
    ActionRefused,
    InvalidInput,
    NotFound,
    NotPermitted,
)


class Action:
    log_action: str | None = None
    #: ``False`` for a single write that needs no transaction of its own (one INSERT): saves
    #: the savepoint round trips on hot paths; ``committed()`` then runs right after.
    atomic = True

    def __init__(self, *, user=None):
        self.user = user

    def check(self) -> None:
        """Refuse before anything is locked: permission and the state the caller saw."""

    def perform(self):
        """Inside the transaction: lock, check again what may have changed, change."""
        raise NotImplementedError

    def log_entry(self, result) -> tuple[object, dict | None] | None:
        """The audit-log instance and data; by default the result, without data."""
        return (result, None) if self.log_action else None

    def committed(self, result) -> None:
        """After the commit: signals and queued work."""

    def execute(self):
        self.check()
        if not self.atomic:
            result = self.perform()
            self._log(result)
            self.committed(result)
            return result
        with transaction.atomic():
            result = self.perform()
            self._log(result)
            transaction.on_commit(lambda: self.committed(result))
        return result

    def _log(self, result) -> None:
        entry = self.log_entry(result)
        if entry is not None:
            instance, data = entry
            extra = {} if data is None else {"data": data}
            log(instance=instance, action=self.log_action, user=self.user, **extra)
