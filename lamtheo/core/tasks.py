"""Helpers for background work through Django's Tasks API (the ``django_tasks`` backport).

The backend is chosen in settings (``TASKS``): the database backend by default (run
``manage.py db_worker``), Redis + RQ with ``TASKS_BACKEND=rq``. See docs/tasks.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks.base import Task, TaskResult
from django_tasks.exceptions import TaskResultDoesNotExist

logger = logging.getLogger(__name__)


def enqueue_on_commit(
    task: Task,
    *args: Any,
    on_enqueued: Callable[[TaskResult], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    **kwargs: Any,
) -> None:
    """Enqueue ``task`` once the current transaction commits, so the worker never starts on
    rows it cannot see yet. ``on_enqueued(result)`` can record the result id;
    ``on_error(exc)`` hears of a backend that refused the task (Redis down…) instead of the
    exception escaping after the commit."""

    def _enqueue() -> None:
        try:
            result = task.enqueue(*args, **kwargs)
        except Exception as exc:
            logger.exception("Could not enqueue %s", task.module_path)
            if on_error is None:
                raise
            on_error(exc)
            return
        if on_enqueued is not None:
            on_enqueued(result)

    transaction.on_commit(_enqueue)


def task_status(task: Task, result_id: str) -> str | None:
    """The backend's status of a result (``TaskResultStatus`` value), or ``None`` when the
    backend no longer knows it (or cannot be reached)."""
    if not result_id:
        return None
    try:
        return str(task.get_result(result_id).status)
    except TaskResultDoesNotExist:
        return None
    except Exception:
        logger.warning("Could not read the status of task %s", result_id, exc_info=True)
        return None


__all__ = ["TaskResultStatus", "enqueue_on_commit", "task_status"]
