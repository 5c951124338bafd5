"""The life of a motion, declared once: every transition as (from, action, to, who may, guard).

    draft ──submit──▶ submitted ──place_on_agenda──▶ placed_on_agenda ──submit_report──▶ reported ──close──▶ closed
      │                  │      ╰─convert──▶ converted (a suggestion goes on)
      ╰──withdraw────────┴──▶ withdrawn

Declared on the core workflow engine (``lvzhi.core.workflow``) as ``MOTION``. Services call
``check`` before they write; pages and the API call ``available_actions`` to show the buttons. Both
read ``TRANSITIONS``, so a button is shown exactly when the service would accept the action (inputs
aside: a missing committee is the service's refusal).

Who may: the lead deputy (or, for a delegation's motion, the county staff of its electoral unit)
drafts, submits and withdraws; invited co-signers confirm; the deputy-affairs office records the
presidium's decision and closes; the staff of the committee the motion was sent to (``user.committee``)
record their work with the proposers and report. The office may also enter a motion handed in on
paper and record the committee's activities for it.
"""

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core import workflow as engine
from lvzhi.core.errors import DomainError
from lvzhi.core.workflow import OFFICE, AvailableAction, Context, Transition, Who
from lvzhi.core.workflow import states as _states

from .choices import MotionStatus as S
from .choices import SignerStatus


class Action(models.TextChoices):
    """What a user can do: the names of the buttons and of the API's action endpoints."""

    EDIT = "edit", _("修改")
    SIGN = "sign", _("确认或谢绝附议")
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回")
    PLACE_ON_AGENDA = "place_on_agenda", _("列入大会议程")
    CONVERT = "convert", _("转为建议")
    RECORD_ACTIVITY = "record_activity", _("邀请提案人参加活动")
    RECORD_ATTENDANCE = "record_attendance", _("记录参加情况")
    SUBMIT_REPORT = "submit_report", _("提交审议结果报告")
    CLOSE = "close", _("办结")


# -- Who may: role and scope ----------------------------------------------------------------------


def _is_deputy(user) -> bool:
    return user.role == Role.DEPUTY and not user.is_superuser


def is_lead_deputy(user, motion) -> bool:
    """``user`` holds the lead mandate (needs ``lead_mandate__person`` joined)."""
    return (
        _is_deputy(user)
        and motion.lead_mandate_id is not None
        and motion.lead_mandate.person.user_id == user.pk
    )


def is_delegation_staff(user, motion) -> bool:
    """County staff of the electoral unit whose delegation raised the motion."""
    return (
        motion.delegation_id is not None
        and user.role == Role.COUNTY_STAFF
        and user.electoral_unit_id == motion.delegation_id
    )


def _is_proposer_side(user, motion) -> bool:
    """Who speaks for the proposers: the lead deputy, or the delegation's county staff; and the
    office, which enters paper motions. A deputy's own draft is private until submitted: the
    office acts on a draft only when it entered it itself."""
    if is_lead_deputy(user, motion) or is_delegation_staff(user, motion):
        return True
    if not is_office(user):
        return False
    if motion.status == S.DRAFT and motion.lead_mandate_id is not None:
        return motion.created_by_id != motion.lead_mandate.person.user_id
    return True


def is_invited_cosigner(user, motion) -> bool:
    """``user`` was invited to co-sign and has not answered (reads ``motion.signers.all()``, so a
    prefetched list costs no query)."""
    return _is_deputy(user) and any(
        signer.status == SignerStatus.INVITED and signer.mandate.person.user_id == user.pk
        for signer in motion.signers.all()
    )


def is_assigned_committee(user, motion) -> bool:
    return (
        user.role == Role.COMMITTEE_STAFF
        and motion.committee_id is not None
        and user.committee_id == motion.committee_id
    )


PROPOSER = Who(_is_proposer_side, _("只有领衔代表本人、代表团或代表工委可以进行此操作。"))
INVITED_COSIGNER = Who(is_invited_cosigner, _("您不是该议案待确认的附议代表。"))
ASSIGNED_COMMITTEE = Who(is_assigned_committee, _("该议案未交您所在的委员会审议，不能进行此操作。"))
ASSIGNED_COMMITTEE_OR_OFFICE = Who(
    lambda user, motion: is_office(user) or is_assigned_committee(user, motion),
    _("该议案未交您所在的委员会审议，不能进行此操作。"),
)


# -- Guards: the rule beyond the state ------------------------------------------------------------


def missing_text(motion) -> list[str]:
    """The parts of Art. 15's 案由, 案据, 方案 still blank."""
    parts = (("subject", _("案由")), ("grounds", _("案据")), ("plan", _("方案")))
    return [str(label) for name, label in parts if not (getattr(motion, name) or "").strip()]


def proposers_refusal(minimum: int) -> str:
    return _("议案须由{n}名以上代表联名（含领衔代表）提出，或由代表团提出。").format(n=minimum)


def confirmed_cosigners(motion) -> int:
    return sum(1 for signer in motion.signers.all() if signer.status == SignerStatus.CONFIRMED)


def _may_submit(motion, ctx: Context) -> str | None:
    """Art. 15: subject, grounds and plan; DOMAIN §4: at a session (none between sessions), by a
    lead deputy and enough co-signers or by a delegation. Organic Law Art. 24 "代表十人以上联名":
    the minimum (the congress's rule, default 10) counts the deputies INCLUDING the lead, so a lead
    and nine confirmed co-signers are enough."""
    if missing := missing_text(motion):
        return _("请填写{parts}后再提交。").format(parts="、".join(missing))
    session = motion.session
    if session.end_date is not None and ctx.today > session.end_date:
        return _("{session}已闭幕，闭会期间不能提出议案，您可以提出建议。").format(session=session.label)
    if motion.delegation_id is None:
        minimum = ctx.rules.motion_cosigner_minimum
        if 1 + confirmed_cosigners(motion) < minimum:
            return proposers_refusal(minimum)
    return None


# -- The transitions ---------------------------------------------------------------------------------


DECIDED = _states(S.PLACED_ON_AGENDA, S.CONVERTED, S.REPORTED, S.CLOSED)

TRANSITIONS: tuple[Transition, ...] = (
    # sources → action → target (None: unchanged), who may, guard
    Transition(_states(S.DRAFT), Action.EDIT, None, PROPOSER),
    Transition(_states(S.DRAFT), Action.SIGN, None, INVITED_COSIGNER),
    Transition(_states(S.DRAFT), Action.SUBMIT, S.SUBMITTED, PROPOSER, guard=_may_submit),
    # Before the presidium decides; afterwards withdrawing is the presidium's business.
    Transition(_states(S.DRAFT, S.SUBMITTED), Action.WITHDRAW, S.WITHDRAWN, PROPOSER),
    # DOMAIN §4: the presidium's decision, recorded by the office.
    Transition(_states(S.SUBMITTED), Action.PLACE_ON_AGENDA, S.PLACED_ON_AGENDA, OFFICE),
    Transition(_states(S.SUBMITTED), Action.CONVERT, S.CONVERTED, OFFICE),
    # Art. 50: the committee invites the proposers into research, drafting and review.
    Transition(_states(S.PLACED_ON_AGENDA), Action.RECORD_ACTIVITY, None, ASSIGNED_COMMITTEE_OR_OFFICE),
    Transition(_states(S.PLACED_ON_AGENDA, S.REPORTED), Action.RECORD_ATTENDANCE, None,
               ASSIGNED_COMMITTEE_OR_OFFICE),
    # DOMAIN §4: the committee reports by its deadline (late reports are taken and flagged).
    Transition(_states(S.PLACED_ON_AGENDA), Action.SUBMIT_REPORT, S.REPORTED, ASSIGNED_COMMITTEE),
    Transition(_states(S.REPORTED), Action.CLOSE, S.CLOSED, OFFICE),
)  # fmt: skip

ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
DECISION_ACTIONS = (Action.PLACE_ON_AGENDA, Action.CONVERT)

# Refusals clearer than "not in this status".
REFUSALS = {
    **{(Action.EDIT, status): _("该议案已提交，不能再修改。") for status in S.values if status != S.DRAFT},
    **{
        (Action.SIGN, status): _("该议案已提交，不能再确认附议。") for status in S.values if status != S.DRAFT
    },
    (Action.SUBMIT, S.SUBMITTED): _("该议案已提交，请勿重复提交。"),
    **{(Action.WITHDRAW, status): _("主席团已对该议案作出决定，不能撤回。") for status in DECIDED},
    **{
        (action, status): _("主席团已对该议案作出决定。") for action in DECISION_ACTIONS for status in DECIDED
    },
    **{(action, S.DRAFT): _("该议案尚未提交。") for action in DECISION_ACTIONS},
    **{
        (action, status): _("该议案尚未交委员会审议。")
        for action in (Action.RECORD_ACTIVITY, Action.RECORD_ATTENDANCE, Action.SUBMIT_REPORT)
        for status in (S.DRAFT, S.SUBMITTED)
    },
    **{(Action.SUBMIT_REPORT, status): _("委员会已提交审议结果报告。") for status in (S.REPORTED, S.CLOSED)},
    (Action.RECORD_ACTIVITY, S.REPORTED): _("委员会已提交审议结果报告，不能再安排活动。"),
    (Action.CLOSE, S.PLACED_ON_AGENDA): _("委员会尚未提交审议结果报告，不能办结。"),
    (Action.CLOSE, S.CLOSED): _("该议案已办结。"),
}


MOTION = engine.Workflow(TRANSITIONS, actions=Action, states=S, refusals=REFUSALS)


def refusal(action: str, status: str) -> DomainError:
    """The Chinese refusal of ``action`` in ``status``."""
    return MOTION.refusal(action, status)


def check(motion, action: str, user, ctx: Context) -> Transition:
    """The transition ``user`` may take on ``motion`` with ``action``, or a refusal:
    ``ForbiddenError`` for the role or scope, ``DomainError`` for the state or the rule."""
    return MOTION.check(motion, action, user, ctx)


# -- Buttons -------------------------------------------------------------------------------------------


def available_actions(motion, user, *, today: date | None = None, rules=None) -> list[AvailableAction]:
    """The actions ``user`` may take now on ``motion``: the buttons of the detail page and the
    ``available_actions`` of the API. With the motion's signers prefetched (``selectors``) and
    ``rules`` given, it runs no query."""
    if rules is None:
        from lvzhi.suggestions.rules import rules_for

        rules = rules_for(motion.congress_id)
    return MOTION.available(motion, user, Context(today=today or timezone.localdate(), rules=rules))
