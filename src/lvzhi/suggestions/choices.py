"""The vocabularies of suggestions (建议、批评和意见): statuses, outcomes, kinds. Labels are Chinese."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.deputies.choices import SignerStatus as SignerStatus  # shared with motions


class SuggestionStatus(models.TextChoices):
    """A suggestion's status; the transitions between them are declared in ``workflow.py``.

    From ``assigned`` until it is closed, the status is rolled up from the units' assignments
    (``workflow.status_from_assignments``).
    """

    DRAFT = "draft", _("草稿")
    AWAITING_COSIGNERS = "awaiting_cosigners", _("待联名代表确认")
    SUBMITTED = "submitted", _("已提交待审查")
    RETURNED_FOR_REVISION = "returned_for_revision", _("退回修改")
    REJECTED = "rejected", _("不予立案")
    CONVERTED_TO_LETTER = "converted_to_letter", _("转为来信")
    ACCEPTED = "accepted", _("已立案待交办")
    ASSIGNED = "assigned", _("已交办")
    HANDLING = "handling", _("办理中")
    REPLY_SUBMITTED = "reply_submitted", _("答复待审核")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class SuggestionSeries(models.TextChoices):
    """Numbering series: suggestions made at the plenary session and those made between sessions
    (Arts. 24, 36) are numbered apart."""

    IN_SESSION = "in_session", _("大会期间")
    BETWEEN_SESSIONS = "between_sessions", _("闭会期间")


class InadmissibleReason(models.TextChoices):
    """DOMAIN §5.2: what is not a suggestion, so may be rejected at the first review."""

    PERSONAL_MATTER = "personal_matter", _("反映代表本人或者亲属的个人事务")
    FORWARDED_LETTER = "forwarded_letter", _("转交的群众来信")
    ACADEMIC_DISCUSSION = "academic_discussion", _("学术探讨")
    ADVERTISING = "advertising", _("宣传、推介产品或者单位")
    NO_REAL_CONTENT = "no_real_content", _("没有实际内容")
    OUTSIDE_JURISDICTION = "outside_jurisdiction", _("不属于本级人大及其常委会职权范围")
    LITIGATION_OR_ARBITRATION = "litigation_or_arbitration", _("涉及诉讼、仲裁中的具体案件")
    COMPLAINT_OR_ACCUSATION = "complaint_or_accusation", _("申诉、控告、检举类事项")


class ReviewDecision(models.TextChoices):
    """The first review's outcomes (DOMAIN §5.2)."""

    ACCEPT = "accept", _("立案")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不予立案")
    CONVERT_TO_LETTER = "convert_to_letter", _("转为来信处理")


class AssignmentRole(models.TextChoices):
    """DOMAIN §5.3: lead unit + co-units (主办+协办), or split (分办: each replies for its part)."""

    LEAD = "lead", _("主办")
    CO = "co", _("协办")
    SPLIT = "split", _("分办")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("办理中")
    OBJECTED = "objected", _("异议待处理")
    REASSIGNED = "reassigned", _("已转办")
    INPUT_SUBMITTED = "input_submitted", _("已提交协办意见")
    REPLY_SUBMITTED = "reply_submitted", _("答复待审核")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    CANCELLED = "cancelled", _("已撤销")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("异议成立")
    REJECTED = "rejected", _("异议不成立")


class ContactStage(models.TextChoices):
    """Art. 51: the unit contacts the deputy before, during and after handling."""

    BEFORE = "before", _("办前")
    DURING = "during", _("办中")
    AFTER = "after", _("办后")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    VISIT = "visit", _("走访")
    FORUM = "forum", _("座谈")
    OTHER = "other", _("其他")


class NoContactReason(models.TextChoices):
    """Why a unit replies without having contacted the lead deputy (Art. 51 asks it to keep in
    touch); staff see the reason at the second review."""

    UNREACHABLE = "unreachable", _("代表无法联系")
    DECLINED = "declined", _("代表谢绝沟通")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("未兑现")
    KEPT = "kept", _("已兑现")


class ReplyKind(models.TextChoices):
    ANSWER = "answer", _("答复")
    REHANDLING = "rehandling", _("重新办理答复")
    FOLLOW_UP = "follow_up", _("跟踪答复")


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    RELEASED = "released", _("已发出")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class SuggestionEventType(models.TextChoices):
    """The history of a suggestion: one event per thing that happened to it."""

    CREATED = "suggestion.created", _("起草建议")
    UPDATED = "suggestion.updated", _("修改建议")
    ATTACHMENT_ADDED = "suggestion.attachment_added", _("上传附件")
    ATTACHMENT_REMOVED = "suggestion.attachment_removed", _("删除附件")
    COSIGNERS_INVITED = "suggestion.cosigners_invited", _("邀请联名代表")
    COSIGNER_CONFIRMED = "suggestion.cosigner_confirmed", _("联名代表确认")
    COSIGNER_DECLINED = "suggestion.cosigner_declined", _("联名代表谢绝")
    SUBMITTED = "suggestion.submitted", _("提交建议")
    AWAITING_COSIGNERS = "suggestion.awaiting_cosigners", _("等待联名代表确认")
    WITHDRAWN = "suggestion.withdrawn", _("撤回建议")
    ACCEPTED = "suggestion.accepted", _("审查立案")
    RETURNED = "suggestion.returned", _("退回修改")
    REJECTED = "suggestion.rejected", _("不予立案")
    CONVERTED_TO_LETTER = "suggestion.converted_to_letter", _("转为来信处理")
    ASSIGNED = "suggestion.assigned", _("交办")
    REASSIGNED = "assignment.reassigned", _("转办下级单位")
    ACKNOWLEDGED = "assignment.acknowledged", _("签收")
    OBJECTED = "assignment.objected", _("提出交办异议")
    OBJECTION_UPHELD = "objection.upheld", _("异议成立，重新交办")
    OBJECTION_REJECTED = "objection.rejected", _("异议不成立")
    INPUT_SUBMITTED = "assignment.input_submitted", _("提交协办意见")
    CONTACT_LOGGED = "contact.logged", _("记录沟通")
    COMMITMENT_RECORDED = "commitment.recorded", _("记录承诺事项")
    COMMITMENT_KEPT = "commitment.kept", _("承诺事项兑现")
    REPLY_SUBMITTED = "reply.submitted", _("提交答复")
    REPLY_RETURNED = "reply.returned", _("答复退回")
    REPLY_RELEASED = "reply.released", _("答复发出")
    REPLY_EVALUATED = "reply.evaluated", _("代表评价")
    REHANDLING = "suggestion.rehandling", _("不满意，重新办理")
    ESCALATED = "suggestion.escalated", _("两次不满意，提级督办")
    CLOSED = "suggestion.closed", _("办结")
    FOLLOW_UP_REPLIED = "reply.follow_up", _("跟踪答复")
    DEADLINES_RECOMPUTED = "suggestion.deadlines_recomputed", _("补录节假日后计算期限")
    # lvzhi.supervision (DOMAIN §5.7-5.8)
    SUPERVISION_STARTED = "supervision.started", _("列为督办")
    SUPERVISION_CHANGED = "supervision.changed", _("调整督办安排")
    SUPERVISION_ACTIVITY = "supervision.activity", _("督办活动")
    SUPERVISION_FINISHED = "supervision.finished", _("督办完成")
    SUPERVISION_REOPENED = "supervision.reopened", _("恢复督办")
    SUPERVISION_CARRIED_OVER = "supervision.carried_over", _("结转下年度督办")
    CAMPAIGN_ADDED = "supervision.campaign_added", _("列入督办月")
    CAMPAIGN_REMOVED = "supervision.campaign_removed", _("移出督办月")
    REASSIGNED_AT_MEETING = "assignment.reassigned_at_meeting", _("不满意件交办会重新交办")
