"""Replies (DOMAIN §5.5, §5.9): the unit drafts (one reply for a merged group too), submits, the
office's second review releases or returns it; the follow-up reply once a B or C matter is solved."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import ConflictError, DomainError
from lvzhi.core.models import save_fields

from .. import workflow
from ..choices import AssignmentStatus, NoContactReason, ReplyKind, ReplyStatus
from ..choices import SuggestionEventType as E
from ..current import OPEN_STATUSES, open_draft
from ..handling import (
    REMIND_EVALUATION,
    REMIND_REHANDLING,
    REMIND_REPLY,
    REMINDER_TITLES,
    assignment_move,
    context_for,
    deadline_from,
    deputies_of,
    deputy_users,
    iso_date,
    lock_assignment,
    lock_suggestion,
    notify,
    office_users,
    record_event,
    remind,
    remind_done,
    roll_up,
    unit_users,
)
from ..models import Assignment, Contact, Reply, ReplyRecipient, Suggestion
from ..rules import rules_for
from ..workflow import Action, Context
from .checks import LETTER_TYPES, checked_upload


def _check_result_class(rules, code: str) -> None:
    if code not in rules.result_class_codes:
        raise DomainError(
            _("请从{codes}中选择办理结果分类。").format(codes="、".join(rules.result_class_codes)),
            field="result_class",
        )


def _check_reply_complete(reply: Reply, rules) -> None:
    if not reply.body.strip():
        raise DomainError(_("请填写答复内容。"), field="body")
    _check_result_class(rules, reply.result_class)
    if not reply.signed_by.strip():
        raise DomainError(_("请填写签发答复函的单位负责人。"), field="signed_by")
    if not reply.letter:
        raise DomainError(_("请上传加盖公章的答复函（PDF）。"), field="letter")


def _check_contact(
    reply: Reply, assignment: Assignment, suggestion: Suggestion, reason: str, note: str
) -> None:
    """Art. 51: the unit keeps in touch with the deputy. A reply goes out after at least one contact
    with the lead deputy on this assignment, or with the reason there was none and what happened;
    staff read it at the second review. A contact clears any reason given before."""
    if Contact.objects.filter(assignment=assignment, deputy_id=suggestion.lead_mandate_id).exists():
        reply.no_contact_reason, reply.no_contact_note = "", ""
        return
    if not reason:
        raise DomainError(
            _(
                "提交答复前，请先记录与领衔代表的沟通（《代表法》第五十一条）；确实无法沟通的，请选择原因并说明情况。"
            ),
            field="no_contact_reason",
        )
    if reason not in NoContactReason.values:
        raise DomainError(_("请选择未能与领衔代表沟通的原因。"), field="no_contact_reason")
    if not note.strip():
        raise DomainError(_("请说明未能与领衔代表沟通的情况。"), field="no_contact_note")
    reply.no_contact_reason, reply.no_contact_note = reason, note.strip()


def _generate_recipients(reply: Reply, suggestion: Suggestion) -> list[ReplyRecipient]:
    """One recipient per deputy: the lead and each confirmed co-signer (the letter goes to each)."""
    reply.recipients.all().delete()  # a returned reply is resubmitted: no evaluation hangs on it
    lead = suggestion.lead_mandate_id
    return ReplyRecipient.objects.bulk_create(
        [
            ReplyRecipient(reply=reply, mandate_id=mandate_id, is_lead=mandate_id == lead)
            for mandate_id in deputies_of(suggestion)
        ]
    )


def _follow_up_required(suggestion: Suggestion, rules) -> bool:
    """Whether any replying unit's latest answer is of a class answered again once solved (B, C)."""
    for assignment in workflow.replying_assignments(suggestion.assignments.all()):
        latest = (
            assignment.replies.filter(status=ReplyStatus.RELEASED).order_by("-released_at", "-id").first()
        )
        if latest is not None and rules.needs_follow_up(latest.result_class):
            return True
    return False


def _release(
    reply: Reply, assignment: Assignment, suggestion: Suggestion, actor, rules, *, from_status: str
) -> None:
    """Send the reply to its deputies: each gets the evaluation window (DOMAIN §5.6). The caller
    has set the assignment's status and rolled the suggestion's up from ``from_status``."""
    now = timezone.now()
    reply.status = ReplyStatus.RELEASED
    reply.released_at = now
    save_fields(
        reply, actor, ["status", "released_at", "reviewed_by", "reviewed_at", "is_withheld_from_public"]
    )
    due, flagged = deadline_from(timezone.localdate(now), working_days=rules.evaluation_working_days)
    recipients = list(reply.recipients.all())
    for recipient in recipients:
        recipient.evaluation_due, recipient.needs_calendar = due, flagged
    ReplyRecipient.objects.bulk_update(recipients, ["evaluation_due", "needs_calendar"])
    follow_up = _follow_up_required(suggestion, rules)
    if follow_up != suggestion.follow_up_required:
        suggestion.follow_up_required = follow_up
        save_fields(suggestion, actor, ["follow_up_required"])
    record_event(
        suggestion,
        E.REPLY_RELEASED,
        actor,
        from_status=from_status,
        to_status=suggestion.status,
        assignment=assignment,
        payload={
            "unit": assignment.unit.name,
            "reply": reply.pk,
            "result_class": reply.result_class,
            "evaluation_due": iso_date(due),
        },
    )
    for recipient in recipients:
        remind(
            recipient,
            kind=REMIND_EVALUATION,
            due_date=due,
            recipients=deputy_users(recipient.mandate_id),
            title=REMINDER_TITLES[REMIND_EVALUATION].format(title=suggestion.title),
            suggestion=suggestion,
        )
    notify(
        deputy_users(*(recipient.mandate_id for recipient in recipients)),
        kind="suggestion.replied",
        title=_("{unit}已答复您的建议：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )


def _write_draft(
    assignment: Assignment,
    actor,
    rules,
    *,
    body: str,
    result_class: str,
    signed_by: str,
    letter=None,
    letter_name: str = "",
    expected_version: int | None = None,
) -> Reply:
    """Write the assignment's open draft (a new one, or the draft or returned reply being revised).
    ``letter_name`` reuses a letter already stored (并案: one letter for the group). The caller has
    locked the suggestion and checked ``DRAFT_REPLY``."""
    if result_class:
        _check_result_class(rules, result_class)
    reply = open_draft(assignment, for_update=True)
    if reply is None:
        reply = Reply(
            assignment=assignment,
            kind=ReplyKind.REHANDLING
            if assignment.status == AssignmentStatus.REHANDLING
            else ReplyKind.ANSWER,
            drafted_by=actor,
            version=0,
        )
    elif expected_version is not None and reply.version != expected_version:
        raise ConflictError(_("该答复已被他人修改，请刷新页面后重新编辑。"))
    reply.body, reply.result_class, reply.signed_by = (
        (body or "").strip(),
        result_class,
        (signed_by or "").strip(),
    )
    if letter is not None:
        name, _content_type = checked_upload(letter, LETTER_TYPES, field="letter")
        reply.letter.save(name, letter, save=False)
    elif letter_name:
        reply.letter.name = letter_name
    reply.version += 1
    reply._history_user = actor
    reply.save()
    return reply


@transaction.atomic
def reply_draft(
    *,
    assignment,
    actor,
    body: str = "",
    result_class: str = "",
    signed_by: str = "",
    letter=None,
    expected_version: int | None = None,
) -> Reply:
    """Write or revise the unit's reply before submitting it: text, result class from the
    congress's scheme, the head who signs, the sealed letter as PDF. A returned reply is revised
    here too. Who: staff of a lead or split unit, after receipt."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    ctx = context_for(suggestion)
    workflow.check_assignment(assignment, Action.DRAFT_REPLY, actor, ctx)
    return _write_draft(
        assignment,
        actor,
        ctx.rules,
        body=body,
        result_class=result_class,
        signed_by=signed_by,
        letter=letter,
        expected_version=expected_version,
    )


@dataclass(frozen=True)
class MergedReplyDraft:
    """What ``reply_draft_merged`` wrote: the replies (the assignment's first, then the group's
    others in number order), and the unit's other assignments of the group it left as they were,
    each with the reason (not yet acknowledged, reply already submitted, …)."""

    replies: list[Reply]
    skipped: list[tuple[Assignment, str]]


def merged_draft_targets(
    *, assignment, actor, today: date | None = None
) -> tuple[list[Assignment], list[tuple[Assignment, str]]]:
    """并案: the unit's other assignments in ``assignment``'s merge group on which ``actor`` may
    draft a reply now (``workflow`` allows ``DRAFT_REPLY``), and the others with the reason they may
    not, as ``(assignment, reason)``. Reads only: the reply card offers the choice from it;
    ``reply_draft_merged`` calls it again under the locks. Queries: one, plus the rules per congress."""
    if assignment.merge_group is None:
        return [], []
    others = (
        Assignment.objects.filter(merge_group=assignment.merge_group, unit_id=assignment.unit_id)
        .exclude(pk=assignment.pk)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("suggestion", "unit")
        .order_by("suggestion__year", "suggestion__series", "suggestion__number", "id")
    )
    today = today or timezone.localdate()
    contexts: dict[int, Context] = {}
    targets, skipped = [], []
    for other in others:
        congress_id = other.suggestion.congress_id
        if congress_id not in contexts:
            contexts[congress_id] = Context(today=today, rules=rules_for(congress_id))
        try:
            workflow.check_assignment(other, Action.DRAFT_REPLY, actor, contexts[congress_id])
        except DomainError as refusal:
            skipped.append((other, refusal.message))
        else:
            targets.append(other)
    return targets, skipped


@transaction.atomic
def reply_draft_merged(
    *,
    assignment,
    actor,
    body: str = "",
    result_class: str = "",
    signed_by: str = "",
    letter=None,
    expected_version: int | None = None,
) -> MergedReplyDraft:
    """并案 (DOMAIN §5.3: handled together, one reply per deputy): draft the reply on ``assignment``
    as ``reply_draft`` does, and the same reply (text, result class, signer and the same stored
    letter) on the unit's other assignments of its merge group that may be drafted now. Each
    suggestion keeps its own ``Reply``: submitted on its own, it gets its own recipients, so every
    deputy receives and evaluates a reply to its own suggestion.

    All or nothing: a refusal on any of them (a result class another congress does not use, a
    stale ``expected_version`` of the first) writes none. The group's assignments that may not be
    drafted now are left as they are and named in ``skipped``.
    Who: staff of a lead or split unit, after receipt."""
    first = Assignment.objects.select_related("suggestion").get(pk=getattr(assignment, "pk", assignment))
    # Refused as drafting it alone would be (role, scope, state) before asking about the group.
    workflow.check_assignment(first, Action.DRAFT_REPLY, actor, context_for(first.suggestion))
    if first.merge_group is None:
        raise DomainError(_("该建议不是并案办理，请直接起草答复。"))
    # The group's suggestions are locked first, in one order: two merged drafts on the same group
    # (or one and a single action) queue instead of deadlocking.
    group = (
        Assignment.objects.filter(merge_group=first.merge_group, unit_id=first.unit_id)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values("suggestion_id")
    )
    list(Suggestion.objects.select_for_update(of=("self",)).filter(pk__in=group).order_by("pk").only("pk"))
    reply = reply_draft(
        assignment=first,
        actor=actor,
        body=body,
        result_class=result_class,
        signed_by=signed_by,
        letter=letter,
        expected_version=expected_version,
    )
    targets, skipped = merged_draft_targets(assignment=reply.assignment, actor=actor)
    replies = [reply]
    for target in targets:
        suggestion = lock_suggestion(target.suggestion_id)
        other = lock_assignment(target, suggestion)
        ctx = context_for(suggestion)
        workflow.check_assignment(other, Action.DRAFT_REPLY, actor, ctx)
        replies.append(
            _write_draft(
                other,
                actor,
                ctx.rules,
                body=reply.body,
                result_class=reply.result_class,
                signed_by=reply.signed_by,
                letter_name=reply.letter.name if reply.letter else "",
            )
        )
    return MergedReplyDraft(replies=replies, skipped=skipped)


@transaction.atomic
def reply_submit(*, reply, actor, no_contact_reason: str = "", no_contact_note: str = "") -> Reply:
    """Submit the reply: complete (text, class, signer, letter), after a contact with the lead
    deputy or with the reason there was none (Art. 51), one recipient per deputy generated.
    With the second review on it waits for staff; with it off it is released at once.
    Who: staff of the replying unit."""
    suggestion = lock_suggestion(reply.assignment.suggestion_id)
    assignment = lock_assignment(reply.assignment_id, suggestion)
    ctx = context_for(suggestion)
    transition = workflow.check_assignment(assignment, Action.SUBMIT_REPLY, actor, ctx)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.status not in OPEN_STATUSES:
        raise DomainError(_("该答复已提交。"))
    _check_reply_complete(reply, ctx.rules)
    _check_contact(reply, assignment, suggestion, no_contact_reason, no_contact_note)
    reply.status = ReplyStatus.SUBMITTED
    reply.submitted_at = timezone.now()
    reply.return_reason = ""
    save_fields(
        reply, actor, ["status", "submitted_at", "return_reason", "no_contact_reason", "no_contact_note"]
    )
    _generate_recipients(reply, suggestion)
    _before, after = assignment_move(
        assignment,
        transition.target,
        actor=actor,
        event_type=E.REPLY_SUBMITTED,
        payload={
            "unit": assignment.unit.name,
            "reply": reply.pk,
            "result_class": reply.result_class,
            "kind": reply.kind,
        },
    )
    remind_done(assignment, REMIND_REPLY, REMIND_REHANDLING)
    if transition.target == AssignmentStatus.REPLIED:
        _release(reply, assignment, suggestion, actor, ctx.rules, from_status=after)
    else:
        notify(
            office_users(),
            kind="suggestion.reply_submitted",
            title=_("答复待审核：{unit}，{title}").format(unit=assignment.unit.name, title=suggestion.title),
            suggestion=suggestion,
        )
    return reply


@transaction.atomic
def reply_review(
    *, reply, actor, release: bool, reason: str = "", withhold_from_public: bool = False
) -> Reply:
    """The second review (二审) of a submitted reply: release it to the deputies, or return it to the
    unit with a reason (no contact with the deputy, a class that does not match the text, …).
    A released reply is published (Art. 51) unless staff withhold it (不宜公开).
    Who: the office."""
    suggestion = lock_suggestion(reply.assignment.suggestion_id)
    assignment = lock_assignment(reply.assignment_id, suggestion)
    ctx = context_for(suggestion)
    action = Action.RELEASE_REPLY if release else Action.RETURN_REPLY
    transition = workflow.check_assignment(assignment, action, actor, ctx)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.status != ReplyStatus.SUBMITTED:
        raise DomainError(_("该答复不在待审核状态。"))
    reason = (reason or "").strip()
    reply.reviewed_by, reply.reviewed_at = actor, timezone.now()
    if release:
        reply.is_withheld_from_public = withhold_from_public
        assignment.status = transition.target
        save_fields(assignment, actor, ["status"])
        before, _after = roll_up(suggestion, actor)
        _release(reply, assignment, suggestion, actor, ctx.rules, from_status=before)
    else:
        if not reason:
            raise DomainError(
                _("退回答复须说明理由，如未与代表沟通、办理结果分类与答复内容不符。"), field="reason"
            )
        reply.status = ReplyStatus.RETURNED
        reply.return_reason = reason
        save_fields(reply, actor, ["status", "return_reason", "reviewed_by", "reviewed_at"])
        assignment_move(
            assignment,
            transition.target,
            actor=actor,
            event_type=E.REPLY_RETURNED,
            reason=reason,
            payload={"unit": assignment.unit.name, "reply": reply.pk},
        )
        notify(
            unit_users(assignment.unit_id),
            kind="suggestion.reply_returned",
            title=_("答复被退回，请修改后重新提交：{title}").format(title=suggestion.title),
            body=reason,
            suggestion=suggestion,
        )
    return reply


# -- Follow-up replies (DOMAIN §5.9) -----------------------------------------------------------------


@transaction.atomic
def suggestion_follow_up_reply(
    *, assignment, actor, body: str, result_class: str, signed_by: str, letter
) -> Reply:
    """A follow-up reply (跟踪答复) once a B or C matter is solved, also after closing. It goes to the
    deputies directly, for their information (no second review, no evaluation); a class that needs
    no further follow-up clears ``follow_up_required``. Who: staff of the replying unit."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    ctx = context_for(suggestion)
    workflow.check_assignment(assignment, Action.FOLLOW_UP_REPLY, actor, ctx)
    now = timezone.now()
    reply = Reply(
        assignment=assignment,
        kind=ReplyKind.FOLLOW_UP,
        body=(body or "").strip(),
        result_class=result_class,
        signed_by=(signed_by or "").strip(),
        drafted_by=actor,
        status=ReplyStatus.RELEASED,
        submitted_at=now,
        released_at=now,
    )
    if letter is not None:
        name, _content_type = checked_upload(letter, LETTER_TYPES, field="letter")
        reply.letter.save(name, letter, save=False)
    _check_reply_complete(reply, ctx.rules)
    reply._history_user = actor
    reply.save()
    recipients = _generate_recipients(reply, suggestion)
    suggestion.follow_up_required = _follow_up_required(suggestion, ctx.rules)
    save_fields(suggestion, actor, ["follow_up_required"])
    record_event(
        suggestion,
        E.FOLLOW_UP_REPLIED,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={
            "unit": assignment.unit.name,
            "reply": reply.pk,
            "result_class": result_class,
            "follow_up_required": suggestion.follow_up_required,
        },
    )
    notify(
        deputy_users(*(recipient.mandate_id for recipient in recipients)),
        kind="suggestion.follow_up",
        title=_("{unit}跟踪答复您的建议：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )
    return reply
