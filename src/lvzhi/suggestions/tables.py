"""The suggestion pages' table rows and small displays, built in Python.

Like the registry (``deputies/tables.py``), list rows are rendered with ``format_html`` rather than
the template engine: a 50-row page of a dozen cells costs a fraction of the template's time. The
rows read only what the selectors joined or prefetched: no queries here.
"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import (
    AssignmentRole,
    AssignmentStatus,
    ContactMethod,
    ContactStage,
    InadmissibleReason,
    Satisfaction,
    SuggestionEventType,
    SuggestionSeries,
    SuggestionStatus,
)
from .selectors import CO_INPUT_STATUSES, FINISHED_SUGGESTION_STATUSES, OPEN_ASSIGNMENT_STATUSES

S = SuggestionStatus
A = AssignmentStatus

STATUS_BADGES = {
    S.DRAFT: "bg-secondary-lt",
    S.AWAITING_COSIGNERS: "bg-yellow-lt",
    S.SUBMITTED: "bg-azure-lt",
    S.RETURNED_FOR_REVISION: "bg-orange-lt",
    S.REJECTED: "bg-red-lt",
    S.CONVERTED_TO_LETTER: "bg-secondary-lt",
    S.ACCEPTED: "bg-cyan-lt",
    S.ASSIGNED: "bg-blue-lt",
    S.HANDLING: "bg-indigo-lt",
    S.REPLY_SUBMITTED: "bg-purple-lt",
    S.REPLIED: "bg-teal-lt",
    S.REHANDLING: "bg-orange-lt",
    S.CLOSED: "bg-green-lt",
    S.WITHDRAWN: "bg-secondary-lt",
}
ASSIGNMENT_BADGES = {
    A.ASSIGNED: "bg-yellow-lt",
    A.ACKNOWLEDGED: "bg-blue-lt",
    A.OBJECTED: "bg-red-lt",
    A.REASSIGNED: "bg-secondary-lt",
    A.INPUT_SUBMITTED: "bg-teal-lt",
    A.REPLY_SUBMITTED: "bg-purple-lt",
    A.REPLIED: "bg-green-lt",
    A.REHANDLING: "bg-orange-lt",
    A.CANCELLED: "bg-secondary-lt",
}
SATISFACTION_BADGES = {
    Satisfaction.SATISFIED: "bg-green-lt",
    Satisfaction.BASICALLY_SATISFIED: "bg-teal-lt",
    Satisfaction.DISSATISFIED: "bg-red-lt",
}
# A deadline this close is shown as near (DOMAIN §5: reminders go out before every deadline).
NEAR_DAYS = 7


def status_badge(status: str) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="suggestion-status">{}</span>',
        STATUS_BADGES.get(status, ""),
        S(status).label,
    )


def satisfaction_badge(value: str | None) -> SafeString:
    if not value:
        return mark_safe("—")
    return format_html(
        '<span class="badge {}">{}</span>', SATISFACTION_BADGES.get(value, ""), Satisfaction(value).label
    )


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


# -- Deadlines --------------------------------------------------------------------------------------


def assignment_due(assignment) -> date | None:
    """What the unit owes next and by when: the re-handling reply, a co-unit's input, or the reply."""
    if assignment.status == A.REHANDLING:
        return assignment.rehandling_due
    if assignment.role == AssignmentRole.CO and assignment.status in CO_INPUT_STATUSES:
        return assignment.co_input_due
    return assignment.reply_due


def is_finished(assignment) -> bool:
    """Whether the assignment's suggestion is closed (or withdrawn): nothing is owed on it but its
    promises, whatever status the assignment was left in (``selectors.assignment_finished_q``)."""
    return assignment.suggestion.status in FINISHED_SUGGESTION_STATUSES


def due_state(assignment, today: date | None = None) -> str:
    """``overdue``, ``near`` (within ``NEAR_DAYS``) or ``""`` for an assignment's next deadline; the
    same rule as ``selectors.assignment_overdue_q``."""
    due = assignment_due(assignment)
    if due is None or assignment.status not in OPEN_ASSIGNMENT_STATUSES or is_finished(assignment):
        return ""
    today = today or timezone.localdate()
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=NEAR_DAYS):
        return "near"
    return ""


def due_cell(assignment, today: date) -> SafeString:
    """The next deadline, highlighted when near or overdue; flagged when it waits for the calendar."""
    due = assignment_due(assignment)
    if due is None:
        text = _("待补录工作日历") if assignment.needs_calendar else "—"
        return format_html('<span class="text-secondary">{}</span>', text)
    return highlighted_due(due, due_state(assignment, today), today)


def assign_due_state(suggestion, today: date) -> str:
    """DOMAIN §5.3: a recess suggestion received and not yet assigned owes its assignment by
    ``assign_due``: ``overdue``, ``near`` or ``""`` by the same rule as every other deadline."""
    due = suggestion.assign_due
    if due is None or suggestion.status not in (S.SUBMITTED, S.ACCEPTED):
        return ""
    if due < today:
        return "overdue"
    return "near" if due <= today + timedelta(days=NEAR_DAYS) else ""


def suggestion_due_cell(suggestion, today: date) -> SafeString:
    """The list's deadline: until it is assigned, a recess suggestion's assignment deadline
    (highlighted like the others); afterwards the earliest reply deadline."""
    if suggestion.status in (S.SUBMITTED, S.ACCEPTED) and suggestion.assign_due is not None:
        cell = highlighted_due(suggestion.assign_due, assign_due_state(suggestion, today), today)
        return format_html("{} {}", _("应交办"), cell)
    return format_html("{}", _iso(reply_due_of(suggestion)))


def highlighted_due(due: date, state: str, today: date) -> SafeString:
    if state == "overdue":
        return format_html(
            '<span class="text-danger fw-bold">{}</span> <span class="badge bg-red-lt">{}</span>',
            due.isoformat(),
            _("已超期{days}天").format(days=(today - due).days),
        )
    if state == "near":
        return format_html(
            '<span class="text-warning fw-bold">{}</span> <span class="badge bg-yellow-lt">{}</span>',
            due.isoformat(),
            _("剩{days}天").format(days=(due - today).days),
        )
    return format_html("{}", due.isoformat())


def open_assignments(suggestion) -> list:
    """The suggestion's prefetched assignments still in charge (a re-assigned one is shown through
    its sub-unit; cancelled ones are not prefetched by ``selectors.suggestion_list``)."""
    return [a for a in suggestion.assignments.all() if a.status not in (A.CANCELLED, A.REASSIGNED)]


def units_text(suggestion) -> str:
    return "、".join(
        f"{a.unit.short_name or a.unit.name}（{AssignmentRole(a.role).label}）"
        for a in open_assignments(suggestion)
    )


def reply_due_of(suggestion) -> date | None:
    """The earliest deadline among the units that reply to the deputy."""
    dues = [
        assignment_due(a)
        for a in open_assignments(suggestion)
        if a.role != AssignmentRole.CO and assignment_due(a) is not None
    ]
    return min(dues, default=None)


# -- The suggestion list ----------------------------------------------------------------------------


def _lead_text(suggestion) -> str:
    signers = [s for s in suggestion.signers.all() if s.status == "confirmed"]
    name = suggestion.lead_mandate.person.name
    return _("{name}等{count}人").format(name=name, count=len(signers) + 1) if signers else name


def suggestion_rows(suggestions) -> SafeString:
    """``<tr>`` elements of the suggestion list; ``suggestions`` come from ``selectors.suggestion_list``
    annotated with ``satisfaction``."""
    detail = reverse("suggestions:detail", args=[0]).removesuffix("0/")
    today = timezone.localdate()
    return format_html_join(
        "\n",
        '<tr><td class="text-nowrap">{}</td><td><a href="{}{}/">{}</a>{}</td><td>{}</td><td>{}</td>'
        '<td>{}</td><td>{}</td><td class="text-nowrap">{}</td><td>{}</td></tr>',
        (
            (
                s.number_label or "—",
                detail,
                s.pk,
                s.title,
                format_html(' <span class="badge bg-secondary-lt">{}</span>', _("不宜公开"))
                if s.is_confidential
                else "",
                _lead_text(s),
                s.field.name if s.field_id else "—",
                units_text(s) or "—",
                status_badge(s.status),
                suggestion_due_cell(s, today),
                satisfaction_badge(getattr(s, "satisfaction", None)),
            )
            for s in suggestions
        ),
    )


def suggestion_export_row(s) -> list:
    return [
        s.number_label,
        s.title,
        str(SuggestionSeries(s.series).label),
        s.session.label if s.session_id else "",
        s.lead_mandate.person.name,
        "、".join(x.mandate.person.name for x in s.signers.all() if x.status == "confirmed"),
        s.field.name if s.field_id else "",
        units_text(s),
        str(S(s.status).label),
        timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M") if s.submitted_at else "",
        reply_due_of(s),
        str(Satisfaction(s.satisfaction).label) if getattr(s, "satisfaction", None) else "",
        _("是") if s.is_hard else _("否"),
        _("是") if s.is_confidential else _("否"),
    ]


SUGGESTION_EXPORT_HEADERS = (
    gettext_lazy("建议号"),
    gettext_lazy("标题"),
    gettext_lazy("提出时间"),
    gettext_lazy("会议"),
    gettext_lazy("领衔代表"),
    gettext_lazy("联名代表"),
    gettext_lazy("所属领域"),
    gettext_lazy("承办单位"),
    gettext_lazy("状态"),
    gettext_lazy("提交时间"),
    gettext_lazy("答复期限"),
    gettext_lazy("满意度"),
    gettext_lazy("涉及面广、处理难度大"),
    gettext_lazy("不宜公开"),
)


# -- The unit work list -----------------------------------------------------------------------------


def work_status(assignment) -> tuple[str, str]:
    """The status a work-list row shows and its badge class: the assignment's, or the suggestion's
    (已办结) once it is closed."""
    if is_finished(assignment):
        status = assignment.suggestion.status
        return str(S(status).label), STATUS_BADGES.get(status, "")
    return str(A(assignment.status).label), ASSIGNMENT_BADGES.get(assignment.status, "")


def work_status_badge(assignment) -> SafeString:
    label, css = work_status(assignment)
    return format_html('<span class="badge {}" data-testid="work-status">{}</span>', css, label)


def merged_badge(assignment, work_url: str) -> SafeString:
    """并案: a link to the work list narrowed to the assignment's merge group."""
    if assignment.merge_group is None:
        return mark_safe("")
    return format_html(
        ' <a class="badge bg-purple-lt" href="{}?unit={}&amp;merge_group={}" title="{}">{}</a>',
        work_url,
        assignment.unit_id,
        assignment.merge_group,
        _("查看同一并案组的建议"),
        _("并案"),
    )


def assignment_rows(assignments, today: date) -> SafeString:
    detail = reverse("suggestions:detail", args=[0]).removesuffix("0/")
    work_url = reverse("suggestions:work")
    rows = []
    for a in assignments:
        s = a.suggestion
        state = due_state(a, today)
        rows.append(
            (
                {"overdue": "table-danger", "near": "table-warning"}.get(state, ""),
                s.number_label or "—",
                detail,
                s.pk,
                s.title,
                s.lead_mandate.person.name,
                format_html(
                    "{}{}{}",
                    AssignmentRole(a.role).label,
                    _("（转办）") if a.parent_id else "",
                    merged_badge(a, work_url),
                ),
                work_status_badge(a),
                a.assigned_on.isoformat(),
                _iso(a.objection_deadline),
                due_cell(a, today),
                getattr(a, "open_commitments", 0) or "—",
            )
        )
    return format_html_join(
        "\n",
        '<tr class="{}"><td class="text-nowrap">{}</td><td><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td>'
        '<td>{}</td><td>{}</td><td>{}</td><td class="text-nowrap">{}</td><td>{}</td></tr>',
        rows,
    )


def assignment_export_row(a, today: date) -> list:
    s = a.suggestion
    return [
        s.number_label,
        s.title,
        s.lead_mandate.person.name,
        a.unit.name,
        str(AssignmentRole(a.role).label),
        work_status(a)[0],
        a.assigned_on,
        a.objection_deadline,
        a.reply_due,
        a.co_input_due,
        a.rehandling_due,
        getattr(a, "open_commitments", 0),
        _("是") if a.needs_calendar else "",
        _("是") if due_state(a, today) == "overdue" else "",
        _("是") if a.merge_group else "",
    ]


ASSIGNMENT_EXPORT_HEADERS = (
    gettext_lazy("建议号"),
    gettext_lazy("标题"),
    gettext_lazy("领衔代表"),
    gettext_lazy("承办单位"),
    gettext_lazy("承办方式"),
    gettext_lazy("状态"),
    gettext_lazy("交办日期"),
    gettext_lazy("异议截止日期"),
    gettext_lazy("答复期限"),
    gettext_lazy("协办意见期限"),
    gettext_lazy("重新办理期限"),
    gettext_lazy("未兑现承诺事项"),
    gettext_lazy("期限待补录工作日历"),
    gettext_lazy("已超期"),
    gettext_lazy("并案"),
)


# -- The assignment meeting -------------------------------------------------------------------------


def unit_options(units) -> list[tuple[str, str]]:
    return [(str(unit.pk), unit.name) for unit in units]


def _options(options: list[tuple[str, str]], selected: set[str]) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value in selected else "", label) for value, label in options),
    )


BULK_ROW = (
    '<tr><td class="text-nowrap">{label}</td><td><a href="{url}" target="_blank">{title}</a></td>'
    "<td>{deputy}</td><td>{field}</td>"
    '<td><label class="visually-hidden" for="lead_{pk}">{label} {lead_label}</label>'
    '<select class="form-select form-select-sm" id="lead_{pk}" name="lead_{pk}">{empty}{lead}</select></td>'
    '<td><label class="visually-hidden" for="co_{pk}">{label} {co_label}</label>'
    '<select class="form-select form-select-sm" id="co_{pk}" name="co_{pk}" multiple size="2">{co}</select></td>'
    '<td class="text-center"><input class="form-check-input" type="checkbox" id="hard_{pk}" name="hard_{pk}"'
    ' value="1"{checked}><label class="visually-hidden" for="hard_{pk}">{label} {hard_label}</label></td>'
    '<td class="text-center"><input class="form-check-input" type="checkbox" id="merge_{pk}" name="merge_{pk}"'
    ' value="1"{merge_checked}><label class="visually-hidden" for="merge_{pk}">{label} {merge_label}</label></td>'
    "</tr>"
)


def bulk_assign_rows(suggestions, options: list[tuple[str, str]], data) -> SafeString:
    """One row per accepted suggestion with its lead-unit select, co-unit multi-select, hard flag and
    merged-handling tick, each labelled “第2001号 主办单位” for screen readers and browser tests,
    keeping what was posted."""
    detail = reverse("suggestions:detail", args=[0]).removesuffix("0/")
    labels = {
        "lead_label": _("主办单位"),
        "co_label": _("协办单位"),
        "hard_label": _("涉及面广、处理难度大"),
        "merge_label": _("并案办理"),
    }
    empty = format_html('<option value="">{}</option>', _("不交办"))
    rows = []
    for s in suggestions:
        pk = s.pk
        hard = bool(data.get(f"hard_{pk}")) if data else s.is_hard
        rows.append(
            format_html(
                BULK_ROW,
                pk=pk,
                label=s.number_label or s.title,
                url=f"{detail}{pk}/",
                title=s.title,
                deputy=s.lead_mandate.person.name,
                field=s.field.name if s.field_id else "—",
                empty=empty,
                lead=_options(options, {data.get(f"lead_{pk}", "")} if data else set()),
                co=_options(options, set(data.getlist(f"co_{pk}")) if data else set()),
                checked=mark_safe(" checked") if hard else "",
                merge_checked=mark_safe(" checked") if data and data.get(f"merge_{pk}") else "",
                **labels,
            )
        )
    # Safe: every row was built by format_html, which escaped its values.
    return mark_safe("\n".join(rows))


# -- History ----------------------------------------------------------------------------------------

E = SuggestionEventType


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def event_details(event) -> str:
    """A line saying what the event did, from its payload (ids and names, never personal data)."""
    p = event.payload or {}
    parts = []
    if event.type == E.ACCEPTED:
        parts.append(
            _("建议号：{number}；所属领域：{field}").format(
                number=p.get("number", ""), field=p.get("field", "")
            )
        )
        if p.get("is_hard"):
            parts.append(_("涉及面广、处理难度大"))
    elif event.type == E.REJECTED and p.get("rejection_reason"):
        parts.append(_choice_label(InadmissibleReason, p["rejection_reason"]))
    elif event.type == E.COSIGNERS_INVITED:
        parts.append(_("邀请：{names}").format(names="、".join(p.get("names", []))))
    elif event.type in (E.COSIGNER_CONFIRMED, E.COSIGNER_DECLINED):
        parts.append(p.get("name", ""))
    elif event.type == E.ASSIGNED:
        for unit in p.get("units", []):
            # A co-unit owes the lead unit its input, not the deputy a reply (DOMAIN §5.3).
            co_unit = unit.get("role") == AssignmentRole.CO
            template = (
                _("{unit}（{role}），协办意见期限 {due}")
                if co_unit
                else _("{unit}（{role}），答复期限 {due}")
            )
            parts.append(
                template.format(
                    unit=unit.get("unit", ""),
                    role=_choice_label(AssignmentRole, unit.get("role")),
                    due=unit.get("co_input_due" if co_unit else "reply_due") or PENDING_CALENDAR,
                )
            )
        if p.get("merge_group"):
            parts.append(_("并案办理"))
    elif event.type == E.REASSIGNED:
        parts.append(
            _("{from_unit} 转办 {unit}").format(from_unit=p.get("from_unit", ""), unit=p.get("unit", ""))
        )
    elif event.type == E.OBJECTION_UPHELD and p.get("new_unit"):
        parts.append(_("改由{unit}承办").format(unit=p["new_unit"]))
    elif event.type == E.CONTACT_LOGGED:
        parts.append(
            "{} · {} · {} · {}".format(
                p.get("contacted_on", ""),
                _choice_label(ContactStage, p.get("stage")),
                _choice_label(ContactMethod, p.get("method")),
                p.get("deputy", ""),
            )
        )
    elif event.type == E.COMMITMENT_RECORDED:
        parts.append(_("兑现期限 {due}").format(due=p.get("due_date", "")))
    elif event.type in (E.REPLY_SUBMITTED, E.REPLY_RELEASED, E.FOLLOW_UP_REPLIED) and p.get("result_class"):
        parts.append(_("办理结果：{code}").format(code=p["result_class"]))
        if p.get("evaluation_due"):
            parts.append(_("评价截止 {due}").format(due=p["evaluation_due"]))
    elif event.type == E.REPLY_EVALUATED:
        text = _choice_label(Satisfaction, p.get("satisfaction"))
        if p.get("process_rating"):
            text += _("（过程：{process}；结果：{result}）").format(
                process=_choice_label(Satisfaction, p.get("process_rating")),
                result=_choice_label(Satisfaction, p.get("result_rating")),
            )
        parts.append(text)
    elif event.type == E.REHANDLING:
        parts.append(_("重新办理期限 {due}").format(due=p.get("rehandling_due") or PENDING_CALENDAR))
    elif event.type == E.ESCALATED:
        parts.append(_("不满意{count}次").format(count=p.get("dissatisfied_count", "")))
    elif event.type == E.CLOSED:
        if p.get("follow_up_required"):
            parts.append(_("需跟踪答复"))
        if p.get("open_commitments"):
            parts.append(_("未兑现承诺事项{count}项").format(count=p["open_commitments"]))
    elif event.type in (E.ATTACHMENT_ADDED, E.ATTACHMENT_REMOVED):
        parts.append(p.get("name", ""))
    elif event.type == E.UPDATED:
        parts.append(_("修改了{count}项内容").format(count=len(p.get("fields", []))))
    return join_parts(parts)


# What a deputy reads for a deadline that waits for the year's holidays: plain words, not the
# office's "待补录工作日历".
PENDING_CALENDAR = gettext_lazy("将于节假日安排公布后确定")
PUNCTUATION = "。；;，,、！？"


def join_parts(parts) -> str:
    """Parts joined by "；", each without its own closing punctuation: never "。；" or "；；"."""
    cleaned = (str(part).strip().rstrip(PUNCTUATION) for part in parts)
    return "；".join(part for part in cleaned if part)


def event_unit(event) -> str:
    """The unit an event concerns: from the payload, else the assignment's (joined by the selector)."""
    payload = event.payload or {}
    if payload.get("unit") and event.type != E.REASSIGNED:
        return payload["unit"]
    if event.assignment_id and event.type != E.ASSIGNED:
        return event.assignment.unit.name
    return ""
