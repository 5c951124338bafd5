"""The working-day calendar and the deadline arithmetic every workflow uses.

Rules (DOMAIN.md §5; issue 3):

- **Months are calendar months** from the start date (Art. 51: reply within 3 months of
  assignment, 6 when wide-ranging or hard; co-unit input and re-handling within 1 month). The due
  date is the same day of the month; a month without that day ends on its last day (Civil Code
  Art. 202: 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日).
- **Windows are working days** (objection window, evaluation window, between-session assignment):
  the start day is not counted (Civil Code Art. 201: 开始的当日不计入), and the due date is the
  last working day of the window, on which acting is still on time.
- **A working day** is a date of a *complete* ``CalendarYear``: the date's ``CalendarDay`` row if
  there is one (a public holiday, an adjusted working day on a weekend), else Monday to Friday.
  The rows come from the ``chinesecalendar`` package (the State Council's notices, 2004 to the
  newest year it knows) and from the deputy-affairs office, who enter the next year when the
  State Council publishes it (around November).
- **A year that is not complete is unknown**: ``is_workday`` raises ``CalendarUnknownError`` and
  ``deadline`` returns ``needs_calendar`` with the years staff must enter. A working-day deadline
  is never silently counted as weekdays.

Reads are served from a per-process cache keyed by year (a few hundred rows in all), so computing
hundreds of deadlines costs a query or two per year touched, not one per deadline. Writes here
invalidate it in this process at once and in every other process (a version in Django's cache)
within ``VERSION_CHECK_SECONDS``.

Deadlines that waited: a module storing working-day deadlines registers a ``DeadlineSource``
(``register_deadline_recompute``, from its ``AppConfig.ready``), so that this module never imports
a domain app. When a year is marked complete (or seeded from the package) the flagged deadlines
are computed after the commit (task ``lvzhi.core.tasks.deadlines_recompute``); the calendar page
shows what still waits and offers the same recompute, and so does ``lvzhi recompute_deadlines``.

Callers: every workflow that sets a due date (suggestions, motions, reminders), the calendar page
(``calendar_views``), ``lvzhi calendar_seed`` and the seed migration. Only the deputy-affairs office
may write (``accounts.roles.is_office``).
"""

import threading
import time
from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import chinese_calendar
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lvzhi.accounts.roles import is_office

from .errors import ConflictError, DomainError, ForbiddenError
from .models import CalendarDay, CalendarDaySource, CalendarYear
from .queue import enqueue

WEEKDAYS = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))

# The years the calendar page and its writes accept.
MIN_YEAR, MAX_YEAR = 2000, 2100

# The package's holiday keys (English) → the names the State Council's notices use.
PACKAGE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
ADJUSTED_WORKDAY_NAME = "调休上班"

# The package covers 2004 onwards; a year past this range is probed too, so a package upgrade
# that adds the next year is picked up by ``lvzhi calendar_seed`` without a code change.
PACKAGE_FIRST_YEAR = 2004
PACKAGE_PROBE_YEARS_AHEAD = 3

CACHE_VERSION_KEY = "lvzhi:calendar:version"
VERSION_CHECK_SECONDS = 2.0


class CalendarUnknownError(DomainError):
    """The holidays of ``year`` have not been entered (the year is not marked complete), so no
    working day in it can be known."""

    def __init__(self, year: int):
        super().__init__(
            _("{year}年的节假日安排尚未录入，无法计算工作日，请联系代表工委补录。").format(year=year)
        )
        self.year = year


class CalendarDayExistsError(DomainError):
    """A day entered as new already has a row: the form should switch to editing ``existing``."""

    def __init__(self, existing: CalendarDay):
        super().__init__(
            _("{day}已有记录：{kind}{name}。如需修改，请核对下方内容后再次保存。").format(
                day=format_day(existing.date),
                kind=_("工作日") if existing.is_workday else _("休息日"),
                name=f"（{existing.name}）" if existing.name else "",
            ),
            field="date",
        )
        self.existing = existing


def format_day(day: date) -> str:
    """``2025年10月1日（星期三）``: how the calendar's messages name a day."""
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def is_weekday(day: date) -> bool:
    """Monday to Friday: what a day is when its year has no row for it."""
    return day.weekday() < 5


# --- Per-process cache ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    complete: bool
    special: dict[date, bool]  # date → is_workday, for the rows of a complete year


class _Cache:
    """The calendar years loaded by this process, dropped when the shared version changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.years: dict[int, _Year] = {}
        self.version = None
        self.checked_at = float("-inf")


_cache = _Cache()


def calendar_cache_clear() -> None:
    """Forget what this process loaded: the next read loads from the database. Tests call it
    between tests; writes here call it themselves."""
    with _cache.lock:
        _cache.years = {}
        _cache.checked_at = float("-inf")


def _calendar_changed() -> None:
    """After a write: drop this process's cache now, and after commit tell the other processes
    (a new version in the shared cache) and drop it again, so no reader keeps a year it loaded
    between the write and the commit."""

    def publish() -> None:
        cache.set(CACHE_VERSION_KEY, time.time_ns(), timeout=None)
        calendar_cache_clear()

    calendar_cache_clear()
    transaction.on_commit(publish)


def _year(year: int) -> _Year:
    now = time.monotonic()
    if now - _cache.checked_at > VERSION_CHECK_SECONDS:
        version = cache.get(CACHE_VERSION_KEY)
        with _cache.lock:
            if version != _cache.version:
                _cache.years = {}
                _cache.version = version
            _cache.checked_at = now
    loaded = _cache.years.get(year)
    if loaded is not None:
        return loaded
    complete = CalendarYear.objects.filter(year=year, is_complete=True).exists()
    special = (
        dict(
            CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31))).values_list(
                "date", "is_workday"
            )
        )
        if complete
        else {}
    )
    loaded = _Year(complete=complete, special=special)
    with _cache.lock:
        _cache.years = {**_cache.years, year: loaded}
    return loaded


def _check_date(day: date) -> None:
    # A datetime would be counted on its UTC date: callers pass timezone.localdate(...).
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")


# --- Working days and deadlines --------------------------------------------------------------


def is_year_complete(year: int) -> bool:
    """Whether ``year``'s holidays are fully entered, so that its working days are known."""
    return _year(year).complete


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day: its ``CalendarDay`` row if any (a holiday, an adjusted
    working day), else Monday to Friday. Raises ``CalendarUnknownError`` when ``day``'s year is
    not complete: its holidays are unknown."""
    _check_date(day)
    loaded = _year(day.year)
    if not loaded.complete:
        raise CalendarUnknownError(day.year)
    return loaded.special.get(day, is_weekday(day))


def _step_working_days(start: date, days: int, *, workday) -> date:
    step = timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    current = start
    while remaining:
        current += step
        if workday(current):
            remaining -= 1
    return current


def add_working_days(start: date, days: int) -> date:
    """The date that is ``days`` working days after ``start``: the ``days``-th working day
    counting from the day after ``start`` (the start day itself is never counted, whatever it
    is). That is the last day of a window of ``days`` working days opened on ``start``.

    Received on Friday 2025-09-26, a 7-working-day window counts 09-28 (a Sunday worked in lieu),
    09-29, 09-30, 10-09, 10-10, 10-11 (a Saturday worked in lieu) and ends on Monday 2025-10-13.
    ``days == 0`` gives ``start``; a negative ``days`` counts backwards (``-2``: two working
    days before ``start``, e.g. for a reminder). Raises ``CalendarUnknownError`` if the count
    passes through a year that is not complete.
    """
    _check_date(start)
    return _step_working_days(start, days, workday=is_workday)


def working_days_between(start: date, end: date) -> int:
    """The number of working days after ``start`` up to and including ``end``: the inverse of
    ``add_working_days`` (``working_days_between(d, add_working_days(d, n)) == n`` for n ≥ 1),
    negative when ``end`` is before ``start``. Raises ``CalendarUnknownError`` for a day of a year
    that is not complete."""
    _check_date(start)
    _check_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def add_calendar_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months (Art. 51's periods): the same day of the month,
    or the month's last day when it has no such day (Civil Code Art. 202): 2025-01-31 + 1 month is
    2025-02-28, 2024-01-31 + 1 is 2024-02-29, 2025-03-05 + 3 is 2025-06-05. Needs no calendar data."""
    _check_date(start)
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadline:
    """A computed due date, or the news that it cannot be computed yet.

    ``due`` is the last day on which the step is on time. When the working days needed fall in a
    year whose holidays are not entered, ``due`` is ``None``, ``needs_calendar`` is ``True`` and
    ``missing_years`` names the years staff must enter (at least these); store the flag, show it
    to staff, and compute again once the years are complete.
    """

    due: date | None
    needs_calendar: bool = False
    missing_years: list[int] = field(default_factory=list)


def deadline(start: date, *, months: int = 0, working_days: int = 0) -> Deadline:
    """The deadline of a step that opens on ``start``: ``months`` calendar months (Art. 51), then
    ``working_days`` working days (``add_working_days``: the start day not counted).

    ``deadline(assigned_on, months=3)`` for a reply (6 when hard), ``months=1`` for co-unit input
    and re-handling, ``deadline(received_on, working_days=7)`` for the objection window. A month
    deadline is always computable; a working-day deadline reaching into a year that is not
    complete comes back with ``needs_calendar`` instead of a weekday guess.
    """
    _check_date(start)
    base = add_calendar_months(start, months) if months else start
    if not working_days:
        return Deadline(due=base)
    try:
        return Deadline(due=add_working_days(base, working_days))
    except CalendarUnknownError:
        pass

    # Which years are missing: walk again counting unknown years' weekdays, only to learn how far
    # the window reaches. The guess is never returned as a due date.
    def provisional(day: date) -> bool:
        return is_workday(day) if _year(day.year).complete else is_weekday(day)

    reach = _step_working_days(base, working_days, workday=provisional)
    first, last = sorted((base, reach))
    missing = [year for year in range(first.year, last.year + 1) if not _year(year).complete]
    return Deadline(due=None, needs_calendar=True, missing_years=missing)


# --- Reads for the calendar page ----------------------------------------------------------------


def calendar_years_incomplete(*, today: date | None = None, ahead: int = 1) -> list[int]:
    """The years from this one to ``ahead`` years on whose holidays are not complete: deadlines
    set now reach into them (a 6-month reply deadline, a window across New Year), so the office is
    warned until they are entered."""
    today = today or timezone.localdate()
    years = range(today.year, today.year + ahead + 1)
    complete = set(
        CalendarYear.objects.filter(year__in=years, is_complete=True).values_list("year", flat=True)
    )
    return [year for year in years if year not in complete]


def calendar_days_of_year(*, year: int) -> list[CalendarDay]:
    """The rows of ``year``, in date order, with who last changed them."""
    return list(
        CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31)))
        .select_related("updated_by")
        .order_by("date")
    )


def calendar_year_history(*, year: int, limit: int = 30) -> list:
    """The latest changes to ``year``'s days and to the year itself, newest first: who, when,
    what (historical records of ``CalendarDay`` and ``CalendarYear``)."""
    days = list(
        CalendarDay.history.filter(date__range=(date(year, 1, 1), date(year, 12, 31)))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    years = list(
        CalendarYear.history.filter(year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return sorted(days + years, key=lambda record: record.history_date, reverse=True)[:limit]


# --- Deadlines waiting for holiday data ---------------------------------------------------------

RECOMPUTE_TASK = "lvzhi.core.tasks.deadlines_recompute"


@dataclass
class RecomputeResult:
    """What computing the flagged deadlines did: ``counts`` the deadlines computed now by kind
    (``"objection_deadline": 3``), ``still_flagged`` the rows still waiting for a year whose
    holidays are not complete."""

    counts: dict[str, int] = field(default_factory=dict)
    still_flagged: int = 0

    @property
    def computed(self) -> int:
        return sum(self.counts.values())

    def merged(self, other: "RecomputeResult") -> "RecomputeResult":
        counts = dict(self.counts)
        for kind, count in other.counts.items():
            counts[kind] = counts.get(kind, 0) + count
        return RecomputeResult(counts=counts, still_flagged=self.still_flagged + other.still_flagged)


@dataclass(frozen=True)
class WaitingDeadlines:
    """How many deadlines of one kind wait for holiday data, and where staff can see them:
    ``links`` are (text, url) pairs, e.g. one unit's work list filtered to the flagged rows."""

    kind: str
    label: str
    count: int
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DeadlineSource:
    """A module whose rows hold working-day deadlines that may wait for holiday data.

    ``recompute(*, actor=None) -> RecomputeResult`` computes every flagged deadline it can now and
    must be idempotent; ``waiting() -> list[WaitingDeadlines]`` counts what still waits;
    ``labels`` names its kinds (kind → Chinese label) for messages."""

    name: str
    recompute: Callable[..., RecomputeResult]
    waiting: Callable[[], list[WaitingDeadlines]]
    labels: Mapping[str, str] = field(default_factory=dict)


_deadline_sources: dict[str, DeadlineSource] = {}


def register_deadline_recompute(
    *,
    name: str,
    recompute: Callable[..., RecomputeResult],
    waiting: Callable[[], list[WaitingDeadlines]],
    labels: Mapping[str, str] | None = None,
) -> None:
    """Register a module's recompute of its flagged deadlines (call it from ``AppConfig.ready``;
    registering the same ``name`` again replaces it)."""
    _deadline_sources[name] = DeadlineSource(
        name=name, recompute=recompute, waiting=waiting, labels=dict(labels or {})
    )


def deadline_sources() -> list[DeadlineSource]:
    return list(_deadline_sources.values())


def deadline_kind_label(kind: str) -> str:
    """The Chinese name of a deadline kind, as its module registered it."""
    for source in _deadline_sources.values():
        if kind in source.labels:
            return str(source.labels[kind])
    return kind


def deadlines_waiting() -> list[WaitingDeadlines]:
    """The kinds of deadline still waiting for holiday data, in every registered module (a query
    or two per module): shown on the calendar page."""
    return [item for source in _deadline_sources.values() for item in source.waiting() if item.count]


def deadlines_recompute(*, actor=None) -> RecomputeResult:
    """Compute the working-day deadlines that were flagged because their year was not complete,
    in every registered module, and return what was computed. Idempotent: a second run computes
    nothing. Called after a year is marked complete (``actor`` None: the system), by
    ``lvzhi recompute_deadlines`` and by the office's button on the calendar page."""
    if actor is not None:
        _require_office(actor)
    # The year was just completed, maybe by another process: read the calendar afresh.
    calendar_cache_clear()
    result = RecomputeResult()
    for source in deadline_sources():
        result = result.merged(source.recompute(actor=actor))
    return result


def deadlines_recompute_describe(result: RecomputeResult) -> str:
    """``应交办日期1个、异议截止日期2个``: the counts of a recompute, for messages."""
    return "、".join(
        _("{label}{count}个").format(label=deadline_kind_label(kind), count=count)
        for kind, count in result.counts.items()
        if count
    )


# --- Writes by the deputy-affairs office --------------------------------------------------------


def _require_office(actor) -> None:
    if not is_office(actor):
        raise ForbiddenError(_("您没有维护工作日历的权限。"))


def _check_year(year: int, *, field: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            _("请填写{first}年至{last}年之间的日期。").format(first=MIN_YEAR, last=MAX_YEAR), field=field
        )


@transaction.atomic
def calendar_day_save(
    *,
    day: date,
    is_workday: bool,
    name: str,
    actor,
    expected_updated_at: datetime | None = None,
) -> tuple[CalendarDay, bool]:
    """Enter a holiday or an adjusted working day, or change an existing one. Returns the row and
    whether anything was written.

    A new day must depart from the week's rhythm: a Saturday marked as a rest day, or a Wednesday
    as a working day, needs no row and is refused saying so. A rest day on a weekday needs its
    holiday's name; a working weekend day is named 调休上班 unless named otherwise. A day that
    already has a row is only changed by an edit that carries the ``updated_at`` it was read at
    (``CalendarDayExistsError`` otherwise, so the form can switch to editing it); a stale edit is
    refused with ``ConflictError``. A changed row becomes staff-entered, so later seeds leave it
    alone. Only the deputy-affairs office may call it.
    """
    _require_office(actor)
    _check_date(day)
    _check_year(day.year, field="date")
    name = (name or "").strip()
    if not is_workday and is_weekday(day) and not name:
        raise DomainError(_("休息日请填写节假日名称，例如“春节”。"), field="name")
    if is_workday and not is_weekday(day) and not name:
        name = ADJUSTED_WORKDAY_NAME

    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        if expected_updated_at is not None:
            raise ConflictError(_("该日期的记录已被他人删除，请刷新页面后重新录入。"))
        if is_workday == is_weekday(day):
            raise DomainError(
                _("{day}本来就是{kind}，无需录入；只需录入节假日和调休上班的日期。").format(
                    day=format_day(day), kind=_("工作日") if is_workday else _("休息日")
                ),
                field="is_workday",
            )
        row = CalendarDay(date=day, is_workday=is_workday, name=name, source=CalendarDaySource.STAFF)
        row.updated_by = actor
        row._history_user = actor
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ConflictError(_("该日期刚被他人录入，请刷新页面后重试。")) from None
        _calendar_changed()
        return row, True

    if expected_updated_at is None:
        raise CalendarDayExistsError(row)
    if row.updated_at != expected_updated_at:
        raise ConflictError(_("该日期的记录已被他人修改，请刷新页面后重新编辑。"))
    if (row.is_workday, row.name) == (is_workday, name):
        return row, False
    row.is_workday = is_workday
    row.name = name
    row.source = CalendarDaySource.STAFF
    row.updated_by = actor
    row._history_user = actor
    row.save(update_fields=["is_workday", "name", "source", "updated_by", "updated_at"])
    _calendar_changed()
    return row, True


@transaction.atomic
def calendar_day_delete(*, day: date, actor) -> None:
    """Remove a day staff entered, so that it is again an ordinary weekday or weekend day. A day
    from the package is corrected by editing it instead (a later seed would put it back). Only the
    deputy-affairs office may call it."""
    _require_office(actor)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        raise ConflictError(_("该日期的记录已被他人删除，请刷新页面。"))
    if row.source == CalendarDaySource.PACKAGE:
        raise DomainError(_("该日期来自节假日数据包，不能删除；如有错误，请直接修改。"))
    row._history_user = actor
    row.delete()
    _calendar_changed()


@transaction.atomic
def calendar_year_mark_complete(
    *, year: int, actor, published_on: date | None = None, note: str = ""
) -> CalendarYear:
    """Confirm that ``year``'s holidays and adjusted working days are all entered: from now on
    working-day deadlines in it are computed from the calendar, and those that waited for it are
    computed after the commit (``deadlines_recompute``, in the background). Refused for a year
    with no day entered (every year has its Spring Festival) and for a year already complete. Only
    the deputy-affairs office may call it."""
    _require_office(actor)
    _check_year(year, field="year")
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(
        year=year
    )
    if calendar_year.is_complete:
        raise DomainError(_("{year}年已标记为录入完整。").format(year=year))
    if not CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31))).exists():
        raise DomainError(
            _("{year}年尚未录入任何节假日，不能标记为录入完整。请先按国务院办公厅的通知逐日录入。").format(
                year=year
            )
        )
    calendar_year.is_complete = True
    calendar_year.published_on = published_on
    calendar_year.note = (note or "").strip()
    calendar_year.updated_by = actor
    calendar_year._history_user = actor
    try:
        with transaction.atomic():
            calendar_year.save()
    except IntegrityError:
        raise ConflictError(_("该年份刚被他人标记，请刷新页面。")) from None
    _calendar_changed()
    # The deadlines that waited for this year can be computed now: after the commit, in the
    # background (a few hundred rows at most, one transaction each).
    enqueue(RECOMPUTE_TASK)
    return calendar_year


# --- Seeding from the chinesecalendar package ----------------------------------------------------


def package_years() -> list[int]:
    """The years the installed ``chinesecalendar`` knows: it raises ``NotImplementedError`` for any
    other (1.11.0 knows 2004-2026, not 2027)."""
    last = max(PACKAGE_FIRST_YEAR, timezone.localdate().year) + PACKAGE_PROBE_YEARS_AHEAD
    years = []
    for year in range(PACKAGE_FIRST_YEAR, last + 1):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return years


def package_days(years: list[int]) -> dict[date, tuple[bool, str]]:
    """The package's special days of ``years``: date → (is_workday, name). Its holidays (those on
    a weekend too, so that the calendar names the whole break) and adjusted working days."""
    wanted = set(years)
    days: dict[date, tuple[bool, str]] = {}
    for day, key in chinese_calendar.holidays.items():
        if day.year in wanted:
            days[day] = (False, _holiday_name(key))
    for day, key in chinese_calendar.workdays.items():
        if day.year in wanted:
            days[day] = (True, _holiday_name(key) + ADJUSTED_WORKDAY_NAME)
    return days


def _holiday_name(key) -> str:
    key = getattr(key, "value", key)
    if key in PACKAGE_HOLIDAY_NAMES:
        return PACKAGE_HOLIDAY_NAMES[key]
    try:
        return chinese_calendar.Holiday(key).chinese
    except ValueError:
        return str(key)


def seed_calendar(*, day_model, year_model, years: list[int], actor=None, with_history: bool = True) -> dict:
    """Bring the package's rows of ``years`` into ``day_model`` and mark the years complete in
    ``year_model``; rows staff entered or changed are kept as they are. A few bulk queries
    whatever the number of years.

    Shared by ``calendar_seed_from_package`` and migration ``0002_calendar_seed``, which passes its
    historical models and ``with_history=False`` (they have no history): keep this signature.
    """
    if not years:
        return {"years": [], "created": 0, "updated": 0, "deleted": 0, "kept": 0, "marked_complete": 0}
    wanted = package_days(years)
    span = (date(min(years), 1, 1), date(max(years), 12, 31))
    seeded_years = set(years)
    existing = {
        row.date: row
        for row in day_model._default_manager.filter(date__range=span)
        if row.date.year in seeded_years
    }

    now = timezone.now()
    to_create, to_update, kept = [], [], 0
    for day, (workday, name) in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            to_create.append(
                day_model(date=day, is_workday=workday, name=name, source=CalendarDaySource.PACKAGE)
            )
        elif row.source != CalendarDaySource.PACKAGE:
            kept += 1
        elif (row.is_workday, row.name) != (workday, name):
            row.is_workday, row.name, row.updated_at = workday, name, now
            to_update.append(row)
    # A package row that a newer package no longer has (a corrected release) goes; staff rows stay.
    stale = [
        row.pk
        for day, row in existing.items()
        if day not in wanted and row.source == CalendarDaySource.PACKAGE
    ]

    fields = ["is_workday", "name", "updated_at"]
    if with_history:
        if to_create:
            bulk_create_with_history(to_create, day_model, batch_size=500, default_user=actor)
        if to_update:
            bulk_update_with_history(to_update, day_model, fields, batch_size=500, default_user=actor)
        for row in day_model._default_manager.filter(pk__in=stale):
            row._history_user = actor
            row.delete()
    else:
        day_model._default_manager.bulk_create(to_create, batch_size=500)
        day_model._default_manager.bulk_update(to_update, fields, batch_size=500)
        day_model._default_manager.filter(pk__in=stale).delete()

    marked = 0
    note = f"由节假日数据包 chinesecalendar {chinese_calendar.__version__} 导入"
    known = {row.year: row for row in year_model._default_manager.filter(year__in=years)}
    for year in years:
        row = known.get(year) or year_model(year=year)
        if row.is_complete:
            continue
        row.is_complete = True
        row.note = row.note or note
        if with_history:
            row.updated_by = actor
            row._history_user = actor
        row.save()
        marked += 1
    return {
        "years": list(years),
        "created": len(to_create),
        "updated": len(to_update),
        "deleted": len(stale),
        "kept": kept,
        "marked_complete": marked,
    }


@transaction.atomic
def calendar_seed_from_package(*, years: list[int] | None = None, actor=None) -> dict:
    """Seed the calendar from the installed ``chinesecalendar`` package: the holidays and adjusted
    working days of every year it knows (or of those in ``years`` it knows), and mark those years
    complete. Idempotent: a second run writes nothing. Never overwrites or deletes a row staff
    entered or changed.

    Returns ``years`` (seeded), ``unsupported`` (asked for, unknown to the package) and the counts
    ``created``, ``updated``, ``deleted``, ``kept`` (staff rows left alone), ``marked_complete``.
    Called by ``lvzhi calendar_seed`` (a fresh database is seeded by migration 0002); ``actor``,
    if given, is recorded in the row history.
    """
    known = package_years()
    asked = known if years is None else sorted(set(years))
    chosen = [year for year in asked if year in known]
    result = seed_calendar(day_model=CalendarDay, year_model=CalendarYear, years=chosen, actor=actor)
    result["unsupported"] = [year for year in asked if year not in known]
    _calendar_changed()
    if result["marked_complete"]:
        enqueue(RECOMPUTE_TASK)  # a package that now knows next year: its flagged deadlines
    return result
