"""The deputy's evaluation and what follows (DOMAIN §5.6-5.7, §5.9): 不满意 sends the unit back to
re-handle (escalated after the configured count); closing once every deputy is content."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.core.errors import DomainError, ForbiddenError

from .. import workflow
from ..choices import AssignmentStatus, CommitmentStatus, Satisfaction, SuggestionStatus
from ..choices import SuggestionEventType as E
from ..current import latest_evaluable_reply
from ..handling import (
    ASSIGNMENT_REMINDERS,
    REMIND_EVALUATION,
    REMIND_REHANDLING,
    REMINDER_TITLES,
    assignment_move,
    context_for,
    deputies_of,
    deputy_users,
    iso_date,
    lock_assignment,
    lock_suggestion,
    notify,
    office_users,
    record_event,
    rehandling_deadline,
    remind,
    remind_cancel,
    remind_done,
    suggestion_move,
    unit_users,
)
from ..models import Assignment, Evaluation, ReplyRecipient, Suggestion
from ..workflow import Action, Context


@transaction.atomic
def reply_evaluate(
    *,
    recipient,
    actor,
    satisfaction: str,
    process_rating: str = "",
    result_rating: str = "",
    comment: str = "",
    today: date | None = None,
) -> Evaluation:
    """The deputy rates a reply addressed to it: 满意 / 基本满意 / 不满意, process and result apart
    when the rules say so, within the evaluation window. 不满意 sends the unit back to re-handle
    with its own deadline (1 month by default); a unit rated 不满意 the configured number of times
    (twice) on the same suggestion is escalated. Who: the deputy the reply is addressed to."""
    recipient = ReplyRecipient.objects.select_related("reply", "mandate__person").get(pk=recipient.pk)
    if not (
        actor.is_authenticated and actor.role == Role.DEPUTY and recipient.mandate.person.user_id == actor.pk
    ):
        raise ForbiddenError(_("只能评价答复给您本人的答复。"))
    suggestion = lock_suggestion(recipient.reply.assignment.suggestion_id)
    assignment = lock_assignment(recipient.reply.assignment_id, suggestion)
    ctx = context_for(suggestion, today=today, satisfaction=satisfaction)
    recipient = (
        ReplyRecipient.objects.select_for_update(of=("self",)).select_related("reply").get(pk=recipient.pk)
    )
    if Evaluation.objects.filter(recipient=recipient).exists():
        raise DomainError(_("您已评价过该答复。"))
    latest = latest_evaluable_reply(assignment)
    if latest is None or latest.pk != recipient.reply_id:
        raise DomainError(_("该答复已有新的答复，请评价最新的答复。"))
    transition = workflow.check_assignment(assignment, Action.EVALUATE, actor, ctx)
    # DOMAIN §5.6: within the window; a window not computable yet (no holiday data) stays open.
    if recipient.evaluation_due is not None and ctx.today > recipient.evaluation_due:
        raise DomainError(
            _("已超过评价期限（{due}），不能再评价。").format(due=recipient.evaluation_due.isoformat())
        )
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"), field="satisfaction")
    rules = ctx.rules
    if rules.separate_ratings_enabled:
        if process_rating not in Satisfaction.values or result_rating not in Satisfaction.values:
            raise DomainError(_("请分别评价办理过程和办理结果。"), field="process_rating")
    else:
        process_rating = result_rating = ""
    evaluation = Evaluation.objects.create(
        recipient=recipient,
        satisfaction=satisfaction,
        process_rating=process_rating,
        result_rating=result_rating,
        comment=(comment or "").strip(),
        evaluated_at=timezone.now(),
        evaluated_by=actor,
    )
    remind_done(recipient, REMIND_EVALUATION)
    from_status = suggestion.status
    record_event(
        suggestion,
        E.REPLY_EVALUATED,
        actor,
        from_status=from_status,
        assignment=assignment,
        payload={
            "unit": assignment.unit.name,
            "reply": recipient.reply_id,
            "satisfaction": satisfaction,
            "process_rating": process_rating,
            "result_rating": result_rating,
        },
    )
    if transition.target == AssignmentStatus.REHANDLING:
        _start_rehandling(assignment, suggestion, actor, ctx, comment=evaluation.comment)
        # The reply is being replaced: its other recipients are no longer asked to rate it.
        for other in recipient.reply.recipients.filter(evaluation__isnull=True).exclude(pk=recipient.pk):
            remind_cancel(other, REMIND_EVALUATION)
    return evaluation


def _start_rehandling(
    assignment: Assignment, suggestion: Suggestion, actor, ctx: Context, *, comment: str
) -> None:
    """DOMAIN §5.7: back to the unit for a second reply within the re-handling period; escalated once
    the unit has been rated 不满意 the configured number of times on this suggestion."""
    rules = ctx.rules
    assignment.rehandling_due, flagged = rehandling_deadline(ctx.today, rules)
    assignment.needs_calendar = assignment.needs_calendar or flagged
    assignment.dissatisfied_count += 1
    fields = ["rehandling_due", "needs_calendar", "dissatisfied_count"]
    escalate = (
        not assignment.is_escalated and assignment.dissatisfied_count >= rules.escalate_after_dissatisfied
    )
    if escalate:
        assignment.is_escalated = True
        fields.append("is_escalated")
    _before, after = assignment_move(
        assignment,
        AssignmentStatus.REHANDLING,
        actor=actor,
        event_type=E.REHANDLING,
        fields=fields,
        reason=comment,
        payload={
            "unit": assignment.unit.name,
            "rehandling_due": iso_date(assignment.rehandling_due),
            "dissatisfied_count": assignment.dissatisfied_count,
        },
    )
    remind(
        assignment,
        kind=REMIND_REHANDLING,
        due_date=assignment.rehandling_due,
        recipients=unit_users(assignment.unit_id),
        title=REMINDER_TITLES[REMIND_REHANDLING].format(title=suggestion.title),
        suggestion=suggestion,
    )
    notify(
        unit_users(assignment.unit_id),
        kind="suggestion.rehandling",
        title=_("代表对答复不满意，请重新办理：{title}").format(title=suggestion.title),
        body=comment,
        suggestion=suggestion,
    )
    if escalate:
        record_event(
            suggestion,
            E.ESCALATED,
            actor,
            from_status=after,
            assignment=assignment,
            payload={"unit": assignment.unit.name, "dissatisfied_count": assignment.dissatisfied_count},
        )
        notify(
            office_users(),
            kind="suggestion.escalated",
            title=_("{unit}两次被评为不满意，请督办：{title}").format(
                unit=assignment.unit.name, title=suggestion.title
            ),
            suggestion=suggestion,
        )


# -- Closing (DOMAIN §5.9) -----------------------------------------------------------------------------


@transaction.atomic
def suggestion_close(
    *, suggestion, actor, today: date | None = None, expected_version: int | None = None
) -> Suggestion:
    """办结: every deputy rated the latest replies 满意 or 基本满意 (or let the evaluation window pass).
    A B or C answer keeps ``follow_up_required`` until a follow-up reply; open promises stay tracked.
    Who: the office."""
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, Action.CLOSE, actor, context_for(suggestion, today=today))
    suggestion.closed_at = timezone.now()
    open_commitments = suggestion.commitments.filter(status=CommitmentStatus.OPEN).count()
    suggestion_move(
        suggestion,
        SuggestionStatus.CLOSED,
        actor=actor,
        event_type=E.CLOSED,
        fields=["closed_at"],
        payload={"follow_up_required": suggestion.follow_up_required, "open_commitments": open_commitments},
    )
    # Nothing is owed on a closed suggestion but its promises (still tracked) and follow-ups.
    for assignment in suggestion.assignments.all():
        remind_cancel(assignment, *ASSIGNMENT_REMINDERS)
        for recipient in ReplyRecipient.objects.filter(reply__assignment=assignment, evaluation__isnull=True):
            remind_cancel(recipient, REMIND_EVALUATION)
    notify(
        deputy_users(*deputies_of(suggestion)),
        kind="suggestion.closed",
        title=_("您的建议已办结：{title}").format(title=suggestion.title),
        suggestion=suggestion,
    )
    return suggestion
