"""The only module that knows django-q2: queue a task by its dotted path, with ids only."""

from django_q.tasks import async_task

GROUP = "tyonohjaus_plugin"


def enqueue(task_path: str, *ids: int) -> None:
    """Queue ``task_path(*ids)``; arguments are ids, never names, addresses or free text."""
    async_task(task_path, *ids, group=GROUP, task_name=f"{GROUP}:{task_path.rsplit('.', 1)[-1]}")
