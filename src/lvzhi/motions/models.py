"""Motions (议案, DOMAIN §4; Art. 15): the proposers' subject, grounds and plan, the co-signers, the
presidium's decision, the committee's work with the proposers and its report, and the history.

A motion is raised at a plenary session by a lead deputy with enough co-signers (the congress's
``SuggestionRules.motion_cosigner_minimum``, default 10) or by a delegation. The presidium places
it on the agenda and sends it to a committee, which invites the proposers into its research,
drafting and review (Art. 50) and reports by its deadline; or it is not placed and becomes a
suggestion (``converted_suggestion``), its history kept.

Statuses are written only by ``services`` after ``workflow`` allows the transition.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lvzhi.core.models import DomainEvent, TimeStampedModel, VersionedModel

from .choices import ActivityKind, Attendance, DecisionOutcome, MotionEventType, MotionStatus, SignerStatus

# Statuses in which a motion has been received and carries its number.
NUMBERED_STATUSES = (
    MotionStatus.SUBMITTED,
    MotionStatus.PLACED_ON_AGENDA,
    MotionStatus.CONVERTED,
    MotionStatus.REPORTED,
    MotionStatus.CLOSED,
)
# Statuses of a motion sent to a committee.
COMMITTEE_STATUSES = (MotionStatus.PLACED_ON_AGENDA, MotionStatus.REPORTED, MotionStatus.CLOSED)


class Motion(VersionedModel):
    """议案: subject (案由), grounds (案据) and plan (方案), raised at a plenary session by a lead
    deputy with co-signers (``lead_mandate``) or by a delegation (``delegation``, the electoral
    unit whose deputies sit in it); exactly one of the two.

    ``number`` is given on submission, in the order received, per session (第1号, 第2号 …).
    ``committee`` and ``report_due`` come with the presidium's decision to place it on the agenda;
    ``converted_suggestion`` with the decision not to. ``version`` makes concurrent edits and
    actions collide.
    """

    congress = models.ForeignKey(
        "organizations.Congress", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="motions"
    )
    term = models.ForeignKey(
        "organizations.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="motions"
    )
    # DOMAIN §4: motions are raised at a plenary session; there are none between sessions.
    session = models.ForeignKey(
        "organizations.Session", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="motions"
    )
    lead_mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("领衔代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_motions",
    )
    delegation = models.ForeignKey(
        "organizations.ElectoralUnit",
        verbose_name=_("提出议案的代表团"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
    )
    subject = models.CharField(_("案由"), max_length=200)
    grounds = models.TextField(_("案据"))
    plan = models.TextField(_("方案"))
    field = models.ForeignKey(
        "organizations.ExpertiseField",
        verbose_name=_("所属领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
    )
    status = models.CharField(
        _("状态"), max_length=30, choices=MotionStatus.choices, default=MotionStatus.DRAFT, editable=False
    )
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True, editable=False)
    number_label = models.CharField(_("议案号"), max_length=30, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True, editable=False)
    committee = models.ForeignKey(
        "organizations.Committee",
        verbose_name=_("审议委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
        editable=False,
    )
    report_due = models.DateField(_("报告期限"), null=True, blank=True, editable=False)
    report_text = models.TextField(_("审议结果报告"), blank=True, editable=False)
    report_file = models.FileField(
        _("报告文件"), upload_to="motions/reports/%Y/%m/", blank=True, editable=False
    )
    report_file_name = models.CharField(_("报告原文件名"), max_length=200, blank=True, editable=False)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    is_report_late = models.BooleanField(_("逾期报告"), default=False, editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    converted_suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        verbose_name=_("转为的建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_motion",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("议案")
        verbose_name_plural = _("议案")
        ordering = ["-id"]
        constraints = [
            # A lead deputy (with co-signers) or a delegation: exactly one of the two.
            models.CheckConstraint(
                condition=Q(lead_mandate__isnull=False, delegation__isnull=True)
                | Q(lead_mandate__isnull=True, delegation__isnull=False),
                name="motion_lead_or_delegation",
            ),
            models.UniqueConstraint(
                fields=["session", "number"], condition=Q(number__isnull=False), name="motion_unique_number"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=NUMBERED_STATUSES) | Q(number__isnull=False),
                name="motion_numbered_once_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=COMMITTEE_STATUSES)
                | Q(committee__isnull=False, report_due__isnull=False),
                name="motion_placed_has_committee",
            ),
            models.CheckConstraint(
                condition=~Q(status=MotionStatus.CONVERTED) | Q(converted_suggestion__isnull=False),
                name="motion_converted_has_suggestion",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=(MotionStatus.REPORTED, MotionStatus.CLOSED))
                | Q(reported_on__isnull=False),
                name="motion_reported_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "status"], name="motion_congress_status"),
            models.Index(fields=["committee", "status"], name="motion_committee_status"),
            models.Index(fields=["status", "report_due"], name="motion_status_report_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.subject}" if self.number_label else self.subject

    @property
    def is_delegation(self) -> bool:
        return self.delegation_id is not None

    @property
    def proposer_label(self) -> str:
        """Who raised it, as lists print it: 张三 (the lead) or 鼓楼团 (the delegation). Needs
        ``lead_mandate__person`` and ``delegation`` joined."""
        if self.delegation_id is not None:
            return self.delegation.delegation_name or self.delegation.name
        return self.lead_mandate.person.name


class MotionSigner(TimeStampedModel):
    """附议: a co-signer invited by the lead deputy; confirms or declines (DOMAIN §4)."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("议案"), on_delete=models.CASCADE, related_name="signers"
    )
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("附议代表"),
        on_delete=models.PROTECT,
        related_name="cosigned_motions",
    )
    status = models.CharField(
        _("确认状态"), max_length=20, choices=SignerStatus.choices, default=SignerStatus.INVITED
    )
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("附议代表")
        verbose_name_plural = _("附议代表")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["motion", "mandate"], name="motion_signer_once")]

    def __str__(self) -> str:
        return f"{self.mandate}（{self.get_status_display()}）"


class MotionDecision(TimeStampedModel):
    """The presidium's decision on a motion (主席团决定), recorded by the deputy-affairs office:
    placed on the agenda and sent to ``committee`` with ``report_due``, or not placed and handled
    as a suggestion (``suggestion``). One per motion."""

    motion = models.OneToOneField(
        Motion, verbose_name=_("议案"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("决定"), max_length=20, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("决定日期"))
    reason = models.TextField(_("理由"), blank=True)
    committee = models.ForeignKey(
        "organizations.Committee",
        verbose_name=_("审议委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_due = models.DateField(_("报告期限"), null=True, blank=True)
    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        verbose_name=_("转为的建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("主席团决定")
        verbose_name_plural = _("主席团决定")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(outcome=DecisionOutcome.PLACE_ON_AGENDA)
                    & Q(committee__isnull=False, report_due__isnull=False, suggestion__isnull=True)
                )
                | (Q(outcome=DecisionOutcome.CONVERT) & Q(committee__isnull=True, suggestion__isnull=False)),
                name="motion_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decided_on} {self.get_outcome_display()}"


class MotionActivity(TimeStampedModel):
    """A piece of the committee's work on a motion into which it invites the proposers: research,
    drafting, review or a forum (Art. 50). Each invited deputy is a ``MotionActivityParticipant``
    whose attendance is recorded and credited to the deputy's performance record."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("议案"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("活动日期"))
    title = models.CharField(_("活动名称"), max_length=200)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    note = models.TextField(_("情况说明"), blank=True)
    invited = models.ManyToManyField(
        "deputies.Mandate",
        verbose_name=_("邀请的代表"),
        through="MotionActivityParticipant",
        related_name="motion_activities",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议案办理活动")
        verbose_name_plural = _("议案办理活动")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}：{self.title}"


class MotionActivityParticipant(TimeStampedModel):
    """One deputy invited into one activity, and whether it took part. ``attended`` rows are what
    the performance record (履职档案, DOMAIN §7) credits to the deputy."""

    activity = models.ForeignKey(
        MotionActivity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="participants"
    )
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="motion_participations",
    )
    attendance = models.CharField(
        _("参加情况"), max_length=20, choices=Attendance.choices, default=Attendance.INVITED
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动参加代表")
        verbose_name_plural = _("活动参加代表")
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "mandate"], name="motion_participant_once"),
        ]
        indexes = [models.Index(fields=["mandate", "attendance"], name="motion_participant_credit")]

    def __str__(self) -> str:
        return f"{self.mandate}（{self.get_attendance_display()}）"


class MotionEvent(DomainEvent):
    """What happened to a motion: who, when, from which status to which, why. Written by the
    services, never edited; the motion's history is these events in order (kept when the motion
    becomes a suggestion, and shown on the suggestion too).

    ``payload`` holds ids and names (numbers, committees, the suggestion), never personal data."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("议案"), on_delete=models.PROTECT, related_name="events"
    )
    type = models.CharField(_("事件"), max_length=50, choices=MotionEventType.choices)
    from_status = models.CharField(_("原状态"), max_length=30, choices=MotionStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, choices=MotionStatus.choices, blank=True)
    activity = models.ForeignKey(
        MotionActivity,
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )

    class Meta:
        verbose_name = _("议案办理记录")
        verbose_name_plural = _("议案办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["motion", "at"], name="motion_event_at")]
