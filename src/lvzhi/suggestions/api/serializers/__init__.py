"""Serializers of the suggestions API, by subject: ``suggestions``, ``assignments`` (with the unit's
work list and the assignment meeting), ``objections``, ``commitments``, ``replies`` (with the
evaluations), ``rules``; ``shared`` holds what several of them use.

Output and input are separate. Output serializers read only what the view's scoped queryset
loaded (``selectors.suggestion_list``, ``selectors.unit_work_list`` and the view's prefetches), so
a list costs the same queries for 5 rows or 500. Input serializers check the *shape* of a request
(types, choices, existing ids) and the view hands the values to exactly one service, which applies
the rules and refuses in Chinese; no rule lives here.
"""

from .assignments import (
    AssignBulkResultSerializer,
    AssignBulkSerializer,
    AssignmentPlanInputSerializer,
    AssignmentSerializer,
    ContactInputSerializer,
    ContactSerializer,
    InputSerializer,
    ObjectInputSerializer,
    ReassignSerializer,
    SuggestionAssignmentSerializer,
    UnitRoleSerializer,
    WorkItemDetailSerializer,
    WorkItemSerializer,
    WorkItemSuggestionSerializer,
    WorkListQuerySerializer,
)
from .commitments import CommitmentInputSerializer, CommitmentKeepSerializer, CommitmentSerializer
from .objections import ObjectionDecideSerializer, ObjectionSerializer
from .replies import (
    EvaluateSerializer,
    EvaluationSerializer,
    FollowUpReplySerializer,
    MergedReplyDraftSkippedSerializer,
    RecipientSerializer,
    ReplyDraftResultSerializer,
    ReplyDraftSerializer,
    ReplyReviewSerializer,
    ReplySerializer,
    SubmitReplySerializer,
)
from .rules import ResultClassesField, ResultClassSerializer, StageLabelsField, SuggestionRulesSerializer
from .shared import DeputyReferenceSerializer, choice_code
from .suggestions import (
    AssignSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    AvailableActionSerializer,
    InviteCosignersSerializer,
    MergedSuggestionSerializer,
    RespondSerializer,
    ReviewSerializer,
    SignerSerializer,
    SuggestionCreateSerializer,
    SuggestionDetailSerializer,
    SuggestionEventSerializer,
    SuggestionListSerializer,
    SuggestionUpdateSerializer,
    VersionInputSerializer,
    WithdrawSerializer,
)

__all__ = [
    "AssignBulkResultSerializer",
    "AssignBulkSerializer",
    "AssignSerializer",
    "AssignmentPlanInputSerializer",
    "AssignmentSerializer",
    "AttachmentSerializer",
    "AttachmentUploadSerializer",
    "AvailableActionSerializer",
    "CommitmentInputSerializer",
    "CommitmentKeepSerializer",
    "CommitmentSerializer",
    "ContactInputSerializer",
    "ContactSerializer",
    "DeputyReferenceSerializer",
    "EvaluateSerializer",
    "EvaluationSerializer",
    "FollowUpReplySerializer",
    "InputSerializer",
    "InviteCosignersSerializer",
    "MergedReplyDraftSkippedSerializer",
    "MergedSuggestionSerializer",
    "ObjectInputSerializer",
    "ObjectionDecideSerializer",
    "ObjectionSerializer",
    "ReassignSerializer",
    "RecipientSerializer",
    "ReplyDraftResultSerializer",
    "ReplyDraftSerializer",
    "ReplyReviewSerializer",
    "ReplySerializer",
    "RespondSerializer",
    "ResultClassSerializer",
    "ResultClassesField",
    "ReviewSerializer",
    "SignerSerializer",
    "StageLabelsField",
    "SubmitReplySerializer",
    "SuggestionAssignmentSerializer",
    "SuggestionCreateSerializer",
    "SuggestionDetailSerializer",
    "SuggestionEventSerializer",
    "SuggestionListSerializer",
    "SuggestionRulesSerializer",
    "SuggestionUpdateSerializer",
    "UnitRoleSerializer",
    "VersionInputSerializer",
    "WithdrawSerializer",
    "WorkItemDetailSerializer",
    "WorkItemSerializer",
    "WorkItemSuggestionSerializer",
    "WorkListQuerySerializer",
    "choice_code",
]
