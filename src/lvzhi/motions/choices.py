"""The vocabularies of motions (议案, DOMAIN §4): statuses, decisions, activities. Labels are Chinese."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.deputies.choices import SignerStatus as SignerStatus  # shared with suggestions


class MotionStatus(models.TextChoices):
    """A motion's status; the transitions between them are declared in ``workflow.py``."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待主席团决定")
    PLACED_ON_AGENDA = "placed_on_agenda", _("已列入议程，交委员会审议")
    CONVERTED = "converted", _("不列入议程，转为建议")
    REPORTED = "reported", _("委员会已报告审议结果")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class DecisionOutcome(models.TextChoices):
    """The presidium's decision on a motion (DOMAIN §4): placed on the agenda and sent to a
    committee, or not placed and handled as a suggestion."""

    PLACE_ON_AGENDA = "place_on_agenda", _("列入大会议程，交委员会审议")
    CONVERT = "convert", _("不列入大会议程，作为建议处理")


class ActivityKind(models.TextChoices):
    """Art. 50: the committee invites the proposers into its research, drafting and review."""

    RESEARCH = "research", _("调研")
    DRAFTING = "drafting", _("起草")
    REVIEW = "review", _("审议")
    FORUM = "forum", _("座谈")


class Attendance(models.TextChoices):
    """An invited deputy's participation in an activity; ``attended`` is credited to the deputy's
    performance record (履职档案, DOMAIN §7)."""

    INVITED = "invited", _("已邀请")
    ATTENDED = "attended", _("已参加")
    ABSENT = "absent", _("未参加")


class MotionEventType(models.TextChoices):
    """The history of a motion: one event per thing that happened to it."""

    CREATED = "motion.created", _("起草议案")
    UPDATED = "motion.updated", _("修改议案")
    COSIGNERS_INVITED = "motion.cosigners_invited", _("邀请附议代表")
    COSIGNERS_RESET = "motion.cosigners_reset", _("议案内容修改，附议代表须重新确认")
    COSIGNER_CONFIRMED = "motion.cosigner_confirmed", _("附议代表确认")
    COSIGNER_DECLINED = "motion.cosigner_declined", _("附议代表谢绝")
    SUBMITTED = "motion.submitted", _("提交议案")
    WITHDRAWN = "motion.withdrawn", _("撤回议案")
    PLACED_ON_AGENDA = "motion.placed_on_agenda", _("主席团决定列入大会议程")
    CONVERTED = "motion.converted", _("主席团决定不列入议程，转为建议")
    ACTIVITY_RECORDED = "activity.recorded", _("邀请提案人参加活动")
    ATTENDANCE_RECORDED = "activity.attendance_recorded", _("记录提案人参加情况")
    REPORTED = "motion.reported", _("委员会提交审议结果报告")
    CLOSED = "motion.closed", _("办结")
