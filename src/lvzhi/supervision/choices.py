from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionKind(models.TextChoices):
    """DOMAIN §5.8: the three supervisions."""

    KEY = "key", _("重点督办")
    COUNTERPART = "counterpart", _("对口督办")
    FOLLOW_UP = "follow_up", _("跟踪督办")


class SupervisionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("督办中")
    FINISHED = "finished", _("督办完成")
    # DOMAIN §5.8: an unfinished key item carries over to the next year as a new item.
    CARRIED_OVER = "carried_over", _("已结转下年度")


class ActivityKind(models.TextChoices):
    """What a supervision team did: the record the directors' meeting hears reported."""

    VISIT = "visit", _("实地调研")
    FORUM = "forum", _("座谈协商")
    BRIEFING = "briefing", _("听取办理情况汇报")
    REPORT = "report", _("向主任会议报告")
    OTHER = "other", _("其他")


class MeetingDecision(models.TextChoices):
    """不满意件交办会: each dissatisfied suggestion goes back to its unit or to another one."""

    SAME_UNIT = "same_unit", _("原承办单位重新办理")
    NEW_UNIT = "new_unit", _("改由其他单位办理")
