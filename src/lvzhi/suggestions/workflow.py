"""The life of a suggestion, declared once: every transition as (from, action, to, who may, guard).

Two tables. ``SUGGESTION_TRANSITIONS`` covers the suggestion itself, from the draft to its
assignment and from its reply to its closing. ``ASSIGNMENT_TRANSITIONS`` covers each unit's
assignment (receipt, objection, re-assignment, contacts, promises, replies, evaluation); from
assignment until closing the suggestion's status is the roll-up of its assignments
(``status_from_assignments``), because in split handling (分办) several units reply apart.

Services call ``check_suggestion``/``check_assignment`` before they write; pages and the API call
``available_actions`` to show the buttons. Both read the same tables, so a button is shown exactly
when the service would accept the action (inputs aside: a missing reason is the service's refusal).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core import workflow as engine
from lvzhi.core.errors import DomainError
from lvzhi.core.workflow import OFFICE, Context, Who
from lvzhi.core.workflow import states as _states

from .choices import AssignmentRole, CommitmentStatus, ReplyKind, Satisfaction, SignerStatus
from .choices import AssignmentStatus as A
from .choices import SuggestionStatus as S
from .current import latest_evaluable_reply, submitted_reply


class Action(models.TextChoices):
    """What a user can do: the names of the buttons and of the API's action endpoints."""

    # On the suggestion
    EDIT = "edit", _("修改")
    ATTACH = "attach", _("管理附件")
    INVITE_COSIGNERS = "invite_cosigners", _("邀请联名代表")
    RESPOND = "respond", _("确认或谢绝联名")
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回")
    ACCEPT = "accept", _("立案")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不予立案")
    CONVERT_TO_LETTER = "convert_to_letter", _("转为来信处理")
    ASSIGN = "assign", _("交办")
    CLOSE = "close", _("办结")
    # On one unit's assignment
    ACKNOWLEDGE = "acknowledge", _("签收")
    OBJECT = "object", _("提出异议")
    UPHOLD_OBJECTION = "uphold_objection", _("异议成立，重新交办")
    REJECT_OBJECTION = "reject_objection", _("异议不成立")
    REASSIGN = "reassign", _("转办下级单位")
    SUBMIT_INPUT = "submit_input", _("提交协办意见")
    LOG_CONTACT = "log_contact", _("记录沟通")
    RECORD_COMMITMENT = "record_commitment", _("记录承诺事项")
    KEEP_COMMITMENT = "keep_commitment", _("承诺事项兑现")
    DRAFT_REPLY = "draft_reply", _("起草答复")
    SUBMIT_REPLY = "submit_reply", _("提交答复")
    RETURN_REPLY = "return_reply", _("退回答复")
    RELEASE_REPLY = "release_reply", _("发出答复")
    EVALUATE = "evaluate", _("评价答复")
    FOLLOW_UP_REPLY = "follow_up_reply", _("跟踪答复")
    # By lvzhi.supervision's 不满意件交办会, for many assignments at once (not a detail-page button).
    REASSIGN_AT_MEETING = "reassign_at_meeting", _("不满意件重新交办")


# -- Who may: role and scope ----------------------------------------------------------------------


def _is_deputy(user) -> bool:
    return user.role == Role.DEPUTY and not user.is_superuser


def _is_lead_deputy(user, suggestion) -> bool:
    return _is_deputy(user) and suggestion.lead_mandate.person.user_id == user.pk


def _is_invited_cosigner(user, suggestion) -> bool:
    return (
        _is_deputy(user)
        and suggestion.signers.filter(status=SignerStatus.INVITED, mandate__person__user_id=user.pk).exists()
    )


def _is_assigned_unit(user, assignment) -> bool:
    return user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit_id == assignment.unit_id


def _is_reply_recipient(user, assignment) -> bool:
    """A deputy to whom the assignment's latest released reply is addressed and who has not rated it."""
    if not _is_deputy(user):
        return False
    reply = latest_evaluable_reply(assignment)
    return (
        reply is not None
        and reply.recipients.filter(mandate__person__user_id=user.pk, evaluation__isnull=True).exists()
    )


def _is_lead_deputy_or_office(user, suggestion) -> bool:
    if _is_lead_deputy(user, suggestion):
        return True
    if not is_office(user):
        return False
    # A deputy's own draft is private until submitted: the office acts on a draft only when it
    # entered it itself (a paper suggestion), and on any suggestion once submitted.
    if suggestion.status in (S.DRAFT, S.RETURNED_FOR_REVISION):
        return suggestion.created_by_id != suggestion.lead_mandate.person.user_id
    return True


LEAD_DEPUTY = Who(_is_lead_deputy, _("只有领衔代表本人可以进行此操作。"))
LEAD_DEPUTY_OR_OFFICE = Who(_is_lead_deputy_or_office, _("只有领衔代表本人或代表工委可以进行此操作。"))
INVITED_COSIGNER = Who(_is_invited_cosigner, _("您不是该建议待确认的联名代表。"))
ASSIGNED_UNIT = Who(_is_assigned_unit, _("该建议未交办给您的单位，不能进行此操作。"))
ASSIGNED_UNIT_OR_OFFICE = Who(
    lambda user, assignment: is_office(user) or _is_assigned_unit(user, assignment),
    _("该建议未交办给您的单位，不能进行此操作。"),
)
REPLY_RECIPIENT = Who(_is_reply_recipient, _("只有答复送达的代表本人可以评价该答复。"))


# -- Guards: the rule beyond the state ------------------------------------------------------------


def _has_text(suggestion, _ctx) -> str | None:
    if not suggestion.title.strip() or not suggestion.body.strip():
        return _("请填写建议的标题和内容后再提交。")
    return None


def _top_level_only(message):
    def guard(assignment, _ctx) -> str | None:
        return message if assignment.parent_id is not None else None

    return guard


def _within_objection_window(assignment, ctx) -> str | None:
    """DOMAIN §5.3: a unit may object within the window (working days); after it, no change.

    A window that could not be computed (no holiday data yet) stays open and is flagged to staff."""
    if assignment.parent_id is not None:
        return _("转办的建议请向转办单位反映，不能向代表工委提出异议。")
    if assignment.objection_deadline is not None and ctx.today > assignment.objection_deadline:
        return _("已超过异议期限，不能再提出异议。")
    return None


def _co_unit_only(assignment, _ctx) -> str | None:
    if assignment.role != AssignmentRole.CO:
        return _("只有协办单位需要提交协办意见。")
    return None


def _replying_unit_only(assignment, _ctx) -> str | None:
    if not assignment.replies_to_deputy:
        return _("协办单位不直接答复代表，请向主办单位提交协办意见。")
    return None


def _has_open_commitments(assignment, _ctx) -> str | None:
    if not assignment.commitments.filter(status=CommitmentStatus.OPEN).exists():
        return _("没有未兑现的承诺事项。")
    return None


def _follow_up_open(assignment, _ctx) -> str | None:
    if not assignment.replies_to_deputy:
        return _("协办单位不直接答复代表。")
    if not assignment.suggestion.follow_up_required:
        return _("该建议不需要跟踪答复。")
    return None


def _may_close(suggestion, ctx) -> str | None:
    """DOMAIN §5.6-5.9: closed when every deputy rated the latest replies 满意 or 基本满意 (or let
    the evaluation window pass). B/C answers keep ``follow_up_required``; promises stay tracked."""
    for assignment in replying_assignments(suggestion.assignments.all()):
        reply = latest_evaluable_reply(assignment)
        if reply is None:
            return _("尚有承办单位未答复，不能办结。")
        for recipient in reply.recipients.select_related("evaluation"):
            evaluation = getattr(recipient, "evaluation", None)
            if evaluation is None:
                if recipient.evaluation_due is None or ctx.today <= recipient.evaluation_due:
                    return _("尚有代表未评价答复，评价期限届满前不能办结。")
            elif evaluation.satisfaction == Satisfaction.DISSATISFIED:
                return _("代表对答复不满意，须重新办理后才能办结。")
    return None


# -- The transitions ---------------------------------------------------------------------------------


Transition = engine.Transition


@dataclass(frozen=True)
class AssignmentTransition(engine.Transition):
    """A transition of one unit's assignment; most are refused once the suggestion is closed or
    withdrawn (``open_suggestion_only``)."""

    open_suggestion_only: bool = True


BEFORE_SUBMISSION = _states(S.DRAFT, S.RETURNED_FOR_REVISION)
# DOMAIN §5.1: editable and withdrawable until assigned.
UNTIL_ASSIGNED = _states(S.DRAFT, S.AWAITING_COSIGNERS, S.SUBMITTED, S.RETURNED_FOR_REVISION, S.ACCEPTED)
AFTER_ASSIGNMENT = _states(S.ASSIGNED, S.HANDLING, S.REPLY_SUBMITTED, S.REPLIED, S.REHANDLING, S.CLOSED)


def _has_pending_cosigners(suggestion, _ctx) -> bool:
    return suggestion.signers.filter(status=SignerStatus.INVITED).exists()


def _is_last_pending_answer(suggestion, _ctx) -> bool:
    return suggestion.signers.filter(status=SignerStatus.INVITED).count() <= 1


SUGGESTION_TRANSITIONS: tuple[Transition, ...] = (
    # sources → action → target (None: unchanged), who may, guard / branch
    Transition(UNTIL_ASSIGNED, Action.EDIT, None, LEAD_DEPUTY_OR_OFFICE),
    Transition(UNTIL_ASSIGNED, Action.ATTACH, None, LEAD_DEPUTY_OR_OFFICE),
    Transition(BEFORE_SUBMISSION | {S.AWAITING_COSIGNERS}, Action.INVITE_COSIGNERS, None, LEAD_DEPUTY),
    # The last co-signer's answer releases a submission that was waiting for it.
    Transition(_states(S.AWAITING_COSIGNERS), Action.RESPOND, S.SUBMITTED, INVITED_COSIGNER,
               when=_is_last_pending_answer),
    Transition(BEFORE_SUBMISSION | {S.AWAITING_COSIGNERS}, Action.RESPOND, None, INVITED_COSIGNER),
    # DOMAIN §5.1: submission waits until every invited co-signer has answered …
    Transition(BEFORE_SUBMISSION, Action.SUBMIT, S.AWAITING_COSIGNERS, LEAD_DEPUTY_OR_OFFICE,
               guard=_has_text, when=_has_pending_cosigners),
    Transition(BEFORE_SUBMISSION, Action.SUBMIT, S.SUBMITTED, LEAD_DEPUTY_OR_OFFICE, guard=_has_text),
    # … or the lead submits with the confirmed ones.
    Transition(_states(S.AWAITING_COSIGNERS), Action.SUBMIT, S.SUBMITTED, LEAD_DEPUTY_OR_OFFICE),
    Transition(UNTIL_ASSIGNED, Action.WITHDRAW, S.WITHDRAWN, LEAD_DEPUTY),
    # DOMAIN §5.2: the first review.
    Transition(_states(S.SUBMITTED), Action.ACCEPT, S.ACCEPTED, OFFICE),
    Transition(_states(S.SUBMITTED), Action.RETURN, S.RETURNED_FOR_REVISION, OFFICE),
    Transition(_states(S.SUBMITTED), Action.REJECT, S.REJECTED, OFFICE),
    Transition(_states(S.SUBMITTED), Action.CONVERT_TO_LETTER, S.CONVERTED_TO_LETTER, OFFICE),
    # DOMAIN §5.3
    Transition(_states(S.ACCEPTED), Action.ASSIGN, S.ASSIGNED, OFFICE),
    # DOMAIN §5.9
    Transition(_states(S.REPLIED), Action.CLOSE, S.CLOSED, OFFICE, guard=_may_close),
)  # fmt: skip

# Assignment statuses in which the unit is working on it (after receipt).
WORKING = _states(A.ACKNOWLEDGED, A.REHANDLING)
HANDLED = _states(A.ACKNOWLEDGED, A.INPUT_SUBMITTED, A.REPLY_SUBMITTED, A.REPLIED, A.REHANDLING)


def _second_review_on(_assignment, ctx) -> bool:
    return bool(ctx.rules.second_review_enabled)


def _returns_to_rehandling(assignment, _ctx) -> bool:
    reply = submitted_reply(assignment)
    return reply is not None and reply.kind == ReplyKind.REHANDLING


def _is_dissatisfied(_assignment, ctx) -> bool:
    return ctx.inputs.get("satisfaction") == Satisfaction.DISSATISFIED


def _to_new_unit(_assignment, ctx) -> bool:
    return ctx.inputs.get("new_unit") is not None


ASSIGNMENT_TRANSITIONS: tuple[AssignmentTransition, ...] = (
    AssignmentTransition(_states(A.ASSIGNED), Action.ACKNOWLEDGE, A.ACKNOWLEDGED, ASSIGNED_UNIT),
    AssignmentTransition(_states(A.ASSIGNED, A.ACKNOWLEDGED), Action.OBJECT, A.OBJECTED, ASSIGNED_UNIT,
               guard=_within_objection_window),
    AssignmentTransition(_states(A.OBJECTED), Action.UPHOLD_OBJECTION, A.CANCELLED, OFFICE),
    AssignmentTransition(_states(A.OBJECTED), Action.REJECT_OBJECTION, A.ACKNOWLEDGED, OFFICE),
    # Two levels: a unit re-assigns to one of its sub-units, which then handles it.
    AssignmentTransition(_states(A.ASSIGNED, A.ACKNOWLEDGED), Action.REASSIGN, A.REASSIGNED, ASSIGNED_UNIT,
               guard=_top_level_only(_("转办的建议不能再次转办。"))),
    # DOMAIN §5.3: co-units send their written input to the lead unit.
    AssignmentTransition(_states(A.ACKNOWLEDGED), Action.SUBMIT_INPUT, A.INPUT_SUBMITTED, ASSIGNED_UNIT,
               guard=_co_unit_only),
    # Art. 51: contacts before, during and after; promises recorded.
    AssignmentTransition(HANDLED, Action.LOG_CONTACT, None, ASSIGNED_UNIT),
    AssignmentTransition(HANDLED, Action.RECORD_COMMITMENT, None, ASSIGNED_UNIT),
    # Promises stay tracked after the suggestion is closed (DOMAIN §5.9).
    AssignmentTransition(HANDLED | {A.REASSIGNED}, Action.KEEP_COMMITMENT, None, ASSIGNED_UNIT_OR_OFFICE,
               guard=_has_open_commitments, open_suggestion_only=False),
    AssignmentTransition(WORKING, Action.DRAFT_REPLY, None, ASSIGNED_UNIT, guard=_replying_unit_only),
    # DOMAIN §5.5: the second review, when the congress has it; otherwise submitting releases.
    AssignmentTransition(WORKING, Action.SUBMIT_REPLY, A.REPLY_SUBMITTED, ASSIGNED_UNIT, guard=_replying_unit_only,
               when=_second_review_on),
    AssignmentTransition(WORKING, Action.SUBMIT_REPLY, A.REPLIED, ASSIGNED_UNIT, guard=_replying_unit_only),
    AssignmentTransition(_states(A.REPLY_SUBMITTED), Action.RETURN_REPLY, A.REHANDLING, OFFICE,
               when=_returns_to_rehandling),
    AssignmentTransition(_states(A.REPLY_SUBMITTED), Action.RETURN_REPLY, A.ACKNOWLEDGED, OFFICE),
    AssignmentTransition(_states(A.REPLY_SUBMITTED), Action.RELEASE_REPLY, A.REPLIED, OFFICE),
    # DOMAIN §5.6-5.7: 不满意 sends the unit back to re-handle; other co-signers may still rate the
    # reply that was sent back.
    AssignmentTransition(_states(A.REPLIED), Action.EVALUATE, A.REHANDLING, REPLY_RECIPIENT, when=_is_dissatisfied),
    AssignmentTransition(_states(A.REPLIED), Action.EVALUATE, None, REPLY_RECIPIENT),
    AssignmentTransition(_states(A.REHANDLING), Action.EVALUATE, None, REPLY_RECIPIENT),
    # DOMAIN §5.9: a B or C answer is answered again once solved, even after closing.
    AssignmentTransition(_states(A.REPLIED), Action.FOLLOW_UP_REPLY, None, ASSIGNED_UNIT, guard=_follow_up_open,
               open_suggestion_only=False),
    # DOMAIN §5.7, Fuzhou's 不满意件交办会 (lvzhi.supervision): a dissatisfied assignment goes back to
    # its unit with a new re-handling deadline from the meeting, or is cancelled and the suggestion
    # assigned to another unit. A re-assigned sub-unit's assignment cannot move: its parent holds
    # the unit's place.
    AssignmentTransition(_states(A.REHANDLING), Action.REASSIGN_AT_MEETING, A.CANCELLED, OFFICE, when=_to_new_unit,
               guard=_top_level_only(_("转办下级单位办理的建议只能由原承办单位重新办理。"))),
    AssignmentTransition(_states(A.REHANDLING), Action.REASSIGN_AT_MEETING, None, OFFICE),
)  # fmt: skip

# Decided for many assignments at once on the meeting's page (lvzhi.supervision), which the detail
# page cannot do: never offered there as a button (``available_actions``), only checked by services.
MEETING_ACTIONS = frozenset({Action.REASSIGN_AT_MEETING})
SUGGESTION_ACTIONS = tuple(dict.fromkeys(t.action for t in SUGGESTION_TRANSITIONS))
ASSIGNMENT_ACTIONS = tuple(
    dict.fromkeys(t.action for t in ASSIGNMENT_TRANSITIONS if t.action not in MEETING_ACTIONS)
)
CLOSED_OR_GONE = _states(S.CLOSED, S.WITHDRAWN, S.REJECTED, S.CONVERTED_TO_LETTER)

# Refusals clearer than "not in this status".
REFUSALS = {
    **{(Action.WITHDRAW, status): _("该建议已交办，不能撤回。") for status in AFTER_ASSIGNMENT},
    **{(Action.EDIT, status): _("该建议已交办，不能再修改。") for status in AFTER_ASSIGNMENT},
    **{(Action.ATTACH, status): _("该建议已交办，不能再修改附件。") for status in AFTER_ASSIGNMENT},
    (Action.ASSIGN, S.SUBMITTED): _("该建议尚未立案，不能交办。"),
    **{(Action.ASSIGN, status): _("该建议已交办，请勿重复交办。") for status in AFTER_ASSIGNMENT},
    (Action.SUBMIT, S.SUBMITTED): _("该建议已提交，请勿重复提交。"),
    (Action.CLOSE, S.CLOSED): _("该建议已办结。"),
    **{
        (action, A.ASSIGNED): _("请先签收该建议。")
        for action in (
            Action.LOG_CONTACT,
            Action.RECORD_COMMITMENT,
            Action.DRAFT_REPLY,
            Action.SUBMIT_REPLY,
            Action.SUBMIT_INPUT,
        )
    },
    **{(Action.ACKNOWLEDGE, status): _("该建议已签收。") for status in HANDLED},
    **{
        (Action.OBJECT, status): _("已提交答复，不能再提出异议。")
        for status in (A.REPLY_SUBMITTED, A.REPLIED, A.REHANDLING)
    },
    (Action.OBJECT, A.OBJECTED): _("已提出异议，请等待代表工委处理。"),
    (Action.SUBMIT_REPLY, A.REPLY_SUBMITTED): _("答复已提交，正在审核。"),
    (Action.SUBMIT_REPLY, A.REPLIED): _("答复已发出。"),
    (Action.EVALUATE, A.REPLY_SUBMITTED): _("新的答复正在审核，请在答复发出后评价。"),
}


SUGGESTION = engine.Workflow(SUGGESTION_TRANSITIONS, actions=Action, states=S, refusals=REFUSALS)
ASSIGNMENT = engine.Workflow(
    ASSIGNMENT_TRANSITIONS, actions=Action, states=A, refusals=REFUSALS, offered=ASSIGNMENT_ACTIONS
)


def check_suggestion(suggestion, action: str, user, ctx: Context) -> engine.Transition:
    """The transition ``user`` may take on ``suggestion`` with ``action``, or a refusal:
    ``ForbiddenError`` for the role or scope, ``DomainError`` for the state or the rule."""
    return SUGGESTION.check(suggestion, action, user, ctx)


def _suggestion_gone(assignment, action: str) -> DomainError:
    return DomainError(
        _("该建议已{status}，不能再{action}。").format(
            status=S(assignment.suggestion.status).label, action=Action(action).label
        )
    )


def check_assignment(assignment, action: str, user, ctx: Context) -> AssignmentTransition:
    """Like ``check_suggestion``, for one unit's assignment; most actions also need the
    suggestion still open."""
    transition = ASSIGNMENT.check(assignment, action, user, ctx)
    if transition.open_suggestion_only and assignment.suggestion.status in CLOSED_OR_GONE:
        raise _suggestion_gone(assignment, action)
    return transition


# -- Rolling the assignments up into the suggestion's status -------------------------------------------


def replying_assignments(assignments: Iterable) -> list:
    """The assignments that owe the deputy a reply: lead and split units still in charge (a unit
    that re-assigned is represented by its sub-unit; a cancelled one by its replacement)."""
    return [
        assignment
        for assignment in assignments
        if assignment.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT)
        and assignment.status not in (A.CANCELLED, A.REASSIGNED)
    ]


def status_from_assignments(assignments: Iterable) -> str:
    """The suggestion's status from assignment to reply: rehandling if any unit re-handles; assigned
    while no replying unit has received it; handling while any still works on it; awaiting the
    second review while any reply is; replied once every replying unit's reply is out."""
    statuses = [assignment.status for assignment in replying_assignments(assignments)]
    if not statuses:
        return S.ASSIGNED
    if A.REHANDLING in statuses:
        return S.REHANDLING
    not_yet_replied = [s for s in statuses if s in (A.ASSIGNED, A.OBJECTED, A.ACKNOWLEDGED)]
    if not_yet_replied:
        progressed = any(s not in (A.ASSIGNED, A.OBJECTED) for s in statuses)
        return S.HANDLING if progressed else S.ASSIGNED
    if A.REPLY_SUBMITTED in statuses:
        return S.REPLY_SUBMITTED
    return S.REPLIED


# -- Buttons -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AvailableAction(engine.AvailableAction):
    """A button; ``assignment_id`` when it acts on one unit's assignment."""

    assignment_id: int | None = None


def available_actions(suggestion, user, *, today: date | None = None, rules=None) -> list[AvailableAction]:
    """The actions ``user`` may take now on ``suggestion`` and on its assignments: the buttons
    of the detail page and the ``available_actions`` of the API."""
    if rules is None:
        from .rules import rules_for

        rules = rules_for(suggestion.congress_id)
    ctx = Context(today=today or timezone.localdate(), rules=rules)
    actions = [AvailableAction(a.action, a.label) for a in SUGGESTION.available(suggestion, user, ctx)]
    if suggestion.status not in AFTER_ASSIGNMENT:
        return actions
    for assignment in suggestion.assignments.exclude(status=A.CANCELLED):
        assignment.suggestion = suggestion
        for action in ASSIGNMENT.offered:
            rows = ASSIGNMENT.rows(action)
            if rows[0].open_suggestion_only and suggestion.status in CLOSED_OR_GONE:
                continue
            if ASSIGNMENT.allows(assignment, action, user, ctx):
                actions.append(AvailableAction(action, ASSIGNMENT.label(action), assignment.pk))
    return actions
