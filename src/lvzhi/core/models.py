"""Base models shared by every app."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .errors import ConflictError


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record edited by people: ``version`` makes concurrent edits collide loudly, never silently.

    Edit forms carry the version they were read at; ``save_versioned`` writes only if nobody has
    written since, otherwise it raises ``ConflictError``.
    """

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def lock_for_edit(cls, pk: int, expected_version: int):
        """Lock the row (inside a transaction) and check nobody has written since it was read.

        Saving the returned object with ``save()`` keeps the row history (``update()`` would not).
        """
        obj = cls._default_manager.select_for_update().get(pk=pk)
        if obj.version != expected_version:
            raise ConflictError(_("该记录已被他人修改，请刷新页面后重新编辑。"))
        obj.version = expected_version + 1
        return obj


def save_fields(obj, actor, fields) -> None:
    """Save the named fields (and the version of a versioned row, and ``updated_at``), recording
    ``actor`` in the row history."""
    fields = list(fields)
    if hasattr(obj, "version"):
        obj.version += 1
        fields.append("version")
    obj._history_user = actor
    obj.save(update_fields=[*dict.fromkeys([*fields, "updated_at"])])


class DomainEvent(models.Model):
    """What happened to an object: who, when, from which status to which, why. Written by the
    services, never edited; an object's history is its events in order.

    A concrete event adds the foreign key to its object (``related_name="events"``) and overrides
    ``type``, ``from_status`` and ``to_status`` with its own choices. ``payload`` holds ids and
    names, never personal data."""

    type = models.CharField(_("事件"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    payload = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.at:%Y-%m-%d %H:%M}"  # type: ignore[attr-defined]

    @classmethod
    def record(cls, type: str, actor, *, from_status: str = "", to_status: str = "", reason="", **fields):
        """Write one event now. ``to_status`` defaults to ``from_status`` (nothing changed); an
        anonymous or system actor is stored as none."""
        return cls.objects.create(
            type=type,
            actor=actor if getattr(actor, "pk", None) else None,
            at=timezone.now(),
            from_status=from_status,
            to_status=to_status or from_status,
            reason=str(reason),
            payload=fields.pop("payload", None) or {},
            **fields,
        )


# --- Working-day calendar (lvzhi.core.calendar computes with it) -------------------------------


class CalendarDaySource(models.TextChoices):
    PACKAGE = "package", _("节假日数据包")
    STAFF = "staff", _("人工录入")


class CalendarDay(TimeStampedModel):
    """A day that departs from the week's rhythm: a public holiday (休息日) or an adjusted working
    day on a weekend (调休上班). Every other day of a complete year is a working day Monday to Friday
    and a rest day at the weekend; ``lvzhi.core.calendar`` reads it that way.

    Seeded from the ``chinesecalendar`` package; the deputy-affairs office adds the next year's days
    when the State Council publishes them. A row staff entered or changed is never overwritten by a
    later seed.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True)
    source = models.CharField(
        _("来源"), max_length=20, choices=CalendarDaySource.choices, default=CalendarDaySource.STAFF
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("工作日历日期")
        verbose_name_plural = _("工作日历日期")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_workday else _("休息日")
        return f"{self.date.isoformat()} {kind}" + (f"（{self.name}）" if self.name else "")


class CalendarYear(TimeStampedModel):
    """A year of the working-day calendar. Only a year whose holidays staff (or the seed) confirmed
    as fully entered (``is_complete``) is used for working-day arithmetic: in any other year a
    working-day deadline is flagged to staff instead of being counted as plain weekdays."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    is_complete = models.BooleanField(_("已录入完整"), default=False)
    published_on = models.DateField(_("放假安排发布日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return _("{year}年").format(year=self.year)
