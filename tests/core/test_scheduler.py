import pytest

from lvzhi.core.scheduler import run_due_jobs

# The scheduler closes its database connection after each job, as a thread must.
pytestmark = pytest.mark.django_db(transaction=True)


def test_jobs_run_at_once_then_by_their_interval(settings):
    calls = []
    settings.CELERY_BEAT_SCHEDULE = {"job": {"task": "tests.core.test_scheduler.job", "schedule": 60.0}}
    globals()["job"] = lambda: calls.append(1)
    last_run: dict = {}

    assert run_due_jobs(last_run, now=5.0) == ["job"]  # never ran: runs even if the clock is young
    assert run_due_jobs(last_run, now=30.0) == []
    assert run_due_jobs(last_run, now=66.0) == ["job"]
    assert calls == [1, 1]


def test_a_failing_job_does_not_stop_the_others(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "broken": {"task": "tests.core.test_scheduler.broken", "schedule": 1.0},
        "fine": {"task": "tests.core.test_scheduler.fine", "schedule": 1.0},
    }

    def broken():
        raise RuntimeError("boom")

    globals().update(broken=broken, fine=lambda: None)
    assert run_due_jobs({}, now=1.0) == ["fine"]
