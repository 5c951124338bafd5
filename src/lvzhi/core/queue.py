"""One way to run background work, whatever the deployment.

``enqueue("lvzhi.deputies.tasks.roster_import_validate", import_id)`` runs the task after the
current transaction commits: in a daemon thread (embedded default), on a Celery worker
(production), or inline (tests). Tasks take ids, load their objects and are idempotent.

This module imports no task and no other lvzhi module: anything (the calendar, a domain app's
services) may queue work through it without an import circle. Tasks are named by dotted path and
imported when they run.
"""

import importlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)


def _resolve(path: str) -> Any:
    module_name, _, attribute = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """A small pool, not a thread per task: 500 suggestions assigned at once must not start 500
    threads all writing to SQLite."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lvzhi-task")
        return _executor


def _run_in_thread(path: str, args: tuple[Any, ...]) -> None:
    def target() -> None:
        close_old_connections()
        try:
            call_task(path, args)
        except Exception:
            logger.exception("task %s failed", path)
        finally:
            connection.close()

    _pool().submit(target)


def call_task(path: str, args: tuple[Any, ...]) -> Any:
    """Run the task named by ``path`` now, in this thread, and return its result."""
    task = _resolve(path)
    function = getattr(task, "run", task)  # a Celery task object or a plain function
    return function(*args)


def enqueue(path: str, *args: Any) -> None:
    """Run the task named by ``path`` with ``args`` once the current transaction has committed."""
    backend = settings.LVZHI_TASK_BACKEND

    def dispatch() -> None:
        if backend == "celery":
            # By name, through our app (its broker is REDIS_URL): a shared_task's .delay() would
            # use whatever Celery app is current, and an app server never imports lvzhi.celery.
            from lvzhi.celery import app

            app.send_task(path, args=args)
        elif backend == "thread":
            _run_in_thread(path, args)
        else:
            call_task(path, args)

    transaction.on_commit(dispatch)
