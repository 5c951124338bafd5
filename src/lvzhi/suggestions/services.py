"""Every write to suggestions that carries a rule: one keyword-only function per use case.

Each one runs in one transaction; locks the suggestion row first (then the rows it changes), so
two people acting on the same suggestion queue and the second sees the first's result; checks the
actor's role and scope and the current state through ``workflow``; applies the rule; saves with
``update_fields``; writes a ``SuggestionEvent`` (who, when, from, to, why); and queues
notifications and reminders with ``transaction.on_commit``. A refusal raises ``DomainError``
(``ForbiddenError`` for role or scope, ``ConflictError`` for a stale version) with a Chinese
message, and nothing is written.

Callers: the suggestion pages and API (next step), the demo command, tests.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.models import save_fields
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.cosigning import cosigner_respond, cosigners_check
from lvzhi.organizations.models import Congress

from . import workflow
from .choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ContactMethod,
    ContactStage,
    InadmissibleReason,
    ObjectionStatus,
    ReplyKind,
    ReplyStatus,
    ReviewDecision,
    Satisfaction,
    SignerStatus,
    SuggestionSeries,
    SuggestionStatus,
)
from .choices import SuggestionEventType as E
from .handling import (
    ASSIGNMENT_REMINDERS,
    REMIND_ASSIGN,
    REMIND_CO_INPUT,
    REMIND_COMMITMENT,
    REMIND_EVALUATION,
    REMIND_RECEIPT,
    REMIND_REHANDLING,
    REMIND_REPLY,
    REMINDER_TITLES,
    Deadlines,
    after_commit,
    build_assignment,
    context_for,
    deadline_from,
    deputies_of,
    deputy_users,
    iso_date,
    lock_assignment,
    lock_suggestion,
    new_assignment,
    notify,
    office_users,
    record_event,
    remind,
    remind_cancel,
    remind_done,
    roll_up,
    schedule_assignment_reminders,
    unit_users,
)
from .models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    Objection,
    Reply,
    ReplyRecipient,
    Suggestion,
    SuggestionAttachment,
    SuggestionEvent,
    SuggestionSigner,
)
from .rules import rules_for
from .workflow import Action, Context

# Attachments (DOMAIN §5.1): PDF, Word, images; at most 20 MB. The content is checked, not only
# the name: extension → (content type, leading bytes).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
LETTER_TYPES = {"pdf": ATTACHMENT_TYPES["pdf"]}

DEPUTY_EDITABLE = frozenset({"title", "body", "field", "is_confidential"})
OFFICE_EDITABLE = DEPUTY_EDITABLE | {"is_hard"}


# -- Plumbing ---------------------------------------------------------------------------------------


def _check_date_not_future(on: date, today: date, message) -> None:
    if on > today:
        raise DomainError(message)


# -- Uploads ----------------------------------------------------------------------------------------


def _checked_upload(upload, allowed: dict, *, field: str) -> tuple[str, str]:
    """The upload's (original name, content type) if its extension, content and size are allowed."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        if allowed is LETTER_TYPES:
            raise DomainError(_("答复函须为 PDF 文件。"), field=field)
        raise DomainError(_("只能上传 PDF、Word（doc、docx）或图片（jpg、png）文件。"), field=field)
    if not upload.size:
        raise DomainError(_("文件“{name}”是空文件。").format(name=name), field=field)
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("文件“{name}”超过 20 MB，不能上传。").format(name=name), field=field)
    content_type, signatures = allowed[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise DomainError(_("文件“{name}”的内容与扩展名不符。").format(name=name), field=field)
    return name[:200], content_type


# -- Drafting and submission (DOMAIN §5.1) ----------------------------------------------------------


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
    original_name, content_type = _checked_upload(file, ATTACHMENT_TYPES, field="file")
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


def _mark_submitted(suggestion: Suggestion, actor, *, from_status: str, reason="", payload=None) -> None:
    """Received: between sessions staff must assign within N working days (DOMAIN §5.3)."""
    rules = rules_for(suggestion.congress_id)
    now = timezone.now()
    suggestion.status = SuggestionStatus.SUBMITTED
    suggestion.submitted_at = now
    suggestion.review_reason = ""
    if suggestion.series == SuggestionSeries.BETWEEN_SESSIONS:
        suggestion.assign_due, suggestion.needs_calendar = deadline_from(
            timezone.localdate(now), working_days=rules.assign_within_working_days
        )
    else:
        suggestion.assign_due, suggestion.needs_calendar = None, False
    save_fields(
        suggestion, actor, ["status", "submitted_at", "review_reason", "assign_due", "needs_calendar"]
    )
    record_event(
        suggestion,
        E.SUBMITTED,
        actor,
        from_status=from_status,
        to_status=SuggestionStatus.SUBMITTED,
        reason=reason,
        payload=payload,
    )
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
        _mark_submitted(
            suggestion,
            actor,
            from_status=SuggestionStatus.AWAITING_COSIGNERS,
            reason=_("联名代表均已答复，建议自动提交。"),
        )
    return signer


@transaction.atomic
def suggestion_submit(*, suggestion, actor, expected_version: int | None = None) -> Suggestion:
    """Submit the suggestion for review. While invited co-signers have not answered it waits for
    them (``awaiting_cosigners``); submitting again from there goes on with the confirmed ones and
    marks the others lapsed (DOMAIN §5.1). Who: the lead deputy, or the office."""
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    transition = workflow.check_suggestion(suggestion, Action.SUBMIT, actor, context_for(suggestion))
    before = suggestion.status
    if transition.target == SuggestionStatus.AWAITING_COSIGNERS:
        suggestion.status = SuggestionStatus.AWAITING_COSIGNERS
        save_fields(suggestion, actor, ["status"])
        pending = list(
            suggestion.signers.filter(status=SignerStatus.INVITED).values_list("mandate_id", flat=True)
        )
        record_event(
            suggestion,
            E.AWAITING_COSIGNERS,
            actor,
            from_status=before,
            to_status=suggestion.status,
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
    _mark_submitted(suggestion, actor, from_status=before, payload={"cosigners": confirmed, "lapsed": lapsed})
    return suggestion


@transaction.atomic
def suggestion_withdraw(
    *, suggestion, actor, reason: str = "", expected_version: int | None = None
) -> Suggestion:
    """Withdraw the suggestion; possible until it is assigned (DOMAIN §5.1). Who: the lead deputy."""
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, Action.WITHDRAW, actor, context_for(suggestion))
    before = suggestion.status
    suggestion.status = SuggestionStatus.WITHDRAWN
    save_fields(suggestion, actor, ["status"])
    record_event(
        suggestion, E.WITHDRAWN, actor, from_status=before, to_status=suggestion.status, reason=reason
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


# -- First review (DOMAIN §5.2) ---------------------------------------------------------------------

REVIEW_ACTIONS = {
    ReviewDecision.ACCEPT: (Action.ACCEPT, E.ACCEPTED),
    ReviewDecision.RETURN: (Action.RETURN, E.RETURNED),
    ReviewDecision.REJECT: (Action.REJECT, E.REJECTED),
    ReviewDecision.CONVERT_TO_LETTER: (Action.CONVERT_TO_LETTER, E.CONVERTED_TO_LETTER),
}


def _next_number(suggestion: Suggestion, rules, year: int) -> int:
    """The next number of the suggestion's series in ``year``. Callers hold the congress row lock,
    so two acceptances cannot take the same number."""
    last = Suggestion.objects.filter(
        congress_id=suggestion.congress_id, year=year, series=suggestion.series, number__isnull=False
    ).aggregate(last=Max("number"))["last"]
    return (
        max(last + 1, rules.number_start(suggestion.series))
        if last
        else rules.number_start(suggestion.series)
    )


@transaction.atomic
def suggestion_review(
    *,
    suggestion,
    actor,
    decision: str,
    reason: str = "",
    rejection_reason: str = "",
    field=None,
    is_hard: bool | None = None,
    expected_version: int | None = None,
) -> Suggestion:
    """The first review: accept (classified by field, numbered from the congress's series), return
    for revision (with a reason), reject (with one of the inadmissible kinds of DOMAIN §5.2) or
    convert to a letter. Who: the office."""
    if decision not in REVIEW_ACTIONS:
        raise DomainError(_("请选择审查结果。"), field="decision")
    action, event_type = REVIEW_ACTIONS[decision]
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, action, actor, context_for(suggestion))
    before = suggestion.status
    reason = (reason or "").strip()
    fields = ["status", "review_reason"]
    payload = {}
    if decision == ReviewDecision.ACCEPT:
        suggestion.field = field or suggestion.field
        if suggestion.field is None:
            raise DomainError(_("立案前请为建议选择所属领域。"), field="field")
        if is_hard is not None:
            suggestion.is_hard = is_hard
        rules = rules_for(suggestion.congress_id)
        Congress.objects.select_for_update().get(pk=suggestion.congress_id)  # one numberer at a time
        now = timezone.now()
        # A session's suggestions carry its year; between sessions, the year they were received.
        year = (
            suggestion.session.start_date.year
            if suggestion.session
            else timezone.localdate(suggestion.submitted_at or now).year
        )
        suggestion.year = year
        suggestion.number = _next_number(suggestion, rules, year)
        suggestion.number_label = rules.number_label(
            series=suggestion.series, number=suggestion.number, year=year
        )
        suggestion.accepted_at = now
        fields += ["field", "is_hard", "year", "number", "number_label", "accepted_at"]
        payload = {
            "number": suggestion.number_label,
            "field": suggestion.field.name,
            "is_hard": suggestion.is_hard,
        }
    elif decision == ReviewDecision.RETURN:
        if not reason:
            raise DomainError(_("退回修改须说明理由。"), field="reason")
    elif decision == ReviewDecision.REJECT:
        if rejection_reason not in InadmissibleReason.values:
            raise DomainError(_("请选择不予立案的理由。"), field="rejection_reason")
        suggestion.rejection_reason = rejection_reason
        fields.append("rejection_reason")
        payload = {"rejection_reason": rejection_reason}
        reason = reason or str(InadmissibleReason(rejection_reason).label)
    suggestion.status = {
        ReviewDecision.ACCEPT: SuggestionStatus.ACCEPTED,
        ReviewDecision.RETURN: SuggestionStatus.RETURNED_FOR_REVISION,
        ReviewDecision.REJECT: SuggestionStatus.REJECTED,
        ReviewDecision.CONVERT_TO_LETTER: SuggestionStatus.CONVERTED_TO_LETTER,
    }[decision]
    suggestion.review_reason = reason
    save_fields(suggestion, actor, fields)
    record_event(
        suggestion,
        event_type,
        actor,
        from_status=before,
        to_status=suggestion.status,
        reason=reason,
        payload=payload,
    )
    if decision != ReviewDecision.ACCEPT:
        remind_cancel(suggestion, REMIND_ASSIGN)
    notify(
        deputy_users(*deputies_of(suggestion)),
        kind=event_type,
        title=_("您的建议“{title}”：{outcome}").format(
            title=suggestion.title, outcome=SuggestionStatus(suggestion.status).label
        ),
        body=reason,
        suggestion=suggestion,
    )
    return suggestion


# -- Assignment (DOMAIN §5.3) ------------------------------------------------------------------------


@dataclass
class AssignmentPlan:
    """How one suggestion is assigned: a lead unit with co-units, or split units (each replies for
    its part). Suggestions sharing a ``merge_group`` are handled together (并案) by the same units."""

    suggestion: Suggestion
    lead: object = None
    co_units: Sequence = ()
    split_units: Sequence = ()
    merge_group: uuid.UUID | None = None
    is_hard: bool | None = None
    units: list = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.units = [
            *([(self.lead, AssignmentRole.LEAD)] if self.lead is not None else []),
            *((unit, AssignmentRole.CO) for unit in self.co_units),
            *((unit, AssignmentRole.SPLIT) for unit in self.split_units),
        ]

    @property
    def unit_key(self) -> frozenset:
        return frozenset((unit.pk, role) for unit, role in self.units)


def new_merge_group() -> uuid.UUID:
    """A fresh 并案 group id for suggestions to be handled together."""
    return uuid.uuid4()


def _check_plan(plan: AssignmentPlan) -> None:
    if plan.lead is not None and plan.split_units:
        raise DomainError(_("主办和分办不能同时使用。"))
    if plan.lead is None and not plan.split_units:
        if plan.co_units:
            raise DomainError(_("协办单位须与主办单位一起交办。"))
        raise DomainError(_("请指定主办单位或分办单位。"))
    if plan.split_units and len(plan.split_units) < 2:
        raise DomainError(_("分办须指定至少两个承办单位；只有一个单位时请作为主办单位交办。"))
    seen = set()
    for unit, _role in plan.units:
        if unit.pk in seen:
            raise DomainError(_("同一单位不能重复交办：{unit}。").format(unit=unit.name))
        seen.add(unit.pk)
        if not unit.is_active:
            raise DomainError(_("承办单位“{unit}”已停用。").format(unit=unit.name))


def _check_merge_group(plan: AssignmentPlan) -> None:
    """并案: suggestions in a group are handled together, so they go to the same units."""
    if plan.merge_group is None:
        return
    existing = (
        Assignment.objects.filter(merge_group=plan.merge_group, parent__isnull=True)
        .exclude(status=AssignmentStatus.CANCELLED)
        .exclude(suggestion_id=plan.suggestion.pk)
        .values_list("suggestion_id", "unit_id", "role")
    )
    by_suggestion: dict[int, set] = {}
    for suggestion_id, unit_id, role in existing:
        by_suggestion.setdefault(suggestion_id, set()).add((unit_id, role))
    if any(frozenset(units) != plan.unit_key for units in by_suggestion.values()):
        raise DomainError(_("并案办理的建议须交办给相同的承办单位。"))


def _assign_plans(
    plans: Sequence[AssignmentPlan], *, actor, deadlines: Deadlines, rules_by_congress: dict
) -> list:
    """Write checked plans in a few bulk queries whatever their number (an assignment meeting hands
    out hundreds): the assignments with their row history, the suggestions' new status with theirs,
    one ``suggestion.assigned`` event each; then queue the reminders."""
    befores, built = [], []
    for plan in plans:
        suggestion = plan.suggestion
        befores.append(suggestion.status)
        if plan.is_hard is not None:
            suggestion.is_hard = plan.is_hard
        rules = rules_by_congress[suggestion.congress_id]
        built.append(
            [
                build_assignment(
                    suggestion,
                    unit,
                    role,
                    actor=actor,
                    deadlines=deadlines,
                    rules=rules,
                    merge_group=plan.merge_group,
                )
                for unit, role in plan.units
            ]
        )
    created = iter(
        bulk_create_with_history(
            [a for group in built for a in group], Assignment, batch_size=500, default_user=actor
        )
    )
    groups = [[next(created) for _assignment in group] for group in built]

    now = timezone.now()
    for plan in plans:
        plan.suggestion.status = SuggestionStatus.ASSIGNED
        plan.suggestion.version += 1
        plan.suggestion.updated_at = now
    bulk_update_with_history(
        [plan.suggestion for plan in plans],
        Suggestion,
        ["status", "is_hard", "version", "updated_at"],
        batch_size=500,
        default_user=actor,
    )
    SuggestionEvent.objects.bulk_create(
        [
            SuggestionEvent(
                suggestion=plan.suggestion,
                type=E.ASSIGNED,
                actor=actor,
                at=now,
                from_status=before,
                to_status=SuggestionStatus.ASSIGNED,
                payload={
                    "on": deadlines.on.isoformat(),
                    "units": [
                        {
                            "assignment": a.pk,
                            "unit": a.unit.name,
                            "role": a.role,
                            "reply_due": iso_date(a.reply_due),
                            "co_input_due": iso_date(a.co_input_due),
                        }
                        for a in group
                    ],
                    "merge_group": str(plan.merge_group) if plan.merge_group else None,
                    "needs_calendar": any(a.needs_calendar for a in group),
                },
            )
            for plan, before, group in zip(plans, befores, groups, strict=True)
        ],
        batch_size=500,
    )
    for plan, group in zip(plans, groups, strict=True):
        remind_done(plan.suggestion, REMIND_ASSIGN)
        for assignment in group:
            schedule_assignment_reminders(assignment, plan.suggestion)
    return [assignment for group in groups for assignment in group]


@transaction.atomic
def suggestion_assign(
    *,
    suggestion,
    actor,
    lead=None,
    co_units: Sequence = (),
    split_units: Sequence = (),
    merge_group: uuid.UUID | None = None,
    is_hard: bool | None = None,
    on: date | None = None,
    expected_version: int | None = None,
) -> list[Assignment]:
    """Assign an accepted suggestion: to a lead unit with co-units (主办+协办), or split between
    units (分办), optionally merged with others (并案, ``merge_group``). Deadlines run from ``on``
    (the assignment date, default today): see ``new_assignment``. Who: the office."""
    on = on or timezone.localdate()
    _check_date_not_future(on, timezone.localdate(), _("交办日期不能晚于今天。"))
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, Action.ASSIGN, actor, context_for(suggestion))
    plan = AssignmentPlan(
        suggestion=suggestion,
        lead=lead,
        co_units=co_units,
        split_units=split_units,
        merge_group=merge_group,
        is_hard=is_hard,
    )
    _check_plan(plan)
    _check_merge_group(plan)
    assignments = _assign_plans(
        [plan],
        actor=actor,
        deadlines=Deadlines(on),
        rules_by_congress={suggestion.congress_id: rules_for(suggestion.congress_id)},
    )
    for assignment in assignments:
        notify(
            unit_users(assignment.unit_id),
            kind="suggestion.assigned",
            title=_("新交办建议（{role}）：{title}").format(
                role=assignment.get_role_display(), title=suggestion.title
            ),
            suggestion=suggestion,
        )
    return assignments


@transaction.atomic
def suggestions_assign_bulk(
    *, plans: Sequence[AssignmentPlan], actor, on: date | None = None
) -> list[Assignment]:
    """Assign many suggestions at once (the assignment meeting, 交办会): all in one transaction, all or
    nothing. Every plan is checked before anything is written; any refusal names the suggestions
    concerned and assigns none. Who: the office."""
    on = on or timezone.localdate()
    _check_date_not_future(on, timezone.localdate(), _("交办日期不能晚于今天。"))
    if not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)
    if not plans:
        raise DomainError(_("请选择要交办的建议。"))
    ids = [plan.suggestion.pk for plan in plans]
    if len(set(ids)) != len(ids):
        raise DomainError(_("同一建议不能在一次交办中出现两次。"))
    locked = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",))
        .select_related("lead_mandate__person", "congress", "session")
        .filter(pk__in=ids)
        .order_by("pk")  # one lock order: two bulk assignments cannot deadlock
    }
    rules_by_congress: dict[int, object] = {}
    today = timezone.localdate()
    errors = []
    groups: dict[uuid.UUID, frozenset] = {}
    for index, plan in enumerate(plans, start=1):
        suggestion = locked.get(plan.suggestion.pk)
        try:
            if suggestion is None:
                raise DomainError(_("建议不存在。"))
            plan.suggestion = suggestion
            if suggestion.congress_id not in rules_by_congress:
                rules_by_congress[suggestion.congress_id] = rules_for(suggestion.congress_id)
            rules = rules_by_congress[suggestion.congress_id]
            workflow.check_suggestion(suggestion, Action.ASSIGN, actor, Context(today=today, rules=rules))
            _check_plan(plan)
            if plan.merge_group is not None:
                if groups.setdefault(plan.merge_group, plan.unit_key) != plan.unit_key:
                    raise DomainError(_("并案办理的建议须交办给相同的承办单位。"))
                _check_merge_group(plan)
        except DomainError as error:
            label = suggestion.number_label if suggestion else ""
            errors.append(
                _("第{index}条{label}“{title}”：{message}").format(
                    index=index, label=label, title=plan.suggestion.title, message=error.message
                )
            )
    if errors:
        shown = "；".join(str(error) for error in errors[:10])
        more = _("等{count}条").format(count=len(errors)) if len(errors) > 10 else ""
        raise DomainError(
            _("以下建议不能交办，本次全部未交办：{errors}{more}").format(errors=shown, more=more)
        )

    assignments = _assign_plans(
        plans, actor=actor, deadlines=Deadlines(on), rules_by_congress=rules_by_congress
    )
    # One notification per unit, not one per suggestion.
    counts: dict[int, int] = {}
    for assignment in assignments:
        counts[assignment.unit_id] = counts.get(assignment.unit_id, 0) + 1
    for unit_id, count in counts.items():
        after_commit(
            "notify",
            recipients=unit_users(unit_id),
            kind="suggestion.assigned_bulk",
            title=str(_("您单位新交办建议{count}件，请及时签收。").format(count=count)),
            body="",
            link="/suggestions/work/",
            target=None,
        )
    return assignments


# -- The unit's work (DOMAIN §5.3-5.4) --------------------------------------------------------------


@transaction.atomic
def assignment_acknowledge(*, assignment, actor) -> Assignment:
    """签收: the unit acknowledges receipt. Who: staff of the assigned unit."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(assignment, Action.ACKNOWLEDGE, actor, context_for(suggestion))
    assignment.status = transition.target
    assignment.acknowledged_at = timezone.now()
    save_fields(assignment, actor, ["status", "acknowledged_at"])
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.ACKNOWLEDGED,
        actor,
        from_status=before,
        to_status=after,
        assignment=assignment,
        payload={"unit": assignment.unit.name},
    )
    remind_done(assignment, REMIND_RECEIPT)
    return assignment


@transaction.atomic
def assignment_object(*, assignment, reason: str, actor, today: date | None = None) -> Objection:
    """异议: the unit says the assignment is wrong, within the objection window (N working days from
    the assignment date, DOMAIN §5.3); after it the assignment stands. Staff decide
    (``objection_decide``). Who: staff of the assigned unit (a top-level assignment)."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(
        assignment, Action.OBJECT, actor, context_for(suggestion, today=today)
    )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明异议理由。"), field="reason")
    objection = Objection.objects.create(
        assignment=assignment, reason=reason, raised_by=actor, status_before=assignment.status
    )
    assignment.status = transition.target
    save_fields(assignment, actor, ["status"])
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.OBJECTED,
        actor,
        from_status=before,
        to_status=after,
        assignment=assignment,
        reason=reason,
        payload={"unit": assignment.unit.name, "objection": objection.pk},
    )
    remind_done(assignment, REMIND_RECEIPT)
    notify(
        office_users(),
        kind="suggestion.objected",
        title=_("{unit}对交办提出异议：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        body=reason,
        suggestion=suggestion,
    )
    return objection


@transaction.atomic
def objection_decide(
    *, objection, uphold: bool, actor, note: str = "", new_unit=None, on: date | None = None
) -> Objection:
    """Decide an objection. Upheld: the assignment is cancelled and the suggestion assigned to
    ``new_unit`` in the same role, with fresh deadlines from ``on`` (the re-assignment date).
    Rejected (with a note): the unit handles it as assigned. Who: the office."""
    on = on or timezone.localdate()
    _check_date_not_future(on, timezone.localdate(), _("交办日期不能晚于今天。"))
    suggestion = lock_suggestion(objection.assignment.suggestion_id)
    assignment = lock_assignment(objection.assignment_id, suggestion)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    action = Action.UPHOLD_OBJECTION if uphold else Action.REJECT_OBJECTION
    if not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)
    if objection.status != ObjectionStatus.PENDING:
        raise DomainError(_("该异议已处理。"))
    transition = workflow.check_assignment(assignment, action, actor, context_for(suggestion))
    note = (note or "").strip()
    now = timezone.now()
    objection.decided_by, objection.decided_at, objection.decision_note = actor, now, note
    if uphold:
        if new_unit is None:
            raise DomainError(_("异议成立须指定新的承办单位。"), field="new_unit")
        if new_unit.pk == assignment.unit_id:
            raise DomainError(_("新的承办单位不能是提出异议的单位。"), field="new_unit")
        if not new_unit.is_active:
            raise DomainError(_("承办单位“{unit}”已停用。").format(unit=new_unit.name), field="new_unit")
        if suggestion.assignments.filter(unit=new_unit).exclude(status=AssignmentStatus.CANCELLED).exists():
            raise DomainError(_("{unit}已承办该建议。").format(unit=new_unit.name), field="new_unit")
        assignment.status = transition.target
        save_fields(assignment, actor, ["status"])
        replacement = new_assignment(
            suggestion,
            new_unit,
            assignment.role,
            actor=actor,
            deadlines=Deadlines(on),
            rules=rules_for(suggestion.congress_id),
            merge_group=assignment.merge_group,
        )
        objection.status, objection.new_assignment = ObjectionStatus.UPHELD, replacement
        remind_cancel(assignment, *ASSIGNMENT_REMINDERS)
        schedule_assignment_reminders(replacement, suggestion)
        notify(
            unit_users(new_unit.pk),
            kind="suggestion.assigned",
            title=_("新交办建议（{role}）：{title}").format(
                role=replacement.get_role_display(), title=suggestion.title
            ),
            suggestion=suggestion,
        )
        payload = {"unit": assignment.unit.name, "new_unit": new_unit.name, "new_assignment": replacement.pk}
    else:
        if not note:
            raise DomainError(_("请说明异议不成立的理由。"), field="note")
        assignment.status = transition.target
        # Objecting shows the unit received it.
        assignment.acknowledged_at = assignment.acknowledged_at or objection.created_at
        save_fields(assignment, actor, ["status", "acknowledged_at"])
        objection.status = ObjectionStatus.REJECTED
        payload = {"unit": assignment.unit.name}
    objection.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "new_assignment", "updated_at"]
    )
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.OBJECTION_UPHELD if uphold else E.OBJECTION_REJECTED,
        actor,
        from_status=before,
        to_status=after,
        assignment=assignment,
        reason=note,
        payload=payload,
    )
    notify(
        unit_users(assignment.unit_id),
        kind="suggestion.objection_decided",
        title=(
            _("您单位的交办异议成立：{title}")
            if uphold
            else _("您单位的交办异议不成立，请按交办办理：{title}")
        ).format(title=suggestion.title),
        body=note,
        suggestion=suggestion,
    )
    return objection


@transaction.atomic
def assignment_reassign(*, assignment, sub_unit, actor, on: date | None = None) -> Assignment:
    """Two-level assignment: a unit passes its assignment to one of its sub-units
    (``HandlingUnit.parent``), which handles and replies in its place with the same deadlines
    (the statutory time runs from the first assignment). Who: staff of the assigned unit."""
    on = on or timezone.localdate()
    _check_date_not_future(on, timezone.localdate(), _("转办日期不能晚于今天。"))
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(assignment, Action.REASSIGN, actor, context_for(suggestion))
    if sub_unit.parent_id != assignment.unit_id:
        raise DomainError(_("只能转办给本单位的下级单位。"), field="sub_unit")
    if not sub_unit.is_active:
        raise DomainError(_("承办单位“{unit}”已停用。").format(unit=sub_unit.name), field="sub_unit")
    if suggestion.assignments.filter(unit=sub_unit).exclude(status=AssignmentStatus.CANCELLED).exists():
        raise DomainError(_("{unit}已承办该建议。").format(unit=sub_unit.name), field="sub_unit")
    assignment.status = transition.target
    assignment.acknowledged_at = assignment.acknowledged_at or timezone.now()
    save_fields(assignment, actor, ["status", "acknowledged_at"])
    child = Assignment(
        suggestion=suggestion,
        unit=sub_unit,
        role=assignment.role,
        parent=assignment,
        merge_group=assignment.merge_group,
        status=AssignmentStatus.ASSIGNED,
        assigned_on=on,
        assigned_by=actor,
        reply_due=assignment.reply_due,
        co_input_due=assignment.co_input_due,
        needs_calendar=assignment.needs_calendar,
    )
    child._history_user = actor
    child.save()
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.REASSIGNED,
        actor,
        from_status=before,
        to_status=after,
        assignment=child,
        payload={"from_unit": assignment.unit.name, "unit": sub_unit.name, "parent": assignment.pk},
    )
    remind_cancel(assignment, *ASSIGNMENT_REMINDERS)
    schedule_assignment_reminders(child, suggestion)
    notify(
        unit_users(sub_unit.pk),
        kind="suggestion.assigned",
        title=_("{unit}转办建议：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )
    return child


@transaction.atomic
def assignment_input_submit(*, assignment, text: str, actor) -> Assignment:
    """A co-unit's written input to the lead unit (DOMAIN §5.3: within one month).
    Who: staff of the co-unit."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    transition = workflow.check_assignment(assignment, Action.SUBMIT_INPUT, actor, context_for(suggestion))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写协办意见。"), field="text")
    assignment.status = transition.target
    assignment.input_text = text
    assignment.input_submitted_at = timezone.now()
    save_fields(assignment, actor, ["status", "input_text", "input_submitted_at"])
    record_event(
        suggestion,
        E.INPUT_SUBMITTED,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={"unit": assignment.unit.name},
    )
    remind_done(assignment, REMIND_CO_INPUT)
    lead_units = [
        a.unit_id
        for a in workflow.replying_assignments(suggestion.assignments.all())
        if a.role == AssignmentRole.LEAD
    ]
    notify(
        unit_users(*lead_units),
        kind="suggestion.co_input",
        title=_("{unit}已提交协办意见：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )
    return assignment


def _check_deputy_of(suggestion: Suggestion, mandate) -> None:
    if mandate.pk not in deputies_of(suggestion):
        raise DomainError(_("只能记录与本建议领衔代表或联名代表的沟通。"), field="deputy")


@transaction.atomic
def contact_log(
    *,
    assignment,
    actor,
    deputy,
    contacted_on: date,
    stage: str,
    method: str,
    note: str = "",
    today: date | None = None,
) -> Contact:
    """Log a contact with the deputy (Art. 51: before, during and after handling).
    Who: staff of the assigned unit, after receipt."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    ctx = context_for(suggestion, today=today)
    workflow.check_assignment(assignment, Action.LOG_CONTACT, actor, ctx)
    if stage not in ContactStage.values:
        raise DomainError(_("请选择沟通环节（办前、办中、办后）。"), field="stage")
    if method not in ContactMethod.values:
        raise DomainError(_("请选择沟通方式。"), field="method")
    _check_deputy_of(suggestion, deputy)
    _check_date_not_future(contacted_on, ctx.today, _("沟通日期不能晚于今天。"))
    if contacted_on < assignment.assigned_on:
        raise DomainError(_("沟通日期不能早于交办日期。"), field="contacted_on")
    contact = Contact.objects.create(
        assignment=assignment,
        deputy=deputy,
        contacted_on=contacted_on,
        stage=stage,
        method=method,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    # The note may name people and numbers: it stays out of the event.
    record_event(
        suggestion,
        E.CONTACT_LOGGED,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={
            "unit": assignment.unit.name,
            "stage": stage,
            "method": method,
            "contacted_on": contacted_on.isoformat(),
            "deputy": deputy.person.name,
        },
    )
    return contact


@transaction.atomic
def commitment_record(
    *, assignment, text: str, due_date: date, actor, today: date | None = None
) -> Commitment:
    """Record a promise made while handling (承诺事项), with the date it is due; it is tracked until
    kept (DOMAIN §5.4, §5.9). Who: staff of the assigned unit, after receipt."""
    suggestion = lock_suggestion(assignment.suggestion_id)
    assignment = lock_assignment(assignment, suggestion)
    ctx = context_for(suggestion, today=today)
    workflow.check_assignment(assignment, Action.RECORD_COMMITMENT, actor, ctx)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写承诺内容。"), field="text")
    if due_date < ctx.today:
        raise DomainError(_("承诺兑现期限不能早于今天。"), field="due_date")
    commitment = Commitment(
        suggestion=suggestion,
        assignment=assignment,
        unit=assignment.unit,
        text=text,
        due_date=due_date,
        recorded_by=actor,
    )
    commitment._history_user = actor
    commitment.save()
    record_event(
        suggestion,
        E.COMMITMENT_RECORDED,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={"unit": assignment.unit.name, "commitment": commitment.pk, "due_date": due_date.isoformat()},
    )
    remind(
        commitment,
        kind=REMIND_COMMITMENT,
        due_date=due_date,
        recipients=unit_users(assignment.unit_id),
        title=_("承诺事项即将到期：{title}").format(title=suggestion.title),
        suggestion=suggestion,
    )
    return commitment


@transaction.atomic
def commitment_keep(*, commitment, evidence: str, actor) -> Commitment:
    """Mark a promise kept, with how (DOMAIN §5.9: promises are tracked to fulfilment, also after
    the suggestion is closed). Who: staff of the unit that made it, or the office."""
    suggestion = lock_suggestion(commitment.suggestion_id)
    assignment = lock_assignment(commitment.assignment_id, suggestion)
    workflow.check_assignment(assignment, Action.KEEP_COMMITMENT, actor, context_for(suggestion))
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status == CommitmentStatus.KEPT:
        raise DomainError(_("该承诺事项已兑现。"))
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("请说明承诺事项的兑现情况。"), field="evidence")
    commitment.status = CommitmentStatus.KEPT
    commitment.kept_at = timezone.now()
    commitment.evidence = evidence
    save_fields(commitment, actor, ["status", "kept_at", "evidence"])
    record_event(
        suggestion,
        E.COMMITMENT_KEPT,
        actor,
        from_status=suggestion.status,
        assignment=assignment,
        payload={"unit": assignment.unit.name, "commitment": commitment.pk},
    )
    remind_done(commitment, REMIND_COMMITMENT)
    notify(
        deputy_users(*deputies_of(suggestion)),
        kind="suggestion.commitment_kept",
        title=_("{unit}已兑现承诺事项：{title}").format(unit=assignment.unit.name, title=suggestion.title),
        suggestion=suggestion,
    )
    return commitment


# -- Replies (DOMAIN §5.5) ----------------------------------------------------------------------------


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
    save_fields(reply, actor, ["status", "released_at", "reviewed_by", "reviewed_at"])
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
    reply = (
        assignment.replies.select_for_update()
        .filter(status__in=(ReplyStatus.DRAFT, ReplyStatus.RETURNED))
        .first()
    )
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
        name, _content_type = _checked_upload(letter, LETTER_TYPES, field="letter")
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
def reply_submit(*, reply, actor) -> Reply:
    """Submit the reply: complete (text, class, signer, letter), one recipient per deputy generated.
    With the second review on it waits for staff; with it off it is released at once.
    Who: staff of the replying unit."""
    suggestion = lock_suggestion(reply.assignment.suggestion_id)
    assignment = lock_assignment(reply.assignment_id, suggestion)
    ctx = context_for(suggestion)
    transition = workflow.check_assignment(assignment, Action.SUBMIT_REPLY, actor, ctx)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.status not in (ReplyStatus.DRAFT, ReplyStatus.RETURNED):
        raise DomainError(_("该答复已提交。"))
    _check_reply_complete(reply, ctx.rules)
    reply.status = ReplyStatus.SUBMITTED
    reply.submitted_at = timezone.now()
    reply.return_reason = ""
    save_fields(reply, actor, ["status", "submitted_at", "return_reason"])
    _generate_recipients(reply, suggestion)
    assignment.status = transition.target
    save_fields(assignment, actor, ["status"])
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.REPLY_SUBMITTED,
        actor,
        from_status=before,
        to_status=after,
        assignment=assignment,
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
def reply_review(*, reply, actor, release: bool, reason: str = "") -> Reply:
    """The second review (二审) of a submitted reply: release it to the deputies, or return it to the
    unit with a reason (no contact with the deputy, a class that does not match the text, …).
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
        assignment.status = transition.target
        save_fields(assignment, actor, ["status"])
        before, after = roll_up(suggestion, actor)
        record_event(
            suggestion,
            E.REPLY_RETURNED,
            actor,
            from_status=before,
            to_status=after,
            assignment=assignment,
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


# -- Evaluation and re-handling (DOMAIN §5.6-5.7) ---------------------------------------------------


@transaction.atomic
def reply_evaluate(
    *,
    recipient,
    actor,
    satisfaction: str,
    process_rating: str = "",
    result_rating: str = "",
    comment: str = "",
    today: date | None = None,
) -> Evaluation:
    """The deputy rates a reply addressed to it: 满意 / 基本满意 / 不满意, process and result apart
    when the rules say so, within the evaluation window. 不满意 sends the unit back to re-handle
    with its own deadline (1 month by default); a unit rated 不满意 the configured number of times
    (twice) on the same suggestion is escalated. Who: the deputy the reply is addressed to."""
    recipient = ReplyRecipient.objects.select_related("reply", "mandate__person").get(pk=recipient.pk)
    if not (
        actor.is_authenticated and actor.role == Role.DEPUTY and recipient.mandate.person.user_id == actor.pk
    ):
        raise ForbiddenError(_("只能评价答复给您本人的答复。"))
    suggestion = lock_suggestion(recipient.reply.assignment.suggestion_id)
    assignment = lock_assignment(recipient.reply.assignment_id, suggestion)
    ctx = context_for(suggestion, today=today, satisfaction=satisfaction)
    recipient = (
        ReplyRecipient.objects.select_for_update(of=("self",)).select_related("reply").get(pk=recipient.pk)
    )
    if Evaluation.objects.filter(recipient=recipient).exists():
        raise DomainError(_("您已评价过该答复。"))
    latest = workflow.latest_evaluable_reply(assignment)
    if latest is None or latest.pk != recipient.reply_id:
        raise DomainError(_("该答复已有新的答复，请评价最新的答复。"))
    transition = workflow.check_assignment(assignment, Action.EVALUATE, actor, ctx)
    # DOMAIN §5.6: within the window; a window not computable yet (no holiday data) stays open.
    if recipient.evaluation_due is not None and ctx.today > recipient.evaluation_due:
        raise DomainError(
            _("已超过评价期限（{due}），不能再评价。").format(due=recipient.evaluation_due.isoformat())
        )
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"), field="satisfaction")
    rules = ctx.rules
    if rules.separate_ratings_enabled:
        if process_rating not in Satisfaction.values or result_rating not in Satisfaction.values:
            raise DomainError(_("请分别评价办理过程和办理结果。"), field="process_rating")
    else:
        process_rating = result_rating = ""
    evaluation = Evaluation.objects.create(
        recipient=recipient,
        satisfaction=satisfaction,
        process_rating=process_rating,
        result_rating=result_rating,
        comment=(comment or "").strip(),
        evaluated_at=timezone.now(),
        evaluated_by=actor,
    )
    remind_done(recipient, REMIND_EVALUATION)
    from_status = suggestion.status
    record_event(
        suggestion,
        E.REPLY_EVALUATED,
        actor,
        from_status=from_status,
        assignment=assignment,
        payload={
            "unit": assignment.unit.name,
            "reply": recipient.reply_id,
            "satisfaction": satisfaction,
            "process_rating": process_rating,
            "result_rating": result_rating,
        },
    )
    if transition.target == AssignmentStatus.REHANDLING:
        _start_rehandling(assignment, suggestion, actor, ctx, comment=evaluation.comment)
        # The reply is being replaced: its other recipients are no longer asked to rate it.
        for other in recipient.reply.recipients.filter(evaluation__isnull=True).exclude(pk=recipient.pk):
            remind_cancel(other, REMIND_EVALUATION)
    return evaluation


def _start_rehandling(
    assignment: Assignment, suggestion: Suggestion, actor, ctx: Context, *, comment: str
) -> None:
    """DOMAIN §5.7: back to the unit for a second reply within the re-handling period; escalated once
    the unit has been rated 不满意 the configured number of times on this suggestion."""
    rules = ctx.rules
    assignment.status = AssignmentStatus.REHANDLING
    assignment.rehandling_due, flagged = deadline_from(ctx.today, months=rules.rehandling_months)
    assignment.needs_calendar = assignment.needs_calendar or flagged
    assignment.dissatisfied_count += 1
    fields = ["status", "rehandling_due", "needs_calendar", "dissatisfied_count"]
    escalate = (
        not assignment.is_escalated and assignment.dissatisfied_count >= rules.escalate_after_dissatisfied
    )
    if escalate:
        assignment.is_escalated = True
        fields.append("is_escalated")
    save_fields(assignment, actor, fields)
    before, after = roll_up(suggestion, actor)
    record_event(
        suggestion,
        E.REHANDLING,
        actor,
        from_status=before,
        to_status=after,
        assignment=assignment,
        reason=comment,
        payload={
            "unit": assignment.unit.name,
            "rehandling_due": iso_date(assignment.rehandling_due),
            "dissatisfied_count": assignment.dissatisfied_count,
        },
    )
    remind(
        assignment,
        kind=REMIND_REHANDLING,
        due_date=assignment.rehandling_due,
        recipients=unit_users(assignment.unit_id),
        title=REMINDER_TITLES[REMIND_REHANDLING].format(title=suggestion.title),
        suggestion=suggestion,
    )
    notify(
        unit_users(assignment.unit_id),
        kind="suggestion.rehandling",
        title=_("代表对答复不满意，请重新办理：{title}").format(title=suggestion.title),
        body=comment,
        suggestion=suggestion,
    )
    if escalate:
        record_event(
            suggestion,
            E.ESCALATED,
            actor,
            from_status=after,
            assignment=assignment,
            payload={"unit": assignment.unit.name, "dissatisfied_count": assignment.dissatisfied_count},
        )
        notify(
            office_users(),
            kind="suggestion.escalated",
            title=_("{unit}两次被评为不满意，请督办：{title}").format(
                unit=assignment.unit.name, title=suggestion.title
            ),
            suggestion=suggestion,
        )


# -- Closing and follow-up (DOMAIN §5.9) ---------------------------------------------------------------


@transaction.atomic
def suggestion_close(
    *, suggestion, actor, today: date | None = None, expected_version: int | None = None
) -> Suggestion:
    """办结: every deputy rated the latest replies 满意 or 基本满意 (or let the evaluation window pass).
    A B or C answer keeps ``follow_up_required`` until a follow-up reply; open promises stay tracked.
    Who: the office."""
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, Action.CLOSE, actor, context_for(suggestion, today=today))
    before = suggestion.status
    suggestion.status = SuggestionStatus.CLOSED
    suggestion.closed_at = timezone.now()
    save_fields(suggestion, actor, ["status", "closed_at"])
    # Nothing is owed on a closed suggestion but its promises (still tracked) and follow-ups.
    for assignment in suggestion.assignments.all():
        remind_cancel(assignment, *ASSIGNMENT_REMINDERS)
        for recipient in ReplyRecipient.objects.filter(reply__assignment=assignment, evaluation__isnull=True):
            remind_cancel(recipient, REMIND_EVALUATION)
    open_commitments = suggestion.commitments.filter(status=CommitmentStatus.OPEN).count()
    record_event(
        suggestion,
        E.CLOSED,
        actor,
        from_status=before,
        to_status=suggestion.status,
        payload={"follow_up_required": suggestion.follow_up_required, "open_commitments": open_commitments},
    )
    notify(
        deputy_users(*deputies_of(suggestion)),
        kind="suggestion.closed",
        title=_("您的建议已办结：{title}").format(title=suggestion.title),
        suggestion=suggestion,
    )
    return suggestion


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
        name, _content_type = _checked_upload(letter, LETTER_TYPES, field="letter")
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
