"""Drafting a motion, its co-signers (附议), submission and withdrawal (Art. 15; DOMAIN §4).

Who: the lead deputy, the delegation's county staff, or the office for a paper motion; invited
co-signers answer for themselves."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.cosigning import cosigner_respond, cosigners_check
from lvzhi.organizations.models import Session

from .. import workflow
from ..choices import MotionEventType as E
from ..choices import MotionStatus, SignerStatus
from ..models import Motion, MotionSigner
from ..workflow import Action
from .plumbing import (
    context_of,
    deputy_users,
    lock_motion,
    notify,
    office_users,
    record_event,
    save_motion,
)

NUMBER_FORMAT = "第{number}号"

TEXT_FIELDS = ("subject", "grounds", "plan")
TEXT_REQUIRED = {"subject": _("请填写案由。"), "grounds": _("请填写案据。"), "plan": _("请填写方案。")}
EDITABLE = frozenset({*TEXT_FIELDS, "field", "session"})


def _check_session(session: Session, *, congress_id: int, term_id: int | None, today: date) -> None:
    """DOMAIN §4: a motion is raised at a plenary session of the proposers' congress (and, for a
    deputy, of its term); there are none between sessions."""
    if session.term.congress_id != congress_id or (term_id is not None and session.term_id != term_id):
        raise DomainError(_("会议须为领衔代表所在人大本届的会议。"), field="session")
    if session.end_date is not None and today > session.end_date:
        raise DomainError(
            _("{session}已闭幕，闭会期间不能提出议案，您可以提出建议。").format(session=session.label),
            field="session",
        )


def _clean_text(values: dict) -> dict:
    """Art. 15: 案由, 案据 and 方案 are all required."""
    cleaned = {}
    for name in TEXT_FIELDS:
        if name not in values:
            continue
        value = (values[name] or "").strip()
        if not value:
            raise DomainError(TEXT_REQUIRED[name], field=name)
        if name == "subject" and len(value) > 200:
            raise DomainError(_("案由不能超过200字。"), field="subject")
        cleaned[name] = value
    return cleaned


def _check_cosigners(motion: Motion, mandates: Sequence, existing: set[int]) -> None:
    """A delegation's motion has no co-signers; a deputy's are checked as every co-signer is
    (``lvzhi.deputies.cosigning``)."""
    if motion.delegation_id is not None:
        raise DomainError(_("代表团提出的议案不需要附议代表。"), field="cosigners")
    cosigners_check(
        mandates,
        lead_mandate_id=motion.lead_mandate_id,
        congress_id=motion.congress_id,
        term_id=motion.term_id,
        existing=existing,
        word=_("附议"),
        field="cosigners",
    )


def _invite(motion: Motion, mandates: Sequence, actor) -> list[MotionSigner]:
    """Invite co-signers (checked by the caller) and tell them."""
    if not mandates:
        return []
    order = motion.signers.aggregate(last=Max("order"))["last"] or 0
    invited = [
        MotionSigner(motion=motion, mandate=mandate, order=order + index)
        for index, mandate in enumerate(mandates, start=1)
    ]
    MotionSigner.objects.bulk_create(invited)
    record_event(
        motion,
        E.COSIGNERS_INVITED,
        actor,
        from_status=motion.status,
        payload={"mandates": [m.pk for m in mandates], "names": [m.person.name for m in mandates]},
    )
    notify(
        deputy_users(*(m.pk for m in mandates)),
        kind="motion.cosigner_invited",
        title=_("{name}代表邀请您附议议案：{subject}").format(
            name=motion.lead_mandate.person.name, subject=motion.subject
        ),
        motion=motion,
    )
    return invited


@transaction.atomic
def motion_create(
    *,
    actor,
    session: Session,
    subject: str,
    grounds: str,
    plan: str,
    mandate=None,
    delegation=None,
    field=None,
    cosigners: Sequence = (),
    today: date | None = None,
) -> Motion:
    """Draft a motion at ``session``, led by ``mandate`` (with ``cosigners`` invited) or raised by
    ``delegation``: exactly one of the two. Subject, grounds and plan are required (Art. 15).

    Who: the deputy holding ``mandate``, or the office entering a paper motion; for a delegation,
    the office or the county staff of its electoral unit. The lead's mandate must be active."""
    today = today or timezone.localdate()
    if (mandate is None) == (delegation is None):
        raise DomainError(_("请指定领衔代表或提出议案的代表团（二者选其一）。"))
    if mandate is not None:
        if not (is_office(actor) or (actor.role == Role.DEPUTY and mandate.person.user_id == actor.pk)):
            raise ForbiddenError(_("您只能以本人的代表身份领衔提出议案。"))
        if mandate.status != MandateStatus.ACTIVE:
            raise DomainError(
                _("该代表资格状态为“{status}”，不能提出议案。").format(
                    status=MandateStatus(mandate.status).label
                )
            )
        congress_id, term_id = mandate.congress_id, mandate.term_id
    else:
        if not (
            is_office(actor) or (actor.role == Role.COUNTY_STAFF and actor.electoral_unit_id == delegation.pk)
        ):
            raise ForbiddenError(_("只有代表工委或本代表团的工作人员可以以代表团名义提出议案。"))
        congress_id, term_id = delegation.congress_id, None
    _check_session(session, congress_id=congress_id, term_id=term_id, today=today)
    text = _clean_text({"subject": subject, "grounds": grounds, "plan": plan})
    motion = Motion(
        congress_id=session.term.congress_id,
        term_id=session.term_id,
        session=session,
        lead_mandate=mandate,
        delegation=delegation,
        field=field,
        status=MotionStatus.DRAFT,
        created_by=actor,
        **text,
    )
    if cosigners:
        _check_cosigners(motion, cosigners, set())
    motion._history_user = actor
    motion.save()
    record_event(motion, E.CREATED, actor, to_status=MotionStatus.DRAFT)
    _invite(motion, list(cosigners), actor)
    return motion


@transaction.atomic
def motion_update(
    *, motion, expected_version: int, changes: dict, actor, cosigners: Sequence | None = None
) -> Motion:
    """Edit the draft: subject, grounds, plan, field, session; with ``cosigners`` the list of
    co-signers becomes exactly those (new ones invited, dropped ones removed). Co-signers confirmed
    a text: when subject, grounds or plan change, they are asked to confirm again. A stale
    ``expected_version`` is refused (``ConflictError``).

    Who: the lead deputy, the delegation's county staff, or the office for a paper motion."""
    motion = lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.EDIT, actor, context_of(motion))
    unknown = set(changes) - EDITABLE
    if unknown:
        raise DomainError(_("不能修改这些字段：{fields}").format(fields="、".join(sorted(unknown))))
    changes = {**changes, **_clean_text(changes)}
    if "session" in changes and changes["session"] != motion.session:
        _check_session(
            changes["session"],
            congress_id=motion.congress_id,
            term_id=motion.term_id if motion.lead_mandate_id else None,
            today=timezone.localdate(),
        )
    changed = [name for name, value in changes.items() if getattr(motion, name) != value]
    added, removed = [], []
    if cosigners is not None:
        signers = {signer.mandate_id: signer for signer in motion.signers.all()}
        wanted = {mandate.pk for mandate in cosigners}
        added = [mandate for mandate in cosigners if mandate.pk not in signers]
        removed = [signer for mandate_id, signer in signers.items() if mandate_id not in wanted]
        _check_cosigners(motion, added, set(signers))
    if not (changed or added or removed):
        return motion
    for name in changed:
        setattr(motion, name, changes[name])
    if "session" in changed:
        changed = [*changed, "term"]
        motion.term_id = motion.session.term_id
    save_motion(motion, actor, changed or ["status"])
    record_event(
        motion,
        E.UPDATED,
        actor,
        from_status=motion.status,
        payload={
            "fields": sorted(changed),
            **({"removed": [signer.mandate_id for signer in removed]} if removed else {}),
        },
    )
    if removed:
        MotionSigner.objects.filter(pk__in=[signer.pk for signer in removed]).delete()
    if set(changed) & set(TEXT_FIELDS):
        _reset_confirmations(motion, actor)
    _invite(motion, added, actor)
    return motion


def _reset_confirmations(motion: Motion, actor) -> None:
    """Co-signers confirmed the old text: they confirm the new one again."""
    confirmed = list(
        motion.signers.filter(status=SignerStatus.CONFIRMED).values_list("mandate_id", flat=True)
    )
    if not confirmed:
        return
    motion.signers.filter(mandate_id__in=confirmed).update(
        status=SignerStatus.INVITED, responded_at=None, updated_at=timezone.now()
    )
    record_event(motion, E.COSIGNERS_RESET, actor, from_status=motion.status, payload={"mandates": confirmed})
    notify(
        deputy_users(*confirmed),
        kind="motion.cosigner_reconfirm",
        title=_("议案内容已修改，请重新确认是否附议：{subject}").format(subject=motion.subject),
        motion=motion,
    )


@transaction.atomic
def motion_sign(*, motion, actor, confirm: bool = True) -> MotionSigner:
    """A co-signer confirms (附议) or declines the draft it was invited to. Who: the invited deputy."""
    motion = lock_motion(motion)
    workflow.check(motion, Action.SIGN, actor, context_of(motion))
    signer = cosigner_respond(motion.signers.all(), actor=actor, confirm=confirm)
    record_event(
        motion,
        E.COSIGNER_CONFIRMED if confirm else E.COSIGNER_DECLINED,
        actor,
        from_status=motion.status,
        payload={"mandate": signer.mandate_id, "name": signer.mandate.person.name},
    )
    notify(
        deputy_users(motion.lead_mandate_id),
        kind="motion.cosigner_responded",
        title=(
            _("{name}代表已确认附议：{subject}") if confirm else _("{name}代表谢绝附议：{subject}")
        ).format(name=signer.mandate.person.name, subject=motion.subject),
        motion=motion,
    )
    return signer


@transaction.atomic
def motion_submit(*, motion, actor, expected_version: int | None = None, today: date | None = None) -> Motion:
    """Submit the motion to the session: refused without subject, grounds and plan, after the
    session closed, or with fewer confirmed co-signers than the congress's rule (default 10)
    unless a delegation raised it. Co-signers who have not answered lapse. The motion is numbered
    in the order received, per session (第1号 …).

    Who: the lead deputy, the delegation's county staff, or the office for a paper motion."""
    motion = lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.SUBMIT, actor, context_of(motion, today=today))
    lapsed = list(motion.signers.filter(status=SignerStatus.INVITED).values_list("mandate_id", flat=True))
    if lapsed:
        motion.signers.filter(mandate_id__in=lapsed).update(
            status=SignerStatus.LAPSED, updated_at=timezone.now()
        )
    Session.objects.select_for_update().get(pk=motion.session_id)  # one numberer per session at a time
    last = Motion.objects.filter(session_id=motion.session_id, number__isnull=False).aggregate(
        last=Max("number")
    )
    motion.number = (last["last"] or 0) + 1
    motion.number_label = NUMBER_FORMAT.format(number=motion.number)
    motion.status = MotionStatus.SUBMITTED
    motion.submitted_at = timezone.now()
    save_motion(motion, actor, ["status", "number", "number_label", "submitted_at"])
    record_event(
        motion,
        E.SUBMITTED,
        actor,
        from_status=MotionStatus.DRAFT,
        to_status=MotionStatus.SUBMITTED,
        payload={
            "number": motion.number_label,
            "cosigners": motion.signers.filter(status=SignerStatus.CONFIRMED).count(),
            **({"lapsed": lapsed} if lapsed else {}),
        },
    )
    notify(
        office_users(),
        kind="motion.submitted",
        title=_("收到议案{number}：{subject}").format(number=motion.number_label, subject=motion.subject),
        motion=motion,
    )
    return motion


@transaction.atomic
def motion_withdraw(*, motion, actor, reason: str = "", expected_version: int | None = None) -> Motion:
    """Withdraw the motion before the presidium decides on it. Who: as for submitting."""
    motion = lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.WITHDRAW, actor, context_of(motion))
    before = motion.status
    motion.status = MotionStatus.WITHDRAWN
    save_motion(motion, actor, ["status"])
    record_event(motion, E.WITHDRAWN, actor, from_status=before, to_status=motion.status, reason=reason)
    if before == MotionStatus.SUBMITTED:
        notify(
            office_users(),
            kind="motion.withdrawn",
            title=_("议案{number}已撤回：{subject}").format(
                number=motion.number_label, subject=motion.subject
            ),
            motion=motion,
        )
    return motion
