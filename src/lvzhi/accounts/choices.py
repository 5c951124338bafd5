from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    DEPUTY_AFFAIRS_STAFF = "deputy_affairs_staff", _("代表工委工作人员")
    LEADER = "leader", _("常委会领导")
    DEPUTY = "deputy", _("代表")
    HANDLING_UNIT_STAFF = "handling_unit_staff", _("承办单位工作人员")
    COUNTY_STAFF = "county_staff", _("选举单位（县区）工作人员")
    COMMITTEE_STAFF = "committee_staff", _("委员会工作人员")
