"""Notifications, their delivery log, and reminders of things due on a date.

Any module points at its own object through the generic ``target`` (content type + id), so this
app depends on nobody: suggestions, motions, meetings all call ``services.notify`` and
``services.reminder_schedule`` with their objects.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import TimeStampedModel

from .choices import Channel, DeliveryStatus, ReminderStatus


class Notification(models.Model):
    """One message to one user: shown in the platform (the bell, /notifications/) and handed to the
    other enabled channels through its ``Delivery`` rows.

    ``kind`` is dotted, ``<app>.<what>`` (``suggestion.reply_due``). ``dedupe_key``, when set, is
    unique per recipient: the same reminder is never sent twice, even by two schedulers at once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    target_content_type = models.ForeignKey(
        ContentType, verbose_name=_("关联对象类型"), null=True, blank=True, on_delete=models.CASCADE
    )
    target_object_id = models.PositiveBigIntegerField(_("关联对象编号"), null=True, blank=True)
    target = GenericForeignKey("target_content_type", "target_object_id")
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key_per_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # The bell counts a user's unread notifications on every page: a small partial index.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            models.Index(fields=["target_content_type", "target_object_id"], name="notification_target_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(TimeStampedModel):
    """The delivery log: one row per notification and channel, with its attempts and last error.

    ``attempts`` doubles as the claim token of a delivery run (``services.notification_deliver``),
    so two workers never send the same row at once.
    """

    notification = models.ForeignKey(
        Notification, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_unique_channel"),
        ]
        indexes = [
            # The retry sweep looks only at pending rows.
            models.Index(
                fields=["last_attempt_at"],
                condition=Q(status=DeliveryStatus.PENDING),
                name="delivery_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel}: {self.status}"


def default_remind_before_days() -> list[int]:
    return list(settings.LVZHI_REMINDER_BEFORE_DAYS)


class Reminder(TimeStampedModel):
    """Something is due on a date and somebody owes the next step: remind them before, on the day
    and while it is overdue, until the owning module completes or cancels it.

    One reminder per target and kind (a suggestion's ``suggestion.reply_due``); scheduling it again
    moves the date. Reminder dates, for due date D: D - n for each n in ``remind_before_days``
    (0 is the day itself), then D + 1 (overdue), then every ``overdue_every_days`` after that
    (0: no repeats). ``next_remind_on`` is the next of those dates not yet sent, so the periodic job
    reads only the reminders due today; ``last_sent_for`` is the date whose reminder went out last.
    """

    target_content_type = models.ForeignKey(
        ContentType, verbose_name=_("关联对象类型"), on_delete=models.CASCADE
    )
    target_object_id = models.PositiveBigIntegerField(_("关联对象编号"))
    target = GenericForeignKey("target_content_type", "target_object_id")
    kind = models.CharField(_("类型"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    due_date = models.DateField(_("截止日期"))
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("提醒对象"), blank=True, related_name="reminders"
    )
    # A dotted path to ``f(reminder) -> iterable of users``, asked at each sending, for "whoever
    # owes the next step now" (e.g. the current staff of a handling unit).
    recipient_resolver = models.CharField(_("提醒对象解析函数"), max_length=200, blank=True)
    remind_before_days = models.JSONField(_("提前提醒天数"), default=default_remind_before_days)
    overdue_every_days = models.PositiveSmallIntegerField(_("逾期后每隔几天提醒"), default=7)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.OPEN
    )
    next_remind_on = models.DateField(_("下次提醒日期"), null=True, blank=True)
    last_sent_for = models.DateField(_("最近已提醒日期"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["target_content_type", "target_object_id", "kind"], name="reminder_unique_target_kind"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_remind_on"],
                condition=Q(status=ReminderStatus.OPEN),
                name="reminder_open_next_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.due_date:%Y-%m-%d}）"
