"""The life of a supervision item (督办事项), declared once: (from, action, to, who may, guard).

An item is supervised (``in_progress``) until the team finishes it (``finished``, with its
conclusion); the office may reopen a finished item (with a reason). At the turn of the year an
unfinished key item (重点督办) is carried over (``carried_over``): a new item for the next year takes
its place (DOMAIN §5.8). Editing the arrangement and recording activities leave the status as it is.

Declared on the core workflow engine (``lvzhi.core.workflow``) as ``ITEM``. Services call ``check``
before they write; pages and the API call ``available_actions`` to show the buttons. Both read
``TRANSITIONS``, so a button is shown exactly when the service would accept the action (inputs
aside: a missing conclusion is the service's refusal).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core import workflow as engine
from lvzhi.core.workflow import OFFICE, AvailableAction, Context, Transition, Who
from lvzhi.core.workflow import states as _states

from .choices import SupervisionKind
from .choices import SupervisionStatus as S


class Action(models.TextChoices):
    """What a user can do with an item: the names of the buttons and of the API's actions."""

    UPDATE = "update", _("调整督办安排")
    RECORD_ACTIVITY = "record_activity", _("记录督办活动")
    FINISH = "finish", _("完成督办")
    REOPEN = "reopen", _("恢复督办")
    CARRY_OVER = "carry_over", _("结转下年度")


# -- Who may ---------------------------------------------------------------------------------------


def is_leader_of(user, item) -> bool:
    return item.leader_id is not None and item.leader_id == user.pk


def is_team_member_of(user, item) -> bool:
    """Whether ``user`` is on the item's team; reads the prefetched team when there is one."""
    cache = getattr(item, "_prefetched_objects_cache", {})
    if "team_members" in cache:
        return any(member.pk == user.pk for member in cache["team_members"])
    return item.team_members.filter(pk=user.pk).exists()


def is_committee_staff_of(user, item) -> bool:
    """Staff of the item's counterpart committee."""
    return bool(
        user.role == Role.COMMITTEE_STAFF and user.committee_id and user.committee_id == item.committee_id
    )


def _may_record(user, item) -> bool:
    return (
        is_office(user)
        or is_leader_of(user, item)
        or is_committee_staff_of(user, item)
        or is_team_member_of(user, item)
    )


def _may_finish(user, item) -> bool:
    """The office, the leading leader, or the committee for its own counterpart supervision; a key
    item's conclusion is the leader's (reported to the directors' meeting)."""
    if is_office(user) or is_leader_of(user, item):
        return True
    return item.kind == SupervisionKind.COUNTERPART and is_committee_staff_of(user, item)


def _may_update(user, item) -> bool:
    if is_office(user):
        return True
    return item.kind == SupervisionKind.COUNTERPART and is_committee_staff_of(user, item)


SUPERVISORS = Who(_may_record, _("只有领衔督办领导、督办组成员、对口委员会或代表工委可以记录督办活动。"))
FINISHERS = Who(_may_finish, _("只有领衔督办领导、对口督办的委员会或代表工委可以完成督办。"))
ARRANGERS = Who(_may_update, _("只有代表工委或对口督办的委员会可以调整督办安排。"))


# -- Guards ----------------------------------------------------------------------------------------


def _key_only(item, _ctx) -> str | None:
    if item.kind != SupervisionKind.KEY:
        return _("只有重点督办事项结转下年度。")
    return None


# -- The transitions ---------------------------------------------------------------------------------


TRANSITIONS: tuple[Transition, ...] = (
    Transition(_states(S.IN_PROGRESS), Action.UPDATE, None, ARRANGERS),
    Transition(_states(S.IN_PROGRESS), Action.RECORD_ACTIVITY, None, SUPERVISORS),
    Transition(_states(S.IN_PROGRESS), Action.FINISH, S.FINISHED, FINISHERS),
    Transition(_states(S.FINISHED), Action.REOPEN, S.IN_PROGRESS, OFFICE),
    # DOMAIN §5.8: unsolved key items carry over to the next year (a new item takes over).
    Transition(_states(S.IN_PROGRESS), Action.CARRY_OVER, S.CARRIED_OVER, OFFICE, guard=_key_only),
)
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))

REFUSALS = {
    (Action.FINISH, S.FINISHED): _("该督办事项已完成。"),
    (Action.REOPEN, S.IN_PROGRESS): _("该督办事项正在督办中，无需恢复。"),
    **{
        (action, S.CARRIED_OVER): _("该督办事项已结转下年度，请在下年度的督办事项中办理。")
        for action in (Action.UPDATE, Action.RECORD_ACTIVITY, Action.FINISH, Action.REOPEN, Action.CARRY_OVER)
    },
    (Action.UPDATE, S.FINISHED): _("该督办事项已完成，如需调整请先恢复督办。"),
    (Action.RECORD_ACTIVITY, S.FINISHED): _("该督办事项已完成，如需记录督办活动请先恢复督办。"),
    (Action.CARRY_OVER, S.FINISHED): _("该督办事项已完成，无需结转。"),
}


# Carrying over is the year's job (or the office's button on the list) for all key items at once,
# so it is not offered per item: only checked.
ITEM = engine.Workflow(
    TRANSITIONS,
    actions=Action,
    states=S,
    refusals=REFUSALS,
    offered=tuple(action for action in ACTIONS if action != Action.CARRY_OVER),
)


def check(item, action: str, user, *, system: bool = False) -> Transition:
    """The transition ``user`` may take on ``item`` with ``action``, or a refusal:
    ``ForbiddenError`` for the role or scope, ``DomainError`` for the state or the rule.
    ``system``: the yearly job acting on its own (no user to check)."""
    return ITEM.check(item, action, user, Context.now(), system=system)


# -- Buttons -------------------------------------------------------------------------------------------


def available_actions(item, user) -> list[AvailableAction]:
    """The actions ``user`` may take now on ``item``: the item page's buttons and the API's
    ``available_actions`` (never carrying over, see ``ITEM``)."""
    return ITEM.available(item, user, Context.now())
