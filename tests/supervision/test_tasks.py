"""The yearly carry-over: its beat entry (a crontab for Celery, a daily interval for the in-process
scheduler), the task and the ``carry_over_supervision`` command."""

from io import StringIO

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from lvzhi.core.scheduler import run_due_jobs
from lvzhi.settings.schedules import NewYearCrontab
from lvzhi.supervision import tasks
from lvzhi.supervision.choices import SupervisionStatus
from lvzhi.supervision.models import SupervisionItem

from ..suggestions.conftest import at
from .conftest import start_key

ENTRY = "carry-over-key-supervision"


def test_the_job_runs_on_new_years_day_at_half_past_midnight():
    entry = settings.CELERY_BEAT_SCHEDULE[ENTRY]
    schedule = entry["schedule"]

    assert entry["task"] == "lvzhi.supervision.tasks.carry_over_key_items"
    assert isinstance(schedule, crontab)
    assert (schedule.month_of_year, schedule.day_of_month, schedule.hour, schedule.minute) == (
        {1},
        {1},
        {0},
        {30},
    )
    # The in-process scheduler reads every schedule as seconds: daily for this idempotent job.
    assert float(schedule) == 86400.0
    assert isinstance(NewYearCrontab(minute=0), crontab)


@pytest.fixture
def item_2025(assigned, staff, leader):
    return start_key(assigned, staff=staff, leader=leader)


def test_the_task_carries_over_last_years_items(item_2025):
    with time_machine.travel(at(2026, 1, 1, 0), tick=False):
        assert tasks.carry_over_key_items() == 1
        assert tasks.carry_over_key_items() == 0
    item_2025.refresh_from_db()
    assert item_2025.status == SupervisionStatus.CARRIED_OVER
    assert SupervisionItem.objects.get(year=2026).carried_over_from == item_2025


@pytest.mark.django_db(transaction=True)
def test_the_in_process_scheduler_runs_it(item_2025, settings):
    """What `lvzhi run`'s scheduler thread does (it closes the connection after each job: a real
    transaction, not the test's)."""
    settings.CELERY_BEAT_SCHEDULE = {ENTRY: settings.CELERY_BEAT_SCHEDULE[ENTRY]}
    with time_machine.travel(at(2026, 1, 2), tick=False):
        assert run_due_jobs({}, now=1.0) == [ENTRY]
    assert SupervisionItem.objects.filter(year=2026).count() == 1


def test_the_command(item_2025, congress):
    out = StringIO()
    call_command("carry_over_supervision", "--year", "2025", stdout=out)
    assert out.getvalue().strip() == "2025年度未完成的重点督办事项：结转1项到2026年度。"
    call_command("carry_over_supervision", "--year", "2025", "--congress", str(congress.pk), stdout=out)
    assert out.getvalue().strip().endswith("结转0项到2026年度。")
    with pytest.raises(CommandError, match="人大（999）不存在。"):
        call_command("carry_over_supervision", "--year", "2025", "--congress", "999")
    with pytest.raises(CommandError, match="请填写正确的年度。"):
        call_command("carry_over_supervision", "--year", "1900")
