"""Suggestions (建议): the list row, the whole suggestion as the user may see it, its history, and
the inputs of the suggestion's own steps (drafting, co-signing, review, assignment, attachments)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.api.serializers import NamedReferenceSerializer, UserReferenceSerializer
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import ExpertiseField, HandlingUnit, Session

from ... import workflow
from ...choices import (
    InadmissibleReason,
    ReviewDecision,
    SignerStatus,
    SuggestionEventType,
    SuggestionSeries,
    SuggestionStatus,
)
from ...models import Suggestion, SuggestionAttachment, SuggestionEvent, SuggestionSigner
from .assignments import SuggestionAssignmentSerializer, UnitRoleSerializer
from .commitments import CommitmentSerializer
from .replies import ReplySerializer
from .shared import DeputyReferenceSerializer, choice_code

# --- Suggestions (read) ------------------------------------------------------------------------


class SignerSerializer(serializers.ModelSerializer):
    """A co-signer (联名代表) and its answer."""

    status = choice_code(SignerStatus.choices)
    mandate = DeputyReferenceSerializer(read_only=True)
    status_display = ChoiceLabelField(SignerStatus.choices, source="status")

    class Meta:
        model = SuggestionSigner
        fields = ["id", "mandate", "status", "status_display", "responded_at", "order"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment's metadata (the file itself is downloaded from the suggestion's page)."""

    class Meta:
        model = SuggestionAttachment
        fields = ["id", "original_name", "content_type", "size", "created_at"]
        read_only_fields = fields


class AvailableActionSerializer(serializers.Serializer):
    """What the user may do now (``workflow.available_actions``): the page's buttons."""

    action = choice_code(workflow.Action.choices)
    label = serializers.CharField(read_only=True)
    assignment = serializers.IntegerField(
        source="assignment_id",
        read_only=True,
        allow_null=True,
        help_text="For an action on one unit's assignment: its id.",
    )

    class Meta:
        ref_name = "SuggestionAvailableAction"


class SuggestionListSerializer(serializers.ModelSerializer):
    """A row of the suggestion list: only what ``selectors.suggestion_list`` joins and prefetches."""

    series = choice_code(SuggestionSeries.choices)
    status = choice_code(SuggestionStatus.choices)
    series_display = ChoiceLabelField(SuggestionSeries.choices, source="series")
    lead_deputy = DeputyReferenceSerializer(source="lead_mandate", read_only=True)
    signers = SignerSerializer(many=True, read_only=True)
    field = NamedReferenceSerializer(read_only=True, allow_null=True)
    status_display = ChoiceLabelField(SuggestionStatus.choices, source="status")
    units = UnitRoleSerializer(
        source="assignments", many=True, read_only=True, help_text="The units handling it (not cancelled)."
    )

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "congress",
            "term",
            "session",
            "series",
            "series_display",
            "year",
            "number",
            "number_label",
            "title",
            "lead_deputy",
            "signers",
            "field",
            "status",
            "status_display",
            "is_hard",
            "is_confidential",
            "submitted_at",
            "accepted_at",
            "closed_at",
            "assign_due",
            "needs_calendar",
            "units",
            "version",
        ]
        read_only_fields = fields


class MergedSuggestionSerializer(serializers.ModelSerializer):
    """Another suggestion handled together with this one (并案), as the user may see it."""

    status = choice_code(SuggestionStatus.choices)
    status_display = ChoiceLabelField(SuggestionStatus.choices, source="status")
    lead_deputy = DeputyReferenceSerializer(source="lead_mandate", read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "number_label", "title", "lead_deputy", "status", "status_display"]
        read_only_fields = fields
        ref_name = "MergedSuggestion"


class SuggestionDetailSerializer(SuggestionListSerializer):
    """The whole suggestion as the user may see it: text, co-signers, attachments, units and
    deadlines, the replies the user may read with their evaluations, promises, and the actions the
    user may take now. Renders ``selectors.suggestion_detail`` (in the context as ``detail``)."""

    rejection_reason = choice_code(InadmissibleReason.choices)
    rejection_reason_display = ChoiceLabelField(InadmissibleReason.choices, source="rejection_reason")
    attachments = AttachmentSerializer(many=True, read_only=True)
    assignments = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()
    commitments = CommitmentSerializer(many=True, read_only=True)
    merged_suggestions = serializers.SerializerMethodField(
        help_text="并案: the other suggestions of its merge group that the user may see."
    )
    merged_hidden_count = serializers.SerializerMethodField(
        help_text="并案: how many other suggestions of its merge group the user may not see."
    )
    available_actions = serializers.SerializerMethodField()

    class Meta(SuggestionListSerializer.Meta):
        fields = [
            *(name for name in SuggestionListSerializer.Meta.fields if name != "units"),
            "body",
            "review_reason",
            "rejection_reason",
            "rejection_reason_display",
            "follow_up_required",
            "created_at",
            "updated_at",
            "attachments",
            "assignments",
            "replies",
            "commitments",
            "merged_suggestions",
            "merged_hidden_count",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(SuggestionAssignmentSerializer(many=True))
    def get_assignments(self, suggestion: Suggestion) -> list[dict]:
        detail = self.context["detail"]
        return SuggestionAssignmentSerializer(detail.assignments, many=True, context=self.context).data

    @extend_schema_field(MergedSuggestionSerializer(many=True))
    def get_merged_suggestions(self, suggestion: Suggestion) -> list[dict]:
        return MergedSuggestionSerializer(self.context["detail"].merged, many=True).data

    @extend_schema_field(serializers.IntegerField())
    def get_merged_hidden_count(self, suggestion: Suggestion) -> int:
        return self.context["detail"].merged_hidden

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, suggestion: Suggestion) -> list[dict]:
        detail = self.context["detail"]
        context = {**self.context, "lens": detail.lens}
        return ReplySerializer(detail.replies, many=True, context=context).data

    @extend_schema_field(AvailableActionSerializer(many=True))
    def get_available_actions(self, suggestion: Suggestion) -> list[dict]:
        request = self.context["request"]
        actions = workflow.available_actions(suggestion, request.user, rules=self.context["detail"].rules)
        return AvailableActionSerializer(actions, many=True).data


class SuggestionEventSerializer(serializers.ModelSerializer):
    """One step of the suggestion's history: who, when, from which status to which, why."""

    type = choice_code(SuggestionEventType.choices)
    from_status = choice_code(SuggestionStatus.choices)
    to_status = choice_code(SuggestionStatus.choices)
    type_display = ChoiceLabelField(SuggestionEventType.choices, source="type")
    actor = UserReferenceSerializer(read_only=True, allow_null=True)
    from_status_display = ChoiceLabelField(SuggestionStatus.choices, source="from_status")
    to_status_display = ChoiceLabelField(SuggestionStatus.choices, source="to_status")

    class Meta:
        model = SuggestionEvent
        fields = [
            "id",
            "type",
            "type_display",
            "at",
            "actor",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "reason",
            "assignment",
            "payload",
        ]
        read_only_fields = fields


# --- Suggestions (write) ---------------------------------------------------------------------------


class SuggestionCreateSerializer(serializers.Serializer):
    """Start a draft. A deputy with one active mandate may leave ``mandate`` out; the office names
    the deputy it enters a paper suggestion for."""

    mandate = serializers.PrimaryKeyRelatedField(
        queryset=Mandate.objects.select_related("person"),
        required=False,
        allow_null=True,
        default=None,
        label=_("领衔代表"),
        help_text="The lead deputy's mandate; defaults to the requesting deputy's active mandate.",
    )
    title = serializers.CharField(max_length=200, label=_("标题"))
    body = serializers.CharField(required=False, default="", allow_blank=True, label=_("内容"))
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("会议"),
        help_text="Set for a suggestion made at the session; null between sessions.",
    )
    field = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseField.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("所属领域"),
    )
    is_confidential = serializers.BooleanField(required=False, default=False, label=_("不宜公开"))

    class Meta:
        ref_name = "SuggestionCreate"


class SuggestionUpdateSerializer(serializers.Serializer):
    """Edit a suggestion until it is assigned; ``version`` as read is required (stale: 409). Only
    the office may set ``is_hard`` (the service refuses it from a deputy)."""

    version = serializers.IntegerField(min_value=1, help_text="The suggestion's version as read.")
    title = serializers.CharField(max_length=200, required=False, label=_("标题"))
    body = serializers.CharField(required=False, allow_blank=True, label=_("内容"))
    field = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseField.objects.all(), required=False, allow_null=True, label=_("所属领域")
    )
    is_confidential = serializers.BooleanField(required=False, label=_("不宜公开"))
    is_hard = serializers.BooleanField(required=False, label=_("涉及面广、处理难度大"))

    class Meta:
        ref_name = "SuggestionUpdate"


class VersionInputSerializer(serializers.Serializer):
    """An action that may carry the version read (a stale one gives 409)."""

    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="The suggestion's version as read.",
    )

    class Meta:
        ref_name = "SuggestionVersionInput"


class InviteCosignersSerializer(serializers.Serializer):
    mandates = serializers.PrimaryKeyRelatedField(
        queryset=Mandate.objects.select_related("person"),
        many=True,
        allow_empty=False,
        label=_("联名代表"),
        help_text="The mandates of the deputies invited, in order.",
    )

    class Meta:
        ref_name = "InviteCosigners"


class RespondSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(label=_("确认联名"), help_text="true: confirm; false: decline.")

    class Meta:
        ref_name = "CosignerRespond"


class WithdrawSerializer(VersionInputSerializer):
    reason = serializers.CharField(required=False, default="", allow_blank=True, label=_("撤回理由"))

    class Meta:
        ref_name = "SuggestionWithdraw"


class ReviewSerializer(VersionInputSerializer):
    """The first review (DOMAIN §5.2)."""

    decision = serializers.ChoiceField(choices=ReviewDecision.choices, label=_("审查结果"))
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, label=_("审查意见"), help_text="Required to return."
    )
    rejection_reason = serializers.ChoiceField(
        choices=InadmissibleReason.choices,
        required=False,
        default="",
        allow_blank=True,
        label=_("不予立案理由"),
        help_text="Required to reject: the inadmissible kinds of DOMAIN §5.2.",
    )
    field = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseField.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("所属领域"),
        help_text="To accept: the field it is classified in (kept if already set).",
    )
    is_hard = serializers.BooleanField(
        required=False, allow_null=True, default=None, label=_("涉及面广、处理难度大")
    )

    class Meta:
        ref_name = "SuggestionReview"


class AssignSerializer(VersionInputSerializer):
    """Assign one suggestion: a lead unit with co-units, or split units; ``merge_group`` ties it to
    the others handled together (并案) — any new UUID starts a group."""

    lead = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("主办单位"),
    )
    co_units = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), many=True, required=False, default=list, label=_("协办单位")
    )
    split_units = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), many=True, required=False, default=list, label=_("分办单位")
    )
    merge_group = serializers.UUIDField(required=False, allow_null=True, default=None, label=_("并案组"))
    is_hard = serializers.BooleanField(
        required=False, allow_null=True, default=None, label=_("涉及面广、处理难度大")
    )
    on = serializers.DateField(
        required=False, allow_null=True, default=None, label=_("交办日期"), help_text="Default: today."
    )

    class Meta:
        ref_name = "SuggestionAssign"


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        label=_("文件"), help_text="PDF, doc, docx, jpg or png, at most 20 MB; the content is checked."
    )

    class Meta:
        ref_name = "SuggestionAttachmentUpload"
