"""Serializers of the suggestions API.

Output and input are separate. Output serializers read only what the view's scoped queryset
loaded (``selectors.suggestion_list``, ``selectors.unit_work_list`` and the view's prefetches), so
a list costs the same queries for 5 rows or 500. Input serializers check the *shape* of a request
(types, choices, existing ids) and the view hands the values to exactly one service, which applies
the rules and refuses in Chinese; no rule lives here.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.api.serializers import NamedReferenceSerializer, UserReferenceSerializer
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import ExpertiseField, HandlingUnit, Session

from .. import tables, workflow
from ..choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ContactMethod,
    ContactStage,
    InadmissibleReason,
    ObjectionStatus,
    ReplyKind,
    ReplyStatus,
    ReviewDecision,
    Satisfaction,
    SignerStatus,
    SuggestionEventType,
    SuggestionSeries,
    SuggestionStatus,
)
from ..models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    Objection,
    Reply,
    ReplyRecipient,
    Suggestion,
    SuggestionAttachment,
    SuggestionEvent,
    SuggestionRules,
    SuggestionSigner,
)
from ..visibility import SuggestionLens


def choice_code(choices, **kwargs) -> serializers.CharField:
    """A choice's code in a response, as a plain string listing its values.

    Responses carry codes as strings, with their Chinese labels in ``*_display``: the same code
    sets appear under several names (``status``, ``from_status``, ``to_status``) and in many
    components, which the schema's enum naming cannot name without per-project overrides."""
    values = "、".join(str(value) for value, _label in choices)
    return serializers.CharField(read_only=True, help_text=f"One of: {values}.", **kwargs)


# --- Shapes shared by several responses -------------------------------------------------------


def _lens(context) -> SuggestionLens | None:
    """The reader's lens (``visibility``): given by the view, or from the request's user. None
    only when a service's own result goes back to the unit or office that just acted."""
    if "lens" in context:
        return context["lens"]
    request = context.get("request")
    return SuggestionLens(request.user) if request is not None else None


class DeputyReferenceSerializer(serializers.Serializer):
    """A deputy as ``{"id": <mandate id>, "name"}``."""

    id = serializers.IntegerField(read_only=True, help_text="The mandate's id.")
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        ref_name = "SuggestionDeputy"


class SignerSerializer(serializers.ModelSerializer):
    """A co-signer (联名代表) and its answer."""

    status = choice_code(SignerStatus.choices)
    mandate = DeputyReferenceSerializer(read_only=True)
    status_display = ChoiceLabelField(SignerStatus.choices, source="status")

    class Meta:
        model = SuggestionSigner
        fields = ["id", "mandate", "status", "status_display", "responded_at", "order"]
        read_only_fields = fields


class UnitRoleSerializer(serializers.ModelSerializer):
    """One unit handling the suggestion, as shown in the list."""

    role = choice_code(AssignmentRole.choices)
    status = choice_code(AssignmentStatus.choices)
    unit = NamedReferenceSerializer(read_only=True)
    role_display = ChoiceLabelField(AssignmentRole.choices, source="role")
    status_display = ChoiceLabelField(AssignmentStatus.choices, source="status")

    class Meta:
        model = Assignment
        fields = ["id", "unit", "role", "role_display", "status", "status_display", "reply_due"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment's metadata (the file itself is downloaded from the suggestion's page)."""

    class Meta:
        model = SuggestionAttachment
        fields = ["id", "original_name", "content_type", "size", "created_at"]
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    """A unit's objection to its assignment and the office's decision."""

    status = choice_code(ObjectionStatus.choices)
    status_before = choice_code(AssignmentStatus.choices)
    suggestion = serializers.IntegerField(source="assignment.suggestion_id", read_only=True)
    unit = NamedReferenceSerializer(source="assignment.unit", read_only=True)
    status_display = ChoiceLabelField(ObjectionStatus.choices, source="status")
    status_before_display = ChoiceLabelField(AssignmentStatus.choices, source="status_before")

    class Meta:
        model = Objection
        fields = [
            "id",
            "assignment",
            "suggestion",
            "unit",
            "reason",
            "status",
            "status_display",
            "status_before",
            "status_before_display",
            "created_at",
            "decided_at",
            "decision_note",
            "new_assignment",
        ]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    """A promise (承诺事项) and whether it was kept."""

    status = choice_code(CommitmentStatus.choices)
    unit = NamedReferenceSerializer(read_only=True)
    status_display = ChoiceLabelField(CommitmentStatus.choices, source="status")

    class Meta:
        model = Commitment
        fields = [
            "id",
            "suggestion",
            "assignment",
            "unit",
            "text",
            "due_date",
            "status",
            "status_display",
            "kept_at",
            "evidence",
            "created_at",
        ]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    """A logged contact with a deputy (Art. 51)."""

    stage = choice_code(ContactStage.choices)
    method = choice_code(ContactMethod.choices)
    deputy = DeputyReferenceSerializer(read_only=True)
    stage_display = ChoiceLabelField(ContactStage.choices, source="stage")
    method_display = ChoiceLabelField(ContactMethod.choices, source="method")

    class Meta:
        model = Contact
        fields = [
            "id",
            "assignment",
            "deputy",
            "contacted_on",
            "stage",
            "stage_display",
            "method",
            "method_display",
            "note",
            "created_at",
        ]
        read_only_fields = fields


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
            "released_at",
            "recipients",
            "version",
        ]
        read_only_fields = fields

    def get_has_letter(self, reply: Reply) -> bool:
        return bool(reply.letter)

    def to_representation(self, reply: Reply) -> dict:
        data = super().to_representation(reply)
        lens = _lens(self.context)
        if lens is not None and not lens.sees_exchanges(reply.assignment):
            data["return_reason"] = ""  # review notes stay between the office and the unit
        return data


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


# --- Suggestions (read) ------------------------------------------------------------------------


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


class AssignmentSerializer(serializers.ModelSerializer):
    """One unit's assignment with its deadlines. ``needs_calendar``: a working-day deadline waits for
    the holiday data of its year (left empty, never guessed)."""

    role = choice_code(AssignmentRole.choices)
    status = choice_code(AssignmentStatus.choices)
    unit = NamedReferenceSerializer(read_only=True)
    role_display = ChoiceLabelField(AssignmentRole.choices, source="role")
    status_display = ChoiceLabelField(AssignmentStatus.choices, source="status")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "suggestion",
            "unit",
            "role",
            "role_display",
            "parent",
            "merge_group",
            "status",
            "status_display",
            "assigned_on",
            "acknowledged_at",
            "objection_deadline",
            "reply_due",
            "co_input_due",
            "rehandling_due",
            "needs_calendar",
            "input_text",
            "input_submitted_at",
            "dissatisfied_count",
            "is_escalated",
        ]
        read_only_fields = fields

    def to_representation(self, assignment: Assignment) -> dict:
        data = super().to_representation(assignment)
        lens = _lens(self.context)
        if lens is not None and not isinstance(self, SuggestionAssignmentSerializer):
            if not lens.sees_input(assignment):
                data["input_text"] = ""
                data["input_submitted_at"] = None
        return data


class SuggestionAssignmentSerializer(AssignmentSerializer):
    """An assignment inside the suggestion's detail, with the objections the user may read; the
    co-unit's input only to those it is written to (``visibility``). Serializes an
    ``selectors.AssignmentView``."""

    objections = ObjectionSerializer(many=True, read_only=True)

    def to_representation(self, view) -> dict:
        data = super().to_representation(view.assignment)
        data["objections"] = ObjectionSerializer(view.objections, many=True).data
        if not view.input_visible:
            data["input_text"] = ""
            data["input_submitted_at"] = None
        return data

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "objections"]
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


# --- The unit's work list (read) ------------------------------------------------------------------


class WorkItemSuggestionSerializer(serializers.ModelSerializer):
    """The suggestion of a work-list row: what ``selectors.unit_work_list`` joins."""

    status = choice_code(SuggestionStatus.choices)
    lead_deputy = DeputyReferenceSerializer(source="lead_mandate", read_only=True)
    field = NamedReferenceSerializer(read_only=True, allow_null=True)
    status_display = ChoiceLabelField(SuggestionStatus.choices, source="status")

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number_label",
            "title",
            "lead_deputy",
            "field",
            "status",
            "status_display",
            "is_hard",
        ]
        read_only_fields = fields
        ref_name = "WorkItemSuggestion"


class WorkItemSerializer(AssignmentSerializer):
    """A row of a unit's work list: the assignment, its suggestion, the unit it came from when
    re-assigned, and the number of open promises."""

    suggestion = WorkItemSuggestionSerializer(read_only=True)
    parent_unit = NamedReferenceSerializer(source="parent.unit", read_only=True, allow_null=True)
    open_commitments = serializers.IntegerField(read_only=True)
    is_finished = serializers.SerializerMethodField(
        help_text="The suggestion is closed (or withdrawn): nothing is owed on it but its open "
        "promises, whatever ``status`` the assignment was left in (a co-unit that never "
        "acknowledged stays ``assigned``). Shown as the suggestion's status, never overdue."
    )
    is_overdue = serializers.SerializerMethodField(
        help_text="Pending and past its next deadline (the re-handling reply, a co-unit's input, "
        "or the reply): the rows ``overdue=true`` gives."
    )

    class Meta(AssignmentSerializer.Meta):
        fields = [
            *AssignmentSerializer.Meta.fields,
            "parent_unit",
            "open_commitments",
            "is_finished",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_is_finished(self, assignment: Assignment) -> bool:
        return tables.is_finished(assignment)

    def get_is_overdue(self, assignment: Assignment) -> bool:
        return tables.due_state(assignment) == "overdue"


class WorkItemDetailSerializer(WorkItemSerializer):
    """One assignment opened from the work list, with its objections."""

    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta(WorkItemSerializer.Meta):
        fields = [*WorkItemSerializer.Meta.fields, "objections"]
        read_only_fields = fields


class WorkListQuerySerializer(serializers.Serializer):
    """The office names the unit whose list it reads (unit staff always get their own)."""

    unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(),
        required=False,
        help_text="Office only: the unit whose work list to read.",
    )

    class Meta:
        ref_name = "WorkListQuery"


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


class AssignmentPlanInputSerializer(serializers.Serializer):
    """One plan of a bulk assignment. Ids are resolved in one query for the whole batch."""

    suggestion = serializers.IntegerField(min_value=1, label=_("建议"))
    lead = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, label=_("主办单位")
    )
    co_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, label=_("协办单位")
    )
    split_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, label=_("分办单位")
    )
    merge_group = serializers.UUIDField(required=False, allow_null=True, default=None, label=_("并案组"))
    is_hard = serializers.BooleanField(
        required=False, allow_null=True, default=None, label=_("涉及面广、处理难度大")
    )

    class Meta:
        ref_name = "AssignmentPlanInput"


class AssignBulkSerializer(serializers.Serializer):
    """The assignment meeting (交办会): many plans, all assigned or none."""

    plans = AssignmentPlanInputSerializer(many=True, allow_empty=False)
    on = serializers.DateField(
        required=False, allow_null=True, default=None, label=_("交办日期"), help_text="Default: today."
    )

    class Meta:
        ref_name = "AssignBulk"


class AssignBulkResultSerializer(serializers.Serializer):
    suggestions = serializers.IntegerField(read_only=True, help_text="How many suggestions were assigned.")
    assignments = UnitRoleSerializer(many=True, read_only=True)

    class Meta:
        ref_name = "AssignBulkResult"


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        label=_("文件"), help_text="PDF, doc, docx, jpg or png, at most 20 MB; the content is checked."
    )

    class Meta:
        ref_name = "SuggestionAttachmentUpload"


# --- The unit's work (write) -------------------------------------------------------------------------


class ObjectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("异议理由"))

    class Meta:
        ref_name = "AssignmentObject"


class ReassignSerializer(serializers.Serializer):
    sub_unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), label=_("下级单位"), help_text="One of the unit's sub-units."
    )
    on = serializers.DateField(
        required=False, allow_null=True, default=None, label=_("转办日期"), help_text="Default: today."
    )

    class Meta:
        ref_name = "AssignmentReassign"


class InputSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("协办意见"))

    class Meta:
        ref_name = "AssignmentInput"


class ContactInputSerializer(serializers.Serializer):
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Mandate.objects.select_related("person"),
        label=_("沟通代表"),
        help_text="The mandate of the lead deputy or of a confirmed co-signer.",
    )
    contacted_on = serializers.DateField(label=_("沟通日期"))
    stage = serializers.ChoiceField(choices=ContactStage.choices, label=_("环节"))
    method = serializers.ChoiceField(choices=ContactMethod.choices, label=_("方式"))
    note = serializers.CharField(required=False, default="", allow_blank=True, label=_("沟通情况"))

    class Meta:
        ref_name = "ContactInput"


class CommitmentInputSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("承诺内容"))
    due_date = serializers.DateField(label=_("承诺兑现期限"))

    class Meta:
        ref_name = "CommitmentInput"


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


# --- Decisions on objections, promises, replies; evaluations ------------------------------------------


class ObjectionDecideSerializer(serializers.Serializer):
    uphold = serializers.BooleanField(label=_("异议成立"))
    note = serializers.CharField(
        required=False, default="", allow_blank=True, label=_("处理意见"), help_text="Required to reject."
    )
    new_unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("新的承办单位"),
        help_text="Required to uphold.",
    )
    on = serializers.DateField(
        required=False, allow_null=True, default=None, label=_("重新交办日期"), help_text="Default: today."
    )

    class Meta:
        ref_name = "ObjectionDecide"


class CommitmentKeepSerializer(serializers.Serializer):
    evidence = serializers.CharField(label=_("兑现情况"))

    class Meta:
        ref_name = "CommitmentKeep"


class ReplyReviewSerializer(serializers.Serializer):
    """The second review: release the reply to the deputies, or return it with a reason."""

    decision = serializers.ChoiceField(
        choices=[("release", _("发出")), ("return", _("退回"))], label=_("审核结果")
    )
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, label=_("退回理由"), help_text="Required to return."
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


# --- Rules per congress -------------------------------------------------------------------------------


class ResultClassSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A, B, …")
    label = serializers.CharField(help_text="已解决或基本解决, …")
    follow_up = serializers.BooleanField(
        required=False, help_text="Whether such an answer is answered again once solved."
    )

    class Meta:
        ref_name = "ResultClass"


@extend_schema_field(ResultClassSerializer(many=True))
class ResultClassesField(serializers.JSONField):
    """The result-class scheme; its shape is checked by ``SuggestionRules.clean``."""


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
class StageLabelsField(serializers.JSONField):
    """Stage key → the congress's name for it; the keys are checked by ``SuggestionRules.clean``."""


class SuggestionRulesSerializer(serializers.ModelSerializer):
    """How one congress runs its suggestions. Reading a congress without a row gives the defaults
    (``is_default``); writing creates the row. Checked by the model (``full_clean``)."""

    result_classes = ResultClassesField(required=False)
    stage_labels = StageLabelsField(required=False)
    is_default = serializers.SerializerMethodField(help_text="True while the congress uses the defaults.")

    class Meta:
        model = SuggestionRules
        fields = [
            "congress",
            "is_default",
            "in_session_number_format",
            "in_session_number_start",
            "between_sessions_number_format",
            "between_sessions_number_start",
            "reply_months",
            "hard_reply_months",
            "co_input_months",
            "objection_working_days",
            "evaluation_working_days",
            "rehandling_months",
            "assign_within_working_days",
            "escalate_after_dissatisfied",
            "second_review_enabled",
            "separate_ratings_enabled",
            "result_classes",
            "stage_labels",
            "motion_cosigner_minimum",
            "updated_at",
        ]
        read_only_fields = ["congress", "is_default", "updated_at"]

    def get_is_default(self, rules: SuggestionRules) -> bool:
        return rules.pk is None
