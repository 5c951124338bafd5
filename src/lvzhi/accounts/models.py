"""Users and their role. A user has one role and, for scoped roles, the unit it belongs to."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Role


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
