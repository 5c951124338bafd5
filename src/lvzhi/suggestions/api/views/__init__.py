"""Suggestions over /api/v1/: the suggestions, the units' work, objections, promises, replies and
their evaluations, and the rules per congress; one module per subject, ``base`` for what they
share.

Same rules as the pages. Every object is looked up in the user's scoped queryset first
(``selectors.suggestion_list``, ``selectors.unit_work_list`` and the querysets derived from them),
so an object outside the user's scope is 404, never 403. Every transition is an action
that validates the shape of its input and calls exactly one service; the service checks role,
scope, state and rule and refuses in Chinese: 403 (``ForbiddenError``) for the role on a visible
object, 400 (``DomainError``) for the rule, 409 (``ConflictError``) for a stale ``version``
(``core.api.exception_handler``). Nothing is deleted but an attachment before assignment:
a suggestion ends by being withdrawn, rejected or closed.
"""

from .assignments import AssignmentViewSet
from .commitments import CommitmentViewSet
from .objections import ObjectionViewSet
from .replies import ReplyRecipientViewSet, ReplyViewSet
from .rules import RulesPermission, SuggestionRulesViewSet
from .suggestions import SuggestionViewSet

__all__ = [
    "AssignmentViewSet",
    "CommitmentViewSet",
    "ObjectionViewSet",
    "ReplyRecipientViewSet",
    "ReplyViewSet",
    "RulesPermission",
    "SuggestionRulesViewSet",
    "SuggestionViewSet",
]
