"""The meeting that re-assigns the dissatisfied suggestions (不满意件交办会, DOMAIN §5.7): each
re-handled assignment back to its unit with a new deadline, or to a new unit."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError
from lvzhi.suggestions import workflow as suggestion_workflow
from lvzhi.suggestions.choices import AssignmentStatus
from lvzhi.suggestions.choices import SuggestionEventType as E
from lvzhi.suggestions.handling import (
    Deadlines,
    assignment_replace,
    iso_date,
    record_event,
    refuse_batch,
    rehandling_deadline,
    rehandling_extend,
    roll_up,
    unit_users,
)
from lvzhi.suggestions.models import Assignment, Suggestion
from lvzhi.suggestions.rules import rules_for

from ..choices import MeetingDecision
from ..models import DissatisfiedMeeting, MeetingReassignment
from .plumbing import check_not_future, check_office, notify, work_link


class MeetingRow(NamedTuple):
    """One decision of the meeting: the dissatisfied assignment, back to its unit (``same_unit``) or
    to ``new_unit`` (``new_unit``), with the meeting's note."""

    assignment: Assignment
    decision: str
    new_unit: object = None
    note: str = ""


def _check_row(
    row: MeetingRow, assignment: Assignment, suggestion: Suggestion, *, congress, actor, context, planned: set
) -> None:
    """Why the meeting cannot decide ``row`` (a ``DomainError``), if it cannot. ``planned``: the
    (suggestion, unit) pairs the meeting's earlier rows already give a new unit."""
    if suggestion.congress_id != congress.pk:
        raise DomainError(_("不是本级人大的建议。"))
    if row.decision not in MeetingDecision.values:
        raise DomainError(_("请选择交办决定。"))
    if assignment.status != AssignmentStatus.REHANDLING:
        raise DomainError(
            _("当前不是代表不满意、重新办理中的交办（{status}）。").format(
                status=AssignmentStatus(assignment.status).label
            )
        )
    new_unit = None
    if row.decision == MeetingDecision.NEW_UNIT:
        new_unit = row.new_unit
        if new_unit is None:
            raise DomainError(_("请选择新的承办单位。"))
        if new_unit.pk == assignment.unit_id:
            raise DomainError(_("新的承办单位不能是原承办单位。"))
        if not new_unit.is_active:
            raise DomainError(_("承办单位“{unit}”已停用。").format(unit=new_unit.name))
        taken = (
            suggestion.assignments.filter(unit=new_unit).exclude(status=AssignmentStatus.CANCELLED).exists()
        )
        if taken or (suggestion.pk, new_unit.pk) in planned:
            raise DomainError(_("{unit}已承办该建议。").format(unit=new_unit.name))
        planned.add((suggestion.pk, new_unit.pk))
    suggestion_workflow.check_assignment(
        assignment,
        suggestion_workflow.Action.REASSIGN_AT_MEETING,
        actor,
        suggestion_workflow.Context(today=context.today, rules=context.rules, inputs={"new_unit": new_unit}),
    )


@transaction.atomic
def dissatisfied_meeting_hold(
    *, congress, name: str, held_on: date, note: str = "", decisions: Sequence, actor
) -> DissatisfiedMeeting:
    """Hold the meeting that re-assigns the dissatisfied suggestions (不满意件交办会): all decisions
    or none. Each names an assignment being re-handled after a 不满意 (``rehandling``):

    - ``same_unit``: the unit re-handles it with a new deadline, ``held_on`` + the congress's
      re-handling period (``handling.rehandling_deadline``: days or months);
    - ``new_unit``: the assignment is cancelled (its reminders too) and the suggestion assigned to
      the new unit in the same role, its reply due ``held_on`` + the re-handling months (the other
      deadlines as for any assignment made that day); the suggestion's status is rolled up again.

    Writes the meeting, one ``MeetingReassignment`` per decision, one ``reassigned_at_meeting``
    event per suggestion, and tells each unit once. Who: the office; ``held_on`` not in the future."""
    check_office(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写会议名称。"), field="name")
    if held_on is None:
        raise DomainError(_("请填写会议日期。"), field="held_on")
    check_not_future(held_on, _("会议日期不能晚于今天。"), "held_on")
    rows = [row if isinstance(row, MeetingRow) else MeetingRow(*row) for row in decisions]
    if not rows:
        raise DomainError(_("请至少对一件不满意件作出交办决定。"), field="decisions")
    assignment_ids = [getattr(row.assignment, "pk", row.assignment) for row in rows]
    if len(set(assignment_ids)) != len(assignment_ids):
        raise DomainError(_("同一不满意件不能重复交办。"), field="decisions")
    suggestion_ids = sorted(
        set(Assignment.objects.filter(pk__in=assignment_ids).values_list("suggestion_id", flat=True))
    )
    suggestions = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",))
        .filter(pk__in=suggestion_ids)
        .order_by("pk")
    }
    assignments = {
        assignment.pk: assignment
        for assignment in Assignment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=assignment_ids)
        .order_by("pk")
    }
    rules = rules_for(congress)
    context = suggestion_workflow.Context(today=timezone.localdate(), rules=rules)
    errors, planned = [], set()
    for index, (row, pk) in enumerate(zip(rows, assignment_ids, strict=True), start=1):
        assignment = assignments.get(pk)
        if assignment is None:
            errors.append(_("第{index}条：交办记录不存在。").format(index=index))
            continue
        suggestion = suggestions[assignment.suggestion_id]
        assignment.suggestion = suggestion
        try:
            _check_row(
                row, assignment, suggestion, congress=congress, actor=actor, context=context, planned=planned
            )
        except DomainError as error:
            errors.append(
                _("第{index}条{label}“{title}”（{unit}）：{message}").format(
                    index=index,
                    label=suggestion.number_label,
                    title=suggestion.title,
                    unit=assignment.unit.name,
                    message=error.message,
                )
            )
    refuse_batch(errors, _("以下不满意件不能交办，本次交办会未登记：{errors}{more}"), field="decisions")

    meeting = DissatisfiedMeeting.objects.create(
        congress=congress, name=name, held_on=held_on, note=(note or "").strip(), held_by=actor
    )
    due, needs_calendar = rehandling_deadline(held_on, rules)
    deadlines = Deadlines(held_on)
    by_suggestion: dict[int, list[dict]] = defaultdict(list)
    records = []
    notices: dict[tuple[str, int], int] = Counter()
    for row, pk in zip(rows, assignment_ids, strict=True):
        assignment = assignments[pk]
        suggestion = assignment.suggestion
        record = MeetingReassignment(
            meeting=meeting,
            assignment=assignment,
            decision=row.decision,
            due=due,
            needs_calendar=needs_calendar,
            note=(row.note or "").strip(),
        )
        if row.decision == MeetingDecision.SAME_UNIT:
            rehandling_extend(assignment, due=due, needs_calendar=needs_calendar, actor=actor)
            notices[("same", assignment.unit_id)] += 1
        else:
            replacement = assignment_replace(
                assignment,
                row.new_unit,
                due=due,
                needs_calendar=needs_calendar,
                deadlines=deadlines,
                rules=rules,
                actor=actor,
            )
            record.new_assignment = replacement
            notices[("new", row.new_unit.pk)] += 1
            notices[("moved", assignment.unit_id)] += 1
        records.append(record)
        by_suggestion[suggestion.pk].append(
            {
                "assignment": assignment.pk,
                "unit": assignment.unit.name,
                "decision": row.decision,
                "new_unit": row.new_unit.name if record.new_assignment else "",
                "new_assignment": record.new_assignment.pk if record.new_assignment else None,
                "due": iso_date(due),
            }
        )
    MeetingReassignment.objects.bulk_create(records)

    for suggestion_id, decided in by_suggestion.items():
        suggestion = suggestions[suggestion_id]
        before, after = roll_up(suggestion, actor)
        single = decided[0] if len(decided) == 1 else None
        record_event(
            suggestion,
            E.REASSIGNED_AT_MEETING,
            actor,
            from_status=before,
            to_status=after,
            reason=meeting.note,
            assignment=assignments[single["assignment"]] if single else None,
            payload={
                "meeting": meeting.pk,
                "name": meeting.name,
                "held_on": held_on.isoformat(),
                **({"unit": single["unit"]} if single else {}),
                "decisions": decided,
            },
        )
    titles = {
        "same": _("不满意件交办会：您单位须重新办理{count}件建议，请在{due}前答复。"),
        "new": _("不满意件交办会：向您单位交办建议{count}件，请及时签收，在{due}前答复。"),
        "moved": _("不满意件交办会：您单位承办的{count}件建议改由其他单位办理。"),
    }
    for (kind, unit_id), count in notices.items():
        notify(
            unit_users(unit_id),
            kind=f"supervision.meeting_{kind}",
            title=titles[kind].format(count=count, due=iso_date(due) or _("待补录工作日历后确定的日期")),
            link=work_link(),
            target=meeting,
        )
    return meeting
