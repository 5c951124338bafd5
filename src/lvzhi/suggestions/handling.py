"""The public kernel of suggestion handling: what every service that changes a suggestion does,
and what other apps (``lvzhi.supervision``) may call.

- locks: ``lock_suggestion`` first, then ``lock_assignment``; every action on a suggestion takes the
  suggestion's row lock first, so concurrent actions queue;
- history: ``record_event`` writes a ``SuggestionEvent``; ``roll_up`` sets the suggestion's status
  from its assignments (``workflow.status_from_assignments``);
- moves: ``suggestion_move`` (set the suggestion's status, save, write the event) and
  ``assignment_move`` (set the assignment's status, save, roll up, write the event), the steps
  every plain transition takes in that order;
- deadlines: ``deadline_from`` and ``Deadlines`` (a working-day deadline in a year without holiday
  data is ``None`` and flagged, never counted as weekdays);
- assignments: ``build_assignment``/``new_assignment`` with their deadlines, ``cancel_assignment``,
  ``schedule_assignment_reminders``;
- batches (bulk assignment, supervision's batch actions): ``refuse_batch`` refuses all of a batch,
  naming the first ten problems;
- side effects after commit: ``notify``, ``remind``, ``remind_done``, ``remind_cancel`` and the
  recipients ``unit_users``, ``deputy_users``, ``office_users``.

Nothing here checks who may act: the calling service checks the transition (``workflow``) first.
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import OFFICE_ROLES
from lvzhi.core.errors import ConflictError, DomainError
from lvzhi.core.models import save_fields
from lvzhi.notifications.services import after_commit

from . import workflow
from .choices import AssignmentRole, AssignmentStatus, SignerStatus
from .models import Assignment, Suggestion, SuggestionEvent
from .rules import rules_for
from .workflow import Context

# Reminder kinds (lvzhi.notifications): one per deadline, on the object that owes the step.
REMIND_ASSIGN = "suggestion.assign_due"
REMIND_RECEIPT = "suggestion.receipt_due"  # acknowledge or object within the objection window
REMIND_CO_INPUT = "suggestion.co_input_due"
REMIND_REPLY = "suggestion.reply_due"
REMIND_REHANDLING = "suggestion.rehandling_due"
REMIND_EVALUATION = "suggestion.evaluation_due"
REMIND_COMMITMENT = "suggestion.commitment_due"
ASSIGNMENT_REMINDERS = (REMIND_RECEIPT, REMIND_CO_INPUT, REMIND_REPLY, REMIND_REHANDLING)
# What each reminder says, ``{title}`` the suggestion's (also used by ``deadlines``).
REMINDER_TITLES = {
    # DOMAIN §5.3: between sessions, staff assign within 5 working days of receipt.
    REMIND_ASSIGN: _("请在期限内审查并交办闭会期间建议：{title}"),
    REMIND_RECEIPT: _("请签收建议（如有异议请在期限内提出）：{title}"),
    REMIND_CO_INPUT: _("请向主办单位提交协办意见：{title}"),
    REMIND_REPLY: _("请按期答复代表建议：{title}"),
    REMIND_REHANDLING: _("代表不满意，请重新办理并答复：{title}"),
    REMIND_EVALUATION: _("请评价承办单位的答复：{title}"),
}


def lock_suggestion(suggestion, *, expected_version: int | None = None) -> Suggestion:
    """Lock the suggestion row for the rest of the transaction: every action on a suggestion takes
    this lock first, so concurrent actions queue and the later one sees the earlier one's result.
    A stale ``expected_version`` (the page or API read an older state) is a conflict."""
    pk = getattr(suggestion, "pk", suggestion)
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("lead_mandate__person", "congress", "session")
        .get(pk=pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(_("该建议已被他人处理或修改，请刷新页面后重试。"))
    return locked


def lock_assignment(assignment, suggestion: Suggestion) -> Assignment:
    pk = getattr(assignment, "pk", assignment)
    locked = Assignment.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)
    if locked.suggestion_id != suggestion.pk:
        raise DomainError(_("交办记录与建议不符。"))
    locked.suggestion = suggestion
    return locked


def context_for(suggestion: Suggestion, *, today: date | None = None, **inputs) -> Context:
    return Context(
        today=today or timezone.localdate(), rules=rules_for(suggestion.congress_id), inputs=inputs
    )


def record_event(
    suggestion: Suggestion,
    type: str,
    actor,
    *,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    assignment: Assignment | None = None,
    payload: dict | None = None,
) -> SuggestionEvent:
    return SuggestionEvent.record(
        type,
        actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        suggestion=suggestion,
        assignment=assignment,
        payload=payload,
    )


def roll_up(suggestion: Suggestion, actor) -> tuple[str, str]:
    """Set the suggestion's status from its assignments (``workflow.status_from_assignments``)."""
    before = suggestion.status
    after = workflow.status_from_assignments(suggestion.assignments.all())
    if after != before:
        suggestion.status = after
        save_fields(suggestion, actor, ["status"])
    return before, after


def suggestion_move(
    suggestion: Suggestion,
    target: str,
    *,
    actor,
    event_type: str,
    fields: Iterable[str] = (),
    reason="",
    payload: dict | None = None,
) -> str:
    """Move the suggestion itself to ``target``: save its status with the other ``fields`` the
    caller has set, and write the event from the status before. Returns the status before."""
    before = suggestion.status
    suggestion.status = target
    save_fields(suggestion, actor, ["status", *fields])
    record_event(
        suggestion,
        event_type,
        actor,
        from_status=before,
        to_status=suggestion.status,
        reason=reason,
        payload=payload,
    )
    return before


def assignment_move(
    assignment: Assignment,
    target: str,
    *,
    actor,
    event_type: str,
    fields: Iterable[str] = (),
    reason="",
    payload: dict | None = None,
) -> tuple[str, str]:
    """Move ``assignment`` (locked with ``lock_assignment``, so its ``suggestion`` is the locked
    one) to ``target``: save its status with the other ``fields`` the caller has set, roll the
    suggestion's status up and write the event on the assignment. Returns the suggestion's status
    before and after."""
    assignment.status = target
    save_fields(assignment, actor, ["status", *fields])
    suggestion = assignment.suggestion
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        event_type,
        actor,
        from_status=before,
        to_status=after,
        assignment=assignment,
        reason=reason,
        payload=payload,
    )
    return before, after


def refuse_batch(problems: list, message, *, field: str | None = None) -> None:
    """All or nothing: if any item of a batch is refused, refuse the batch with ``message`` (its
    ``{errors}`` the first ten problems, ``{more}`` how many there are beyond them)."""
    if problems:
        shown = "；".join(str(problem) for problem in problems[:10])
        more = _("等{count}条").format(count=len(problems)) if len(problems) > 10 else ""
        raise DomainError(message.format(errors=shown, more=more), field=field)


def rehandling_deadline(start: date, rules) -> tuple[date | None, bool]:
    """DOMAIN §5.7: the re-handling reply is due ``rehandling_days`` calendar days after ``start``
    when the congress counts in days, else ``rehandling_months`` calendar months."""
    if rules.rehandling_days:
        return start + timedelta(days=rules.rehandling_days), False
    return deadline_from(start, months=rules.rehandling_months)


def deadline_from(start: date, *, months: int = 0, working_days: int = 0) -> tuple[date | None, bool]:
    """A due date from ``lvzhi.core.calendar`` and whether it waits for holiday data. A working-day
    deadline in a year without holiday data is ``None`` and flagged, never counted as weekdays."""
    from lvzhi.core import calendar

    try:
        result = calendar.deadline(start, months=months, working_days=working_days)
    except calendar.CalendarUnknownError:
        return None, True
    if result.needs_calendar or result.due is None:
        return None, True
    return result.due, False


def link_to(suggestion: Suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


# -- Side effects after commit ----------------------------------------------------------------------


def notify(recipients: Callable[[], list], *, kind: str, title, suggestion: Suggestion, body="") -> None:
    after_commit(
        "notify",
        recipients=recipients,
        kind=kind,
        title=str(title),
        body=str(body),
        link=link_to(suggestion),
        target=suggestion,
    )


def remind(target, *, kind: str, due_date: date | None, recipients: Callable[[], list], title, suggestion):
    if due_date is None:
        return
    after_commit(
        "reminder_schedule",
        target=target,
        kind=kind,
        due_date=due_date,
        recipients=recipients,
        title=str(title),
        link=link_to(suggestion),
    )


def remind_assign(suggestion) -> None:
    """Remind the office of a between-sessions suggestion's assignment deadline (``assign_due``)."""
    remind(
        suggestion,
        kind=REMIND_ASSIGN,
        due_date=suggestion.assign_due,
        recipients=office_users(),
        title=REMINDER_TITLES[REMIND_ASSIGN].format(title=suggestion.title),
        suggestion=suggestion,
    )


def remind_done(target, *kinds: str) -> None:
    for kind in kinds:
        after_commit("reminder_complete", target=target, kind=kind)


def remind_cancel(target, *kinds: str) -> None:
    for kind in kinds:
        after_commit("reminder_cancel", target=target, kind=kind)


def unit_users(*unit_ids: int) -> Callable[[], list]:
    return lambda: list(
        get_user_model().objects.filter(
            role=Role.HANDLING_UNIT_STAFF, handling_unit_id__in=unit_ids, is_active=True
        )
    )


def deputy_users(*mandate_ids: int) -> Callable[[], list]:
    return lambda: list(
        get_user_model().objects.filter(person__mandates__in=mandate_ids, is_active=True).distinct()
    )


def office_users() -> Callable[[], list]:
    return lambda: list(get_user_model().objects.filter(role__in=OFFICE_ROLES, is_active=True))


def deputies_of(suggestion: Suggestion) -> list[int]:
    """The lead and the confirmed co-signers: whom the suggestion's news and replies go to."""
    confirmed = suggestion.signers.filter(status=SignerStatus.CONFIRMED).values_list("mandate_id", flat=True)
    return [suggestion.lead_mandate_id, *confirmed]


class Deadlines:
    """The deadlines of assignments made on one day, computed once per kind (bulk assignment)."""

    def __init__(self, on: date):
        self.on = on
        self.cache: dict[tuple[int, int], tuple[date | None, bool]] = {}

    def get(self, *, months: int = 0, working_days: int = 0) -> tuple[date | None, bool]:
        key = (months, working_days)
        if key not in self.cache:
            self.cache[key] = deadline_from(self.on, months=months, working_days=working_days)
        return self.cache[key]


def build_assignment(
    suggestion: Suggestion, unit, role: str, *, actor, deadlines: Deadlines, rules, merge_group=None
) -> Assignment:
    """An (unsaved) assignment with its deadlines from the assignment date: the reply in 3 months
    (6 when hard, Art. 51), the co-unit's input in 1 month, the objection window in N working days
    (DOMAIN §5.3). A deadline the calendar cannot compute yet is left empty and flagged."""
    reply_due, reply_flag = deadlines.get(months=rules.reply_months_for(is_hard=suggestion.is_hard))
    objection_deadline, objection_flag = deadlines.get(working_days=rules.objection_working_days)
    co_input_due, co_flag = (None, False)
    if role == AssignmentRole.CO:
        co_input_due, co_flag = deadlines.get(months=rules.co_input_months)
    return Assignment(
        suggestion=suggestion,
        unit=unit,
        role=role,
        merge_group=merge_group,
        status=AssignmentStatus.ASSIGNED,
        assigned_on=deadlines.on,
        assigned_by=actor,
        reply_due=reply_due,
        objection_deadline=objection_deadline,
        co_input_due=co_input_due,
        needs_calendar=reply_flag or objection_flag or co_flag,
    )


def new_assignment(suggestion: Suggestion, unit, role: str, **kwargs) -> Assignment:
    assignment = build_assignment(suggestion, unit, role, **kwargs)
    assignment._history_user = kwargs["actor"]
    assignment.save()
    return assignment


def schedule_assignment_reminders(assignment: Assignment, suggestion: Suggestion) -> None:
    users = unit_users(assignment.unit_id)
    remind(
        assignment,
        kind=REMIND_RECEIPT,
        due_date=assignment.objection_deadline,
        recipients=users,
        title=REMINDER_TITLES[REMIND_RECEIPT].format(title=suggestion.title),
        suggestion=suggestion,
    )
    if assignment.role == AssignmentRole.CO:
        remind(
            assignment,
            kind=REMIND_CO_INPUT,
            due_date=assignment.co_input_due,
            recipients=users,
            title=REMINDER_TITLES[REMIND_CO_INPUT].format(title=suggestion.title),
            suggestion=suggestion,
        )
    else:
        remind(
            assignment,
            kind=REMIND_REPLY,
            due_date=assignment.reply_due,
            recipients=users,
            title=REMINDER_TITLES[REMIND_REPLY].format(title=suggestion.title),
            suggestion=suggestion,
        )


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def cancel_assignment(assignment: Assignment, actor) -> None:
    """Cancel an assignment (its unit no longer handles the suggestion) and its reminders. The
    caller rolls the suggestion's status up and writes the event."""
    assignment.status = AssignmentStatus.CANCELLED
    save_fields(assignment, actor, ["status"])
    remind_cancel(assignment, *ASSIGNMENT_REMINDERS)


def rehandling_extend(assignment: Assignment, *, due: date | None, needs_calendar: bool, actor) -> None:
    """Give an assignment in re-handling a new deadline (Fuzhou's 不满意件交办会 keeps it with its
    unit) and remind the unit of it."""
    assignment.rehandling_due = due
    assignment.needs_calendar = assignment.needs_calendar or needs_calendar
    save_fields(assignment, actor, ["rehandling_due", "needs_calendar"])
    suggestion = assignment.suggestion
    remind(
        assignment,
        kind=REMIND_REHANDLING,
        due_date=due,
        recipients=unit_users(assignment.unit_id),
        title=_("不满意件交办会决定重新办理，请按期答复：{title}").format(title=suggestion.title),
        suggestion=suggestion,
    )


def assignment_replace(
    assignment: Assignment,
    new_unit,
    *,
    due: date | None,
    needs_calendar: bool,
    deadlines: Deadlines,
    rules,
    actor,
) -> Assignment:
    """Cancel ``assignment`` and assign its suggestion to ``new_unit`` in the same role and merge
    group, its reply due ``due`` (the re-handling period, not a fresh statutory one); the other
    deadlines as for any assignment made on ``deadlines.on``. Reminders follow after commit."""
    suggestion = assignment.suggestion
    cancel_assignment(assignment, actor)
    replacement = build_assignment(
        suggestion,
        new_unit,
        assignment.role,
        actor=actor,
        deadlines=deadlines,
        rules=rules,
        merge_group=assignment.merge_group,
    )
    replacement.reply_due = due
    replacement.needs_calendar = replacement.needs_calendar or needs_calendar
    replacement._history_user = actor
    replacement.save()
    schedule_assignment_reminders(replacement, suggestion)
    return replacement
