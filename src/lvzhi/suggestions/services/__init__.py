"""Every write to suggestions that carries a rule: one keyword-only function per use case.

Each one runs in one transaction; locks the suggestion row first (then the rows it changes), so
two people acting on the same suggestion queue and the second sees the first's result; checks the
actor's role and scope and the current state through ``workflow``; applies the rule; saves with
``update_fields``; writes a ``SuggestionEvent`` (who, when, from, to, why); and queues
notifications and reminders with ``transaction.on_commit``. A refusal raises ``DomainError``
(``ForbiddenError`` for role or scope, ``ConflictError`` for a stale version) with a Chinese
message, and nothing is written. The steps every service shares (locks, events, roll-up, moves,
deadlines, reminders) are the public kernel in ``lvzhi.suggestions.handling``.

By sub-subject: ``drafting`` (create, edit, attachments, co-signers, submit, withdraw), ``review``
(the first review, numbering), ``assignment`` (plans, assign, bulk assign, merge groups),
``unit_work`` (acknowledge, object and the decision, re-assign to a sub-unit, co-unit input,
contacts, commitments), ``replies`` (drafts, merged drafts, submit, second review, release,
follow-up replies), ``evaluation`` (evaluate, re-handling, close); ``checks`` holds what several
of them check (uploads, editable fields, dates). Import the services from here.

Callers: the suggestion pages and API, motions (a motion converted to a suggestion), tests.
"""

from .assignment import AssignmentPlan, new_merge_group, suggestion_assign, suggestions_assign_bulk
from .checks import ATTACHMENT_TYPES, DEPUTY_EDITABLE, LETTER_TYPES, MAX_UPLOAD_BYTES, OFFICE_EDITABLE
from .drafting import (
    suggestion_attach,
    suggestion_attachment_remove,
    suggestion_cosigner_respond,
    suggestion_create,
    suggestion_invite_cosigners,
    suggestion_submit,
    suggestion_update,
    suggestion_withdraw,
)
from .evaluation import reply_evaluate, suggestion_close
from .replies import (
    MergedReplyDraft,
    merged_draft_targets,
    reply_draft,
    reply_draft_merged,
    reply_review,
    reply_submit,
    suggestion_follow_up_reply,
)
from .review import REVIEW_ACTIONS, suggestion_review
from .unit_work import (
    assignment_acknowledge,
    assignment_input_submit,
    assignment_object,
    assignment_reassign,
    commitment_keep,
    commitment_record,
    contact_log,
    objection_decide,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "DEPUTY_EDITABLE",
    "LETTER_TYPES",
    "MAX_UPLOAD_BYTES",
    "OFFICE_EDITABLE",
    "REVIEW_ACTIONS",
    "AssignmentPlan",
    "MergedReplyDraft",
    "assignment_acknowledge",
    "assignment_input_submit",
    "assignment_object",
    "assignment_reassign",
    "commitment_keep",
    "commitment_record",
    "contact_log",
    "merged_draft_targets",
    "new_merge_group",
    "objection_decide",
    "reply_draft",
    "reply_draft_merged",
    "reply_evaluate",
    "reply_review",
    "reply_submit",
    "suggestion_assign",
    "suggestion_attach",
    "suggestion_attachment_remove",
    "suggestion_close",
    "suggestion_cosigner_respond",
    "suggestion_create",
    "suggestion_follow_up_reply",
    "suggestion_invite_cosigners",
    "suggestion_review",
    "suggestion_submit",
    "suggestion_update",
    "suggestion_withdraw",
    "suggestions_assign_bulk",
]
