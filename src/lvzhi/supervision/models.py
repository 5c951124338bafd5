"""督办 (DOMAIN §5.7-5.8): the supervision of suggestions once assigned.

- ``SupervisionItem``: a suggestion under key (重点督办, picked by the directors' meeting, led by a
  standing-committee leader with a team and a counterpart committee), counterpart (a committee in
  its field) or follow-up (the 代表工委) supervision in a year; unfinished key items carry over.
- ``SupervisionActivity``: what the team did (visits, forums, briefings, reports to the directors'
  meeting).
- ``SupervisionCampaign``: a supervision month (督办月): a set of suggestions and a period.
- ``DissatisfiedMeeting``: the meeting that re-assigns the suggestions rated 不满意 (不满意件交办会),
  with one ``MeetingReassignment`` per dissatisfied assignment.

Statuses are written only by ``services`` after ``workflow`` allows the transition; what happens
to a suggestion is also written to its ``SuggestionEvent`` history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lvzhi.core.models import TimeStampedModel, VersionedModel

from .choices import ActivityKind, MeetingDecision, SupervisionKind, SupervisionStatus


class SupervisionItem(VersionedModel):
    """督办事项: one suggestion under one kind of supervision in one year."""

    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name=_("建议"),
        on_delete=models.PROTECT,
        related_name="supervision_items",
    )
    kind = models.CharField(_("督办类型"), max_length=20, choices=SupervisionKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("督办状态"), max_length=20, choices=SupervisionStatus.choices, default=SupervisionStatus.IN_PROGRESS
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("领衔督办领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_supervision_items",
    )
    committee = models.ForeignKey(
        "organizations.Committee",
        verbose_name=_("对口委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_items",
    )
    team_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办组成员（平台用户）"),
        blank=True,
        related_name="supervision_teams",
    )
    team = models.TextField(_("督办组其他成员"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_ref = models.CharField(_("决定会议"), max_length=100, blank=True)
    conclusion = models.TextField(_("督办结论"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    carried_over_from = models.OneToOneField(
        "self",
        verbose_name=_("上年度结转"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_over_to",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[team_members])

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "kind", "year"], name="supervision_once_per_year"),
        ]
        indexes = [
            models.Index(fields=["year", "kind", "status"], name="supervision_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}：{self.suggestion}"


class SupervisionActivity(TimeStampedModel):
    """督办活动: a visit, forum or briefing of the supervision team, or its report to the directors'
    meeting (DOMAIN §5.8; Fuzhou's plan: 向主任会议报告督办情况)."""

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("督办事项"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    happened_on = models.DateField(_("日期"))
    participants = models.TextField(_("参加人员"), blank=True)
    note = models.TextField(_("督办情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("督办活动")
        verbose_name_plural = _("督办活动")
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"


class SupervisionCampaign(VersionedModel):
    """督办月: staff pick a set of suggestions and a period in which units are pressed on them."""

    congress = models.ForeignKey(
        "organizations.Congress", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("活动名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    note = models.TextField(_("工作要求"), blank=True)
    suggestions = models.ManyToManyField(
        "suggestions.Suggestion",
        verbose_name=_("督办建议"),
        through="CampaignSuggestion",
        related_name="campaigns",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办月活动")
        verbose_name_plural = _("督办月活动")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_order"
            ),
            models.UniqueConstraint(fields=["congress", "name"], name="campaign_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class CampaignSuggestion(TimeStampedModel):
    campaign = models.ForeignKey(
        SupervisionCampaign, verbose_name=_("督办月活动"), on_delete=models.CASCADE, related_name="entries"
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion", verbose_name=_("建议"), on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("列入人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("督办月建议")
        verbose_name_plural = _("督办月建议")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "suggestion"], name="campaign_suggestion_once"),
        ]


class DissatisfiedMeeting(TimeStampedModel):
    """不满意件交办会: the meeting that re-assigns the suggestions whose replies deputies rated 不满意
    (DOMAIN §5.7): each goes back to its unit with a new re-handling deadline from the meeting date,
    or to another unit."""

    congress = models.ForeignKey(
        "organizations.Congress", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("会议名称"), max_length=100)
    held_on = models.DateField(_("召开日期"))
    note = models.TextField(_("会议要求"), blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("不满意件交办会")
        verbose_name_plural = _("不满意件交办会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class MeetingReassignment(TimeStampedModel):
    """One dissatisfied assignment decided at a ``DissatisfiedMeeting``."""

    meeting = models.ForeignKey(
        DissatisfiedMeeting, verbose_name=_("交办会"), on_delete=models.PROTECT, related_name="reassignments"
    )
    assignment = models.ForeignKey(
        "suggestions.Assignment", verbose_name=_("原交办"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("交办决定"), max_length=20, choices=MeetingDecision.choices)
    new_assignment = models.OneToOneField(
        "suggestions.Assignment",
        verbose_name=_("新交办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("重新办理期限"), null=True, blank=True)
    needs_calendar = models.BooleanField(_("期限待补充节假日数据"), default=False)
    note = models.TextField(_("交办意见"), blank=True)

    class Meta:
        verbose_name = _("不满意件重新交办")
        verbose_name_plural = _("不满意件重新交办")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "assignment"], name="meeting_assignment_once"),
        ]
