"""The only module that knows django-q2: queue a task by its dotted path, with ids only, and
keep the plugin's schedules.

Schedules are created idempotently, found by name and never duplicated: on ``post_migrate`` and
by ``manage.py tyonohjaus_schedules``. django-q2 does not make schedule names unique, so extra rows
with one of our names are removed.
"""

import datetime
import logging

from django.db import transaction
from django_q.models import Schedule
from django_q.tasks import async_task

GROUP = "tyonohjaus_plugin"

logger = logging.getLogger("tyonohjaus_plugin.jobs")


def enqueue(task_path: str, *ids: int) -> bool:
    """Queue ``task_path(*ids)``; arguments are ids, never names, addresses or free text.

    A broker that is down (Redis stopped) must not turn a saved change into a 500: every task
    queued here only speeds up work that a schedule finds again from the database (the outbox
    sweep, the requeue of waiting matching runs), so the failure is logged and the caller goes on.
    Returns whether the task was queued.
    """
    name = task_path.rsplit(".", 1)[-1]
    try:
        async_task(task_path, *ids, group=GROUP, task_name=f"{GROUP}:{name}")
    except Exception as exc:  # noqa: BLE001 - any broker failure; the schedules recover the work
        logger.warning(
            "Could not queue %s (%s); a schedule will pick it up.", name, type(exc).__name__
        )
        return False
    return True


#: name -> (task path, minutes between runs). Tasks take no personal data (ids at most).
SCHEDULES = {
    "tyonohjaus_plugin.close_due_rounds": ("tyonohjaus_plugin.tasks.close_due_rounds_task", 5),
    "tyonohjaus_plugin.send_reminders": ("tyonohjaus_plugin.tasks.send_reminders_task", 1),
    "tyonohjaus_plugin.retention": ("tyonohjaus_plugin.tasks.run_retention_task", 60),
    # The waiting list again for places freed lately, in case the task queued then was lost.
    "tyonohjaus_plugin.freed_places": ("tyonohjaus_plugin.tasks.fill_freed_places_sweep_task", 15),
}


def ensure_schedules() -> dict[str, str]:
    """Create or update each schedule; returns name -> "created" | "updated" | "unchanged"."""
    outcome = {}
    with transaction.atomic():
        for name, (func, minutes) in SCHEDULES.items():
            rows = list(Schedule.objects.select_for_update().filter(name=name).order_by("pk"))
            for extra in rows[1:]:
                extra.delete()
            wanted = {"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes}
            if not rows:
                Schedule.objects.create(name=name, repeats=-1, **wanted)
                outcome[name] = "created"
                continue
            schedule = rows[0]
            changed = {k: v for k, v in wanted.items() if getattr(schedule, k) != v}
            if changed or len(rows) > 1:
                for field, value in changed.items():
                    setattr(schedule, field, value)
                schedule.save()
                outcome[name] = "updated"
            else:
                outcome[name] = "unchanged"
    return outcome


def ensure_schedules_after_migrate(sender, app_config=None, using="default", **kwargs):
    # Once per migrate, after our app's migrations (django_q's tables exist by then).
    if app_config is not None and app_config.label == "tyonohjaus_plugin":
        ensure_schedules()


def broker_reachable() -> bool:
    """The queue's broker answers (Redis PING; the ORM broker is the database itself)."""
    from django_q.brokers import get_broker

    try:
        return get_broker().ping() is not False
    except Exception:  # noqa: BLE001 - any broker error means "not reachable"
        return False


def last_scheduler_pass():
    """When a cluster's scheduler last handled the minute schedule (its next run minus one
    interval), or None: no cluster has run it. The readiness check reads the cluster's
    heartbeat from here, whatever the broker and on whichever machine the cluster runs."""
    name = "tyonohjaus_plugin.send_reminders"
    schedule = Schedule.objects.filter(name=name).order_by("pk").first()
    if schedule is None or schedule.next_run is None or not schedule.task:
        return None  # ``task`` is set when a scheduler queues it: none has yet
    return schedule.next_run - datetime.timedelta(minutes=SCHEDULES[name][1])


def finished_tasks(before):
    """The plugin's finished task records (django-q2 keeps failures forever) that stopped
    before ``before``: they hold ids, and the retention job removes them with the audit log."""
    from django_q.models import Task

    return Task.objects.filter(group=GROUP, stopped__lt=before)
