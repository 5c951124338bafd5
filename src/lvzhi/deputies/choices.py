from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Party(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    RCCK = "rcck", _("民革")
    CDL = "cdl", _("民盟")
    CNDCA = "cndca", _("民建")
    CAPD = "capd", _("民进")
    CPWDP = "cpwdp", _("农工党")
    CZGP = "czgp", _("致公党")
    JS = "js", _("九三学社")
    TDSL = "tdsl", _("台盟")
    NONE_PARTY = "non_party", _("无党派人士")
    MASSES = "masses", _("群众")


class Composition(models.TextChoices):
    """构成类别 as congress reports count them."""

    WORKER = "worker", _("工人")
    FARMER = "farmer", _("农民")
    PROFESSIONAL = "professional", _("专业技术人员")
    OFFICIAL = "official", _("党政领导干部")
    ENTERPRISE = "enterprise", _("企业负责人")
    MILITARY = "military", _("解放军")
    OTHER = "other", _("其他")


class MandateStatus(models.TextChoices):
    """Derived from the mandate's events, never typed in."""

    ACTIVE = "active", _("在职")
    SUSPENDED = "suspended", _("暂停执行代表职务")
    TERMINATED = "terminated", _("资格终止")


class MandateEventType(models.TextChoices):
    ELECTION = "election", _("当选")
    BY_ELECTION = "by_election", _("补选当选")
    SUSPENSION = "suspension", _("暂停执行代表职务")
    RESUMPTION = "resumption", _("恢复执行代表职务")
    TRANSFER_OUT = "transfer_out", _("迁出或调离本行政区域")
    RESIGNATION = "resignation", _("辞职")
    ORDERED_RESIGNATION = "ordered_resignation", _("责令辞职")
    UNAPPROVED_ABSENCES = "unapproved_absences", _("未经批准两次不出席本级人民代表大会会议")
    RECALL = "recall", _("罢免")
    LOSS_OF_NATIONALITY = "loss_of_nationality", _("丧失中华人民共和国国籍")
    DEPRIVATION_OF_POLITICAL_RIGHTS = "deprivation_of_political_rights", _("依照法律被剥夺政治权利")
    LOSS_OF_LEGAL_CAPACITY = "loss_of_legal_capacity", _("丧失行为能力")
    DEATH = "death", _("死亡")


class SuspensionCause(models.TextChoices):
    """Art. 61's causes of suspension."""

    CUSTODY = "custody", _("因刑事案件被羁押正在受侦查、起诉、审判")
    SENTENCE = "sentence", _("被依法判处管制、拘役或者有期徒刑而没有附加剥夺政治权利，正在服刑")


class RosterImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    VALIDATING = "validating", _("校验中")
    INVALID = "invalid", _("校验未通过")
    VALIDATED = "validated", _("待确认导入")
    APPLYING = "applying", _("导入中")
    APPLIED = "applied", _("已导入")
    FAILED = "failed", _("导入失败")
    CANCELLED = "cancelled", _("已取消")


class SignerStatus(models.TextChoices):
    """A co-signer's answer to the lead deputy's invitation (联名 for a suggestion, 附议 for a
    motion); ``lvzhi.deputies.cosigning`` records it."""

    INVITED = "invited", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已谢绝")
    # The lead submitted with the confirmed co-signers before this one answered.
    LAPSED = "lapsed", _("未联名")
