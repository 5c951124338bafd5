"""Suggestion pages: the list, drafting, the detail page with its action cards, the unit work list,
the assignment meeting (bulk assignment) and its printable per-unit lists.

Views are thin: a selector decides what the user may see (missing and forbidden both give 404), a
form checks the input's shape, one service applies the rule, and the page redirects with a
success message or shows the service's Chinese refusal with nothing changed.

The detail page shows one card per action that ``workflow.available_actions`` offers the user;
each card's form POSTs to its own view (``ACTION_SPECS``), which calls exactly one service.

By subject: ``listing`` (the list and its export), ``drafting`` (create, edit), ``cards`` (how an
action appears), ``detail`` (the page, attachments, reply letters), ``actions`` (the POST view of
a card, and the suggestion's actions), ``assignment_actions`` (the units' actions), ``work`` (the
unit work list), ``assignment`` (the assignment meeting and its print view).
"""

# The action modules fill ``ACTION_SPECS`` as they are imported: importing them here, with the
# package, registers every card before any detail page renders.
from .actions import (
    accept_view,
    assign_view,
    attach_view,
    close_view,
    convert_view,
    invite_view,
    reject_view,
    respond_view,
    return_view,
    submit_view,
    withdraw_view,
)
from .assignment import assign_print_view, bulk_assign_view
from .assignment_actions import (
    acknowledge_view,
    draft_reply_view,
    evaluate_view,
    follow_up_reply_view,
    keep_commitment_view,
    log_contact_view,
    object_view,
    reassign_view,
    record_commitment_view,
    reject_objection_view,
    release_reply_view,
    return_reply_view,
    submit_input_view,
    submit_reply_view,
    uphold_objection_view,
)
from .cards import ACTION_SPECS
from .detail import (
    attachment_delete_view,
    attachment_download_view,
    reply_letter_view,
    suggestion_detail_view,
)
from .drafting import suggestion_create_view, suggestion_edit_view
from .listing import suggestion_list_view
from .printing import suggestion_print_view
from .work import unit_work_list_view

__all__ = [
    "ACTION_SPECS",
    "accept_view",
    "acknowledge_view",
    "assign_print_view",
    "assign_view",
    "attach_view",
    "attachment_delete_view",
    "attachment_download_view",
    "bulk_assign_view",
    "close_view",
    "convert_view",
    "draft_reply_view",
    "evaluate_view",
    "follow_up_reply_view",
    "invite_view",
    "keep_commitment_view",
    "log_contact_view",
    "object_view",
    "reassign_view",
    "record_commitment_view",
    "reject_objection_view",
    "reject_view",
    "release_reply_view",
    "reply_letter_view",
    "respond_view",
    "return_reply_view",
    "return_view",
    "submit_input_view",
    "submit_reply_view",
    "submit_view",
    "suggestion_create_view",
    "suggestion_detail_view",
    "suggestion_edit_view",
    "suggestion_list_view",
    "suggestion_print_view",
    "unit_work_list_view",
    "uphold_objection_view",
    "withdraw_view",
]
