"""The presidium's decision on a submitted motion (DOMAIN §4), recorded by the office: placed on
the agenda and sent to a committee, or not placed and converted to a suggestion."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError
from lvzhi.organizations.models import Session
from lvzhi.suggestions import services as suggestions
from lvzhi.suggestions.choices import SuggestionEventType
from lvzhi.suggestions.models import SuggestionEvent, SuggestionSigner

from .. import workflow
from ..choices import DecisionOutcome, MotionStatus, SignerStatus
from ..choices import MotionEventType as E
from ..models import Motion, MotionDecision
from ..workflow import Action
from .plumbing import (
    REMIND_REPORT,
    after_commit,
    committee_users,
    context_of,
    lock_motion,
    motion_link,
    notify,
    proposer_users,
    record_event,
    save_motion,
)

# DOMAIN §4: committees report on the motions sent to them by October. The setting
# ``LVZHI_MOTION_REPORT_DUE`` ("MM-DD", default "10-31") is the day, in the session's year.
DEFAULT_REPORT_DUE = "10-31"


def default_report_due(session: Session) -> date:
    """The committee's report deadline when the decision names none: the setting's day
    (``LVZHI_MOTION_REPORT_DUE``, "MM-DD", default October 31) in the session's year."""
    month, day = (
        int(part) for part in getattr(settings, "LVZHI_MOTION_REPORT_DUE", DEFAULT_REPORT_DUE).split("-")
    )
    return date(session.start_date.year, month, day)


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
    motion = lock_motion(motion, expected_version=expected_version)
    today = timezone.localdate()
    workflow.check(motion, DECISION_ACTIONS[outcome], actor, context_of(motion, today=today))
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
    save_motion(motion, actor, ["status", "committee", "report_due", "decided_at"])
    decision = MotionDecision.objects.create(
        motion=motion,
        outcome=DecisionOutcome.PLACE_ON_AGENDA,
        decided_on=decided_on,
        reason=reason,
        committee=committee,
        report_due=report_due,
        recorded_by=actor,
    )
    record_event(
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
    notify(proposer_users(motion), kind="motion.placed_on_agenda", title=title, motion=motion)
    notify(committee_users(committee.pk), kind="motion.sent_to_committee", title=title, motion=motion)
    after_commit(
        "reminder_schedule",
        target=motion,
        kind=REMIND_REPORT,
        due_date=report_due,
        recipients=committee_users(committee.pk),
        title=str(_("请按期报告议案审议结果：{subject}").format(subject=motion.subject)),
        link=motion_link(motion),
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
            status=SignerStatus.CONFIRMED,
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
    save_motion(motion, actor, ["status", "converted_suggestion", "decided_at"])
    decision = MotionDecision.objects.create(
        motion=motion,
        outcome=DecisionOutcome.CONVERT,
        decided_on=decided_on,
        reason=reason,
        suggestion=suggestion,
        recorded_by=actor,
    )
    record_event(
        motion,
        E.CONVERTED,
        actor,
        from_status=before,
        to_status=motion.status,
        reason=reason,
        payload={"suggestion": suggestion.pk, "decided_on": decided_on.isoformat()},
    )
    notify(
        proposer_users(motion),
        kind="motion.converted",
        title=_("议案{number}不列入大会议程，已转为建议办理：{subject}").format(
            number=motion.number_label, subject=motion.subject
        ),
        body=reason,
        motion=motion,
    )
    return decision
