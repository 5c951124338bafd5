"""Replies (答复): the units' replies with their recipients and evaluations, drafting and
submitting, the second review and the deputies' evaluations."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.api.serializers import NamedReferenceSerializer

from ...choices import NoContactReason, ReplyKind, ReplyStatus, Satisfaction
from ...models import Evaluation, Reply, ReplyRecipient
from .shared import DeputyReferenceSerializer, choice_code, reader_lens


class EvaluationSerializer(serializers.ModelSerializer):
    """A deputy's rating of a reply."""

    satisfaction = choice_code(Satisfaction.choices)
    process_rating = choice_code(Satisfaction.choices)
    result_rating = choice_code(Satisfaction.choices)
    satisfaction_display = ChoiceLabelField(Satisfaction.choices, source="satisfaction")
    process_rating_display = ChoiceLabelField(Satisfaction.choices, source="process_rating")
    result_rating_display = ChoiceLabelField(Satisfaction.choices, source="result_rating")

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "recipient",
            "satisfaction",
            "satisfaction_display",
            "process_rating",
            "process_rating_display",
            "result_rating",
            "result_rating_display",
            "comment",
            "evaluated_at",
        ]
        read_only_fields = fields


class RecipientSerializer(serializers.ModelSerializer):
    """One deputy a released reply goes to: its evaluation window and, once given, its evaluation.
    ``id`` is what ``/suggestion-reply-recipients/{id}/evaluate/`` takes."""

    mandate = DeputyReferenceSerializer(read_only=True)
    reply = serializers.IntegerField(source="reply_id", read_only=True)
    evaluation = serializers.SerializerMethodField()

    class Meta:
        model = ReplyRecipient
        fields = ["id", "reply", "mandate", "is_lead", "evaluation_due", "needs_calendar", "evaluation"]
        read_only_fields = fields

    @extend_schema_field(EvaluationSerializer(allow_null=True))
    def get_evaluation(self, recipient: ReplyRecipient) -> dict | None:
        evaluation = getattr(recipient, "evaluation", None)
        return EvaluationSerializer(evaluation).data if evaluation is not None else None


class ReplySerializer(serializers.ModelSerializer):
    """A unit's reply (答复) with its recipients. ``version`` is what ``draft_reply`` takes back."""

    kind = choice_code(ReplyKind.choices)
    status = choice_code(ReplyStatus.choices)
    suggestion = serializers.IntegerField(source="assignment.suggestion_id", read_only=True)
    unit = NamedReferenceSerializer(source="assignment.unit", read_only=True)
    kind_display = ChoiceLabelField(ReplyKind.choices, source="kind")
    status_display = ChoiceLabelField(ReplyStatus.choices, source="status")
    has_letter = serializers.SerializerMethodField(help_text="Whether the sealed letter (PDF) is uploaded.")
    recipients = RecipientSerializer(many=True, read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "assignment",
            "suggestion",
            "unit",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "body",
            "result_class",
            "signed_by",
            "has_letter",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "no_contact_reason",
            "no_contact_note",
            "is_withheld_from_public",
            "released_at",
            "recipients",
            "version",
        ]
        read_only_fields = fields

    def get_has_letter(self, reply: Reply) -> bool:
        return bool(reply.letter)

    def to_representation(self, reply: Reply) -> dict:
        data = super().to_representation(reply)
        lens = reader_lens(self.context)
        if lens is not None and not lens.sees_exchanges(reply.assignment):
            # Review notes and why the unit did not reach the deputy stay between office and unit.
            data["return_reason"] = data["no_contact_reason"] = data["no_contact_note"] = ""
        return data


class ReplyDraftSerializer(serializers.Serializer):
    """The reply as drafted so far (multipart: ``letter`` is the sealed PDF). Completeness is
    checked on submission."""

    body = serializers.CharField(required=False, default="", allow_blank=True, label=_("答复内容"))
    result_class = serializers.CharField(
        max_length=10,
        required=False,
        default="",
        allow_blank=True,
        label=_("办理结果分类"),
        help_text="A code of the congress's scheme (A/B/C/D by default).",
    )
    signed_by = serializers.CharField(
        max_length=50, required=False, default="", allow_blank=True, label=_("签发人")
    )
    letter = serializers.FileField(
        required=False, allow_null=True, default=None, label=_("答复函（盖章PDF）")
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="The draft reply's version as read (stale: 409).",
    )
    apply_to_merged = serializers.BooleanField(
        required=False,
        default=False,
        label=_("同时为并案的其他建议起草相同答复"),
        help_text="并案: draft the same reply on the unit's other assignments of the merge group too.",
    )

    class Meta:
        ref_name = "ReplyDraft"


class MergedReplyDraftSkippedSerializer(serializers.Serializer):
    """One of the unit's assignments of the merge group left as it was, and why."""

    assignment = serializers.IntegerField(source="assignment.pk", read_only=True)
    suggestion = serializers.IntegerField(source="assignment.suggestion_id", read_only=True)
    number_label = serializers.CharField(source="assignment.suggestion.number_label", read_only=True)
    reason = serializers.CharField(read_only=True)

    class Meta:
        ref_name = "MergedReplyDraftSkipped"


class ReplyDraftResultSerializer(ReplySerializer):
    """The reply as drafted; with ``apply_to_merged``, also the same reply drafted on the group's
    other suggestions (并案) and the unit's assignments of the group left as they were."""

    merged_replies = ReplySerializer(
        many=True, read_only=True, help_text="并案: the same reply, drafted on the group's other suggestions."
    )
    merged_skipped = MergedReplyDraftSkippedSerializer(
        many=True, read_only=True, help_text="并案: the unit's assignments of the group not drafted, and why."
    )

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "merged_replies", "merged_skipped"]
        read_only_fields = fields


class FollowUpReplySerializer(serializers.Serializer):
    """A follow-up reply once a B or C matter is solved: complete at once, with its letter."""

    body = serializers.CharField(label=_("答复内容"))
    result_class = serializers.CharField(max_length=10, label=_("办理结果分类"))
    signed_by = serializers.CharField(max_length=50, label=_("签发人"))
    letter = serializers.FileField(label=_("答复函（盖章PDF）"))

    class Meta:
        ref_name = "FollowUpReply"


class SubmitReplySerializer(serializers.Serializer):
    """Art. 51: without a contact with the lead deputy on record, why there was none."""

    no_contact_reason = serializers.ChoiceField(
        choices=NoContactReason.choices,
        required=False,
        default="",
        allow_blank=True,
        label=_("未能与领衔代表沟通的原因"),
        error_messages={"invalid_choice": _("请选择未能与领衔代表沟通的原因。")},
    )
    no_contact_note = serializers.CharField(required=False, default="", allow_blank=True, label=_("情况说明"))

    class Meta:
        ref_name = "SubmitReply"


class ReplyReviewSerializer(serializers.Serializer):
    """The second review: release the reply to the deputies, or return it with a reason."""

    decision = serializers.ChoiceField(
        choices=[("release", _("发出")), ("return", _("退回"))], label=_("审核结果")
    )
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, label=_("退回理由"), help_text="Required to return."
    )
    withhold_from_public = serializers.BooleanField(
        required=False, default=False, label=_("不宜公开"), help_text="Release without publishing it."
    )

    class Meta:
        ref_name = "ReplyReview"


class EvaluateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, label=_("总体评价"))
    # Plain codes (the service checks them when the congress rates them apart): the schema names
    # one code set once, and ``satisfaction`` already names this one.
    process_rating = serializers.CharField(
        max_length=30,
        required=False,
        default="",
        allow_blank=True,
        label=_("办理过程评价"),
        help_text="satisfied、basically_satisfied or dissatisfied; required when the congress rates "
        "process and result separately.",
    )
    result_rating = serializers.CharField(
        max_length=30,
        required=False,
        default="",
        allow_blank=True,
        label=_("办理结果评价"),
        help_text="Like ``process_rating``.",
    )
    comment = serializers.CharField(required=False, default="", allow_blank=True, label=_("意见"))

    class Meta:
        ref_name = "ReplyEvaluate"
