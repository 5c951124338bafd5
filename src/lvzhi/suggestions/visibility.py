"""What a user may see *inside* a suggestion it may see at all: the one rule, for the page, the
exports and the API alike (docs/visibility.md says it in words; ``selectors.suggestions_visible_to``
decides which suggestions a user sees at all).

Everyone who sees a suggestion sees its progress: its text, co-signers and attachments, the units
it was assigned to with their deadlines and statuses, the contacts made with the deputies, the
promises (承诺事项), the released replies with their letters and evaluations, and the history of
all of that.

The internal exchanges between the office and the units stay between them:

- **objections** (异议) and the office's decisions on them, and **review notes** on replies (退回理由):
  the office, standing-committee leaders, and the unit concerned (the assignment's unit, and for a
  sub-unit's assignment the unit that re-assigned it down);
- **co-units' input** (协办意见): the same, and the lead units of the suggestion, to whom it is
  written (DOMAIN §5.3);
- **replies not yet released**: the unit concerned (its drafts are its own until it submits them)
  and, once submitted, the office (the second review; returned replies).

Deputies, county staff and committee staff see none of these. In the history they see that a
co-unit sent its input and that a reply went to the second review or came back from it (progress),
never what was written (``REDACTED_EVENTS``); objections and their decisions not at all
(``HIDDEN_EVENTS``).
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office

from .choices import AssignmentRole, ReplyStatus
from .choices import SuggestionEventType as E
from .models import Assignment, Objection, Reply, SuggestionEvent

# History events that are internal exchanges: shown only to those who see the exchanges.
HIDDEN_EVENTS = frozenset({E.OBJECTED, E.OBJECTION_UPHELD, E.OBJECTION_REJECTED})
# Progress everyone may follow, whose reason and details are internal.
REDACTED_EVENTS = frozenset({E.INPUT_SUBMITTED, E.REPLY_SUBMITTED, E.REPLY_RETURNED})
PUBLIC_PAYLOAD = frozenset({"unit"})  # which unit took the step stays readable


class SuggestionLens:
    """``user``'s view inside the suggestions it sees. Cheap to build; asks no query."""

    def __init__(self, user: Any) -> None:
        self.user = user
        authenticated = user is not None and user.is_authenticated
        self.is_office = authenticated and is_office(user)
        # The office and the standing committee's leaders oversee the handling.
        self.oversees = self.is_office or (authenticated and user.role == Role.LEADER)
        self.unit_id = (
            user.handling_unit_id
            if authenticated and not self.is_office and user.role == Role.HANDLING_UNIT_STAFF
            else None
        )

    # -- One assignment's exchanges --------------------------------------------------------------

    def is_unit_concerned(self, assignment: Assignment) -> bool:
        """The assignment's unit, or the unit that re-assigned it to this sub-unit (reads
        ``assignment.parent``: select it)."""
        if self.unit_id is None:
            return False
        if assignment.unit_id == self.unit_id:
            return True
        parent = assignment.parent if assignment.parent_id is not None else None
        return parent is not None and parent.unit_id == self.unit_id

    def sees_exchanges(self, assignment: Assignment) -> bool:
        """Objections and their decisions, review notes on replies."""
        return self.oversees or self.is_unit_concerned(assignment)

    def sees_input(self, assignment: Assignment, lead_unit_ids: Iterable[int] = ()) -> bool:
        """A co-unit's input: also the suggestion's lead units (``lead_unit_ids``)."""
        return self.sees_exchanges(assignment) or (
            self.unit_id is not None and self.unit_id in set(lead_unit_ids)
        )

    def sees_reply(self, reply: Reply, assignment: Assignment) -> bool:
        if reply.status == ReplyStatus.RELEASED:
            return True
        if self.is_office:
            return reply.status != ReplyStatus.DRAFT
        return self.is_unit_concerned(assignment)

    def _sees_event_content(self, event: SuggestionEvent) -> bool:
        if self.oversees:
            return True
        assignment = event.assignment if event.assignment_id is not None else None
        return assignment is not None and self.is_unit_concerned(assignment)

    def sees_event(self, event: SuggestionEvent) -> bool:
        """A history event; an objection's only with its assignment's exchanges (reads
        ``event.assignment`` and its parent: select them)."""
        return event.type not in HIDDEN_EVENTS or self._sees_event_content(event)

    def redacted(self, event: SuggestionEvent) -> SuggestionEvent:
        """The event as the user may read it: an internal step's reason and details withheld (in
        memory; the event itself is never changed)."""
        if event.type in REDACTED_EVENTS and not self._sees_event_content(event):
            event.reason = ""
            event.payload = {key: value for key, value in event.payload.items() if key in PUBLIC_PAYLOAD}
        return event

    # -- The same rule as queries, for lists and exports ------------------------------------------

    def _unit_concerned_q(self, prefix: str) -> Q:
        return Q(**{f"{prefix}unit_id": self.unit_id}) | Q(**{f"{prefix}parent__unit_id": self.unit_id})

    def objections(self, objections: QuerySet[Objection]) -> QuerySet[Objection]:
        if self.oversees:
            return objections
        if self.unit_id is None:
            return objections.none()
        return objections.filter(self._unit_concerned_q("assignment__"))

    def replies(self, replies: QuerySet[Reply]) -> QuerySet[Reply]:
        released = Q(status=ReplyStatus.RELEASED)
        if self.is_office:
            return replies.exclude(status=ReplyStatus.DRAFT)
        if self.unit_id is None:
            return replies.filter(released)
        return replies.filter(released | self._unit_concerned_q("assignment__"))

    def events(self, events: QuerySet[SuggestionEvent]) -> QuerySet[SuggestionEvent]:
        if self.oversees:
            return events
        public = ~Q(type__in=HIDDEN_EVENTS)
        if self.unit_id is None:
            return events.filter(public)
        return events.filter(public | self._unit_concerned_q("assignment__"))


def lead_unit_ids(assignments: Iterable[Assignment]) -> set[int]:
    """The units leading a suggestion (to whom co-units write their input)."""
    return {a.unit_id for a in assignments if a.role == AssignmentRole.LEAD}
