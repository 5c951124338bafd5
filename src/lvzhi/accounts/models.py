"""Users and their role. A user has one role and, for scoped roles, the unit it belongs to."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AccountEventType, InactiveCause, Role


class User(AbstractUser):
    """A person who logs in. ``role`` decides what it may do, the unit fields what it may see.

    county_staff → ``electoral_unit``; handling_unit_staff → ``handling_unit``;
    committee_staff → ``committee``; deputy → linked from ``deputies.Person.user``.
    """

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, default=Role.DEPUTY)
    electoral_unit = models.ForeignKey(
        "organizations.ElectoralUnit",
        verbose_name=_("选举单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    handling_unit = models.ForeignKey(
        "organizations.HandlingUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    committee = models.ForeignKey(
        "organizations.Committee", verbose_name=_("委员会"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    # Set for a new or reset account: it logs in only through its activation link and sets a password.
    must_set_password = models.BooleanField(_("待设置密码"), default=False)
    inactive_cause = models.CharField(
        _("停用原因"), max_length=20, choices=InactiveCause.choices, blank=True, default=InactiveCause.NONE
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.COUNTY_STAFF) | Q(electoral_unit__isnull=False),
                name="county_staff_has_electoral_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.HANDLING_UNIT_STAFF) | Q(handling_unit__isnull=False),
                name="unit_staff_has_handling_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COMMITTEE_STAFF) | Q(committee__isnull=False),
                name="committee_staff_has_committee",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        required = {
            Role.COUNTY_STAFF: ("electoral_unit", _("选举单位工作人员必须指定选举单位。")),
            Role.HANDLING_UNIT_STAFF: ("handling_unit", _("承办单位工作人员必须指定承办单位。")),
            Role.COMMITTEE_STAFF: ("committee", _("委员会工作人员必须指定委员会。")),
        }
        if self.role in required:
            field, message = required[self.role]
            if getattr(self, f"{field}_id") is None:
                raise ValidationError({field: message})

    def __str__(self) -> str:
        return self.display_name or self.username


class AccountEvent(models.Model):
    """Every change to an account: who did what to whom, when, and why (never edited)."""

    user = models.ForeignKey(
        User, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="account_events"
    )
    type = models.CharField(_("操作"), max_length=30, choices=AccountEventType.choices)
    actor = models.ForeignKey(
        User,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account_events_made",
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("账户变动")
        verbose_name_plural = _("账户变动")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.user}"


class ActivationToken(models.Model):
    """A one-time activation link: only the hash of its secret is stored; a newer link for the
    same account makes the older ones void."""

    user = models.ForeignKey(
        User, verbose_name=_("账户"), on_delete=models.CASCADE, related_name="activation_tokens"
    )
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    revoked = models.BooleanField(_("已作废"), default=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("发放人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发放时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("激活链接")
        verbose_name_plural = _("激活链接")

    def __str__(self) -> str:
        return f"{self.user} {self.expires_at:%Y-%m-%d}"


class ActivationSheet(models.Model):
    """A bulk job: the activation links of one electoral unit's deputies as an Excel sheet."""

    electoral_unit = models.ForeignKey(
        "organizations.ElectoralUnit", verbose_name=_("选举单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, default="queued")
    total = models.PositiveIntegerField(_("账户数"), default=0)
    file = models.FileField(_("文件"), upload_to="activation-sheets/%Y/%m/", blank=True)
    base_url = models.CharField(_("站点地址"), max_length=200, blank=True)  # the links' scheme and host
    created_by = models.ForeignKey(User, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("激活信汇总表")
        verbose_name_plural = _("激活信汇总表")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.electoral_unit_id} {self.created_at:%Y-%m-%d}"
