"""The life of a mandate, declared once: which event may follow which status, and what it makes it.

Arts. 61-63 of the Deputies Law: suspension and its automatic end, termination and its announcement.
``status_after`` is the only place that turns events into a status.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError

from .choices import MandateEventType as T
from .choices import MandateStatus as S

START_EVENTS = frozenset({T.ELECTION, T.BY_ELECTION})
# Art. 62 (1)-(7), then death; a tuple, so forms and the API list them in this order.
ART_62_EVENTS = (
    T.TRANSFER_OUT,
    T.RESIGNATION,
    T.ORDERED_RESIGNATION,
    T.UNAPPROVED_ABSENCES,
    T.RECALL,
    T.LOSS_OF_NATIONALITY,
    T.DEPRIVATION_OF_POLITICAL_RIGHTS,
    T.LOSS_OF_LEGAL_CAPACITY,
)
TERMINATING_EVENTS = (*ART_62_EVENTS, T.DEATH)


@dataclass(frozen=True)
class Transition:
    event: str
    sources: frozenset  # statuses the mandate may be in; empty for the starting event
    target: str


TRANSITIONS: dict[str, Transition] = {
    T.ELECTION: Transition(T.ELECTION, frozenset(), S.ACTIVE),
    T.BY_ELECTION: Transition(T.BY_ELECTION, frozenset(), S.ACTIVE),
    # From SUSPENDED it records a change of cause (custody becomes a sentence) with its own end.
    T.SUSPENSION: Transition(T.SUSPENSION, frozenset({S.ACTIVE, S.SUSPENDED}), S.SUSPENDED),
    T.RESUMPTION: Transition(T.RESUMPTION, frozenset({S.SUSPENDED}), S.ACTIVE),
    **{
        event: Transition(event, frozenset({S.ACTIVE, S.SUSPENDED}), S.TERMINATED)
        for event in TERMINATING_EVENTS
    },
}

REFUSALS = {
    (T.RESUMPTION, S.TERMINATED): _("该代表资格已终止，不能恢复执行代表职务。"),
    (T.RESUMPTION, S.ACTIVE): _("该代表正在执行代表职务，无需恢复。"),
    (T.SUSPENSION, S.TERMINATED): _("该代表资格已终止，不能暂停执行代表职务。"),
}


def status_after(current: str | None, event_type: str) -> str:
    """The status a mandate in ``current`` status has after ``event_type``, or a Chinese refusal."""
    transition = TRANSITIONS[event_type]
    if current is None:
        if event_type not in START_EVENTS:
            raise DomainError(_("代表资格须以当选或补选当选开始。"))
        return transition.target
    if event_type in START_EVENTS:
        raise DomainError(_("该代表资格已有当选记录，不能重复记录当选。"))
    if current not in transition.sources:
        if current == S.TERMINATED:
            raise DomainError(
                REFUSALS.get((event_type, current), _("该代表资格已终止，不能再记录资格变动。"))
            )
        raise DomainError(
            REFUSALS.get((event_type, current))
            or _("当前状态“{status}”下不能记录“{event}”。").format(
                status=S(current).label, event=T(event_type).label
            )
        )
    return transition.target


def replay(event_types: list[str]) -> str | None:
    """The status a mandate's events, in order, give it."""
    status = None
    for event_type in event_types:
        status = status_after(status, event_type)
    return status


def available_events(status: str) -> list[str]:
    """The events staff may record on a mandate in ``status``: drives the form and the API."""
    return [event for event, transition in TRANSITIONS.items() if status in transition.sources]
