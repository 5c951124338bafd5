"""Assignments (交办): the units handling a suggestion, a unit's work list, the assignment
meeting (bulk assignment), and the unit's own steps (objecting, re-assigning, input, contacts)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.api.serializers import NamedReferenceSerializer
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import HandlingUnit

from ... import tables
from ...choices import AssignmentRole, AssignmentStatus, ContactMethod, ContactStage, SuggestionStatus
from ...models import Assignment, Contact, Suggestion
from .objections import ObjectionSerializer
from .shared import DeputyReferenceSerializer, choice_code, reader_lens


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
        lens = reader_lens(self.context)
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


# --- The assignment meeting (write) ---------------------------------------------------------------


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
