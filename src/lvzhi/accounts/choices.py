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


class InactiveCause(models.TextChoices):
    """Why an account is inactive: the qualification service reactivates only what it deactivated."""

    NONE = "", _("无")
    MANUAL = "manual", _("工作人员停用")
    MANDATE_ENDED = "mandate_ended", _("代表资格终止或暂停")
    LEFT_UNIT = "left_unit", _("调离本单位")


class AccountEventType(models.TextChoices):
    CREATED = "created", _("创建账户")
    LINK_ISSUED = "link_issued", _("发放激活链接")
    ACTIVATED = "activated", _("激活并设置密码")
    RESET = "reset", _("重置密码")
    DEACTIVATED = "deactivated", _("停用")
    REACTIVATED = "reactivated", _("重新启用")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    CONTACT_CHANGED = "contact_changed", _("修改联系方式")
    UPDATED = "updated", _("修改账户信息")
