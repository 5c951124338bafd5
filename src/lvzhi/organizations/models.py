"""The structure a congress works in: congresses, terms, sessions, electoral units, deputy groups,
committees, handling units and fields of work. Reference data, edited by the deputy-affairs office."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lvzhi.core.models import TimeStampedModel
from lvzhi.core.text import chinese_number

from .choices import CommitteeKind, CongressLevel, DeputyGroupKind, HandlingUnitKind


class Congress(TimeStampedModel):
    """A people's congress at one level; one installation serves several (city, provincial, county)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("层级"), max_length=20, choices=CongressLevel.choices)
    region = models.CharField(_("行政区域"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级人大"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人大")
        verbose_name_plural = _("人大")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Term(TimeStampedModel):
    """届: five years, from the first session of one congress to the first of the next (Art. 2)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["congress", "-number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number")]

    @property
    def label(self) -> str:
        return f"第{chinese_number(self.number)}届"

    def __str__(self) -> str:
        return f"{self.congress.short_name or self.congress.name}{self.label}"


class Session(TimeStampedModel):
    """次会议: the yearly plenary of a term, e.g. 十六届四次."""

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("会次"))
    start_date = models.DateField(_("开幕日期"))
    end_date = models.DateField(_("闭幕日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["term", "number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_unique_number")]

    @property
    def label(self) -> str:
        return f"第{chinese_number(self.number)}次会议"

    def __str__(self) -> str:
        return f"{self.term}{self.label}"


class ElectoralUnit(TimeStampedModel):
    """选举单位: the body that elected a deputy; city deputies sit in its delegation (代表团)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="electoral_units"
    )
    name = models.CharField(_("名称"), max_length=50)
    delegation_name = models.CharField(_("代表团名称"), max_length=50, blank=True)
    code = models.CharField(_("代码"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("选举单位")
        verbose_name_plural = _("选举单位")
        ordering = ["congress", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="electoral_unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ExpertiseField(TimeStampedModel):
    """领域: a field of work, used for deputies' expertise and (later) to classify suggestions."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领域")
        verbose_name_plural = _("领域")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class DeputyGroup(TimeStampedModel):
    """代表小组: territorial or sectoral; the basic unit of activity between sessions (Arts. 26-28)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=DeputyGroupKind.choices)
    electoral_unit = models.ForeignKey(
        ElectoralUnit, verbose_name=_("所属选举单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["congress", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="deputy_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Committee(TimeStampedModel):
    """专门委员会 of the congress or 工作委员会 of its standing committee."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="committees"
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=CommitteeKind.choices)
    fields = models.ManyToManyField(ExpertiseField, verbose_name=_("对口领域"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords(m2m_fields=[fields])

    class Meta:
        verbose_name = _("委员会")
        verbose_name_plural = _("委员会")
        ordering = ["congress", "kind", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="committee_unique_name")]

    def __str__(self) -> str:
        return self.name


class HandlingUnit(TimeStampedModel):
    """承办单位: handles suggestions. Two levels: the city government re-assigns to its departments."""

    name = models.CharField(_("名称"), max_length=80, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=30, choices=HandlingUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("在用"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="handling_unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name
