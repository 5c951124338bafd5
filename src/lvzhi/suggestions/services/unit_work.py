"""The unit's work on an assignment (DOMAIN §5.3-5.4): acknowledge, object and the office's
decision, re-assign to a sub-unit, a co-unit's input, contacts with the deputy, commitments."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.models import save_fields

from .. import workflow
from ..choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ContactMethod,
    ContactStage,
    ObjectionStatus,
)
from ..choices import SuggestionEventType as E
from ..handling import (
    ASSIGNMENT_REMINDERS,
    REMIND_CO_INPUT,
    REMIND_COMMITMENT,
    REMIND_RECEIPT,
    Deadlines,
    assignment_move,
    context_for,
    deputies_of,
    deputy_users,
    lock_assignment,
    lock_suggestion,
    new_assignment,
    notify,
    office_users,
    record_event,
    remind,
    remind_cancel,
    remind_done,
    roll_up,
    schedule_assignment_reminders,
    unit_users,
)
from ..models import Assignment, Commitment, Contact, Objection, Suggestion
from ..rules import rules_for
from ..workflow import Action
from .checks import check_date_not_future


@transaction.atomic
def assignment_acknowledge(*, assignment, actor) -> Assignment:
    """签收: the unit acknowledges receipt. Who: staff of the assigned unit."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(assignment, Action.ACKNOWLEDGE, actor, context_for(suggestion))
    assignment.acknowledged_at = timezone.now()
    assignment_move(
        assignment,
        transition.target,
        actor=actor,
        event_type=E.ACKNOWLEDGED,
        fields=["acknowledged_at"],
        payload={"unit": assignment.unit.name},
    )
    remind_done(assignment, REMIND_RECEIPT)
    return assignment


@transaction.atomic
def assignment_object(*, assignment, reason: str, actor, today: date | None = None) -> Objection:
    """异议: the unit says the assignment is wrong, within the objection window (N working days from
    the assignment date, DOMAIN §5.3); after it the assignment stands. Staff decide
    (``objection_decide``). Who: staff of the assigned unit (a top-level assignment)."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(
        assignment, Action.OBJECT, actor, context_for(suggestion, today=today)
    )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明异议理由。"), field="reason")
    objection = Objection.objects.create(
        assignment=assignment, reason=reason, raised_by=actor, status_before=assignment.status
    )
    assignment_move(
        assignment,
        transition.target,
        actor=actor,
        event_type=E.OBJECTED,
        reason=reason,
        payload={"unit": assignment.unit.name, "objection": objection.pk},
    )
    remind_done(assignment, REMIND_RECEIPT)
    notify(
        office_users(),
        kind="suggestion.objected",
        title=_("{unit}对交办提出异议：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        body=reason,
        suggestion=suggestion,
    )
    return objection


@transaction.atomic
def objection_decide(
    *, objection, uphold: bool, actor, note: str = "", new_unit=None, on: date | None = None
) -> Objection:
    """Decide an objection. Upheld: the assignment is cancelled and the suggestion assigned to
    ``new_unit`` in the same role, with fresh deadlines from ``on`` (the re-assignment date).
    Rejected (with a note): the unit handles it as assigned. Who: the office."""
    on = on or timezone.localdate()
    check_date_not_future(on, timezone.localdate(), _("交办日期不能晚于今天。"))
    suggestion = lock_suggestion(objection.assignment.suggestion_id)
    assignment = lock_assignment(objection.assignment_id, suggestion)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    action = Action.UPHOLD_OBJECTION if uphold else Action.REJECT_OBJECTION
    if not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)
    if objection.status != ObjectionStatus.PENDING:
        raise DomainError(_("该异议已处理。"))
    transition = workflow.check_assignment(assignment, action, actor, context_for(suggestion))
    note = (note or "").strip()
    now = timezone.now()
    objection.decided_by, objection.decided_at, objection.decision_note = actor, now, note
    if uphold:
        if new_unit is None:
            raise DomainError(_("异议成立须指定新的承办单位。"), field="new_unit")
        if new_unit.pk == assignment.unit_id:
            raise DomainError(_("新的承办单位不能是提出异议的单位。"), field="new_unit")
        if not new_unit.is_active:
            raise DomainError(_("承办单位“{unit}”已停用。").format(unit=new_unit.name), field="new_unit")
        if suggestion.assignments.filter(unit=new_unit).exclude(status=AssignmentStatus.CANCELLED).exists():
            raise DomainError(_("{unit}已承办该建议。").format(unit=new_unit.name), field="new_unit")
        assignment.status = transition.target
        save_fields(assignment, actor, ["status"])
        replacement = new_assignment(
            suggestion,
            new_unit,
            assignment.role,
            actor=actor,
            deadlines=Deadlines(on),
            rules=rules_for(suggestion.congress_id),
            merge_group=assignment.merge_group,
        )
        objection.status, objection.new_assignment = ObjectionStatus.UPHELD, replacement
        remind_cancel(assignment, *ASSIGNMENT_REMINDERS)
        schedule_assignment_reminders(replacement, suggestion)
        notify(
            unit_users(new_unit.pk),
            kind="suggestion.assigned",
            title=_("新交办建议（{role}）：{title}").format(
                role=replacement.get_role_display(), title=suggestion.title
            ),
            suggestion=suggestion,
        )
        payload = {"unit": assignment.unit.name, "new_unit": new_unit.name, "new_assignment": replacement.pk}
    else:
        if not note:
            raise DomainError(_("请说明异议不成立的理由。"), field="note")
        assignment.status = transition.target
        # Objecting shows the unit received it.
        assignment.acknowledged_at = assignment.acknowledged_at or objection.created_at
        save_fields(assignment, actor, ["status", "acknowledged_at"])
        objection.status = ObjectionStatus.REJECTED
        payload = {"unit": assignment.unit.name}
    objection.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "new_assignment", "updated_at"]
    )
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.OBJECTION_UPHELD if uphold else E.OBJECTION_REJECTED,
        actor,
        from_status=before,
        to_status=after,
        assignment=assignment,
        reason=note,
        payload=payload,
    )
    notify(
        unit_users(assignment.unit_id),
        kind="suggestion.objection_decided",
        title=(
            _("您单位的交办异议成立：{title}")
            if uphold
            else _("您单位的交办异议不成立，请按交办办理：{title}")
        ).format(title=suggestion.title),
        body=note,
        suggestion=suggestion,
    )
    return objection


@transaction.atomic
def assignment_reassign(*, assignment, sub_unit, actor, on: date | None = None) -> Assignment:
    """Two-level assignment: a unit passes its assignment to one of its sub-units
    (``HandlingUnit.parent``), which handles and replies in its place with the same deadlines
    (the statutory time runs from the first assignment). Who: staff of the assigned unit."""
    on = on or timezone.localdate()
    check_date_not_future(on, timezone.localdate(), _("转办日期不能晚于今天。"))
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(assignment, Action.REASSIGN, actor, context_for(suggestion))
    if sub_unit.parent_id != assignment.unit_id:
        raise DomainError(_("只能转办给本单位的下级单位。"), field="sub_unit")
    if not sub_unit.is_active:
        raise DomainError(_("承办单位“{unit}”已停用。").format(unit=sub_unit.name), field="sub_unit")
    if suggestion.assignments.filter(unit=sub_unit).exclude(status=AssignmentStatus.CANCELLED).exists():
        raise DomainError(_("{unit}已承办该建议。").format(unit=sub_unit.name), field="sub_unit")
    assignment.status = transition.target
    assignment.acknowledged_at = assignment.acknowledged_at or timezone.now()
    save_fields(assignment, actor, ["status", "acknowledged_at"])
    child = Assignment(
        suggestion=suggestion,
        unit=sub_unit,
        role=assignment.role,
        parent=assignment,
        merge_group=assignment.merge_group,
        status=AssignmentStatus.ASSIGNED,
        assigned_on=on,
        assigned_by=actor,
        reply_due=assignment.reply_due,
        co_input_due=assignment.co_input_due,
        needs_calendar=assignment.needs_calendar,
    )
    child._history_user = actor
    child.save()
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.REASSIGNED,
        actor,
        from_status=before,
        to_status=after,
        assignment=child,
        payload={"from_unit": assignment.unit.name, "unit": sub_unit.name, "parent": assignment.pk},
    )
    remind_cancel(assignment, *ASSIGNMENT_REMINDERS)
    schedule_assignment_reminders(child, suggestion)
    notify(
        unit_users(sub_unit.pk),
        kind="suggestion.assigned",
        title=_("{unit}转办建议：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )
    return child


@transaction.atomic
def assignment_input_submit(*, assignment, text: str, actor) -> Assignment:
    """A co-unit's written input to the lead unit (DOMAIN §5.3: within one month).
    Who: staff of the co-unit."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(assignment, Action.SUBMIT_INPUT, actor, context_for(suggestion))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写协办意见。"), field="text")
    assignment.status = transition.target
    assignment.input_text = text
    assignment.input_submitted_at = timezone.now()
    save_fields(assignment, actor, ["status", "input_text", "input_submitted_at"])
    record_event(
        suggestion,
        E.INPUT_SUBMITTED,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={"unit": assignment.unit.name},
    )
    remind_done(assignment, REMIND_CO_INPUT)
    lead_units = [
        a.unit_id
        for a in workflow.replying_assignments(suggestion.assignments.all())
        if a.role == AssignmentRole.LEAD
    ]
    notify(
        unit_users(*lead_units),
        kind="suggestion.co_input",
        title=_("{unit}已提交协办意见：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )
    return assignment


def _check_deputy_of(suggestion: Suggestion, mandate) -> None:
    if mandate.pk not in deputies_of(suggestion):
        raise DomainError(_("只能记录与本建议领衔代表或联名代表的沟通。"), field="deputy")


@transaction.atomic
def contact_log(
    *,
    assignment,
    actor,
    deputy,
    contacted_on: date,
    stage: str,
    method: str,
    note: str = "",
    today: date | None = None,
) -> Contact:
    """Log a contact with the deputy (Art. 51: before, during and after handling).
    Who: staff of the assigned unit, after receipt."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    ctx = context_for(suggestion, today=today)
    workflow.check_assignment(assignment, Action.LOG_CONTACT, actor, ctx)
    if stage not in ContactStage.values:
        raise DomainError(_("请选择沟通环节（办前、办中、办后）。"), field="stage")
    if method not in ContactMethod.values:
        raise DomainError(_("请选择沟通方式。"), field="method")
    _check_deputy_of(suggestion, deputy)
    check_date_not_future(contacted_on, ctx.today, _("沟通日期不能晚于今天。"))
    if contacted_on < assignment.assigned_on:
        raise DomainError(_("沟通日期不能早于交办日期。"), field="contacted_on")
    contact = Contact.objects.create(
        assignment=assignment,
        deputy=deputy,
        contacted_on=contacted_on,
        stage=stage,
        method=method,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    # The note may name people and numbers: it stays out of the event.
    record_event(
        suggestion,
        E.CONTACT_LOGGED,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={
            "unit": assignment.unit.name,
            "stage": stage,
            "method": method,
            "contacted_on": contacted_on.isoformat(),
            "deputy": deputy.person.name,
        },
    )
    return contact


@transaction.atomic
def commitment_record(
    *, assignment, text: str, due_date: date, actor, today: date | None = None
) -> Commitment:
    """Record a promise made while handling (承诺事项), with the date it is due; it is tracked until
    kept (DOMAIN §5.4, §5.9). Who: staff of the assigned unit, after receipt."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    ctx = context_for(suggestion, today=today)
    workflow.check_assignment(assignment, Action.RECORD_COMMITMENT, actor, ctx)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写承诺内容。"), field="text")
    if due_date < ctx.today:
        raise DomainError(_("承诺兑现期限不能早于今天。"), field="due_date")
    commitment = Commitment(
        suggestion=suggestion,
        assignment=assignment,
        unit=assignment.unit,
        text=text,
        due_date=due_date,
        recorded_by=actor,
    )
    commitment._history_user = actor
    commitment.save()
    record_event(
        suggestion,
        E.COMMITMENT_RECORDED,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={"unit": assignment.unit.name, "commitment": commitment.pk, "due_date": due_date.isoformat()},
    )
    remind(
        commitment,
        kind=REMIND_COMMITMENT,
        due_date=due_date,
        recipients=unit_users(assignment.unit_id),
        title=_("承诺事项即将到期：{title}").format(title=suggestion.title),
        suggestion=suggestion,
    )
    return commitment


@transaction.atomic
def commitment_keep(*, commitment, evidence: str, actor) -> Commitment:
    """Mark a promise kept, with how (DOMAIN §5.9: promises are tracked to fulfilment, also after
    the suggestion is closed). Who: staff of the unit that made it, or the office."""
    suggestion = lock_suggestion(commitment.suggestion_id)
    assignment = lock_assignment(commitment.assignment_id, suggestion)
    workflow.check_assignment(assignment, Action.KEEP_COMMITMENT, actor, context_for(suggestion))
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status == CommitmentStatus.KEPT:
        raise DomainError(_("该承诺事项已兑现。"))
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("请说明承诺事项的兑现情况。"), field="evidence")
    commitment.status = CommitmentStatus.KEPT
    commitment.kept_at = timezone.now()
    commitment.evidence = evidence
    save_fields(commitment, actor, ["status", "kept_at", "evidence"])
    record_event(
        suggestion,
        E.COMMITMENT_KEPT,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={"unit": assignment.unit.name, "commitment": commitment.pk},
    )
    remind_done(commitment, REMIND_COMMITMENT)
    notify(
        deputy_users(*deputies_of(suggestion)),
        kind="suggestion.commitment_kept",
        title=_("{unit}已兑现承诺事项：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )
    return commitment
