"""Persons, their mandates and the qualification events that decide a mandate's status."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lvzhi.core.models import TimeStampedModel, VersionedModel

from .choices import (
    Composition,
    Gender,
    MandateEventType,
    MandateStatus,
    Party,
    RosterImportStatus,
    SuspensionCause,
)


class Person(VersionedModel):
    """A natural person who holds one or more mandates (e.g. city and provincial deputy).

    Personal data (ID number, phone, e-mail, address) is private: masked in lists, shown on the
    detail page only to roles that ``accounts.roles.may_see_private_contact`` allows.
    """

    name = models.CharField(_("姓名"), max_length=50)
    # Derived from ``name`` by services (``lvzhi.core.text``) so "zs" finds 张三 in the query.
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(
        _("姓名首字母"), max_length=50, blank=True, db_index=True, editable=False
    )
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(_("政治面貌"), max_length=20, choices=Party.choices, default=Party.MASSES)
    education = models.CharField(_("学历"), max_length=30, blank=True)
    workplace = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    id_number = models.CharField(_("公民身份号码"), max_length=18, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="person_unique_id_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Mandate(VersionedModel):
    """代表资格: one person's seat in one congress for one term.

    ``status`` and ``status_since`` are derived from the events by ``deputies.workflow`` and
    written only by the services that record events.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="mandates"
    )
    congress = models.ForeignKey(
        "organizations.Congress", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="mandates"
    )
    term = models.ForeignKey(
        "organizations.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="mandates"
    )
    card_number = models.CharField(_("代表证号"), max_length=30)
    electoral_unit = models.ForeignKey(
        "organizations.ElectoralUnit",
        verbose_name=_("选举单位"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    composition = models.CharField(_("构成类别"), max_length=20, choices=Composition.choices)
    is_grassroots = models.BooleanField(_("基层代表"), default=False)
    fields = models.ManyToManyField(
        "organizations.ExpertiseField", verbose_name=_("专业领域"), blank=True, related_name="mandates"
    )
    groups = models.ManyToManyField(
        "organizations.DeputyGroup", verbose_name=_("代表小组"), blank=True, related_name="mandates"
    )
    start_date = models.DateField(_("当选日期"))
    status = models.CharField(
        _("资格状态"),
        max_length=20,
        choices=MandateStatus.choices,
        default=MandateStatus.ACTIVE,
        editable=False,
    )
    status_since = models.DateField(_("状态起始日期"), editable=False)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"], m2m_fields=[fields, groups])

    class Meta:
        verbose_name = _("代表资格")
        verbose_name_plural = _("代表资格")
        ordering = ["electoral_unit__order", "card_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "term", "card_number"], name="mandate_unique_card_number"
            ),
            models.UniqueConstraint(
                fields=["person", "congress", "term"], name="mandate_one_per_person_term"
            ),
        ]
        indexes = [models.Index(fields=["congress", "term", "status"], name="mandate_congress_term_status")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.card_number}）"


class MandateEvent(TimeStampedModel):
    """资格变动: an event in a mandate's life (Arts. 61-63). Events are never edited or deleted;
    the mandate's status is what its events, in date order, make it."""

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("代表资格"), on_delete=models.PROTECT, related_name="events"
    )
    type = models.CharField(_("变动类型"), max_length=40, choices=MandateEventType.choices)
    date = models.DateField(_("日期"))
    reason = models.TextField(_("事由"), blank=True)
    document_reference = models.CharField(_("文件依据"), max_length=200, blank=True)
    suspension_cause = models.CharField(
        _("暂停原因"), max_length=20, choices=SuspensionCause.choices, blank=True
    )
    cause_ends_on = models.DateField(_("暂停原因消失日期"), null=True, blank=True)
    ends_suspension = models.ForeignKey(
        "self",
        verbose_name=_("结束的暂停"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resumptions",
    )
    announcement_number = models.CharField(_("公告编号"), max_length=60, blank=True)
    announcement_date = models.DateField(_("公告日期"), null=True, blank=True)
    announcement_text = models.TextField(_("公告内容"), blank=True)
    is_automatic = models.BooleanField(_("系统自动记录"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("资格变动")
        verbose_name_plural = _("资格变动")
        ordering = ["date", "id"]
        constraints = [
            # Art. 61: a suspension names its cause.
            models.CheckConstraint(
                condition=~Q(type=MandateEventType.SUSPENSION) | ~Q(suspension_cause=""),
                name="suspension_has_cause",
            ),
            # A suspension ends once.
            models.UniqueConstraint(
                fields=["ends_suspension"],
                condition=Q(ends_suspension__isnull=False),
                name="suspension_resumed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.date}"


class RosterImport(TimeStampedModel):
    """A roster upload: checked row by row, previewed, then applied all at once or not at all."""

    file = models.FileField(_("文件"), upload_to="roster-imports/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    congress = models.ForeignKey("organizations.Congress", verbose_name=_("人大"), on_delete=models.PROTECT)
    term = models.ForeignKey("organizations.Term", verbose_name=_("届"), on_delete=models.PROTECT)
    status = models.CharField(
        _("状态"), max_length=20, choices=RosterImportStatus.choices, default=RosterImportStatus.UPLOADED
    )
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    preview = models.JSONField(_("预览"), default=dict, blank=True)
    created_count = models.PositiveIntegerField(_("新增代表数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
