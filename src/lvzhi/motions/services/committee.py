"""The committee's work with the proposers (Art. 50), its report of the deliberation's result, and
the closing of the motion.

Who: the staff of the committee the motion was sent to (and the office, for activities and
attendance); the office closes."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError

from .. import workflow
from ..choices import ActivityKind, Attendance, MotionStatus
from ..choices import MotionEventType as E
from ..models import Motion, MotionActivity, MotionActivityParticipant
from ..selectors import motion_proposers
from ..workflow import Action
from .plumbing import (
    REMIND_REPORT,
    after_commit,
    context_of,
    deputy_users,
    lock_motion,
    notify,
    office_users,
    proposer_users,
    record_event,
    save_motion,
)

# Report files: PDF or Word, at most 20 MB; the content is checked, not only the name.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
REPORT_FILE_TYPES = {
    "pdf": (b"%PDF",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "docx": (b"PK\x03\x04",),
}


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
    motion = lock_motion(motion)
    today = timezone.localdate()
    workflow.check(motion, Action.RECORD_ACTIVITY, actor, context_of(motion, today=today))
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
    record_event(
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
        notify(
            deputy_users(*(mandate.pk for mandate in invited)),
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
    motion = lock_motion(activity.motion_id)
    today = timezone.localdate()
    workflow.check(motion, Action.RECORD_ATTENDANCE, actor, context_of(motion, today=today))
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
    record_event(
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
    motion = lock_motion(motion, expected_version=expected_version)
    today = timezone.localdate()
    workflow.check(motion, Action.SUBMIT_REPORT, actor, context_of(motion, today=today))
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
    save_motion(motion, actor, fields)
    record_event(
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
    after_commit("reminder_complete", target=motion, kind=REMIND_REPORT)
    title = (
        _("{committee}逾期报告议案{number}审议结果：{subject}")
        if motion.is_report_late
        else _("{committee}已报告议案{number}审议结果：{subject}")
    ).format(committee=motion.committee.name, number=motion.number_label, subject=motion.subject)
    notify(office_users(), kind="motion.reported", title=title, motion=motion)
    notify(proposer_users(motion), kind="motion.reported", title=title, motion=motion)
    return motion


@transaction.atomic
def motion_close(*, motion, actor, reason: str = "", expected_version: int | None = None) -> Motion:
    """Close a motion whose committee has reported. Who: the office."""
    motion = lock_motion(motion, expected_version=expected_version)
    workflow.check(motion, Action.CLOSE, actor, context_of(motion))
    before = motion.status
    motion.status = MotionStatus.CLOSED
    motion.closed_at = timezone.now()
    save_motion(motion, actor, ["status", "closed_at"])
    record_event(
        motion, E.CLOSED, actor, from_status=before, to_status=motion.status, reason=(reason or "").strip()
    )
    return motion
