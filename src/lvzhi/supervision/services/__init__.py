"""Every write of supervision (督办, DOMAIN §5.7-5.8) that carries a rule: one keyword-only function
per use case.

Like ``lvzhi.suggestions.services``, on the suggestions' public kernel (``lvzhi.suggestions.handling``):
each function runs in one transaction; locks the suggestion row first (every action on a suggestion
takes that lock first, so concurrent actions queue), then the rows it changes; checks the actor's
role and scope and the item's state through ``workflow``; saves with ``update_fields``; writes a
``SuggestionEvent`` on the suggestion (who, when, the suggestion's status, why; the payload holds
ids and names, never personal data); and queues notifications with ``transaction.on_commit``. A
refusal raises ``DomainError`` (``ForbiddenError`` for role or scope, ``ConflictError`` for a stale
version) with a Chinese message, and nothing is written.

By sub-subject: ``items`` (start, change the arrangement), ``activities`` (the team's work, finish,
reopen), ``carry_over`` (the next year), ``campaigns`` (supervision months), ``meetings`` (the
meeting that re-assigns the dissatisfied ones); ``plumbing`` is what they share. Import the
services from here.

Callers: the supervision pages and API, the yearly job (``tasks``), the demo, tests.
"""

from .activities import supervision_activity_record, supervision_finish, supervision_reopen
from .campaigns import (
    CAMPAIGN_EDITABLE,
    campaign_add_suggestions,
    campaign_create,
    campaign_remove_suggestion,
    campaign_update,
)
from .carry_over import supervision_carry_over
from .items import ITEM_EDITABLE, supervision_start, supervision_update
from .meetings import MeetingRow, dissatisfied_meeting_hold
from .plumbing import (
    GONE,
    IN_HANDLING,
    SUPERVISABLE,
    YEARS,
    item_link,
    work_link,
)

__all__ = [
    "CAMPAIGN_EDITABLE",
    "GONE",
    "IN_HANDLING",
    "ITEM_EDITABLE",
    "SUPERVISABLE",
    "YEARS",
    "MeetingRow",
    "campaign_add_suggestions",
    "campaign_create",
    "campaign_remove_suggestion",
    "campaign_update",
    "dissatisfied_meeting_hold",
    "item_link",
    "supervision_activity_record",
    "supervision_carry_over",
    "supervision_finish",
    "supervision_reopen",
    "supervision_start",
    "supervision_update",
    "work_link",
]
