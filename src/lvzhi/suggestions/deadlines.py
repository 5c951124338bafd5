"""Deadlines that waited for holiday data (DOMAIN §5; ``lvzhi.core.calendar``).

A working-day deadline reaching a year whose holidays are not complete is stored empty and its row
flagged ``needs_calendar`` (``handling.deadline_from``), never counted as weekdays. Once staff enter
the year and mark it complete, ``deadlines_recompute_flagged`` computes what waited, from the date
each deadline originally ran from and with the rules the services used:

- ``Suggestion.assign_due``: between sessions, ``assign_within_working_days`` from the day it was
  received (``services.drafting._mark_submitted``);
- ``Assignment.objection_deadline``, ``reply_due``, ``co_input_due``: from ``assigned_on``
  (``handling.build_assignment``); a sub-unit's assignment inherits its parent's
  (``services.assignment_reassign``) and has no objection window;
- ``Assignment.rehandling_due``: from the day re-handling started, its latest ``REHANDLING``
  event (``services.evaluation._start_rehandling``);
- ``ReplyRecipient.evaluation_due``: ``evaluation_working_days`` from the day the reply was
  released (``services.replies._release``).

It fills only deadlines that are empty and computable now, clears a row's flag once nothing on it
is missing, and leaves rows reaching a year still unknown flagged. Each suggestion is one
transaction with its row locked first (the services' lock order), one ``DEADLINES_RECOMPUTED``
event, and the reminders the services would have scheduled with the new dates — only for steps
still owed. Idempotent: a second run changes nothing.

Registered with ``lvzhi.core.calendar`` in ``SuggestionsConfig.ready``; run after a year is marked
complete, by ``lvzhi recompute_deadlines`` and by the button on the calendar page.
"""

from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.calendar import RecomputeResult, WaitingDeadlines

from .choices import (
    AssignmentRole,
    AssignmentStatus,
    ReplyKind,
    ReplyStatus,
    SuggestionEventType,
    SuggestionSeries,
    SuggestionStatus,
)
from .handling import (
    REMIND_CO_INPUT,
    REMIND_EVALUATION,
    REMIND_RECEIPT,
    REMIND_REHANDLING,
    REMIND_REPLY,
    REMINDER_TITLES,
    deadline_from,
    deputy_users,
    lock_suggestion,
    record_event,
    rehandling_deadline,
    remind,
    remind_assign,
    unit_users,
)
from .models import Assignment, Evaluation, Reply, ReplyRecipient, Suggestion, SuggestionEvent
from .rules import rules_for
from .selectors import assignments_needing_calendar
from .workflow import CLOSED_OR_GONE

ASSIGN_DUE = "assign_due"
OBJECTION_DEADLINE = "objection_deadline"
REPLY_DUE = "reply_due"
CO_INPUT_DUE = "co_input_due"
REHANDLING_DUE = "rehandling_due"
EVALUATION_DUE = "evaluation_due"
ASSIGNMENT_KINDS = (OBJECTION_DEADLINE, REPLY_DUE, CO_INPUT_DUE, REHANDLING_DUE)

# The kinds, in the order of the workflow, named as the pages name the fields.
KIND_LABELS = {
    ASSIGN_DUE: Suggestion._meta.get_field("assign_due").verbose_name,
    OBJECTION_DEADLINE: Assignment._meta.get_field("objection_deadline").verbose_name,
    REPLY_DUE: Assignment._meta.get_field("reply_due").verbose_name,
    CO_INPUT_DUE: Assignment._meta.get_field("co_input_due").verbose_name,
    REHANDLING_DUE: Assignment._meta.get_field("rehandling_due").verbose_name,
    EVALUATION_DUE: ReplyRecipient._meta.get_field("evaluation_due").verbose_name,
}

# Statuses in which a step is still owed, so that its reminder would still be open: the services
# complete or cancel each reminder when the assignment leaves them (acknowledged, objected,
# re-assigned, input or reply submitted, cancelled, the suggestion closed).
_WORKING = (AssignmentStatus.ASSIGNED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.OBJECTED)


# Reminder titles: the same texts as the services' (``_schedule_assignment_reminders``,
# ``_start_rehandling``, ``_release``), so a recomputed deadline reminds exactly as a computed one.
class _Deadlines:
    """Deadlines of one run, each (start, months, working days) computed once."""

    def __init__(self) -> None:
        self.cache: dict[tuple[date, int, int], date | None] = {}

    def get(self, start: date, *, months: int = 0, working_days: int = 0) -> date | None:
        key = (start, months, working_days)
        if key not in self.cache:
            self.cache[key] = deadline_from(start, months=months, working_days=working_days)[0]
        return self.cache[key]


class _Run:
    def __init__(self, actor) -> None:
        self.actor = actor
        self.deadlines = _Deadlines()
        self.rules: dict[int, object] = {}
        self.counts: Counter = Counter()
        self.still_flagged = 0

    def rules_for(self, congress_id: int):
        if congress_id not in self.rules:
            self.rules[congress_id] = rules_for(congress_id)
        return self.rules[congress_id]


def deadlines_recompute_flagged(*, actor=None) -> RecomputeResult:
    """Compute every flagged suggestion deadline that its year now allows (module docstring): the
    counts by kind and the rows still waiting. ``actor`` None is the system (after a year is
    marked complete); the office when run from the calendar page. Idempotent."""
    run = _Run(actor)
    # Which suggestions have flagged rows of which kind: one query per kind, then one
    # transaction per suggestion that reads its rows again under the lock.
    kinds: dict[int, set[str]] = {}
    for suggestion_id in Suggestion.objects.filter(needs_calendar=True).values_list("pk", flat=True):
        kinds.setdefault(suggestion_id, set()).add("suggestion")
    assignments = assignments_needing_calendar().order_by().values_list("suggestion_id", flat=True)
    for suggestion_id in assignments.distinct():
        kinds.setdefault(suggestion_id, set()).add("assignment")
    recipients = ReplyRecipient.objects.filter(needs_calendar=True).order_by()
    for suggestion_id in recipients.values_list("reply__assignment__suggestion_id", flat=True).distinct():
        kinds.setdefault(suggestion_id, set()).add("recipient")
    for suggestion_id in sorted(kinds):
        _recompute_suggestion(suggestion_id, kinds[suggestion_id], run)
    return RecomputeResult(counts=dict(run.counts), still_flagged=run.still_flagged)


@transaction.atomic
def _recompute_suggestion(suggestion_id: int, kinds: set[str], run: _Run) -> None:
    suggestion = lock_suggestion(suggestion_id)
    rules = run.rules_for(suggestion.congress_id)
    filled: list[dict] = []
    if "suggestion" in kinds and suggestion.needs_calendar:
        filled += _recompute_assign_due(suggestion, rules, run)
    if "assignment" in kinds:
        filled += _recompute_assignments(suggestion, rules, run)
    if "recipient" in kinds:
        filled += _recompute_recipients(suggestion, rules, run)
    if filled:
        for entry in filled:
            run.counts[entry["deadline"]] += 1
        record_event(
            suggestion,
            SuggestionEventType.DEADLINES_RECOMPUTED,
            run.actor,
            from_status=suggestion.status,
            payload={"deadlines": filled},
        )


def _mark(row, *, missing: bool, run: _Run) -> bool:
    """Clear the row's flag once nothing on it is missing; whether the flag changed."""
    if missing:
        run.still_flagged += 1
    changed = row.needs_calendar != missing
    row.needs_calendar = missing
    return changed


def _recompute_assign_due(suggestion: Suggestion, rules, run: _Run) -> list[dict]:
    filled = []
    # _mark_submitted: between sessions, N working days from the day it was received.
    applies = suggestion.series == SuggestionSeries.BETWEEN_SESSIONS and suggestion.submitted_at is not None
    if applies and suggestion.assign_due is None:
        due = run.deadlines.get(
            timezone.localdate(suggestion.submitted_at), working_days=rules.assign_within_working_days
        )
        if due is not None:
            suggestion.assign_due = due
            filled.append({"deadline": ASSIGN_DUE, "due": due.isoformat()})
    flag_changed = _mark(suggestion, missing=applies and suggestion.assign_due is None, run=run)
    if filled or flag_changed:
        # A derived date, no person's edit: the version stays, so open forms are not made stale.
        suggestion._history_user = run.actor
        suggestion.save(update_fields=["assign_due", "needs_calendar", "updated_at"])
    if filled and suggestion.status in (SuggestionStatus.SUBMITTED, SuggestionStatus.ACCEPTED):
        remind_assign(suggestion)  # the reminder _mark_submitted could not schedule without a date
    return filled


def _rehandling_starts(suggestion: Suggestion, assignments: list[Assignment]) -> dict[int, date]:
    """The day re-handling last started, per assignment that was sent back without a due date."""
    wanted = [a.pk for a in assignments if a.rehandling_due is None and a.dissatisfied_count]
    if not wanted:
        return {}
    events = SuggestionEvent.objects.filter(
        suggestion=suggestion, type=SuggestionEventType.REHANDLING, assignment_id__in=wanted
    ).order_by("at", "id")
    return {event.assignment_id: timezone.localdate(event.at) for event in events}


def _recompute_assignments(suggestion: Suggestion, rules, run: _Run) -> list[dict]:
    assignments = list(
        assignments_needing_calendar()
        .filter(suggestion=suggestion)
        .select_related("unit", "parent")
        .select_for_update(of=("self",))
        .order_by("id")  # a parent before the sub-unit's assignment that inherits from it
    )
    by_id = {assignment.pk: assignment for assignment in assignments}
    rehandling_starts = _rehandling_starts(suggestion, assignments)
    filled = []
    for assignment in assignments:
        parent = by_id.get(assignment.parent_id, assignment.parent)
        dates = _fill_assignment(
            assignment, parent, suggestion, rules, run, rehandling_starts.get(assignment.pk)
        )
        missing = any(
            getattr(assignment, kind) is None for kind in _applicable(assignment, rehandling_starts)
        )
        flag_changed = _mark(assignment, missing=missing, run=run)
        if not dates and not flag_changed:
            continue
        assignment._history_user = run.actor
        assignment.save(update_fields=[*dates, "needs_calendar", "updated_at"])
        for kind, due in dates.items():
            filled.append(
                {
                    "deadline": kind,
                    "due": due.isoformat(),
                    "assignment": assignment.pk,
                    "unit": assignment.unit.name,
                }
            )
        _schedule_assignment_reminders(assignment, suggestion, dates)
    return filled


def _applicable(assignment: Assignment, rehandling_starts: dict[int, date]) -> list[str]:
    """The deadlines the services give this assignment: the objection window only to a top-level
    assignment, the co-unit's input only to a co-unit, re-handling only once it started."""
    kinds = [REPLY_DUE]
    if assignment.parent_id is None:
        kinds.append(OBJECTION_DEADLINE)
    if assignment.role == AssignmentRole.CO:
        kinds.append(CO_INPUT_DUE)
    if assignment.pk in rehandling_starts or assignment.rehandling_due is not None:
        kinds.append(REHANDLING_DUE)
    return kinds


def _fill_assignment(
    assignment: Assignment, parent, suggestion: Suggestion, rules, run: _Run, rehandling_start
) -> dict[str, date]:
    """Set the assignment's empty deadlines that can be computed now; returns them by kind."""
    on, is_co = assignment.assigned_on, assignment.role == AssignmentRole.CO
    if assignment.parent_id is None:
        # build_assignment: everything runs from the assignment date.
        wanted = {
            OBJECTION_DEADLINE: lambda: run.deadlines.get(on, working_days=rules.objection_working_days),
            REPLY_DUE: lambda: run.deadlines.get(
                on, months=rules.reply_months_for(is_hard=suggestion.is_hard)
            ),
            **({CO_INPUT_DUE: lambda: run.deadlines.get(on, months=rules.co_input_months)} if is_co else {}),
        }
    else:
        # assignment_reassign: the sub-unit keeps its parent's deadlines (the statutory time runs
        # from the first assignment) and has no objection window.
        wanted = {
            REPLY_DUE: lambda: parent.reply_due,
            **({CO_INPUT_DUE: lambda: parent.co_input_due} if is_co else {}),
        }
    if rehandling_start is not None:
        wanted[REHANDLING_DUE] = lambda: (
            rehandling_deadline(rehandling_start, rules)[0]
            if rules.rehandling_days
            else run.deadlines.get(rehandling_start, months=rules.rehandling_months)
        )
    dates = {}
    for kind, compute in wanted.items():
        due = compute() if getattr(assignment, kind) is None else None
        if due is not None:
            setattr(assignment, kind, due)
            dates[kind] = due
    return dates


def _schedule_assignment_reminders(assignment: Assignment, suggestion: Suggestion, dates: dict) -> None:
    """The reminders the services schedule for these deadlines, for the steps still owed."""
    if suggestion.status in CLOSED_OR_GONE:
        return  # suggestion_close cancels them all
    role, status = assignment.role, assignment.status
    owed = {
        OBJECTION_DEADLINE: (REMIND_RECEIPT, status == AssignmentStatus.ASSIGNED),
        CO_INPUT_DUE: (REMIND_CO_INPUT, role == AssignmentRole.CO and status in _WORKING),
        REPLY_DUE: (REMIND_REPLY, role != AssignmentRole.CO and status in _WORKING),
        REHANDLING_DUE: (REMIND_REHANDLING, status == AssignmentStatus.REHANDLING),
    }
    for kind, due in dates.items():
        reminder, still_owed = owed[kind]
        if still_owed:
            remind(
                assignment,
                kind=reminder,
                due_date=due,
                recipients=unit_users(assignment.unit_id),
                title=REMINDER_TITLES[reminder].format(title=suggestion.title),
                suggestion=suggestion,
            )


def _recompute_recipients(suggestion: Suggestion, rules, run: _Run) -> list[dict]:
    latest_answer = (
        Reply.objects.filter(
            assignment=OuterRef("reply__assignment"),
            status=ReplyStatus.RELEASED,
            kind__in=(ReplyKind.ANSWER, ReplyKind.REHANDLING),
        )
        .order_by("-released_at", "-id")
        .values("pk")[:1]
    )
    recipients = list(
        ReplyRecipient.objects.filter(needs_calendar=True, reply__assignment__suggestion=suggestion)
        .select_related("reply__assignment")
        .annotate(
            is_evaluated=Exists(Evaluation.objects.filter(recipient=OuterRef("pk"))),
            latest_answer_id=Subquery(latest_answer),
        )
        .select_for_update(of=("self",))
        .order_by("id")
    )
    filled, changed = [], []
    now = timezone.now()
    for recipient in recipients:
        reply = recipient.reply
        due = None
        if recipient.evaluation_due is None and reply.released_at is not None:
            # _release: the evaluation window runs from the day the reply went out.
            due = run.deadlines.get(
                timezone.localdate(reply.released_at), working_days=rules.evaluation_working_days
            )
        if due is not None:
            recipient.evaluation_due = due
            filled.append(
                {
                    "deadline": EVALUATION_DUE,
                    "due": due.isoformat(),
                    "reply": reply.pk,
                    "recipient": recipient.pk,
                }
            )
        missing = recipient.evaluation_due is None and reply.released_at is not None
        if _mark(recipient, missing=missing, run=run) or due is not None:
            recipient.updated_at = now
            changed.append(recipient)
        # Still owed: not rated yet, the answer deputies rate now, no re-handling started by
        # another deputy's 不满意 (reply_evaluate cancels the others' reminders), not closed.
        if (
            due is not None
            and not recipient.is_evaluated
            and recipient.latest_answer_id == reply.pk
            and reply.assignment.status == AssignmentStatus.REPLIED
            and suggestion.status not in CLOSED_OR_GONE
        ):
            remind(
                recipient,
                kind=REMIND_EVALUATION,
                due_date=due,
                recipients=deputy_users(recipient.mandate_id),
                title=REMINDER_TITLES[REMIND_EVALUATION].format(title=suggestion.title),
                suggestion=suggestion,
            )
    ReplyRecipient.objects.bulk_update(changed, ["evaluation_due", "needs_calendar", "updated_at"])
    return filled


def deadlines_waiting() -> list[WaitingDeadlines]:
    """The suggestion deadlines still waiting for holiday data, by kind (three queries); flagged
    assignments link to each unit's work list filtered to them."""
    counts = Counter()
    counts[ASSIGN_DUE] = Suggestion.objects.filter(
        needs_calendar=True,
        assign_due__isnull=True,
        series=SuggestionSeries.BETWEEN_SESSIONS,
        submitted_at__isnull=False,
    ).count()
    per_unit = list(
        assignments_needing_calendar()
        .order_by()
        .values("unit_id", "unit__name", "unit__order")
        .annotate(
            n_objection=Count("id", filter=Q(parent__isnull=True, objection_deadline__isnull=True)),
            n_reply=Count("id", filter=Q(reply_due__isnull=True)),
            n_co_input=Count("id", filter=Q(role=AssignmentRole.CO, co_input_due__isnull=True)),
            n_rehandling=Count("id", filter=Q(rehandling_due__isnull=True, dissatisfied_count__gt=0)),
        )
        .order_by("unit__order", "unit_id")  # HandlingUnit's own order
    )
    columns = {
        OBJECTION_DEADLINE: "n_objection",
        REPLY_DUE: "n_reply",
        CO_INPUT_DUE: "n_co_input",
        REHANDLING_DUE: "n_rehandling",
    }
    work = reverse("suggestions:work")
    links: dict[str, list[tuple[str, str]]] = {}
    for row in per_unit:
        for kind, column in columns.items():
            if row[column]:
                counts[kind] += row[column]
                links.setdefault(kind, []).append(
                    (
                        f"{row['unit__name']}（{row[column]}）",
                        f"{work}?unit={row['unit_id']}&needs_calendar=true",
                    )
                )
    counts[EVALUATION_DUE] = ReplyRecipient.objects.filter(
        needs_calendar=True, evaluation_due__isnull=True
    ).count()
    return [
        WaitingDeadlines(kind=kind, label=str(label), count=counts[kind], links=tuple(links.get(kind, ())))
        for kind, label in KIND_LABELS.items()
        if counts[kind]
    ]
