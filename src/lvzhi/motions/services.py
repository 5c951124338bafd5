"""Every write to motions that carries a rule: one keyword-only function per use case.

Each one runs in one transaction; locks the motion row first (then the rows it changes), so two
people acting on the same motion queue and the second sees the first's result; checks the actor's
role and scope and the current state through ``workflow``; applies the rule; saves with
``update_fields``; writes a ``MotionEvent`` (who, when, from, to, why); and queues notifications
and reminders with ``transaction.on_commit``. A refusal raises ``DomainError`` (``ForbiddenError``
for role or scope, ``ConflictError`` for a stale version) with a Chinese message, and nothing is
written.

Callers: the motion pages and API, tests.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import OFFICE_ROLES, is_office
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.deputies.choices import MandateStatus
from lvzhi.organizations.models import Session
from lvzhi.suggestions import services as suggestions
from lvzhi.suggestions.choices import SignerStatus as SuggestionSignerStatus
from lvzhi.suggestions.choices import SuggestionEventType
from lvzhi.suggestions.models import SuggestionEvent, SuggestionSigner
from lvzhi.suggestions.rules import rules_for

from . import workflow
from .choices import ActivityKind, Attendance, DecisionOutcome, MotionStatus, SignerStatus
from .choices import MotionEventType as E
from .models import (
    Motion,
    MotionActivity,
    MotionActivityParticipant,
    MotionDecision,
    MotionEvent,
    MotionSigner,
)
from .selectors import motion_proposers
from .workflow import Action, Context

NUMBER_FORMAT = "第{number}号"
# DOMAIN §4: committees report on the motions sent to them by October. The setting
# ``LVZHI_MOTION_REPORT_DUE`` ("MM-DD", default "10-31") is the day, in the session's year.
DEFAULT_REPORT_DUE = "10-31"
REMIND_REPORT = "motion.report_due"

# Report files: PDF or Word, at most 20 MB; the content is checked, not only the name.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
REPORT_FILE_TYPES = {
    "pdf": (b"%PDF",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "docx": (b"PK\x03\x04",),
}

TEXT_FIELDS = ("subject", "grounds", "plan")
TEXT_REQUIRED = {"subject": _("请填写案由。"), "grounds": _("请填写案据。"), "plan": _("请填写方案。")}
EDITABLE = frozenset({*TEXT_FIELDS, "field", "session"})


# -- Plumbing ---------------------------------------------------------------------------------------


def _lock_motion(motion, *, expected_version: int | None = None) -> Motion:
    """Lock the motion row for the rest of the transaction: every action on a motion takes this lock
    first, so concurrent actions queue and the later one sees the earlier one's result. A stale
    ``expected_version`` (the page or API read an older state) is a conflict."""
    pk = getattr(motion, "pk", motion)
    locked = (
        Motion.objects.select_for_update(of=("self",))
        .select_related("lead_mandate__person", "session", "congress", "delegation", "committee")
        .prefetch_related(
            Prefetch("signers", queryset=MotionSigner.objects.select_related("mandate__person"))
        )
        .get(pk=pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(_("该议案已被他人处理或修改，请刷新页面后重试。"))
    return locked


def _context(motion: Motion, *, today: date | None = None) -> Context:
    return Context(today=today or timezone.localdate(), rules=rules_for(motion.congress_id))


def _save(motion: Motion, actor, fields: Iterable[str]) -> None:
    """Save the named fields and the version, recording the actor in the row history."""
    motion.version += 1
    motion._history_user = actor
    motion.save(update_fields=[*dict.fromkeys([*fields, "version", "updated_at"])])


def _event(
    motion: Motion,
    type: str,
    actor,
    *,
    from_status: str = "",
    to_status: str = "",
    reason="",
    activity: MotionActivity | None = None,
    payload: dict | None = None,
) -> MotionEvent:
    return MotionEvent.objects.create(
        motion=motion,
        type=type,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        from_status=from_status,
        to_status=to_status or from_status,
        reason=str(reason),
        activity=activity,
        payload=payload or {},
    )


def default_report_due(session: Session) -> date:
    """The committee's report deadline when the decision names none: the setting's day
    (``LVZHI_MOTION_REPORT_DUE``, "MM-DD", default October 31) in the session's year."""
    month, day = (
        int(part) for part in getattr(settings, "LVZHI_MOTION_REPORT_DUE", DEFAULT_REPORT_DUE).split("-")
    )
    return date(session.start_date.year, month, day)


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


# -- Side effects after commit ----------------------------------------------------------------------


def _link(motion: Motion) -> str:
    return reverse("motions:detail", args=[motion.pk])


def _after_commit(function: str, **kwargs) -> None:
    """Queue a call to ``lvzhi.notifications.services.<function>`` for after the commit; recipients
    given as a callable are resolved then. ``robust``: a failing side effect is logged and never
    undoes (or hides) the committed action."""

    def call():
        from lvzhi.notifications import services as notifications

        if callable(kwargs.get("recipients")):
            kwargs["recipients"] = kwargs["recipients"]()
        getattr(notifications, function)(**kwargs)

    transaction.on_commit(call, robust=True)


def _notify(recipients: Callable[[], list], *, kind: str, title, motion: Motion, body="") -> None:
    _after_commit(
        "notify",
        recipients=recipients,
        kind=kind,
        title=str(title),
        body=str(body),
        link=_link(motion),
        target=motion,
    )


def _users(**filters) -> Callable[[], list]:
    return lambda: list(get_user_model().objects.filter(is_active=True, **filters).distinct())


def _deputy_users(*mandate_ids: int) -> Callable[[], list]:
    return _users(person__mandates__in=mandate_ids)


def _office_users() -> Callable[[], list]:
    return _users(role__in=OFFICE_ROLES)


def _committee_users(committee_id: int) -> Callable[[], list]:
    return _users(role=Role.COMMITTEE_STAFF, committee_id=committee_id)


def _proposer_users(motion: Motion) -> Callable[[], list]:
    """Who hears of a motion's progress: the lead and the confirmed co-signers, or the staff of the
    delegation's electoral unit."""
    if motion.delegation_id is not None:
        return _users(role=Role.COUNTY_STAFF, electoral_unit_id=motion.delegation_id)
    confirmed = motion.signers.filter(status=SignerStatus.CONFIRMED).values_list("mandate_id", flat=True)
    return _deputy_users(motion.lead_mandate_id, *confirmed)


# -- Drafting, co-signing, submission (Art. 15; DOMAIN §4) ----------------------------------------


def _check_cosigners(motion: Motion, mandates: Sequence, existing: set[int]) -> None:
    if motion.delegation_id is not None:
        raise DomainError(_("代表团提出的议案不需要附议代表。"), field="cosigners")
    seen = set(existing)
    for mandate in mandates:
        name = mandate.person.name
        if mandate.pk == motion.lead_mandate_id:
            raise DomainError(_("领衔代表不能同时作为附议代表。"), field="cosigners")
        if mandate.pk in seen:
            raise DomainError(_("{name}已在附议代表名单中。").format(name=name), field="cosigners")
        if mandate.congress_id != motion.congress_id or mandate.term_id != motion.term_id:
            raise DomainError(_("{name}不是本届代表，不能附议。").format(name=name), field="cosigners")
        if mandate.status != MandateStatus.ACTIVE:
            raise DomainError(
                _("{name}的代表资格状态为“{status}”，不能附议。").format(
                    name=name, status=MandateStatus(mandate.status).label
                ),
                field="cosigners",
            )
        seen.add(mandate.pk)


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
    _event(
        motion,
        E.COSIGNERS_INVITED,
        actor,
        from_status=motion.status,
        payload={"mandates": [m.pk for m in mandates], "names": [m.person.name for m in mandates]},
    )
    _notify(
        _deputy_users(*(m.pk for m in mandates)),
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
    _event(motion, E.CREATED, actor, to_status=MotionStatus.DRAFT)
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
    motion = _lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.EDIT, actor, _context(motion))
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
    _save(motion, actor, changed or ["status"])
    _event(
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
    _event(motion, E.COSIGNERS_RESET, actor, from_status=motion.status, payload={"mandates": confirmed})
    _notify(
        _deputy_users(*confirmed),
        kind="motion.cosigner_reconfirm",
        title=_("议案内容已修改，请重新确认是否附议：{subject}").format(subject=motion.subject),
        motion=motion,
    )


@transaction.atomic
def motion_sign(*, motion, actor, confirm: bool = True) -> MotionSigner:
    """A co-signer confirms (附议) or declines the draft it was invited to. Who: the invited deputy."""
    motion = _lock_motion(motion)
    workflow.check(motion, Action.SIGN, actor, _context(motion))
    signer = (
        motion.signers.select_for_update(of=("self",))
        .select_related("mandate__person")
        .get(status=SignerStatus.INVITED, mandate__person__user_id=actor.pk)
    )
    signer.status = SignerStatus.CONFIRMED if confirm else SignerStatus.DECLINED
    signer.responded_at = timezone.now()
    signer.save(update_fields=["status", "responded_at", "updated_at"])
    _event(
        motion,
        E.COSIGNER_CONFIRMED if confirm else E.COSIGNER_DECLINED,
        actor,
        from_status=motion.status,
        payload={"mandate": signer.mandate_id, "name": signer.mandate.person.name},
    )
    _notify(
        _deputy_users(motion.lead_mandate_id),
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
    motion = _lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.SUBMIT, actor, _context(motion, today=today))
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
    _save(motion, actor, ["status", "number", "number_label", "submitted_at"])
    _event(
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
    _notify(
        _office_users(),
        kind="motion.submitted",
        title=_("收到议案{number}：{subject}").format(number=motion.number_label, subject=motion.subject),
        motion=motion,
    )
    return motion


@transaction.atomic
def motion_withdraw(*, motion, actor, reason: str = "", expected_version: int | None = None) -> Motion:
    """Withdraw the motion before the presidium decides on it. Who: as for submitting."""
    motion = _lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.WITHDRAW, actor, _context(motion))
    before = motion.status
    motion.status = MotionStatus.WITHDRAWN
    _save(motion, actor, ["status"])
    _event(motion, E.WITHDRAWN, actor, from_status=before, to_status=motion.status, reason=reason)
    if before == MotionStatus.SUBMITTED:
        _notify(
            _office_users(),
            kind="motion.withdrawn",
            title=_("议案{number}已撤回：{subject}").format(
                number=motion.number_label, subject=motion.subject
            ),
            motion=motion,
        )
    return motion


# -- The presidium's decision (DOMAIN §4) -------------------------------------------------------------

DECISION_ACTIONS = {
    DecisionOutcome.PLACE_ON_AGENDA: Action.PLACE_ON_AGENDA,
    DecisionOutcome.CONVERT: Action.CONVERT,
}


@transaction.atomic
def motion_decide(
    *,
    motion,
    actor,
    outcome: str,
    decided_on: date | None = None,
    reason: str = "",
    committee=None,
    report_due: date | None = None,
    suggestion_lead=None,
    expected_version: int | None = None,
) -> MotionDecision:
    """Record the presidium's decision on a submitted motion.

    - ``place_on_agenda``: sent to ``committee`` (of the same congress), which reports by
      ``report_due`` (default: ``LVZHI_MOTION_REPORT_DUE`` of the session's year, October 31);
    - ``convert``: not placed on the agenda (``reason`` required), handled as a suggestion: one is
      created and submitted through ``lvzhi.suggestions.services`` with the motion's subject as
      title and its grounds and plan as body, led by the lead deputy with the confirmed co-signers
      as confirmed co-signers (a delegation's motion is led by the delegation's deputy named in
      ``suggestion_lead``). The motion keeps its history and links to the suggestion.

    Who: the office (代表工委 records what the presidium decided)."""
    if outcome not in DECISION_ACTIONS:
        raise DomainError(_("请选择主席团的决定。"), field="outcome")
    motion = _lock_motion(motion, expected_version=expected_version)
    today = timezone.localdate()
    workflow.check(motion, DECISION_ACTIONS[outcome], actor, _context(motion, today=today))
    decided_on = decided_on or today
    if decided_on > today:
        raise DomainError(_("决定日期不能晚于今天。"), field="decided_on")
    if decided_on < timezone.localdate(motion.submitted_at):
        raise DomainError(_("决定日期不能早于议案提交日期。"), field="decided_on")
    reason = (reason or "").strip()
    if outcome == DecisionOutcome.PLACE_ON_AGENDA:
        return _place_on_agenda(motion, actor, decided_on, reason, committee, report_due)
    return _convert(motion, actor, decided_on, reason, committee, suggestion_lead)


def _place_on_agenda(
    motion: Motion, actor, decided_on: date, reason: str, committee, report_due
) -> MotionDecision:
    if committee is None:
        raise DomainError(_("请指定审议该议案的委员会。"), field="committee")
    if committee.congress_id != motion.congress_id:
        raise DomainError(_("所选委员会不属于本级人大。"), field="committee")
    report_due = report_due or default_report_due(motion.session)
    if report_due <= decided_on:
        raise DomainError(_("报告期限须晚于决定日期，请指定报告期限。"), field="report_due")
    before = motion.status
    motion.status = MotionStatus.PLACED_ON_AGENDA
    motion.committee = committee
    motion.report_due = report_due
    motion.decided_at = timezone.now()
    _save(motion, actor, ["status", "committee", "report_due", "decided_at"])
    decision = MotionDecision.objects.create(
        motion=motion,
        outcome=DecisionOutcome.PLACE_ON_AGENDA,
        decided_on=decided_on,
        reason=reason,
        committee=committee,
        report_due=report_due,
        recorded_by=actor,
    )
    _event(
        motion,
        E.PLACED_ON_AGENDA,
        actor,
        from_status=before,
        to_status=motion.status,
        reason=reason,
        payload={
            "committee": committee.pk,
            "committee_name": committee.name,
            "decided_on": decided_on.isoformat(),
            "report_due": report_due.isoformat(),
        },
    )
    title = _("议案{number}已列入大会议程，交{committee}审议：{subject}").format(
        number=motion.number_label, committee=committee.name, subject=motion.subject
    )
    _notify(_proposer_users(motion), kind="motion.placed_on_agenda", title=title, motion=motion)
    _notify(_committee_users(committee.pk), kind="motion.sent_to_committee", title=title, motion=motion)
    _after_commit(
        "reminder_schedule",
        target=motion,
        kind=REMIND_REPORT,
        due_date=report_due,
        recipients=_committee_users(committee.pk),
        title=str(_("请按期报告议案审议结果：{subject}").format(subject=motion.subject)),
        link=_link(motion),
    )
    return decision


def _suggestion_lead(motion: Motion, suggestion_lead):
    """The deputy who leads the suggestion: the motion's lead, or for a delegation's motion the
    member of the delegation the presidium names."""
    if motion.lead_mandate_id is not None:
        if suggestion_lead is not None and suggestion_lead.pk != motion.lead_mandate_id:
            raise DomainError(_("转为建议后仍由议案的领衔代表领衔。"), field="suggestion_lead")
        return motion.lead_mandate
    if suggestion_lead is None:
        raise DomainError(_("代表团提出的议案转为建议，请指定领衔的代表团代表。"), field="suggestion_lead")
    if suggestion_lead.electoral_unit_id != motion.delegation_id or suggestion_lead.term_id != motion.term_id:
        raise DomainError(
            _("{name}不是该代表团的代表。").format(name=suggestion_lead.person.name), field="suggestion_lead"
        )
    return suggestion_lead


def suggestion_body(motion: Motion) -> str:
    """The suggestion's body made from the motion: its grounds and its plan, headed."""
    return str(_("案据：\n{grounds}\n\n方案：\n{plan}")).format(grounds=motion.grounds, plan=motion.plan)


def _convert(
    motion: Motion, actor, decided_on: date, reason: str, committee, suggestion_lead
) -> MotionDecision:
    if not reason:
        raise DomainError(_("请说明不列入大会议程的理由。"), field="reason")
    if committee is not None:
        raise DomainError(_("不列入大会议程的议案不交委员会审议。"), field="committee")
    lead = _suggestion_lead(motion, suggestion_lead)
    suggestion = suggestions.suggestion_create(
        actor=actor,
        mandate=lead,
        title=motion.subject,
        body=suggestion_body(motion),
        session=motion.session,
        field=motion.field,
    )
    # The co-signers confirmed the motion's text, which the suggestion carries unchanged: they are
    # its confirmed co-signers (the suggestions services only let a deputy invite for itself).
    signers = list(motion.signers.filter(status=SignerStatus.CONFIRMED).order_by("order", "id"))
    SuggestionSigner.objects.bulk_create(
        SuggestionSigner(
            suggestion=suggestion,
            mandate_id=signer.mandate_id,
            status=SuggestionSignerStatus.CONFIRMED,
            responded_at=signer.responded_at,
            order=index,
        )
        for index, signer in enumerate(signers, start=1)
        if signer.mandate_id != lead.pk
    )
    # The suggestion's first event says where it came from; written in this transaction, before
    # anybody can read it (``suggestion_create`` takes no origin).
    origin = _("由议案{number}“{subject}”转来：{reason}").format(
        number=motion.number_label, subject=motion.subject, reason=reason
    )
    SuggestionEvent.objects.filter(suggestion=suggestion, type=SuggestionEventType.CREATED).update(
        reason=str(origin), payload={"motion": motion.pk, "motion_number": motion.number_label}
    )
    suggestions.suggestion_submit(suggestion=suggestion, actor=actor)
    before = motion.status
    motion.status = MotionStatus.CONVERTED
    motion.converted_suggestion = suggestion
    motion.decided_at = timezone.now()
    _save(motion, actor, ["status", "converted_suggestion", "decided_at"])
    decision = MotionDecision.objects.create(
        motion=motion,
        outcome=DecisionOutcome.CONVERT,
        decided_on=decided_on,
        reason=reason,
        suggestion=suggestion,
        recorded_by=actor,
    )
    _event(
        motion,
        E.CONVERTED,
        actor,
        from_status=before,
        to_status=motion.status,
        reason=reason,
        payload={"suggestion": suggestion.pk, "decided_on": decided_on.isoformat()},
    )
    _notify(
        _proposer_users(motion),
        kind="motion.converted",
        title=_("议案{number}不列入大会议程，已转为建议办理：{subject}").format(
            number=motion.number_label, subject=motion.subject
        ),
        body=reason,
        motion=motion,
    )
    return decision


# -- The committee's work with the proposers (Art. 50) and its report ---------------------------------


def _check_invitees(motion: Motion, invited: Sequence, attended: Sequence | None) -> None:
    if not invited:
        raise DomainError(_("请选择邀请参加的提案人。"), field="invited")
    proposers = set(motion_proposers(motion).values_list("pk", flat=True))
    invited_ids = set()
    for mandate in invited:
        if mandate.pk not in proposers:
            raise DomainError(
                _("{name}不是本议案的提案人。").format(name=mandate.person.name), field="invited"
            )
        invited_ids.add(mandate.pk)
    for mandate in attended or ():
        if mandate.pk not in invited_ids:
            raise DomainError(
                _("{name}未被邀请参加该活动。").format(name=mandate.person.name), field="attended"
            )


@transaction.atomic
def motion_activity_record(
    *,
    motion,
    actor,
    kind: str,
    held_on: date,
    title: str,
    invited: Sequence,
    attended: Sequence | None = None,
    location: str = "",
    note: str = "",
) -> MotionActivity:
    """Record an activity of the committee on the motion — research, drafting, review or a forum —
    and the proposers it invites (Art. 50). ``attended`` (once held) records who took part; each
    participation is credited to the deputy. The invited deputies are notified.

    Who: the staff of the committee the motion was sent to, or the office."""
    motion = _lock_motion(motion)
    today = timezone.localdate()
    workflow.check(motion, Action.RECORD_ACTIVITY, actor, _context(motion, today=today))
    if kind not in ActivityKind.values:
        raise DomainError(_("请选择活动类型。"), field="kind")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写活动名称。"), field="title")
    if held_on is None:
        raise DomainError(_("请填写活动日期。"), field="held_on")
    if held_on < timezone.localdate(motion.decided_at):
        raise DomainError(_("活动日期不能早于主席团决定日期。"), field="held_on")
    if attended is not None and held_on > today:
        raise DomainError(_("活动尚未举行，不能记录参加情况。"), field="attended")
    _check_invitees(motion, invited, attended)
    activity = MotionActivity(
        motion=motion,
        kind=kind,
        held_on=held_on,
        title=title,
        location=(location or "").strip(),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    activity._history_user = actor
    activity.save()
    attended_ids = {mandate.pk for mandate in attended} if attended is not None else None
    now = timezone.now()
    MotionActivityParticipant.objects.bulk_create(
        MotionActivityParticipant(
            activity=activity,
            mandate=mandate,
            attendance=Attendance.INVITED
            if attended_ids is None
            else (Attendance.ATTENDED if mandate.pk in attended_ids else Attendance.ABSENT),
            recorded_at=None if attended_ids is None else now,
        )
        for mandate in dict.fromkeys(invited)
    )
    _event(
        motion,
        E.ACTIVITY_RECORDED,
        actor,
        from_status=motion.status,
        activity=activity,
        payload={
            "kind": kind,
            "title": title,
            "held_on": held_on.isoformat(),
            "invited": [mandate.pk for mandate in invited],
            **({"attended": sorted(attended_ids)} if attended_ids is not None else {}),
        },
    )
    if held_on >= today:
        _notify(
            _deputy_users(*(mandate.pk for mandate in invited)),
            kind="motion.activity_invitation",
            title=_("邀请您于{date}参加议案{kind}：{title}").format(
                date=held_on.isoformat(), kind=ActivityKind(kind).label, title=title
            ),
            motion=motion,
        )
    return activity


@transaction.atomic
def motion_activity_attendance_record(*, activity, attended: Sequence, actor) -> MotionActivity:
    """Record who of the invited proposers took part in a held activity (the others: absent); the
    participations are credited to the deputies. Recording again replaces the earlier record.

    Who: the staff of the committee the motion was sent to, or the office."""
    motion = _lock_motion(activity.motion_id)
    today = timezone.localdate()
    workflow.check(motion, Action.RECORD_ATTENDANCE, actor, _context(motion, today=today))
    activity = MotionActivity.objects.select_for_update().get(pk=activity.pk, motion=motion)
    if activity.held_on > today:
        raise DomainError(_("活动尚未举行，不能记录参加情况。"), field="attended")
    invited = {p.mandate_id: p for p in activity.participants.select_related("mandate__person")}
    attended_ids = set()
    for mandate in attended:
        if mandate.pk not in invited:
            raise DomainError(
                _("{name}未被邀请参加该活动。").format(name=mandate.person.name), field="attended"
            )
        attended_ids.add(mandate.pk)
    now = timezone.now()
    activity.participants.filter(mandate_id__in=attended_ids).update(
        attendance=Attendance.ATTENDED, recorded_at=now, updated_at=now
    )
    activity.participants.exclude(mandate_id__in=attended_ids).update(
        attendance=Attendance.ABSENT, recorded_at=now, updated_at=now
    )
    _event(
        motion,
        E.ATTENDANCE_RECORDED,
        actor,
        from_status=motion.status,
        activity=activity,
        payload={"attended": sorted(attended_ids), "absent": sorted(set(invited) - attended_ids)},
    )
    return activity


def _checked_report_file(upload) -> str:
    """The upload's original name if it is a PDF or Word file of at most 20 MB (content checked)."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in REPORT_FILE_TYPES:
        raise DomainError(_("报告文件须为 PDF 或 Word（doc、docx）文件。"), field="file")
    if not upload.size:
        raise DomainError(_("文件“{name}”是空文件。").format(name=name), field="file")
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("文件“{name}”超过 20 MB，不能上传。").format(name=name), field="file")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in REPORT_FILE_TYPES[extension]):
        raise DomainError(_("文件“{name}”的内容与扩展名不符。").format(name=name), field="file")
    return name[:200]


@transaction.atomic
def motion_report_submit(
    *, motion, actor, text: str, file=None, expected_version: int | None = None
) -> Motion:
    """The committee reports the result of its deliberation (DOMAIN §4: by October). A report
    after ``report_due`` is accepted and flagged late (``is_report_late``), never refused: the
    standing committee still needs it.

    Who: the staff of the committee the motion was sent to."""
    motion = _lock_motion(motion, expected_version=expected_version)
    today = timezone.localdate()
    workflow.check(motion, Action.SUBMIT_REPORT, actor, _context(motion, today=today))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写审议结果报告。"), field="text")
    fields = ["status", "report_text", "reported_on", "reported_by", "is_report_late"]
    if file is not None:
        motion.report_file_name = _checked_report_file(file)
        # Stored before the row; should the transaction roll back, the file stays unreferenced
        # (harmless), never a row without its file.
        motion.report_file.save(motion.report_file_name, file, save=False)
        fields += ["report_file", "report_file_name"]
    before = motion.status
    motion.status = MotionStatus.REPORTED
    motion.report_text = text
    motion.reported_on = today
    motion.reported_by = actor
    motion.is_report_late = today > motion.report_due
    _save(motion, actor, fields)
    _event(
        motion,
        E.REPORTED,
        actor,
        from_status=before,
        to_status=motion.status,
        payload={
            "report_due": motion.report_due.isoformat(),
            "late": motion.is_report_late,
            "days_late": max((today - motion.report_due).days, 0),
        },
    )
    _after_commit("reminder_complete", target=motion, kind=REMIND_REPORT)
    title = (
        _("{committee}逾期报告议案{number}审议结果：{subject}")
        if motion.is_report_late
        else _("{committee}已报告议案{number}审议结果：{subject}")
    ).format(committee=motion.committee.name, number=motion.number_label, subject=motion.subject)
    _notify(_office_users(), kind="motion.reported", title=title, motion=motion)
    _notify(_proposer_users(motion), kind="motion.reported", title=title, motion=motion)
    return motion


@transaction.atomic
def motion_close(*, motion, actor, reason: str = "", expected_version: int | None = None) -> Motion:
    """Close a motion whose committee has reported. Who: the office."""
    motion = _lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.CLOSE, actor, _context(motion))
    before = motion.status
    motion.status = MotionStatus.CLOSED
    motion.closed_at = timezone.now()
    _save(motion, actor, ["status", "closed_at"])
    _event(
        motion, E.CLOSED, actor, from_status=before, to_status=motion.status, reason=(reason or "").strip()
    )
    return motion
