"""The workflow engine: one way to declare and check the life of an object.

An app declares its object's life as a table of ``Transition`` rows — from which statuses, which
action, to which status (``None``: unchanged), who may, and a guard — and wraps it in a
``Workflow``. Services call ``Workflow.check`` before they write; pages and the API call
``Workflow.available`` to show the buttons. Both read the same table, so a button is shown exactly
when the service would accept the action (inputs aside: a missing reason is the service's refusal).

    MOTION = Workflow(
        (Transition(frozenset({S.DRAFT}), Action.SUBMIT, S.SUBMITTED, PROPOSER, guard=_may_submit), ...),
        actions=Action, states=S, refusals={(Action.SUBMIT, S.SUBMITTED): _("请勿重复提交。")},
    )
    transition = MOTION.check(motion, Action.SUBMIT, user, Context(today=today, rules=rules))

Several rows may share an action: ``when`` picks the one that applies (submitting while
co-signers have not answered waits for them). The first row of an action carries its ``who``.
Guards return a Chinese refusal or ``None``; ``who`` failing is a ``ForbiddenError``, everything
else a ``DomainError``. See docs/DEVELOPING.md, "Adding a workflow table".
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import is_office

from .errors import DomainError, ForbiddenError


@dataclass(frozen=True)
class Context:
    """What guards may look at besides the object: the day, the congress's rules, the inputs."""

    today: date
    rules: Any = None
    inputs: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def now(cls, *, rules: Any = None, **inputs: Any) -> "Context":
        return cls(today=timezone.localdate(), rules=rules, inputs=inputs)


@dataclass(frozen=True)
class Who:
    """A role-and-scope predicate with the Chinese refusal shown when it fails. Anonymous users
    never pass."""

    test: Callable[[Any, Any], bool]
    refusal: str | Promise

    def __call__(self, user: Any, obj: Any) -> bool:
        return bool(user is not None and user.is_authenticated and self.test(user, obj))


OFFICE = Who(lambda user, _obj: is_office(user), _("只有代表工委工作人员可以进行此操作。"))

Guard = Callable[[Any, Context], "str | None"]
Branch = Callable[[Any, Context], bool]


@dataclass(frozen=True)
class Transition:
    """From ``sources``, ``action`` leads to ``target`` (None: the status does not change)."""

    sources: frozenset[str]
    action: str
    target: str | None
    who: Who
    guard: Guard | None = None
    when: Branch | None = None


@dataclass(frozen=True)
class AvailableAction:
    """A button: the action's code and its Chinese label."""

    action: str
    label: str


def states(*values: str) -> frozenset[str]:
    """A set of statuses, for a transition's ``sources``."""
    return frozenset(values)


class Workflow:
    """One object's declared life: its transitions, action and status labels, and the refusals
    clearer than "not in this status" (keyed by ``(action, status)``).

    ``offered``: the actions shown as buttons, in order (default: every action of the table, in
    the order of its first row). An action decided elsewhere (a meeting deciding many objects at
    once, a yearly job) is left out of it and only checked."""

    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        actions: type[models.TextChoices],
        states: type[models.TextChoices],
        refusals: Mapping[tuple[str, str], Any] | None = None,
        offered: Iterable[str] | None = None,
    ) -> None:
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.action_labels = actions
        self.state_labels = states
        self.refusals = dict(refusals or {})
        self.actions: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in self.transitions))
        self.offered: tuple[str, ...] = self.actions if offered is None else tuple(offered)
        self._by_action: dict[str, tuple[Transition, ...]] = {
            action: tuple(t for t in self.transitions if t.action == action) for action in self.actions
        }

    def rows(self, action: str) -> tuple[Transition, ...]:
        """The transitions of ``action`` in declared order (empty for an unknown action)."""
        return self._by_action.get(action, ())

    def label(self, action: str) -> str:
        return str(self.action_labels(action).label)

    def refusal(self, action: str, status: str) -> DomainError:
        """The Chinese refusal of ``action`` in ``status``."""
        message: str | Promise | None = self.refusals.get((action, status))
        if message is None:
            message = _("当前状态“{status}”下不能{action}。").format(
                status=self.state_labels(status).label, action=self.action_labels(action).label
            )
        return DomainError(message)

    def _applicable(self, rows: tuple[Transition, ...], obj: Any, ctx: Context) -> Transition | None:
        for transition in rows:
            if obj.status in transition.sources and (transition.when is None or transition.when(obj, ctx)):
                return transition
        return None

    def check(self, obj: Any, action: str, user: Any, ctx: Context, *, system: bool = False) -> Transition:
        """The transition ``user`` may take on ``obj`` with ``action``, or a refusal:
        ``ForbiddenError`` for the role or scope, ``DomainError`` for the state or the rule.
        ``system``: a scheduled job acting on its own (no user to check)."""
        rows = self.rows(action)
        if not rows:
            raise DomainError(_("不支持的操作。"))
        who = rows[0].who
        if not system and not who(user, obj):
            raise ForbiddenError(who.refusal)
        transition = self._applicable(rows, obj, ctx)
        if transition is None:
            raise self.refusal(action, obj.status)
        if transition.guard is not None and (message := transition.guard(obj, ctx)):
            raise DomainError(message)
        return transition

    def allows(self, obj: Any, action: str, user: Any, ctx: Context) -> bool:
        """Whether ``check`` would accept ``action`` now (without raising)."""
        rows = self.rows(action)
        if not rows or not rows[0].who(user, obj):
            return False
        transition = self._applicable(rows, obj, ctx)
        return transition is not None and (transition.guard is None or not transition.guard(obj, ctx))

    def available(self, obj: Any, user: Any, ctx: Context) -> list[AvailableAction]:
        """The offered actions ``user`` may take now on ``obj``: the buttons of its page and the
        ``available_actions`` of the API."""
        return [
            AvailableAction(action, self.label(action))
            for action in self.offered
            if self.allows(obj, action, user, ctx)
        ]
