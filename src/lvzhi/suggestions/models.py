"""Suggestions (建议、批评和意见, DOMAIN §5): the deputy's text, its co-signers and attachments, the
units it is assigned to, their objections, contacts, promises and replies, the deputies' evaluations,
the history of events, and the per-congress rules that drive it all.

Statuses are written only by ``services`` after ``workflow`` allows the transition.
"""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lvzhi.core.models import DomainEvent, TimeStampedModel, VersionedModel

from .choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ContactMethod,
    ContactStage,
    InadmissibleReason,
    NoContactReason,
    ObjectionStatus,
    ReplyKind,
    ReplyStatus,
    Satisfaction,
    SignerStatus,
    SuggestionEventType,
    SuggestionSeries,
    SuggestionStatus,
)

# -- Rules per congress ---------------------------------------------------------------------------

# DOMAIN §5.5: A solved or basically solved; B being solved or planned; C to be solved when
# conditions allow; D kept for reference. ``follow_up``: the answer is given again once solved (§5.9).
DEFAULT_RESULT_CLASSES = (
    {"code": "A", "label": "已解决或基本解决", "follow_up": False},
    {"code": "B", "label": "正在解决或列入计划解决", "follow_up": True},
    {"code": "C", "label": "因条件限制待以后解决", "follow_up": True},
    {"code": "D", "label": "留作参考", "follow_up": False},
)
# A three-class variant some congresses use; load it into ``SuggestionRules.result_classes``.
THREE_CLASS_RESULT_CLASSES = (
    {"code": "A", "label": "已解决或基本解决", "follow_up": False},
    {"code": "B", "label": "列入计划逐步解决", "follow_up": True},
    {"code": "C", "label": "因条件限制或其他原因难以解决", "follow_up": False},
)

# DOMAIN §5, Fuzhou's 二审三督四评 as we read it: two reviews, three supervisions, four evaluations.
# A congress renames (or drops) stages by editing ``SuggestionRules.stage_labels``.
DEFAULT_STAGE_LABELS = {
    "name": "二审三督四评",
    "first_review": "一审：交办前审查",
    "second_review": "二审：答复函审查",
    "key_supervision": "领导领衔重点督办",
    "counterpart_supervision": "专门委员会对口督办",
    "follow_up_supervision": "代表工委跟踪督办",
    "process_evaluation": "办理过程评价",
    "result_evaluation": "办理结果评价",
    "outcome_evaluation": "落实结果评价",
    "unit_rating": "承办单位绩效考评",
}
NUMBER_PLACEHOLDERS = frozenset({"number", "year"})
# Art. 51: the longest reply periods the statute allows, in months; DOMAIN §5.7: re-handling takes
# 15 days to 2 months under local rules. The messages are shared with the API's serializer.
STATUTORY_REPLY_MONTHS = 3
STATUTORY_HARD_REPLY_MONTHS = 6
REPLY_MONTHS_TOO_LONG = _("依照代表法第五十一条，答复期限不得超过三个月。")
HARD_REPLY_MONTHS_TOO_LONG = _("依照代表法第五十一条，涉及面广、难度大的答复期限不得超过六个月。")
REHANDLING_TOO_SHORT = _("重新办理期限不得少于十五日。")
REHANDLING_TOO_LONG = _("重新办理期限不得超过两个月。")
MAX_REPLY_MONTHS = MaxValueValidator(STATUTORY_REPLY_MONTHS, REPLY_MONTHS_TOO_LONG)
MAX_HARD_REPLY_MONTHS = MaxValueValidator(STATUTORY_HARD_REPLY_MONTHS, HARD_REPLY_MONTHS_TOO_LONG)
MAX_REHANDLING = MaxValueValidator(2, REHANDLING_TOO_LONG)


def default_result_classes() -> list[dict]:
    return [dict(item) for item in DEFAULT_RESULT_CLASSES]


def default_stage_labels() -> dict:
    return dict(DEFAULT_STAGE_LABELS)


def _check_number_format(value: str) -> None:
    fields = {name for _text, name, _spec, _conv in string.Formatter().parse(value) if name is not None}
    if "number" not in fields:
        raise ValidationError(_("编号格式必须包含 {number}。"))
    if fields - NUMBER_PLACEHOLDERS:
        raise ValidationError(_("编号格式只能使用 {number} 和 {year}。"))


class SuggestionRules(TimeStampedModel):
    """How one congress runs its suggestions: numbering, windows, optional steps, result classes,
    stage names. One row per congress; without a row ``selectors.rules_for`` gives the defaults
    (DOMAIN §5, Fuzhou's practice), so another congress's rules load without code changes.

    Months are calendar months from the start date (Art. 51); windows are working days, counted
    by ``lvzhi.core.calendar`` with the State Council's holidays and adjusted working days.
    """

    congress = models.OneToOneField(
        "organizations.Congress",
        verbose_name=_("人大"),
        on_delete=models.CASCADE,
        related_name="suggestion_rules",
    )
    in_session_number_format = models.CharField(
        _("大会期间建议编号格式"), max_length=40, default="第{number}号", validators=[_check_number_format]
    )
    in_session_number_start = models.PositiveIntegerField(_("大会期间建议起始编号"), default=1001)
    between_sessions_number_format = models.CharField(
        _("闭会期间建议编号格式"), max_length=40, default="第{number}号", validators=[_check_number_format]
    )
    between_sessions_number_start = models.PositiveIntegerField(_("闭会期间建议起始编号"), default=2001)
    # Art. 51: reply within three months of assignment, six when wide-ranging or hard. A congress
    # may shorten them, never lengthen them; the hard case is never shorter than the normal one.
    reply_months = models.PositiveSmallIntegerField(
        _("答复期限（月）"), default=3, validators=[MinValueValidator(1), MAX_REPLY_MONTHS]
    )
    hard_reply_months = models.PositiveSmallIntegerField(
        _("涉及面广、难度大的答复期限（月）"),
        default=6,
        validators=[MinValueValidator(1), MAX_HARD_REPLY_MONTHS],
    )
    # DOMAIN §5.3: co-units send their written input to the lead unit within one month.
    co_input_months = models.PositiveSmallIntegerField(
        _("协办意见期限（月）"), default=1, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    # DOMAIN §5.3: a unit may object to a wrong assignment within 3, 7 or 10 working days.
    objection_working_days = models.PositiveSmallIntegerField(
        _("交办异议期限（工作日）"), default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    # DOMAIN §5.6: the deputy evaluates within a window.
    evaluation_working_days = models.PositiveSmallIntegerField(
        _("代表评价期限（工作日）"), default=20, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # DOMAIN §5.7: 不满意 sends it back for a second reply, 1 month by default; local rules allow 15
    # days to 2 months: whole months (1 or 2), or days (15 to 60) when ``rehandling_days`` is set.
    rehandling_months = models.PositiveSmallIntegerField(
        _("重新办理期限（月）"), default=1, validators=[MinValueValidator(1, REHANDLING_TOO_SHORT), MAX_REHANDLING]
    )  # fmt: skip
    rehandling_days = models.PositiveSmallIntegerField(
        _("重新办理期限（日）"), null=True, blank=True, help_text=_("按日计算时填写（15至60日），填写后不再按月计算。"),
        validators=[MinValueValidator(15, REHANDLING_TOO_SHORT), MaxValueValidator(60, REHANDLING_TOO_LONG)],
    )  # fmt: skip
    # DOMAIN §5.3: between sessions, assign within 5 working days of receipt.
    assign_within_working_days = models.PositiveSmallIntegerField(
        _("闭会期间交办期限（工作日）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    # DOMAIN §5.7: a unit rated 不满意 twice on the same suggestion is escalated.
    escalate_after_dissatisfied = models.PositiveSmallIntegerField(
        _("不满意几次后提级督办"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    second_review_enabled = models.BooleanField(
        _("答复函二审"), default=True, help_text=_("开启后，承办单位提交的答复须经代表工委审核后才发给代表。")
    )
    separate_ratings_enabled = models.BooleanField(_("分别评价办理过程和办理结果"), default=True)
    result_classes = models.JSONField(
        _("办理结果分类"),
        default=default_result_classes,
        help_text=_("列表，每项含 code（如 A）、label（如 已解决或基本解决）、follow_up（是否需跟踪答复）。"),
    )
    stage_labels = models.JSONField(_("环节名称"), default=default_stage_labels, blank=True)
    motion_cosigner_minimum = models.PositiveSmallIntegerField(
        _("议案最少联名代表人数（含领衔代表）"), default=10, validators=[MinValueValidator(1)]
    )
    # DOMAIN §5.10: a unit is ranked only over enough cases; fewer are listed apart (不足以排名).
    rating_minimum_cases = models.PositiveSmallIntegerField(
        _("参与排名的最少承办件数"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("建议办理规则")
        verbose_name_plural = _("建议办理规则")

    def __str__(self) -> str:
        return _("{congress}建议办理规则").format(congress=self.congress)

    def clean(self) -> None:
        super().clean()
        errors = {}
        classes = self.result_classes
        if not isinstance(classes, list) or not classes:
            errors["result_classes"] = _("办理结果分类不能为空。")
        else:
            codes = []
            for item in classes:
                if (
                    not isinstance(item, dict)
                    or not str(item.get("code", "")).strip()
                    or not item.get("label")
                ):
                    errors["result_classes"] = _("每个办理结果分类须有代码和名称。")
                    break
                codes.append(item["code"])
            if "result_classes" not in errors and len(set(codes)) != len(codes):
                errors["result_classes"] = _("办理结果分类代码不能重复。")
        if (
            isinstance(self.reply_months, int)
            and isinstance(self.hard_reply_months, int)
            and self.hard_reply_months < self.reply_months
        ):
            errors["hard_reply_months"] = _("涉及面广、难度大的答复期限不得短于一般答复期限。")
        labels = self.stage_labels
        if not isinstance(labels, dict) or any(
            key not in DEFAULT_STAGE_LABELS or not isinstance(value, str) for key, value in labels.items()
        ):
            errors["stage_labels"] = _("环节名称只能设置已定义的环节：{keys}。").format(
                keys="、".join(DEFAULT_STAGE_LABELS)
            )
        if errors:
            raise ValidationError(errors)

    # Cheap reads used by services and pages -------------------------------------------------

    def number_format(self, series: str) -> str:
        if series == SuggestionSeries.IN_SESSION:
            return self.in_session_number_format
        return self.between_sessions_number_format

    def number_start(self, series: str) -> int:
        if series == SuggestionSeries.IN_SESSION:
            return self.in_session_number_start
        return self.between_sessions_number_start

    def number_label(self, *, series: str, number: int, year: int) -> str:
        """``〔2026〕第1001号``: numbers restart each year, so the year leads the label unless the
        congress's format places it itself (``{year}``)."""
        number_format = self.number_format(series)
        label = number_format.format(number=number, year=year)
        return label if "{year}" in number_format else f"〔{year}〕{label}"

    @property
    def result_class_codes(self) -> list[str]:
        return [item["code"] for item in self.result_classes]

    def result_class_label(self, code: str) -> str:
        for item in self.result_classes:
            if item["code"] == code:
                return item["label"]
        return code

    def needs_follow_up(self, code: str) -> bool:
        """A B or C answer is answered again once solved (DOMAIN §5.9)."""
        return any(item["code"] == code and item.get("follow_up") for item in self.result_classes)

    def stage_label(self, key: str) -> str:
        return (self.stage_labels or {}).get(key) or DEFAULT_STAGE_LABELS[key]

    def reply_months_for(self, *, is_hard: bool) -> int:
        return self.hard_reply_months if is_hard else self.reply_months


# -- The suggestion --------------------------------------------------------------------------------

# Statuses in which a suggestion carries its number.
NUMBERED_STATUSES = (
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.ASSIGNED,
    SuggestionStatus.HANDLING,
    SuggestionStatus.REPLY_SUBMITTED,
    SuggestionStatus.REPLIED,
    SuggestionStatus.REHANDLING,
    SuggestionStatus.CLOSED,
)


class Suggestion(VersionedModel):
    """建议、批评和意见: one issue (一事一议) raised by a lead deputy, alone or with co-signers, at a
    session (``session`` set) or between sessions (``session`` null), Arts. 24 and 36.

    ``number`` is given on acceptance from the congress's series (``SuggestionRules``); it is
    unique per congress, year and series. ``version`` makes concurrent edits and actions collide.
    """

    congress = models.ForeignKey(
        "organizations.Congress", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="suggestions"
    )
    term = models.ForeignKey(
        "organizations.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="suggestions"
    )
    session = models.ForeignKey(
        "organizations.Session",
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("大会期间提出的建议填写会议；闭会期间提出的留空。"),
    )
    series = models.CharField(_("提出时间"), max_length=20, choices=SuggestionSeries.choices, editable=False)
    lead_mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("领衔代表"),
        on_delete=models.PROTECT,
        related_name="led_suggestions",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    field = models.ForeignKey(
        "organizations.ExpertiseField",
        verbose_name=_("所属领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    status = models.CharField(
        _("状态"),
        max_length=30,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.DRAFT,
        editable=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True, editable=False)
    number_label = models.CharField(_("建议号"), max_length=60, blank=True, editable=False)
    is_hard = models.BooleanField(
        _("涉及面广、处理难度大"), default=False, help_text=_("《代表法》第五十一条：答复期限延长至六个月。")
    )
    is_confidential = models.BooleanField(_("不宜公开"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    # DOMAIN §5.3: between sessions, staff assign within N working days of receipt.
    assign_due = models.DateField(_("应交办日期"), null=True, blank=True, editable=False)
    needs_calendar = models.BooleanField(
        _("期限待补充节假日数据"),
        default=False,
        editable=False,
        help_text=_("节假日数据缺失，工作日期限未能计算，须由代表工委补充日历后处理。"),
    )
    review_reason = models.TextField(_("审查意见"), blank=True, editable=False)
    rejection_reason = models.CharField(
        _("不予立案理由"), max_length=40, choices=InadmissibleReason.choices, blank=True, editable=False
    )
    # DOMAIN §5.9: a B or C answer is answered again once solved.
    follow_up_required = models.BooleanField(_("需跟踪答复"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("建议")
        verbose_name_plural = _("建议")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "series", "number"],
                condition=Q(number__isnull=False),
                name="suggestion_unique_number",
            ),
            # In session ⇔ a session is named.
            models.CheckConstraint(
                condition=(Q(series=SuggestionSeries.IN_SESSION) & Q(session__isnull=False))
                | (Q(series=SuggestionSeries.BETWEEN_SESSIONS) & Q(session__isnull=True)),
                name="suggestion_series_matches_session",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=NUMBERED_STATUSES) | Q(number__isnull=False, year__isnull=False),
                name="suggestion_numbered_once_accepted",
            ),
            # DOMAIN §5.2: a rejection names its reason.
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.REJECTED) | ~Q(rejection_reason=""),
                name="suggestion_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "status"], name="suggestion_congress_status"),
            models.Index(fields=["status", "assign_due"], name="suggestion_status_assign_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}" if self.number_label else self.title


class SuggestionSigner(TimeStampedModel):
    """联名: a co-signer invited by the lead deputy; confirms or declines (DOMAIN §5.1)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("建议"), on_delete=models.CASCADE, related_name="signers"
    )
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("联名代表"), on_delete=models.PROTECT, related_name="cosigned"
    )
    status = models.CharField(
        _("确认状态"), max_length=20, choices=SignerStatus.choices, default=SignerStatus.INVITED
    )
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("联名代表")
        verbose_name_plural = _("联名代表")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "mandate"], name="signer_once_per_suggestion"),
        ]

    def __str__(self) -> str:
        return f"{self.mandate}（{self.get_status_display()}）"


class SuggestionAttachment(TimeStampedModel):
    """An attachment to a suggestion: PDF, Word or an image, at most 20 MB (checked by the service)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("建议"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="suggestions/attachments/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("建议附件")
        verbose_name_plural = _("建议附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


# -- Assignment and handling ------------------------------------------------------------------------


class Assignment(TimeStampedModel):
    """交办: a suggestion given to one handling unit, as lead, co-unit or split unit (DOMAIN §5.3).

    A unit may re-assign to one of its sub-units (``parent``: two levels, the city government to
    its departments); the child inherits the deadlines. ``merge_group`` ties the assignments of
    suggestions handled together (并案). Deadlines come from ``lvzhi.core.calendar``; when a
    working-day deadline falls in a year without holiday data it is left empty and
    ``needs_calendar`` flags the assignment to staff, never silently counted as weekdays.
    """

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        "organizations.HandlingUnit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("承办方式"), max_length=10, choices=AssignmentRole.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("转办自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    merge_group = models.UUIDField(_("并案组"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    assigned_on = models.DateField(_("交办日期"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交办人"), on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    objection_deadline = models.DateField(_("异议截止日期"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    co_input_due = models.DateField(_("协办意见期限"), null=True, blank=True)
    needs_calendar = models.BooleanField(
        _("期限待补充节假日数据"),
        default=False,
        help_text=_("节假日数据缺失，工作日期限未能计算，须由代表工委补充日历后处理。"),
    )
    input_text = models.TextField(_("协办意见"), blank=True)
    input_submitted_at = models.DateTimeField(_("协办意见提交时间"), null=True, blank=True)
    rehandling_due = models.DateField(_("重新办理期限"), null=True, blank=True)
    dissatisfied_count = models.PositiveSmallIntegerField(_("不满意次数"), default=0)
    is_escalated = models.BooleanField(_("已提级督办"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["suggestion", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=~Q(status=AssignmentStatus.CANCELLED),
                name="assignment_one_open_per_unit",
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role=AssignmentRole.LEAD, parent__isnull=True)
                & ~Q(status=AssignmentStatus.CANCELLED),
                name="assignment_one_lead_unit",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="assignment_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="assignment_unit_status"),
            models.Index(fields=["status", "reply_due"], name="assignment_status_reply_due"),
            # The unit work list: a unit's assignments in due order, read a page at a time.
            models.Index(fields=["unit", "reply_due", "id"], name="assignment_unit_reply_due"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def replies_to_deputy(self) -> bool:
        """Lead and split units reply to the deputy; co-units give their input to the lead unit."""
        return self.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT)


class Objection(TimeStampedModel):
    """异议: a unit says the assignment is wrong, within the objection window; staff decide."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.PROTECT, related_name="objections"
    )
    reason = models.TextField(_("异议理由"))
    status = models.CharField(
        _("处理结果"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    status_before = models.CharField(
        _("提出异议前的交办状态"), max_length=20, choices=AssignmentStatus.choices, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    new_assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("重新交办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces_objection",
    )

    class Meta:
        verbose_name = _("交办异议")
        verbose_name_plural = _("交办异议")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status=ObjectionStatus.PENDING),
                name="objection_one_pending_per_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}：{self.get_status_display()}"


class Contact(TimeStampedModel):
    """沟通: Art. 51 — the unit contacts the deputy before, during and after handling; each is logged."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.PROTECT, related_name="contacts"
    )
    deputy = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("沟通代表"), on_delete=models.PROTECT, related_name="+"
    )
    contacted_on = models.DateField(_("沟通日期"))
    stage = models.CharField(_("环节"), max_length=10, choices=ContactStage.choices)
    method = models.CharField(_("方式"), max_length=10, choices=ContactMethod.choices)
    note = models.TextField(_("沟通情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        ordering = ["contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_method_display()}"


class Commitment(TimeStampedModel):
    """承诺事项: a promise a unit made while handling; tracked until kept, even after closing (§5.9)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="commitments"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.PROTECT, related_name="commitments"
    )
    unit = models.ForeignKey(
        "organizations.HandlingUnit", verbose_name=_("承诺单位"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("承诺内容"))
    due_date = models.DateField(_("承诺兑现期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    kept_at = models.DateTimeField(_("兑现时间"), null=True, blank=True)
    evidence = models.TextField(_("兑现情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.KEPT) | Q(kept_at__isnull=False),
                name="commitment_kept_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="commitment_status_due"),
            models.Index(fields=["assignment", "status"], name="commitment_assignment_status"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


# -- Replies and evaluations -------------------------------------------------------------------------


class Reply(VersionedModel):
    """答复: the unit's reply letter, signed by its head, sealed, with a result class (DOMAIN §5.5).

    Drafted and submitted by a lead or split unit; reviewed by staff (second review) when the
    congress's rules say so, then released. One ``ReplyRecipient`` per deputy (the lead and each
    confirmed co-signer) is generated on submission.
    """

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.PROTECT, related_name="replies"
    )
    kind = models.CharField(_("答复类型"), max_length=20, choices=ReplyKind.choices, default=ReplyKind.ANSWER)
    # Blank while drafted; ``services.reply_submit`` requires all three and the letter.
    body = models.TextField(_("答复内容"), blank=True)
    result_class = models.CharField(_("办理结果分类"), max_length=10, blank=True)
    signed_by = models.CharField(
        _("签发人"), max_length=50, blank=True, help_text=_("承办单位主要负责人姓名。")
    )
    letter = models.FileField(_("答复函（盖章PDF）"), upload_to="suggestions/replies/%Y/%m/", blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    released_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    # Art. 51: the unit keeps in touch with the deputy. A reply is submitted after at least one
    # contact with the lead deputy, or with the reason there was none (shown at second review).
    no_contact_reason = models.CharField(
        _("未沟通原因"), max_length=20, choices=NoContactReason.choices, blank=True
    )
    no_contact_note = models.TextField(_("未沟通情况说明"), blank=True)
    # Art. 51 makes publication the rule; staff withhold a reply at second review (不宜公开).
    is_withheld_from_public = models.BooleanField(_("不宜公开"), default=False)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=~Q(status=ReplyStatus.RELEASED),
                name="reply_one_open_per_assignment",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReplyStatus.RELEASED) | Q(released_at__isnull=False),
                name="reply_released_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.unit}：{self.get_kind_display()}（{self.result_class}）"


class ReplyRecipient(TimeStampedModel):
    """One deputy a reply is addressed to: the lead deputy and each confirmed co-signer (§5.5).

    ``evaluation_due`` is set on release (the evaluation window, in working days)."""

    reply = models.ForeignKey(
        Reply, verbose_name=_("答复"), on_delete=models.CASCADE, related_name="recipients"
    )
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="replies_received"
    )
    is_lead = models.BooleanField(_("领衔代表"), default=False)
    evaluation_due = models.DateField(_("评价截止日期"), null=True, blank=True)
    needs_calendar = models.BooleanField(_("期限待补充节假日数据"), default=False)

    class Meta:
        verbose_name = _("答复对象")
        verbose_name_plural = _("答复对象")
        ordering = ["-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["reply", "mandate"], name="recipient_once_per_reply")]

    def __str__(self) -> str:
        return str(self.mandate)


class Evaluation(TimeStampedModel):
    """评价: the deputy's rating of a reply addressed to it; process and result apart when the rules
    say so (DOMAIN §5.6). 不满意 sends the unit back to re-handle (§5.7)."""

    recipient = models.OneToOneField(
        ReplyRecipient, verbose_name=_("答复对象"), on_delete=models.PROTECT, related_name="evaluation"
    )
    satisfaction = models.CharField(_("总体评价"), max_length=30, choices=Satisfaction.choices)
    process_rating = models.CharField(
        _("办理过程评价"), max_length=30, choices=Satisfaction.choices, blank=True
    )
    result_rating = models.CharField(
        _("办理结果评价"), max_length=30, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("意见"), blank=True)
    evaluated_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("代表评价")
        verbose_name_plural = _("代表评价")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_satisfaction_display()


# -- History -----------------------------------------------------------------------------------------


class SuggestionEvent(DomainEvent):
    """What happened to a suggestion: who, when, from which status to which, why. Written by the
    services, never edited; the suggestion's history page is these events in order.

    ``payload`` holds ids and names (units, numbers, classes), never personal data."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="events"
    )
    type = models.CharField(_("事件"), max_length=50, choices=SuggestionEventType.choices)
    from_status = models.CharField(_("原状态"), max_length=30, choices=SuggestionStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, choices=SuggestionStatus.choices, blank=True)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("交办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )

    class Meta:
        verbose_name = _("建议办理记录")
        verbose_name_plural = _("建议办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["suggestion", "at"], name="suggestion_event_at")]
