"""When the yearly supervision job runs: a Celery crontab that the in-process scheduler can read too.

``CELERY_BEAT_SCHEDULE`` feeds two schedulers: Celery beat in production, which understands a
crontab, and ``lvzhi.core.scheduler`` in the embedded default, which takes every schedule as an
interval in seconds (``float(schedule)``). ``NewYearCrontab`` is a crontab for the first and one day
for the second: the job is idempotent and carries over only what is still unfinished from the year
before, so running it daily there (and at once on start-up) does exactly what the New Year's run
does, and catches up a New Year missed while the server was down.

It lives with the settings, which build the schedule from it: no Django and no lvzhi app is
imported here, so the settings never load app code.
"""

from celery.schedules import crontab

ONE_DAY = 24 * 60 * 60.0


class NewYearCrontab(crontab):
    def __float__(self) -> float:
        return ONE_DAY


def new_year(*, hour: int = 0, minute: int = 30) -> NewYearCrontab:
    """1 January at ``hour``:``minute`` (CELERY_TIMEZONE, Asia/Shanghai)."""
    return NewYearCrontab(minute=minute, hour=hour, day_of_month=1, month_of_year=1)
