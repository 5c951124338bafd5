from django.db import models
from django.utils.translation import gettext_lazy as _


class CongressLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("设区的市")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇")


class DeputyGroupKind(models.TextChoices):
    TERRITORIAL = "territorial", _("区域代表小组")
    SECTORAL = "sectoral", _("专业代表小组")


class CommitteeKind(models.TextChoices):
    SPECIAL = "special_committee", _("专门委员会")
    WORKING = "working_committee", _("工作委员会")


class HandlingUnitKind(models.TextChoices):
    GOVERNMENT_DEPARTMENT = "government_department", _("政府部门")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    SUPERVISORY_COMMISSION = "supervisory_commission", _("监察委员会")
    OTHER = "other", _("其他")
