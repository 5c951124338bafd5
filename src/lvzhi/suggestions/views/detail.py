"""The detail page of a suggestion with its action cards, its attachments and the sealed reply
letters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError
from lvzhi.core.lists import not_found

from .. import extensions, selectors, services, tables, workflow
from ..models import Reply, Suggestion, SuggestionAttachment
from ..visibility import SuggestionLens
from ..workflow import Action
from .cards import ACTION_SPECS, SECONDARY_ACTIONS, action_card
from .shared import NOT_VISIBLE, visible_or_404


def _assignment_panels(detail: selectors.SuggestionDetail, rules, today) -> list[dict]:
    """The units' panels: what ``selectors.suggestion_detail`` lets the user see of each
    assignment."""
    panels = []
    for view in detail.assignments:
        assignment = view.assignment
        for reply in view.replies:
            reply.result_label = rules.result_class_label(reply.result_class) if reply.result_class else ""
        panels.append(
            {
                "assignment": assignment,
                "due": tables.due_cell(assignment, today),
                "due_state": tables.due_state(assignment, today),
                "contacts": assignment.contacts.all(),
                "commitments": assignment.commitments.all(),
                "objections": view.objections,
                "show_input": view.input_visible and assignment.input_text,
                "show_review": view.review_visible,
                "replies": view.replies,
            }
        )
    return panels


def render_detail(request, pk: int, *, bound: tuple | None = None, status: int = 200, rules=None):
    """The detail page; ``bound`` = (card key, bound form) shows a refused action's form with its
    errors in place of the fresh one."""
    user = request.user
    try:
        detail = selectors.suggestion_detail(user=user, pk=pk, rules=rules)
    except Suggestion.DoesNotExist as missing:
        raise not_found(NOT_VISIBLE) from missing
    suggestion, rules = detail.suggestion, detail.rules
    today = timezone.localdate()
    assignments = {view.assignment.pk: view.assignment for view in detail.assignments}
    cards, attach_card, page_errors = [], None, []
    available = workflow.available_actions(suggestion, user, today=today, rules=rules)
    action_names = {item.action for item in available}
    for item in available:
        spec = ACTION_SPECS.get(item.action)
        if spec is None:
            continue
        assignment = assignments.get(item.assignment_id) if spec.on_assignment else None
        if spec.on_assignment and assignment is None:
            continue
        form = bound[1] if bound and bound[0] == spec.key(assignment) else None
        card = action_card(spec, request, suggestion, assignment, rules, form=form)
        if card is None:
            continue
        if spec.action == Action.ATTACH:
            attach_card = card
        else:
            cards.append(card)
    # The main step first; objections, re-assignment, withdrawal and refusals after it.
    cards.sort(key=lambda card: card.spec.action in SECONDARY_ACTIONS)
    if bound and bound[0] not in {card.key for card in cards} | ({attach_card.key} if attach_card else set()):
        # The action is no longer offered (done by someone else, or never this user's): say why.
        page_errors = [str(error) for errors in bound[1].errors.values() for error in errors]
    merged, merged_hidden = detail.merged, detail.merged_hidden
    context = {
        "suggestion": suggestion,
        "rules": rules,
        "status_badge": tables.status_badge(suggestion.status),
        "merged": [(other, tables.STATUS_BADGES.get(other.status, "")) for other in merged],
        "merged_hidden": merged_hidden,
        "is_merged": bool(merged or merged_hidden),
        # Panels other apps add (e.g. 督办情况 from lvzhi.supervision): ``extensions``.
        "panels_from_apps": extensions.detail_panels(suggestion, user),
        "signers": suggestion.signers.all(),
        "attachments": suggestion.attachments.all(),
        "panels": _assignment_panels(detail, rules, today),
        "events": [
            (event, tables.event_unit(event), tables.event_details(event))
            for event in selectors.suggestion_events(suggestion, user=user)
        ],
        "cards": cards,
        "attach_card": attach_card,
        "can_edit": Action.EDIT in action_names,
        "can_remove_attachments": Action.ATTACH in action_names,
        "page_errors": page_errors,
    }
    return render(request, "suggestions/suggestion_detail.html", context, status=status)


@login_required
def suggestion_detail_view(request, pk: int):
    """Everything the user may see of one suggestion, its history, and the actions it may take."""
    return render_detail(request, pk)


# -- Files ------------------------------------------------------------------------------------------


@login_required
def attachment_download_view(request, pk: int, attachment_pk: int):
    """Uploads are never served as static files: whoever may see the suggestion may download."""
    suggestion = visible_or_404(request.user, pk)
    attachment = get_object_or_404(SuggestionAttachment, pk=attachment_pk, suggestion=suggestion)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@require_POST
def attachment_delete_view(request, pk: int, attachment_pk: int):
    """Remove an attachment until the suggestion is assigned (the form asks first)."""
    suggestion = visible_or_404(request.user, pk)
    attachment = get_object_or_404(SuggestionAttachment, pk=attachment_pk, suggestion=suggestion)
    try:
        services.suggestion_attachment_remove(attachment=attachment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除附件“{name}”。").format(name=attachment.original_name))
    return redirect("suggestions:detail", pk=pk)


@login_required
def reply_letter_view(request, pk: int, reply_pk: int):
    """The sealed reply letter, to whoever may read the reply (``visibility``)."""
    suggestion = visible_or_404(request.user, pk)
    reply = get_object_or_404(
        Reply.objects.select_related("assignment__parent"), pk=reply_pk, assignment__suggestion=suggestion
    )
    if not reply.letter or not SuggestionLens(request.user).sees_reply(reply, reply.assignment):
        raise not_found(NOT_VISIBLE)
    name = _("{number}答复函.pdf").format(number=suggestion.number_label or suggestion.pk)
    return FileResponse(reply.letter.open("rb"), as_attachment=True, filename=name)
