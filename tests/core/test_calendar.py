"""The working-day calendar: the seeded 2025 and 2026 holidays, working-day windows across the
Spring Festival and National Day, calendar months (Art. 51), deadlines flagged for a year with no
calendar data, staff entering a year, seeding, the cache, the deadlines that waited for a year
(recomputed after it is marked complete) and the office's calendar page.

Expected dates come from chinesecalendar 1.11.0 (the State Council's notices for 2025 and 2026),
checked by hand: 2025's Spring Festival is 01-28..02-04 with 01-26 (Sun) and 02-08 (Sat) worked,
its National Day 10-01..10-08 with 09-28 (Sun) and 10-11 (Sat) worked; 2026's Spring Festival is
02-15..02-23 with 02-14 (Sat) and 02-28 (Sat) worked.
"""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.core import calendar
from lvzhi.core.calendar import (
    CalendarDayExistsError,
    CalendarUnknownError,
    Deadline,
    add_calendar_months,
    add_working_days,
    calendar_day_delete,
    calendar_day_save,
    calendar_seed_from_package,
    calendar_year_mark_complete,
    deadline,
    is_workday,
    package_years,
    working_days_between,
)
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.models import CalendarDay, CalendarDaySource, CalendarYear
from lvzhi.suggestions import services as suggestion_services
from lvzhi.suggestions.models import Assignment, Suggestion

from ..factories import ExpertiseFieldFactory
from ..suggestions.factories import accept

SHANGHAI = ZoneInfo("Asia/Shanghai")
PACKAGE_YEARS = list(range(2004, 2027))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test reads the calendar of its own database state, not one cached by another test."""
    calendar.calendar_cache_clear()
    yield
    calendar.calendar_cache_clear()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def enter_2027_new_year(actor) -> None:
    """What the office would enter for a 2027 New Year's Day on Friday 01-01 and a Saturday worked
    in lieu (invented: the real 2027 notice is not in the package)."""
    calendar_day_save(day=date(2027, 1, 1), is_workday=False, name="元旦", actor=actor)
    calendar_day_save(day=date(2027, 1, 9), is_workday=True, name="", actor=actor)


# --- The seeded calendar ---------------------------------------------------------------------------


def test_fresh_database_is_seeded_with_every_year_the_package_knows(db):
    complete = list(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True))

    assert complete == PACKAGE_YEARS
    assert package_years() == PACKAGE_YEARS
    assert not CalendarYear.objects.filter(year=2027).exists()
    # 2025: 28 holidays (weekend days of the breaks included) and 5 Sundays/Saturdays worked.
    rows_2025 = CalendarDay.objects.filter(date__year=2025)
    assert rows_2025.filter(is_workday=False).count() == 28
    assert rows_2025.filter(is_workday=True).count() == 5
    assert set(rows_2025.values_list("source", flat=True)) == {CalendarDaySource.PACKAGE}
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2025, 1, 26)).name == "春节调休上班"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 24), True),  # Friday before
        (date(2025, 1, 25), False),  # Saturday
        (date(2025, 1, 26), True),  # Sunday worked in lieu
        (date(2025, 1, 27), True),
        (date(2025, 1, 28), False),  # 除夕: first day of the break
        (date(2025, 1, 29), False),
        (date(2025, 2, 3), False),
        (date(2025, 2, 4), False),  # last day of the break
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # Saturday worked in lieu
        (date(2025, 2, 9), False),
        (date(2025, 9, 28), True),  # Sunday worked in lieu
        (date(2025, 9, 30), True),
        (date(2025, 10, 1), False),
        (date(2025, 10, 6), False),  # 中秋节 inside the National Day break
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Saturday worked in lieu
        (date(2025, 10, 12), False),
        (date(2026, 1, 4), True),  # Sunday worked in lieu (New Year)
        (date(2026, 2, 14), True),  # Saturday worked in lieu (Spring Festival)
        (date(2026, 2, 16), False),
        (date(2026, 2, 17), False),  # 春节
        (date(2026, 2, 23), False),  # Monday, last day of the break
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday worked in lieu
        (date(2026, 9, 20), True),  # Sunday worked in lieu (National Day)
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # Saturday worked in lieu
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 3, 9), True),  # an ordinary Monday
    ],
)
def test_is_workday_follows_the_2025_and_2026_calendars(db, day, expected):
    assert is_workday(day) is expected


def test_a_year_the_package_does_not_know_is_unknown(db):
    with pytest.raises(CalendarUnknownError) as caught:
        is_workday(date(2027, 3, 1))

    assert caught.value.year == 2027
    assert caught.value.message == "2027年的节假日安排尚未录入，无法计算工作日，请联系代表工委补录。"


def test_a_datetime_is_refused_rather_than_counted_on_its_utc_date(db):
    with pytest.raises(TypeError):
        is_workday(datetime(2025, 10, 1, 1, tzinfo=SHANGHAI))


# --- Working days ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Received Friday before the Spring Festival 2025: 01-26 (Sun, worked), 01-27, then
        # 02-05, 02-06, 02-07, 02-08 (Sat, worked), 02-10.
        (date(2025, 1, 24), 7, date(2025, 2, 10)),
        # Received Friday before National Day 2025: 09-28 (Sun, worked), 09-29, 09-30, then
        # 10-09, 10-10, 10-11 (Sat, worked), 10-13.
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        (date(2025, 9, 26), 20, date(2025, 10, 30)),
        (date(2025, 1, 25), 1, date(2025, 1, 26)),  # a Sunday worked in lieu counts
        (date(2025, 1, 27), 1, date(2025, 2, 5)),  # the whole break is skipped
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 10, 1), 1, date(2025, 10, 9)),  # a start on a holiday is not counted either
        (date(2025, 4, 30), 3, date(2025, 5, 8)),  # Labour Day 05-01..05-05
        # Spring Festival 2026: 02-14 (Sat, worked), then 02-24..02-27, 02-28 (Sat, worked), 03-02.
        (date(2026, 2, 13), 5, date(2026, 2, 27)),
        (date(2026, 2, 13), 7, date(2026, 3, 2)),
        (date(2026, 9, 30), 7, date(2026, 10, 15)),
        (date(2025, 12, 31), 20, date(2026, 1, 29)),  # across New Year, both years known
        (date(2025, 10, 1), 0, date(2025, 10, 1)),
    ],
)
def test_add_working_days(db, start, days, expected):
    assert add_working_days(start, days) == expected


def test_add_working_days_counts_backwards(db):
    assert add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert add_working_days(date(2025, 2, 10), -7) == date(2025, 1, 24)


def test_working_days_between(db):
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 10)) == 7
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 13)) == 7
    assert working_days_between(date(2025, 10, 13), date(2025, 9, 26)) == -7
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    assert working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 248
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 248


@pytest.mark.parametrize(
    "start", [date(2025, 1, 24), date(2025, 9, 27), date(2026, 2, 15), date(2025, 12, 20)]
)
def test_working_days_between_inverts_add_working_days(db, start):
    for days in range(1, 40):
        assert working_days_between(start, add_working_days(start, days)) == days


def test_working_days_into_an_unknown_year_raise(db):
    with pytest.raises(CalendarUnknownError) as caught:
        add_working_days(date(2026, 12, 28), 7)
    assert caught.value.year == 2027

    with pytest.raises(CalendarUnknownError):
        working_days_between(date(2026, 12, 28), date(2027, 1, 8))


# --- Calendar months (Art. 51) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 5), 3, date(2025, 6, 5)),  # Art. 51: reply within 3 months
        (date(2025, 3, 5), 6, date(2025, 9, 5)),  # 6 when wide-ranging or hard
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),  # no calendar data needed
    ],
)
def test_add_calendar_months(start, months, expected):
    assert add_calendar_months(start, months) == expected


# --- Deadlines -------------------------------------------------------------------------------------


def test_deadline_in_months_and_in_working_days(db):
    assert deadline(date(2025, 3, 5), months=3) == Deadline(due=date(2025, 6, 5))
    assert deadline(date(2025, 3, 5), months=6) == Deadline(due=date(2025, 9, 5))
    assert deadline(date(2025, 9, 26), working_days=7) == Deadline(due=date(2025, 10, 13))
    # A month, then 7 working days from the month's end (2025-09-26 → 2025-10-13).
    assert deadline(date(2025, 8, 26), months=1, working_days=7) == Deadline(due=date(2025, 10, 13))
    assert deadline(date(2026, 12, 10), working_days=10) == Deadline(due=date(2026, 12, 24))


def test_a_month_deadline_in_an_unknown_year_needs_no_calendar(db):
    assert deadline(date(2026, 11, 15), months=3) == Deadline(due=date(2027, 2, 15))


def test_a_working_day_deadline_reaching_an_unknown_year_is_flagged(db):
    result = deadline(date(2026, 12, 20), working_days=20)

    assert result == Deadline(due=None, needs_calendar=True, missing_years=[2027])


def test_a_deadline_across_two_unknown_years_names_both(db):
    assert deadline(date(2027, 3, 1), working_days=7).missing_years == [2027]
    assert deadline(date(2027, 12, 20), working_days=20).missing_years == [2027, 2028]
    assert deadline(date(2026, 12, 1), months=1, working_days=20).missing_years == [2027]


def test_staff_enter_2027_and_mark_it_complete_then_deadlines_are_computed(db, staff):
    assert deadline(date(2026, 12, 28), working_days=7).needs_calendar

    enter_2027_new_year(staff)
    # Entered but not yet confirmed complete: still flagged, never a guess.
    assert deadline(date(2026, 12, 28), working_days=7).missing_years == [2027]

    year = calendar_year_mark_complete(
        year=2027, actor=staff, published_on=date(2026, 11, 12), note="国办发明电〔2026〕测试号"
    )

    assert year.is_complete and year.updated_by == staff
    # 12-29, 12-30, 12-31, (01-01 元旦), 01-04, 01-05, 01-06, 01-07.
    assert deadline(date(2026, 12, 28), working_days=7) == Deadline(due=date(2027, 1, 7))
    assert is_workday(date(2027, 1, 9)) is True  # the Saturday entered as worked
    assert is_workday(date(2027, 3, 1)) is True
    assert list(year.history.values_list("history_type", "history_user__username")) == [("+", "t-staff")]


# --- Staff entering days -----------------------------------------------------------------------


def test_staff_enter_a_holiday_with_actor_and_history(db, staff):
    row, written = calendar_day_save(day=date(2027, 2, 8), is_workday=False, name="春节", actor=staff)

    assert written
    assert (row.is_workday, row.name, row.source, row.updated_by) == (
        False,
        "春节",
        CalendarDaySource.STAFF,
        staff,
    )
    record = row.history.get()
    assert (record.history_type, record.history_user) == ("+", staff)


def test_a_weekend_worked_in_lieu_is_named_by_default(db, staff):
    row, _written = calendar_day_save(day=date(2027, 2, 20), is_workday=True, name="", actor=staff)

    assert row.name == "调休上班"


@pytest.mark.parametrize(
    ("day", "is_workday_value", "message"),
    [
        (
            date(2027, 3, 6),
            False,
            "2027年3月6日（星期六）本来就是休息日，无需录入；只需录入节假日和调休上班的日期。",
        ),
        (
            date(2027, 3, 3),
            True,
            "2027年3月3日（星期三）本来就是工作日，无需录入；只需录入节假日和调休上班的日期。",
        ),
    ],
)
def test_a_day_that_needs_no_row_is_refused_saying_so(db, staff, day, is_workday_value, message):
    with pytest.raises(DomainError) as caught:
        calendar_day_save(day=day, is_workday=is_workday_value, name="", actor=staff)

    assert caught.value.message == message
    assert caught.value.field == "is_workday"
    assert not CalendarDay.objects.filter(date=day).exists()


def test_a_rest_day_on_a_weekday_needs_a_name(db, staff):
    with pytest.raises(DomainError) as caught:
        calendar_day_save(day=date(2027, 2, 8), is_workday=False, name="  ", actor=staff)

    assert caught.value.field == "name"
    assert not CalendarDay.objects.filter(date=date(2027, 2, 8)).exists()


def test_a_date_outside_the_supported_years_is_refused(db, staff):
    with pytest.raises(DomainError) as caught:
        calendar_day_save(day=date(1999, 10, 1), is_workday=False, name="国庆节", actor=staff)

    assert caught.value.message == "请填写2000年至2100年之间的日期。"


def test_a_date_already_entered_is_edited_only_with_its_version(db, staff):
    original = CalendarDay.objects.get(date=date(2025, 10, 8))

    with pytest.raises(CalendarDayExistsError) as caught:
        calendar_day_save(day=date(2025, 10, 8), is_workday=True, name="", actor=staff)
    assert caught.value.existing == original
    assert caught.value.message.startswith("2025年10月8日（星期三）已有记录：休息日（国庆节）。")

    row, written = calendar_day_save(
        day=date(2025, 10, 8),
        is_workday=True,
        name="",
        actor=staff,
        expected_updated_at=original.updated_at,
    )

    assert written
    assert (row.is_workday, row.name, row.source, row.updated_by) == (
        True,
        "",
        CalendarDaySource.STAFF,
        staff,
    )
    assert is_workday(date(2025, 10, 8)) is True  # the cache follows the edit at once
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 8)


def test_a_stale_edit_is_refused_and_changes_nothing(db, staff):
    original = CalendarDay.objects.get(date=date(2025, 10, 8))
    stale = original.updated_at - timedelta(seconds=1)

    with pytest.raises(ConflictError):
        calendar_day_save(
            day=date(2025, 10, 8), is_workday=True, name="", actor=staff, expected_updated_at=stale
        )

    assert CalendarDay.objects.get(date=date(2025, 10, 8)).is_workday is False


def test_an_edit_that_changes_nothing_writes_nothing(db, staff):
    original = CalendarDay.objects.get(date=date(2025, 10, 1))

    row, written = calendar_day_save(
        day=original.date,
        is_workday=False,
        name="国庆节",
        actor=staff,
        expected_updated_at=original.updated_at,
    )

    assert not written
    assert row.source == CalendarDaySource.PACKAGE
    assert not row.history.exists()


@pytest.mark.parametrize("role", ["county_user", "unit_user", "deputy_user", "leader", "committee_user"])
def test_only_the_office_may_change_the_calendar(request, db, role):
    actor = request.getfixturevalue(role)

    with pytest.raises(ForbiddenError):
        calendar_day_save(day=date(2027, 2, 8), is_workday=False, name="春节", actor=actor)
    with pytest.raises(ForbiddenError):
        calendar_year_mark_complete(year=2027, actor=actor)
    with pytest.raises(ForbiddenError):
        calendar_day_delete(day=date(2025, 10, 1), actor=actor)

    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_staff_delete_their_own_day_but_not_a_package_day(db, staff):
    calendar_day_save(day=date(2027, 2, 8), is_workday=False, name="春节", actor=staff)

    calendar_day_delete(day=date(2027, 2, 8), actor=staff)

    assert not CalendarDay.objects.filter(date=date(2027, 2, 8)).exists()
    assert CalendarDay.history.filter(date=date(2027, 2, 8), history_type="-").get().history_user == staff
    with pytest.raises(DomainError):
        calendar_day_delete(day=date(2025, 10, 1), actor=staff)
    assert CalendarDay.objects.filter(date=date(2025, 10, 1)).exists()


def test_marking_a_year_with_no_day_complete_is_refused(db, staff):
    with pytest.raises(DomainError) as caught:
        calendar_year_mark_complete(year=2027, actor=staff)

    assert caught.value.message.startswith("2027年尚未录入任何节假日，不能标记为录入完整。")
    assert not CalendarYear.objects.filter(year=2027, is_complete=True).exists()


def test_marking_a_complete_year_again_is_refused(db, staff):
    with pytest.raises(DomainError) as caught:
        calendar_year_mark_complete(year=2025, actor=staff)

    assert caught.value.message == "2025年已标记为录入完整。"


# --- Deadlines that waited for a year -----------------------------------------------------------


@pytest.fixture
def fake_source(monkeypatch):
    """Only a test module registered, recording who called it and the deadline it read for a
    window opened on 2026-12-28 (None while 2027 is unknown)."""
    monkeypatch.setattr(calendar, "_deadline_sources", {})
    calls = []

    def recompute(*, actor=None):
        calls.append((actor, deadline(date(2026, 12, 28), working_days=7).due))
        return calendar.RecomputeResult(counts={"test_due": 2}, still_flagged=1)

    calendar.register_deadline_recompute(
        name="test",
        recompute=recompute,
        waiting=lambda: [calendar.WaitingDeadlines(kind="test_due", label="测试期限", count=3)],
        labels={"test_due": "测试期限"},
    )
    return calls


def test_marking_a_year_complete_recomputes_the_waiting_deadlines_after_the_commit(
    db, staff, fake_source, django_capture_on_commit_callbacks
):
    enter_2027_new_year(staff)

    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_mark_complete(year=2027, actor=staff)
        assert fake_source == []  # not before the commit

    # As the system, reading 2027 as entered (01-01 元旦).
    assert fake_source == [(None, date(2027, 1, 7))]


def test_a_refused_mark_queues_no_recompute(db, staff, fake_source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(DomainError):
        calendar_year_mark_complete(year=2027, actor=staff)

    assert callbacks == []
    assert fake_source == []


def test_seeding_recomputes_only_when_it_completes_a_year(
    db, fake_source, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_seed_from_package(years=[2025])
    assert fake_source == []

    CalendarYear.objects.filter(year=2025).update(is_complete=False)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_seed_from_package(years=[2025])
    assert fake_source == [(None, None)]


def test_the_registered_sources_are_merged_and_described(db, staff, fake_source):
    result = calendar.deadlines_recompute(actor=staff)

    assert result == calendar.RecomputeResult(counts={"test_due": 2}, still_flagged=1)
    assert result.computed == 2
    assert calendar.deadlines_recompute_describe(result) == "测试期限2个"
    assert calendar.deadlines_waiting() == [
        calendar.WaitingDeadlines(kind="test_due", label="测试期限", count=3)
    ]
    assert fake_source == [(staff, None)]


@pytest.mark.parametrize("role", ["county_user", "unit_user", "deputy_user", "leader", "committee_user"])
def test_only_the_office_or_the_system_recomputes(request, db, role, fake_source):
    with pytest.raises(ForbiddenError):
        calendar.deadlines_recompute(actor=request.getfixturevalue(role))

    assert fake_source == []


def test_the_recompute_task_runs_every_source(db, fake_source):
    from lvzhi.core import tasks

    assert tasks.deadlines_recompute.name == calendar.RECOMPUTE_TASK
    assert tasks.deadlines_recompute.run() == 2
    assert fake_source == [(None, None)]


# --- Seeding ---------------------------------------------------------------------------------------


def test_seeding_an_empty_calendar_takes_every_package_year(db, staff):
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()

    result = calendar_seed_from_package(actor=staff)

    assert result["years"] == PACKAGE_YEARS
    assert result["unsupported"] == []
    assert (result["created"], result["updated"], result["deleted"], result["kept"]) == (771, 0, 0, 0)
    assert result["marked_complete"] == 23
    assert CalendarDay.objects.count() == 771
    assert CalendarDay.history.filter(history_user=staff).count() == 771
    assert is_workday(date(2025, 1, 26)) is True


def test_seeding_is_idempotent(db):
    result = calendar_seed_from_package()

    assert (result["created"], result["updated"], result["deleted"], result["marked_complete"]) == (
        0,
        0,
        0,
        0,
    )
    assert CalendarDay.objects.count() == 771


def test_seeding_never_overwrites_a_staff_row_but_repairs_package_rows(db, staff):
    national_day = CalendarDay.objects.get(date=date(2025, 10, 8))
    calendar_day_save(
        day=national_day.date,
        is_workday=True,
        name="",
        actor=staff,
        expected_updated_at=national_day.updated_at,
    )
    calendar_day_save(day=date(2025, 3, 3), is_workday=False, name="本地休假", actor=staff)
    CalendarDay.objects.filter(date=date(2025, 1, 28)).delete()  # a package row lost
    CalendarDay.objects.filter(date=date(2025, 1, 29)).update(name="错误")  # a package row altered
    CalendarDay.objects.create(date=date(2025, 3, 4), is_workday=False, name="旧数据", source="package")

    result = calendar_seed_from_package(years=[2025])

    assert (result["created"], result["updated"], result["deleted"], result["kept"]) == (1, 1, 1, 1)
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).is_workday is True
    assert CalendarDay.objects.get(date=date(2025, 3, 3)).name == "本地休假"
    assert CalendarDay.objects.get(date=date(2025, 1, 28)).name == "春节"
    assert CalendarDay.objects.get(date=date(2025, 1, 29)).name == "春节"
    assert not CalendarDay.objects.filter(date=date(2025, 3, 4)).exists()


def test_seeding_a_year_the_package_lacks_leaves_it_incomplete(db):
    result = calendar_seed_from_package(years=[2026, 2027])

    assert result["years"] == [2026]
    assert result["unsupported"] == [2027]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_calendar_seed_command(db):
    out = StringIO()

    call_command("calendar_seed", "--year", "2025", "--year", "2027", stdout=out)

    assert "数据包年份：2025–2025年；新增 0 天" in out.getvalue()
    assert "数据包不含以下年份，请在工作日历页面人工录入：2027。" in out.getvalue()


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "core", "--check", "--dry-run", stdout=StringIO())


# --- Cache -----------------------------------------------------------------------------------------


def test_five_hundred_deadlines_cost_a_query_or_two_per_year(db, django_assert_max_num_queries):
    starts = [date(2025, 1, 1) + timedelta(days=offset) for offset in range(500)]

    with django_assert_max_num_queries(4):  # 2025 and 2026: whether complete, and their days
        first = [deadline(start, working_days=7).due for start in starts]
    with django_assert_max_num_queries(0):
        second = [deadline(start, working_days=7).due for start in starts]

    assert first == second
    assert first[23] == date(2025, 2, 10)  # 2025-01-24


def test_unknown_years_are_cached_too(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        flagged = [deadline(date(2026, 12, 20), working_days=20) for _ in range(200)]

    assert all(result.missing_years == [2027] for result in flagged)


def test_another_process_edit_is_seen_after_the_version_changes(db, monkeypatch):
    assert is_workday(date(2025, 3, 3)) is True
    # Another process writes and publishes a new version; this process still has 2025 cached.
    CalendarDay.objects.create(date=date(2025, 3, 3), is_workday=False, name="本地休假", source="staff")
    cache.set(calendar.CACHE_VERSION_KEY, "from-another-process", timeout=None)
    assert is_workday(date(2025, 3, 3)) is True  # within VERSION_CHECK_SECONDS

    monkeypatch.setattr(calendar, "VERSION_CHECK_SECONDS", -1.0)

    assert is_workday(date(2025, 3, 3)) is False


# --- The calendar page -------------------------------------------------------------------------


def calendar_url(**params) -> str:
    url = reverse("core:calendar")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


POST_URLS = [
    ("core:calendar_day_save", {}),
    ("core:calendar_day_delete", {}),
    ("core:calendar_year_complete", {"year": 2027}),
    ("core:calendar_deadlines_recompute", {}),
]


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(calendar_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    for name, kwargs in POST_URLS:
        response = client.post(reverse(name, kwargs=kwargs), {"date": "2027-02-08"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["county_user", "unit_user", "deputy_user", "leader", "committee_user"])
def test_everybody_outside_the_office_gets_404(request, db, client, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(calendar_url(year=2025)).status_code == 404
    for name, kwargs in POST_URLS:
        response = client.post(
            reverse(name, kwargs=kwargs), {"date": "2027-02-08", "kind": "rest", "name": "春节"}
        )
        assert response.status_code == 404
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert "工作日历" not in client.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("role", ["staff", "admin_user"])
def test_the_office_sees_the_year_month_by_month(request, db, client, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(calendar_url(year=2025))

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<a class="nav-link px-2 active fw-bold" href="/calendar/" aria-current="page">工作日历</a>' in html
    )
    assert 'data-date="2025-10-01" data-kind="holiday" title="国庆节"' in html
    assert 'data-date="2025-09-28" data-kind="adjusted" title="国庆节调休上班"' in html
    assert 'data-date="2025-10-04" data-kind="holiday"' in html
    assert 'data-date="2025-03-08" data-kind="weekend"' in html
    assert 'data-date="2025-03-10" data-kind="workday"' in html
    assert "已录入完整" in html
    assert html.count('data-kind="') == 365


@time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=SHANGHAI), tick=False)
def test_the_page_warns_of_next_year_and_offers_to_mark_it_complete(staff_client):
    html = staff_client.get(calendar_url(year=2027)).content.decode()

    assert "2027年的节假日安排尚未录入。" in html
    assert "2026年的节假日安排尚未录入" not in html
    assert "未录入完整" in html
    assert f'action="{reverse("core:calendar_year_complete", kwargs={"year": 2027})}"' in html
    assert 'data-confirm="确定2027年的放假和调休上班日期已全部录入吗？' in html


@time_machine.travel(datetime(2025, 6, 1, 10, tzinfo=SHANGHAI), tick=False)
def test_no_warning_while_this_year_and_the_next_are_complete(staff_client):
    html = staff_client.get(calendar_url()).content.decode()

    assert "2025年工作日历" in html
    assert 'data-testid="calendar-warning"' not in html


def test_page_queries_do_not_grow_with_the_year(staff_client, django_assert_max_num_queries):
    for year in (2004, 2025, 2026, 2027):
        with django_assert_max_num_queries(13):  # 3 of them: the deadlines waiting for holiday data
            assert staff_client.get(calendar_url(year=year)).status_code == 200


def test_page_queries_do_not_grow_with_the_waiting_deadlines(
    staff_client, staff, handling_unit, own_mandate, django_assert_num_queries
):
    field = ExpertiseFieldFactory(name="城建环境")

    def waiting(count: int) -> None:
        with time_machine.travel(datetime(2026, 12, 28, 10, tzinfo=SHANGHAI), tick=False):
            while Suggestion.objects.count() < count:
                suggestion = accept(own_mandate, staff, field=field)
                suggestion_services.suggestion_assign(suggestion=suggestion, actor=staff, lead=handling_unit)

    waiting(1)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(calendar_url(year=2027))
    waiting(4)
    with django_assert_num_queries(len(one)):
        html = staff_client.get(calendar_url(year=2027)).content.decode()
    assert "<strong>异议截止日期</strong>：4个" in html


def test_opening_a_date_edits_its_row(staff_client):
    html = staff_client.get(calendar_url(date="2025-10-01")).content.decode()

    assert "修改日期" in html
    assert 'name="date" value="2025-10-01"' in html
    assert 'name="name" value="国庆节"' in html
    assert 'name="expected_updated_at" value="' in html


def test_saving_a_new_day_through_the_page(staff_client, staff):
    response = staff_client.post(
        reverse("core:calendar_day_save"), {"date": "2027-02-08", "kind": "rest", "name": "春节"}
    )

    assert response.status_code == 302
    assert response["Location"] == calendar_url(year=2027)
    row = CalendarDay.objects.get(date=date(2027, 2, 8))
    assert (row.is_workday, row.name, row.updated_by, row.source) == (False, "春节", staff, "staff")
    page = staff_client.get(response["Location"]).content.decode()
    assert "已保存2027年2月8日（星期一）：休息日（春节）。" in page
    assert "t-staff" in page  # in the list and the history


def test_the_page_says_a_saturday_rest_day_needs_no_row(staff_client):
    response = staff_client.post(
        reverse("core:calendar_day_save"), {"date": "2027-03-06", "kind": "rest", "name": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        "2027年3月6日（星期六）本来就是休息日，无需录入；只需录入节假日和调休上班的日期。"
    ]
    assert not CalendarDay.objects.filter(date=date(2027, 3, 6)).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "", "kind": "rest", "name": "春节"}, "请填写日期。"),
        ({"date": "2027-02-30", "kind": "rest", "name": "春节"}, "请填写有效的日期，例如 2027-02-10。"),
        ({"date": "2027-02-08", "kind": "", "name": "春节"}, "请选择休息日或工作日。"),
        ({"date": "2027-02-08", "kind": "rest", "name": ""}, "休息日请填写节假日名称，例如“春节”。"),
    ],
)
def test_the_page_validates_in_chinese(staff_client, data, message):
    response = staff_client.post(reverse("core:calendar_day_save"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_entering_an_existing_date_switches_to_editing_it(staff_client):
    response = staff_client.post(
        reverse("core:calendar_day_save"), {"date": "2025-10-08", "kind": "workday", "name": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "2025年10月8日（星期三）已有记录：休息日（国庆节）。如需修改，请核对下方内容后再次保存。" in html
    assert "修改日期" in html
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).is_workday is False

    version = response.context["form"]["expected_updated_at"].value()
    response = staff_client.post(
        reverse("core:calendar_day_save"),
        {"date": "2025-10-08", "kind": "workday", "name": "", "expected_updated_at": version},
    )

    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).is_workday is True


def test_marking_a_year_complete_through_the_page(staff_client, staff):
    url = reverse("core:calendar_year_complete", kwargs={"year": 2027})

    refused = staff_client.post(url, {}, follow=True).content.decode()
    assert "2027年尚未录入任何节假日，不能标记为录入完整。" in refused

    enter_2027_new_year(staff)
    response = staff_client.post(url, {"published_on": "2026-11-12", "note": "国务院办公厅通知"}, follow=True)

    year = CalendarYear.objects.get(year=2027)
    assert (year.is_complete, year.published_on, year.note, year.updated_by) == (
        True,
        date(2026, 11, 12),
        "国务院办公厅通知",
        staff,
    )
    assert "已将2027年标记为录入完整" in response.content.decode()
    assert deadline(date(2026, 12, 28), working_days=7).due == date(2027, 1, 7)


def test_deleting_a_day_through_the_page(staff_client, staff):
    calendar_day_save(day=date(2027, 2, 8), is_workday=False, name="春节", actor=staff)

    response = staff_client.post(reverse("core:calendar_day_delete"), {"date": "2027-02-08"}, follow=True)

    assert not CalendarDay.objects.filter(date=date(2027, 2, 8)).exists()
    assert "已删除2027年2月8日（星期一）的记录。" in response.content.decode()


# --- The page: deadlines waiting for holiday data ------------------------------------------------


@pytest.fixture
def waiting_suggestion(own_mandate, staff, handling_unit):
    """Received and assigned on Monday 2026-12-28: its assignment window (5 working days) and
    objection window (7) reach 2027, whose holidays are not entered."""
    with time_machine.travel(datetime(2026, 12, 28, 10, tzinfo=SHANGHAI), tick=False):
        suggestion = accept(own_mandate, staff, field=ExpertiseFieldFactory(name="城建环境"))
        [assignment] = suggestion_services.suggestion_assign(
            suggestion=suggestion, actor=staff, lead=handling_unit
        )
    return suggestion, assignment


@time_machine.travel(datetime(2026, 12, 30, 10, tzinfo=SHANGHAI), tick=False)
def test_the_page_shows_the_waiting_deadlines_and_recomputes_them(
    client, staff, waiting_suggestion, handling_unit, django_capture_on_commit_callbacks
):
    suggestion, assignment = waiting_suggestion
    staff_client = client
    staff_client.force_login(staff)  # a session of that day

    html = staff_client.get(calendar_url(year=2027)).content.decode()

    assert '<li class="mb-2" data-kind="assign_due">\n              <strong>应交办日期</strong>：1个' in html
    assert '<li class="mb-2" data-kind="objection_deadline">' in html
    assert "<strong>异议截止日期</strong>：1个" in html
    assert (
        f'<a href="/suggestions/work/?unit={handling_unit.pk}&amp;needs_calendar=true">市住房和城乡建设局（1）</a>'
        in html
    )
    assert f'action="{reverse("core:calendar_deadlines_recompute")}"' in html
    assert 'data-confirm="确定现在重新计算待补录的期限吗？' in html
    assert "重新计算待补录期限" in html

    # Before 2027 is entered the button computes nothing and says so.
    response = staff_client.post(reverse("core:calendar_deadlines_recompute"), {"year": "2027"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(calendar_url(year=2027), 302)]
    assert "没有可以计算的期限。" in page
    assert "仍有2条记录的期限落在节假日安排尚未录入完整的年份" in page
    assert not suggestion.events.filter(type="suggestion.deadlines_recomputed").exists()

    with django_capture_on_commit_callbacks(execute=False):  # the office enters 2027, the task is not run
        enter_2027_new_year(staff)
        calendar_year_mark_complete(year=2027, actor=staff)
    response = staff_client.post(reverse("core:calendar_deadlines_recompute"), {"year": "2027"}, follow=True)

    page = response.content.decode()
    assert "已计算2个待补录的期限：应交办日期1个、异议截止日期1个。" in page
    assert "仍有" not in page
    assert "没有等待节假日数据的期限。" in page
    assert 'data-testid="waiting-deadlines"' in page
    suggestion.refresh_from_db()
    assignment.refresh_from_db()
    assert (suggestion.assign_due, suggestion.needs_calendar) == (date(2027, 1, 5), False)
    assert (assignment.objection_deadline, assignment.needs_calendar) == (date(2027, 1, 7), False)
    assert suggestion.events.get(type="suggestion.deadlines_recomputed").actor == staff


@pytest.mark.parametrize("role", ["county_user", "unit_user", "deputy_user", "leader", "committee_user"])
def test_nobody_else_may_press_the_recompute_button(request, db, client, staff, role, waiting_suggestion):
    suggestion, assignment = waiting_suggestion
    enter_2027_new_year(staff)
    calendar_year_mark_complete(year=2027, actor=staff)
    client.force_login(request.getfixturevalue(role))

    response = client.post(reverse("core:calendar_deadlines_recompute"), {"year": "2027"})

    assert response.status_code == 404
    assert Suggestion.objects.get(pk=suggestion.pk).needs_calendar is True
    assert Assignment.objects.get(pk=assignment.pk).objection_deadline is None
    assert not suggestion.events.filter(type="suggestion.deadlines_recomputed").exists()


def test_the_page_says_when_nothing_waits(staff_client):
    html = staff_client.get(calendar_url(year=2026)).content.decode()

    assert "没有等待节假日数据的期限。" in html
    assert "重新计算待补录期限" not in html
