"""Drafting and submission (DOMAIN §5.1): create and edit a draft, attachments, co-signers,
submit, withdraw."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.models import save_fields
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.cosigning import cosigner_respond, cosigners_check

from .. import workflow
from ..choices import SignerStatus, SuggestionSeries, SuggestionStatus
from ..choices import SuggestionEventType as E
from ..handling import (
    REMIND_ASSIGN,
    context_for,
    deadline_from,
    deputy_users,
    lock_suggestion,
    notify,
    office_users,
    record_event,
    remind_assign,
    remind_cancel,
    suggestion_move,
)
from ..models import Suggestion, SuggestionAttachment, SuggestionSigner
from ..rules import rules_for
from ..workflow import Action
from .checks import ATTACHMENT_TYPES, DEPUTY_EDITABLE, OFFICE_EDITABLE, checked_upload


@transaction.atomic
def suggestion_create(
    *,
    actor,
    mandate,
    title: str,
    body: str = "",
    session=None,
    field=None,
    is_confidential: bool = False,
) -> Suggestion:
    """Start a draft suggestion led by ``mandate``: in session when ``session`` is given, between
    sessions otherwise (Arts. 24, 36).

    Who: the deputy holding ``mandate``, or the office entering a paper suggestion for it. The
    mandate must be active: a suspended deputy does not exercise the mandate (Art. 61)."""
    if not (is_office(actor) or (actor.role == Role.DEPUTY and mandate.person.user_id == actor.pk)):
        raise ForbiddenError(_("您只能以本人的代表身份提出建议。"))
    if mandate.status != MandateStatus.ACTIVE:
        raise DomainError(
            _("该代表资格状态为“{status}”，不能提出建议。").format(status=MandateStatus(mandate.status).label)
        )
    if session is not None and session.term_id != mandate.term_id:
        raise DomainError(_("会议须属于该代表所在的届次。"), field="session")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写建议标题。"), field="title")
    suggestion = Suggestion(
        congress_id=mandate.congress_id,
        term_id=mandate.term_id,
        session=session,
        series=SuggestionSeries.IN_SESSION if session is not None else SuggestionSeries.BETWEEN_SESSIONS,
        lead_mandate=mandate,
        title=title,
        body=body or "",
        field=field,
        is_confidential=is_confidential,
        status=SuggestionStatus.DRAFT,
        created_by=actor,
    )
    suggestion._history_user = actor
    suggestion.save()
    record_event(suggestion, E.CREATED, actor, to_status=SuggestionStatus.DRAFT)
    return suggestion


@transaction.atomic
def suggestion_update(*, suggestion, expected_version: int, changes: dict, actor) -> Suggestion:
    """Edit the text, field or confidentiality until the suggestion is assigned (DOMAIN §5.1); the
    office may also mark it wide-ranging or hard (Art. 51: six months). A stale
    ``expected_version`` is refused (``ConflictError``).

    Who: the lead deputy, or the office."""
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, Action.EDIT, actor, context_for(suggestion))
    allowed = OFFICE_EDITABLE if is_office(actor) else DEPUTY_EDITABLE
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("不能修改这些字段：{fields}").format(fields="、".join(sorted(unknown))))
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise DomainError(_("请填写建议标题。"), field="title")
    changed = [name for name, value in changes.items() if getattr(suggestion, name) != value]
    if not changed:
        return suggestion
    for name in changed:
        setattr(suggestion, name, changes[name])
    save_fields(suggestion, actor, changed)
    record_event(
        suggestion, E.UPDATED, actor, from_status=suggestion.status, payload={"fields": sorted(changed)}
    )
    return suggestion


@transaction.atomic
def suggestion_attach(*, suggestion, file, actor) -> SuggestionAttachment:
    """Attach a file (PDF, doc, docx, jpg, png; at most 20 MB, content checked) until the
    suggestion is assigned. Who: the lead deputy, or the office."""
    suggestion = lock_suggestion(suggestion)
    workflow.check_suggestion(suggestion, Action.ATTACH, actor, context_for(suggestion))
    original_name, content_type = checked_upload(file, ATTACHMENT_TYPES, field="file")
    attachment = SuggestionAttachment(
        suggestion=suggestion,
        original_name=original_name,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    # The file is stored before the row; should the transaction roll back later, the file stays
    # unreferenced in storage (harmless; swept with other orphans), never a row without its file.
    attachment.file.save(original_name, file, save=False)
    attachment.save()
    record_event(
        suggestion,
        E.ATTACHMENT_ADDED,
        actor,
        from_status=suggestion.status,
        payload={"attachment": attachment.pk, "name": original_name, "size": file.size},
    )
    return attachment


@transaction.atomic
def suggestion_attachment_remove(*, attachment, actor) -> None:
    """Remove an attachment until the suggestion is assigned; the file goes after the commit.
    Who: the lead deputy, or the office."""
    suggestion = lock_suggestion(attachment.suggestion_id)
    workflow.check_suggestion(suggestion, Action.ATTACH, actor, context_for(suggestion))
    attachment = SuggestionAttachment.objects.get(pk=attachment.pk, suggestion=suggestion)
    storage, stored = attachment.file.storage, attachment.file.name
    record_event(
        suggestion,
        E.ATTACHMENT_REMOVED,
        actor,
        from_status=suggestion.status,
        payload={"name": attachment.original_name},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored), robust=True)


@transaction.atomic
def suggestion_invite_cosigners(*, suggestion, mandates: Sequence, actor) -> list[SuggestionSigner]:
    """Invite co-signers (联名): active deputies of the same congress and term, not the lead, not
    already on the list. Each confirms or declines (DOMAIN §5.1). Who: the lead deputy."""
    suggestion = lock_suggestion(suggestion)
    workflow.check_suggestion(suggestion, Action.INVITE_COSIGNERS, actor, context_for(suggestion))
    if not mandates:
        raise DomainError(_("请选择要邀请的联名代表。"), field="mandates")
    cosigners_check(
        mandates,
        lead_mandate_id=suggestion.lead_mandate_id,
        congress_id=suggestion.congress_id,
        term_id=suggestion.term_id,
        existing=suggestion.signers.values_list("mandate_id", flat=True),
        word=_("联名"),
        field="mandates",
    )
    order = suggestion.signers.aggregate(last=Max("order"))["last"] or 0
    invited = [
        SuggestionSigner(suggestion=suggestion, mandate=mandate, order=order + index)
        for index, mandate in enumerate(mandates, start=1)
    ]
    SuggestionSigner.objects.bulk_create(invited)
    record_event(
        suggestion,
        E.COSIGNERS_INVITED,
        actor,
        from_status=suggestion.status,
        payload={
            "mandates": [signer.mandate_id for signer in invited],
            "names": [s.mandate.person.name for s in invited],
        },
    )
    notify(
        deputy_users(*(signer.mandate_id for signer in invited)),
        kind="suggestion.cosigner_invited",
        title=_("{name}代表邀请您联名提出建议：{title}").format(
            name=suggestion.lead_mandate.person.name, title=suggestion.title
        ),
        suggestion=suggestion,
    )
    return invited


def _mark_submitted(suggestion: Suggestion, actor, *, reason="", payload=None) -> None:
    """Received: between sessions staff must assign within N working days (DOMAIN §5.3)."""
    rules = rules_for(suggestion.congress_id)
    now = timezone.now()
    suggestion.submitted_at = now
    suggestion.review_reason = ""
    if suggestion.series == SuggestionSeries.BETWEEN_SESSIONS:
        suggestion.assign_due, suggestion.needs_calendar = deadline_from(
            timezone.localdate(now), working_days=rules.assign_within_working_days
        )
    else:
        suggestion.assign_due, suggestion.needs_calendar = None, False
    suggestion_move(
        suggestion,
        SuggestionStatus.SUBMITTED,
        actor=actor,
        event_type=E.SUBMITTED,
        fields=["submitted_at", "review_reason", "assign_due", "needs_calendar"],
        reason=reason,
        payload=payload,
    )
    remind_assign(suggestion)
    notify(
        office_users(),
        kind="suggestion.submitted",
        title=_("新建议待审查：{title}").format(title=suggestion.title),
        suggestion=suggestion,
    )


@transaction.atomic
def suggestion_cosigner_respond(*, suggestion, actor, confirm: bool) -> SuggestionSigner:
    """A co-signer confirms or declines. When the lead has already submitted and this is the last
    answer awaited, the suggestion goes to review. Who: the invited deputy itself."""
    suggestion = lock_suggestion(suggestion)
    transition = workflow.check_suggestion(suggestion, Action.RESPOND, actor, context_for(suggestion))
    signer = cosigner_respond(suggestion.signers.all(), actor=actor, confirm=confirm)
    record_event(
        suggestion,
        E.COSIGNER_CONFIRMED if confirm else E.COSIGNER_DECLINED,
        actor,
        from_status=suggestion.status,
        payload={"mandate": signer.mandate_id, "name": signer.mandate.person.name},
    )
    notify(
        deputy_users(suggestion.lead_mandate_id),
        kind="suggestion.cosigner_responded",
        title=(_("{name}代表已确认联名：{title}") if confirm else _("{name}代表谢绝联名：{title}")).format(
            name=signer.mandate.person.name, title=suggestion.title
        ),
        suggestion=suggestion,
    )
    if transition.target == SuggestionStatus.SUBMITTED:
        # The event is from awaiting_cosigners: the only state this transition leaves.
        _mark_submitted(suggestion, actor, reason=_("联名代表均已答复，建议自动提交。"))
    return signer


@transaction.atomic
def suggestion_submit(*, suggestion, actor, expected_version: int | None = None) -> Suggestion:
    """Submit the suggestion for review. While invited co-signers have not answered it waits for
    them (``awaiting_cosigners``); submitting again from there goes on with the confirmed ones and
    marks the others lapsed (DOMAIN §5.1). Who: the lead deputy, or the office."""
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    transition = workflow.check_suggestion(suggestion, Action.SUBMIT, actor, context_for(suggestion))
    if transition.target == SuggestionStatus.AWAITING_COSIGNERS:
        pending = list(
            suggestion.signers.filter(status=SignerStatus.INVITED).values_list("mandate_id", flat=True)
        )
        suggestion_move(
            suggestion,
            SuggestionStatus.AWAITING_COSIGNERS,
            actor=actor,
            event_type=E.AWAITING_COSIGNERS,
            payload={"pending": pending},
        )
        notify(
            deputy_users(*pending),
            kind="suggestion.cosigner_awaited",
            title=_("请确认是否联名：{title}").format(title=suggestion.title),
            suggestion=suggestion,
        )
        return suggestion
    lapsed = list(suggestion.signers.filter(status=SignerStatus.INVITED).values_list("mandate_id", flat=True))
    if lapsed:
        suggestion.signers.filter(mandate_id__in=lapsed).update(
            status=SignerStatus.LAPSED, updated_at=timezone.now()
        )
    confirmed = suggestion.signers.filter(status=SignerStatus.CONFIRMED).count()
    _mark_submitted(suggestion, actor, payload={"cosigners": confirmed, "lapsed": lapsed})
    return suggestion


@transaction.atomic
def suggestion_withdraw(
    *, suggestion, actor, reason: str = "", expected_version: int | None = None
) -> Suggestion:
    """Withdraw the suggestion; possible until it is assigned (DOMAIN §5.1). Who: the lead deputy."""
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, Action.WITHDRAW, actor, context_for(suggestion))
    before = suggestion_move(
        suggestion, SuggestionStatus.WITHDRAWN, actor=actor, event_type=E.WITHDRAWN, reason=reason
    )
    remind_cancel(suggestion, REMIND_ASSIGN)
    if before != SuggestionStatus.DRAFT:
        notify(
            office_users(),
            kind="suggestion.withdrawn",
            title=_("代表已撤回建议：{title}").format(title=suggestion.title),
            suggestion=suggestion,
        )
    return suggestion
