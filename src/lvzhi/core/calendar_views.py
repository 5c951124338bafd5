"""/calendar/: the working-day calendar page of the deputy-affairs office.

One year at a time: its months with holidays and adjusted working days, whether the year is
complete, the form to enter or change a day, the button that marks the year complete, the year's
change history, and a warning while this year or the next is not complete. Whatever the year: the
deadlines still waiting for holiday data, by kind, and the button that computes them now.

Thin: reads and writes go through ``lvzhi.core.calendar``. Only the office
(``accounts.roles.is_office``) gets here; anybody else signed in gets 404, anonymous users the
login page.
"""

from calendar import Calendar
from datetime import date, datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.accounts.roles import is_office

from . import calendar
from .errors import DomainError
from .history import HISTORY_ACTIONS
from .models import CalendarDay, CalendarYear

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
KIND_REST, KIND_WORKDAY = "rest", "workday"
SERVICE_FIELDS = {"is_workday": "kind"}  # the service's argument → the form's field


def office_required(view):
    """Log in first; then 404, not 403, for anybody outside the deputy-affairs office."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class CalendarDayForm(forms.Form):
    """A holiday or an adjusted working day. The shape is checked here; the calendar's rules (a
    day that needs no row, a holiday without a name, a day already entered) by
    ``calendar.calendar_day_save``."""

    date = forms.DateField(
        label=gettext_lazy("日期"),
        widget=DATE_WIDGET,
        error_messages={
            "required": gettext_lazy("请填写日期。"),
            "invalid": gettext_lazy("请填写有效的日期，例如 2027-02-10。"),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        choices=[
            (KIND_REST, gettext_lazy("休息日（放假）")),
            (KIND_WORKDAY, gettext_lazy("工作日（调休上班）")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": gettext_lazy("请选择休息日或工作日。")},
    )
    name = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": gettext_lazy("如：春节")}),
        help_text=gettext_lazy("放假的日期填写节日名称；调休上班的日期可不填。"),
        error_messages={"max_length": gettext_lazy("名称不能超过 50 个字。")},
    )
    expected_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_row(cls, row: CalendarDay, *, data=None) -> "CalendarDayForm":
        """The form editing ``row``: its values, and the version an edit must carry."""
        initial = {
            "date": row.date,
            "kind": KIND_WORKDAY if row.is_workday else KIND_REST,
            "name": row.name,
            "expected_updated_at": row.updated_at.isoformat(),
        }
        if data is not None:
            data = data.copy()
            data["expected_updated_at"] = initial["expected_updated_at"]
            return cls(data)
        return cls(initial=initial)

    def clean_expected_updated_at(self) -> datetime | None:
        raw = self.cleaned_data.get("expected_updated_at") or ""
        if not raw:
            return None
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(_("页面已过期，请刷新后重新编辑。")) from None


class CalendarYearCompleteForm(forms.Form):
    published_on = forms.DateField(
        label=gettext_lazy("放假安排发布日期"),
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": gettext_lazy("请填写有效的日期，例如 2026-11-12。")},
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "placeholder": gettext_lazy("如：国务院办公厅关于2027年部分节假日安排的通知"),
            }
        ),
        error_messages={"max_length": gettext_lazy("说明不能超过 200 个字。")},
    )


def _page_year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if calendar.MIN_YEAR <= year <= calendar.MAX_YEAR else default


def _months(year: int, rows: list[CalendarDay], today: date) -> list[dict]:
    """The twelve months of ``year`` as weeks of seven cells (Monday first; ``None`` pads)."""
    by_date = {row.date: row for row in rows}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                row = by_date.get(day)
                if row is not None and not row.is_workday:
                    kind = "holiday"
                elif row is not None and not calendar.is_weekday(day):
                    kind = "adjusted"
                elif calendar.is_weekday(day):
                    kind = "workday"
                else:
                    kind = "weekend"
                cells.append(
                    {"date": day, "kind": kind, "name": row.name if row else "", "is_today": day == today}
                )
            weeks.append(cells)
        months.append({"number": month, "weeks": weeks})
    return months


def _history(records) -> list[dict]:
    entries = []
    for record in records:
        if isinstance(record, CalendarYear.history.model):
            what = _("{year}年：{state}").format(
                year=record.year, state=_("已录入完整") if record.is_complete else _("未录入完整")
            )
        else:
            what = "{day}：{kind}{name}".format(
                day=calendar.format_day(record.date),
                kind=_("工作日") if record.is_workday else _("休息日"),
                name=f"（{record.name}）" if record.name else "",
            )
        entries.append(
            {
                "when": record.history_date,
                "who": str(record.history_user) if record.history_user else _("系统"),
                "action": HISTORY_ACTIONS.get(record.history_type, record.history_type),
                "what": what,
            }
        )
    return entries


def _render_page(request, *, year: int, form: CalendarDayForm | None = None):
    today = timezone.localdate()
    rows = calendar.calendar_days_of_year(year=year)
    calendar_year = CalendarYear.objects.select_related("updated_by").filter(year=year).first()
    known_years = set(CalendarYear.objects.values_list("year", flat=True))
    years = sorted(known_years | set(range(today.year - 1, today.year + 3)) | {year})
    context = {
        "year": year,
        "years": years,
        "calendar_year": calendar_year,
        "is_complete": bool(calendar_year and calendar_year.is_complete),
        "months": _months(year, rows, today),
        "rows": rows,
        "history": _history(calendar.calendar_year_history(year=year)),
        "incomplete_years": calendar.calendar_years_incomplete(today=today),
        "waiting_deadlines": calendar.deadlines_waiting(),
        "form": form or CalendarDayForm(initial={"kind": KIND_REST}),
        "complete_form": CalendarYearCompleteForm(),
        "package_source": calendar.CalendarDaySource.PACKAGE,
    }
    return render(request, "core/calendar.html", context)


@office_required
@require_http_methods(["GET"])
def calendar_page(request):
    """The year of ``?year=`` (default this year). ``?date=2027-02-10`` opens that day in the form,
    to edit it if it has a row."""
    year = _page_year(request.GET.get("year"), timezone.localdate().year)
    form = None
    raw_date = request.GET.get("date")
    if raw_date:
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            day = None
        if day is not None and calendar.MIN_YEAR <= day.year <= calendar.MAX_YEAR:
            year = day.year
            row = CalendarDay.objects.filter(date=day).first()
            form = (
                CalendarDayForm.for_row(row)
                if row
                else CalendarDayForm(
                    initial={"date": day, "kind": KIND_WORKDAY if not calendar.is_weekday(day) else KIND_REST}
                )
            )
    return _render_page(request, year=year, form=form)


@office_required
@require_POST
def calendar_day_save(request):
    """Enter or change a day; on a refusal the page comes back with the form and the reason."""
    form = CalendarDayForm(request.POST)
    year = _page_year(request.POST.get("year"), timezone.localdate().year)
    if form.is_valid():
        day = form.cleaned_data["date"]
        year = _page_year(day.year, year)
        try:
            row, written = calendar.calendar_day_save(
                day=day,
                is_workday=form.cleaned_data["kind"] == KIND_WORKDAY,
                name=form.cleaned_data["name"],
                actor=request.user,
                expected_updated_at=form.cleaned_data["expected_updated_at"],
            )
        except calendar.CalendarDayExistsError as error:
            # Switch to editing the existing row: the staff member's values stay in the form,
            # the row's version is taken, and saving again changes it.
            form = CalendarDayForm.for_row(error.existing, data=request.POST)
            form.is_valid()
            form.add_error("date", error.message)
        except DomainError as error:
            field = SERVICE_FIELDS.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            if written:
                messages.success(
                    request,
                    _("已保存{day}：{kind}{name}。").format(
                        day=calendar.format_day(row.date),
                        kind=_("工作日") if row.is_workday else _("休息日"),
                        name=f"（{row.name}）" if row.name else "",
                    ),
                )
            else:
                messages.info(request, _("内容没有变化，未作修改。"))
            return redirect(f"{reverse('core:calendar')}?year={row.date.year}")
    return _render_page(request, year=year, form=form)


@office_required
@require_POST
def calendar_day_delete(request):
    """Remove a day staff entered (the page asks first)."""
    try:
        day = date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        raise Http404 from None
    try:
        calendar.calendar_day_delete(day=day, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除{day}的记录。").format(day=calendar.format_day(day)))
    return redirect(f"{reverse('core:calendar')}?year={day.year}")


@office_required
@require_POST
def calendar_year_complete(request, year: int):
    """Mark ``year`` complete (the page asks first)."""
    if not calendar.MIN_YEAR <= year <= calendar.MAX_YEAR:
        raise Http404
    form = CalendarYearCompleteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            calendar.calendar_year_mark_complete(
                year=year,
                actor=request.user,
                published_on=form.cleaned_data["published_on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "已将{year}年标记为录入完整，落在该年的工作日期限将按本日历计算；"
                    "此前因缺少该年节假日数据而未计算的期限将随即在后台计算。"
                ).format(year=year),
            )
    return redirect(f"{reverse('core:calendar')}?year={year}")


@office_required
@require_POST
def calendar_deadlines_recompute(request):
    """Compute the deadlines that waited for holiday data now (the page asks first), as marking a
    year complete does in the background, and say how many were computed and how many still wait."""
    year = _page_year(request.POST.get("year"), timezone.localdate().year)
    try:
        result = calendar.deadlines_recompute(actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if result.computed:
            messages.success(
                request,
                _("已计算{count}个待补录的期限：{kinds}。").format(
                    count=result.computed, kinds=calendar.deadlines_recompute_describe(result)
                ),
            )
        else:
            messages.info(request, _("没有可以计算的期限。"))
        if result.still_flagged:
            messages.warning(
                request,
                _(
                    "仍有{count}条记录的期限落在节假日安排尚未录入完整的年份，"
                    "请录入该年份的放假安排并标记录入完整。"
                ).format(count=result.still_flagged),
            )
    return redirect(f"{reverse('core:calendar')}?year={year}")
