"""Periodic jobs in the embedded default, where there is no Celery beat.

Production runs the same jobs from ``CELERY_BEAT_SCHEDULE``; ``lvzhi run`` starts this scheduler
in a daemon thread. Each job is a task path and an interval in seconds; jobs are idempotent.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

from .queue import call_task

logger = logging.getLogger(__name__)


def run_due_jobs(last_run: dict[str, float], now: float) -> list[str]:
    """Run every job of the beat schedule whose interval has passed; return the names run."""
    ran = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        interval = float(entry["schedule"])
        if name in last_run and now - last_run[name] < interval:
            continue  # a job that never ran runs at once
        last_run[name] = now
        close_old_connections()
        try:
            call_task(entry["task"], tuple(entry.get("args", ())))
            ran.append(name)
        except Exception:
            logger.exception("scheduled job %s failed", name)
        finally:
            connection.close()
    return ran


def start_in_process_scheduler(tick_seconds: float = 30.0) -> threading.Thread:
    def loop() -> None:
        last_run: dict[str, float] = {}
        while True:
            run_due_jobs(last_run, time.monotonic())
            time.sleep(tick_seconds)

    thread = threading.Thread(target=loop, name="lvzhi-scheduler", daemon=True)
    thread.start()
    return thread
