"""The supervision pages' table rows and exports, built in Python like ``suggestions.tables``: they
read only what the selectors joined, prefetched or annotated, never the database."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.suggestions import tables as suggestion_tables
from lvzhi.suggestions.choices import AssignmentRole, Satisfaction, SuggestionStatus
from lvzhi.suggestions.choices import SuggestionEventType as E

from .choices import ActivityKind, MeetingDecision, SupervisionKind, SupervisionStatus

STATUS_BADGES = {
    SupervisionStatus.IN_PROGRESS: "bg-blue-lt",
    SupervisionStatus.FINISHED: "bg-green-lt",
    SupervisionStatus.CARRIED_OVER: "bg-secondary-lt",
}
KIND_BADGES = {
    SupervisionKind.KEY: "bg-red-lt",
    SupervisionKind.COUNTERPART: "bg-purple-lt",
    SupervisionKind.FOLLOW_UP: "bg-azure-lt",
}


def status_badge(status: str) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="supervision-status">{}</span>',
        STATUS_BADGES.get(status, ""),
        SupervisionStatus(status).label,
    )


def kind_badge(kind: str) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>', KIND_BADGES.get(kind, ""), SupervisionKind(kind).label
    )


def _iso(value) -> str:
    return value.isoformat() if value else "—"


def team_text(item) -> str:
    """The team's names: platform users (prefetched) and the others typed in."""
    names = [str(member) for member in item.team_members.all()]
    if item.team:
        names.append(item.team)
    return "、".join(names)


def item_rows(items) -> SafeString:
    """``<tr>`` elements of the item list; ``items`` come from ``selectors.supervision_item_list``."""
    detail = reverse("supervision:detail", args=[0]).removesuffix("0/")
    return format_html_join(
        "\n",
        '<tr><td>{}</td><td class="text-nowrap">{}</td><td><a href="{}{}/">{}</a></td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                item.year,
                item.suggestion.number_label or "—",
                detail,
                item.pk,
                item.suggestion.title,
                kind_badge(item.kind),
                str(item.leader) if item.leader_id else "—",
                item.committee.name if item.committee_id else "—",
                suggestion_tables.units_text(item.suggestion) or "—",
                suggestion_tables.status_badge(item.suggestion.status),
                _iso(getattr(item, "latest_activity", None)),
                status_badge(item.status),
            )
            for item in items
        ),
    )


def item_export_row(item) -> list:
    s = item.suggestion
    return [
        item.year,
        str(SupervisionKind(item.kind).label),
        s.number_label,
        s.title,
        s.lead_mandate.person.name,
        s.field.name if s.field_id else "",
        str(item.leader) if item.leader_id else "",
        item.committee.name if item.committee_id else "",
        team_text(item),
        suggestion_tables.units_text(s),
        str(SuggestionStatus(s.status).label),
        suggestion_tables.reply_due_of(s),
        getattr(item, "latest_activity", None),
        str(SupervisionStatus(item.status).label),
        item.decision_ref,
        item.conclusion,
    ]


ITEM_EXPORT_HEADERS = (
    gettext_lazy("年度"),
    gettext_lazy("督办类型"),
    gettext_lazy("建议号"),
    gettext_lazy("标题"),
    gettext_lazy("领衔代表"),
    gettext_lazy("所属领域"),
    gettext_lazy("领衔督办领导"),
    gettext_lazy("对口委员会"),
    gettext_lazy("督办组成员"),
    gettext_lazy("承办单位"),
    gettext_lazy("办理状态"),
    gettext_lazy("答复期限"),
    gettext_lazy("最近督办活动"),
    gettext_lazy("督办状态"),
    gettext_lazy("决定会议"),
    gettext_lazy("督办结论"),
)


def satisfaction_text(value) -> str:
    return str(Satisfaction(value).label) if value else "—"


# -- History ----------------------------------------------------------------------------------------


def event_details(event) -> str:
    """A line saying what a supervision event did, from its payload."""
    p = event.payload or {}
    if event.type == E.SUPERVISION_STARTED:
        parts = [
            _("{year}年度{kind}").format(year=p.get("year", ""), kind=_label(SupervisionKind, p.get("kind"))),
            _("领衔：{name}").format(name=p["leader"]) if p.get("leader") else "",
            _("对口委员会：{name}").format(name=p["committee"]) if p.get("committee") else "",
        ]
        return "；".join(part for part in parts if part)
    if event.type == E.SUPERVISION_CHANGED:
        return _("调整了{count}项安排").format(count=len(p.get("fields", [])))
    if event.type == E.SUPERVISION_ACTIVITY:
        return "{} {}".format(p.get("happened_on", ""), _label(ActivityKind, p.get("activity_kind")))
    if event.type == E.SUPERVISION_CARRIED_OVER:
        return _("结转至{year}年度").format(year=p.get("to_year", ""))
    if event.type in (E.CAMPAIGN_ADDED, E.CAMPAIGN_REMOVED):
        return p.get("name", "")
    if event.type == E.REASSIGNED_AT_MEETING:
        return "；".join(
            _("{unit}：{decision}{new_unit}").format(
                unit=row.get("unit", ""),
                decision=_label(MeetingDecision, row.get("decision")),
                new_unit=f"（{row['new_unit']}）" if row.get("new_unit") else "",
            )
            for row in p.get("decisions", [])
        )
    return ""


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


# -- The meeting's per-unit list ----------------------------------------------------------------------


def meeting_export_row(index: int, record) -> list:
    suggestion = record.assignment.suggestion
    return [
        index,
        record.unit.name,
        suggestion.number_label,
        suggestion.title,
        suggestion.lead_mandate.person.name,
        str(AssignmentRole(record.assignment.role).label),
        str(MeetingDecision(record.decision).label),
        record.assignment.unit.name if record.new_assignment_id else "",
        record.due,
        _("待补录工作日历") if record.needs_calendar and record.due is None else "",
        record.note,
    ]


MEETING_EXPORT_HEADERS = (
    gettext_lazy("序号"),
    gettext_lazy("承办单位"),
    gettext_lazy("建议号"),
    gettext_lazy("标题"),
    gettext_lazy("领衔代表"),
    gettext_lazy("承办方式"),
    gettext_lazy("交办决定"),
    gettext_lazy("原承办单位"),
    gettext_lazy("重新办理期限"),
    gettext_lazy("期限说明"),
    gettext_lazy("交办意见"),
)


MEETING_ROW = (
    '<tr><td class="text-nowrap">{number}</td><td><a href="{url}" target="_blank">{title}</a></td>'
    '<td>{deputy}</td><td>{unit}（{role}）</td><td>{count}</td><td class="text-nowrap">{due}</td>'
    '<td><label class="visually-hidden" for="decision_{pk}">{label} {decision_label}</label>'
    '<select class="form-select form-select-sm" id="decision_{pk}" name="decision_{pk}">{decisions}</select></td>'
    '<td><label class="visually-hidden" for="unit_{pk}">{label} {unit_label}</label>'
    '<select class="form-select form-select-sm" id="unit_{pk}" name="unit_{pk}">{empty}{units}</select></td>'
    '<td><label class="visually-hidden" for="note_{pk}">{label} {note_label}</label>'
    '<input class="form-control form-control-sm" id="note_{pk}" name="note_{pk}" value="{note}"></td></tr>'
)


def _options(options, selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in options),
    )


def meeting_rows(assignments, units, data=None) -> SafeString:
    """One row per dissatisfied assignment with its decision select (default: back to the same
    unit), the new unit's select and a note, each labelled “第2001号（市住建局） 交办决定” for screen
    readers and tests, keeping what was posted."""
    detail = reverse("suggestions:detail", args=[0]).removesuffix("0/")
    decisions = [
        (MeetingDecision.SAME_UNIT.value, str(MeetingDecision.SAME_UNIT.label)),
        (MeetingDecision.NEW_UNIT.value, str(MeetingDecision.NEW_UNIT.label)),
        ("skip", _("本次不交办")),
    ]
    unit_options = [(str(unit.pk), unit.name) for unit in units]
    labels = {"decision_label": _("交办决定"), "unit_label": _("新承办单位"), "note_label": _("交办意见")}
    rows = []
    for a in assignments:
        s, pk = a.suggestion, a.pk
        rows.append(
            format_html(
                MEETING_ROW,
                pk=pk,
                number=s.number_label or "—",
                url=f"{detail}{s.pk}/",
                title=s.title,
                deputy=s.lead_mandate.person.name,
                unit=a.unit.name,
                role=AssignmentRole(a.role).label,
                count=a.dissatisfied_count,
                due=_iso(a.rehandling_due),
                label=f"{s.number_label or s.title}（{a.unit.name}）",
                decisions=_options(
                    decisions, data.get(f"decision_{pk}", "") if data else MeetingDecision.SAME_UNIT
                ),
                empty=format_html('<option value="">{}</option>', _("请选择")),
                units=_options(unit_options, data.get(f"unit_{pk}", "") if data else ""),
                note=data.get(f"note_{pk}", "") if data else "",
                **labels,
            )
        )
    # Safe: every row was built by format_html, which escaped its values.
    return SafeString("\n".join(rows))
