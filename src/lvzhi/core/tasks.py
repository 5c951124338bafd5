"""Core's own task: computing the deadlines that waited for holiday data.

Queue work with ``lvzhi.core.queue.enqueue``; this module only holds tasks.
"""

from celery import shared_task

from . import calendar


@shared_task(name="lvzhi.core.tasks.deadlines_recompute")
def deadlines_recompute() -> int:
    """Compute the working-day deadlines that waited for holiday data, in every module that
    registered them (queued by ``calendar.calendar_year_mark_complete``); returns how many."""
    return calendar.deadlines_recompute().computed
