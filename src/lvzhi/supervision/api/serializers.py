"""Serializers of the supervision API.

Output and input are separate. Output serializers read only what the view's scoped queryset loaded
(``selectors``), so a list costs the same queries for 5 rows or 500. Input serializers check the
*shape* of a request (types, choices, existing ids) and the view hands the values to exactly one
service, which applies the rules and refuses in Chinese; no rule lives here.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.api.serializers import NamedReferenceSerializer, UserReferenceSerializer
from lvzhi.organizations.models import Committee, Congress, HandlingUnit
from lvzhi.suggestions import tables as suggestion_tables
from lvzhi.suggestions.api.serializers import choice_code
from lvzhi.suggestions.choices import AssignmentRole, AssignmentStatus, Satisfaction, SuggestionStatus
from lvzhi.suggestions.models import Assignment, Suggestion

from .. import workflow
from ..choices import ActivityKind, MeetingDecision, SupervisionKind, SupervisionStatus
from ..models import (
    CampaignSuggestion,
    DissatisfiedMeeting,
    MeetingReassignment,
    SupervisionActivity,
    SupervisionCampaign,
    SupervisionItem,
)

User = get_user_model()


# --- Shapes shared by several responses -------------------------------------------------------


class SupervisedSuggestionSerializer(serializers.ModelSerializer):
    """The suggestion under supervision, with the units handling it (what the selectors prefetch)."""

    status = choice_code(SuggestionStatus.choices)
    status_display = ChoiceLabelField(SuggestionStatus.choices, source="status")
    lead_deputy = serializers.CharField(source="lead_mandate.person.name", read_only=True)
    units = serializers.SerializerMethodField(
        help_text="The units handling it, as 单位（主办）、单位（协办）."
    )
    reply_due = serializers.SerializerMethodField(help_text="The earliest deadline of the replying units.")

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number_label",
            "title",
            "lead_deputy",
            "status",
            "status_display",
            "units",
            "reply_due",
        ]
        read_only_fields = fields
        ref_name = "SupervisedSuggestion"

    def get_units(self, suggestion: Suggestion) -> str:
        return suggestion_tables.units_text(suggestion)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_reply_due(self, suggestion: Suggestion) -> str | None:
        due = suggestion_tables.reply_due_of(suggestion)
        return due.isoformat() if due else None


class ActivitySerializer(serializers.ModelSerializer):
    """What the team did (督办活动)."""

    kind = choice_code(ActivityKind.choices)
    kind_display = ChoiceLabelField(ActivityKind.choices, source="kind")
    recorded_by = UserReferenceSerializer(read_only=True)

    class Meta:
        model = SupervisionActivity
        fields = ["id", "item", "kind", "kind_display", "happened_on", "participants", "note", "recorded_by"]
        read_only_fields = fields


class AvailableActionSerializer(serializers.Serializer):
    """What the user may do now (``workflow.available_actions``): the page's buttons."""

    action = choice_code(workflow.Action.choices)
    label = serializers.CharField(read_only=True)

    class Meta:
        ref_name = "SupervisionAvailableAction"


# --- Items ----------------------------------------------------------------------------------------


class ItemSerializer(serializers.ModelSerializer):
    """A row of the item list: only what ``selectors.supervision_item_list`` joins and prefetches."""

    kind = choice_code(SupervisionKind.choices)
    kind_display = ChoiceLabelField(SupervisionKind.choices, source="kind")
    status = choice_code(SupervisionStatus.choices)
    status_display = ChoiceLabelField(SupervisionStatus.choices, source="status")
    suggestion = SupervisedSuggestionSerializer(read_only=True)
    leader = UserReferenceSerializer(read_only=True, allow_null=True)
    committee = NamedReferenceSerializer(read_only=True, allow_null=True)
    team_members = UserReferenceSerializer(many=True, read_only=True)
    latest_activity = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "suggestion",
            "kind",
            "kind_display",
            "year",
            "status",
            "status_display",
            "leader",
            "committee",
            "team_members",
            "team",
            "decided_on",
            "decision_ref",
            "conclusion",
            "finished_at",
            "carried_over_from",
            "latest_activity",
            "version",
        ]
        read_only_fields = fields


class ItemDetailSerializer(ItemSerializer):
    """An item with its activities and the actions the user may take now."""

    activities = ActivitySerializer(many=True, read_only=True)
    carried_over_to = serializers.SerializerMethodField(help_text="The next year's item, once carried over.")
    available_actions = serializers.SerializerMethodField()

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "carried_over_to", "activities", "available_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_carried_over_to(self, item: SupervisionItem):
        successor = getattr(item, "carried_over_to", None)
        return successor.pk if successor is not None else None

    @extend_schema_field(AvailableActionSerializer(many=True))
    def get_available_actions(self, item: SupervisionItem) -> list[dict]:
        actions = workflow.available_actions(item, self.context["request"].user)
        return AvailableActionSerializer(actions, many=True).data


class ArrangementInputSerializer(serializers.Serializer):
    leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, help_text="A standing-committee leader."
    )
    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.all(), required=False, allow_null=True
    )
    team_members = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    team = serializers.CharField(required=False, allow_blank=True, help_text="Members without an account.")
    decided_on = serializers.DateField(required=False, allow_null=True)
    decision_ref = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ItemStartSerializer(ArrangementInputSerializer):
    """列为督办: the suggestion, the kind of supervision and its year, and the arrangement."""

    suggestion = serializers.PrimaryKeyRelatedField(queryset=Suggestion.objects.all())
    kind = serializers.ChoiceField(choices=SupervisionKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        ref_name = "SupervisionItemStart"


class ItemUpdateSerializer(ArrangementInputSerializer):
    """The arrangement fields to change, with the ``version`` read."""

    version = serializers.IntegerField()

    class Meta:
        ref_name = "SupervisionItemUpdate"


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    happened_on = serializers.DateField()
    participants = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(allow_blank=True, help_text="Required (督办情况).")

    class Meta:
        ref_name = "SupervisionActivityInput"


class FinishSerializer(serializers.Serializer):
    conclusion = serializers.CharField(allow_blank=True, help_text="Required (督办结论).")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)

    class Meta:
        ref_name = "SupervisionFinish"


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Required.")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)

    class Meta:
        ref_name = "SupervisionReopen"


class CarryOverSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, help_text="The year whose items carry over."
    )

    class Meta:
        ref_name = "SupervisionCarryOver"


class CarryOverResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField(help_text="How many items carried over.")
    items = serializers.ListField(child=serializers.IntegerField(), help_text="The next year's items.")

    class Meta:
        ref_name = "SupervisionCarryOverResult"


# --- Supervision months -----------------------------------------------------------------------------


class CampaignSerializer(serializers.ModelSerializer):
    congress = NamedReferenceSerializer(read_only=True)
    created_by = UserReferenceSerializer(read_only=True)
    suggestion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SupervisionCampaign
        fields = [
            "id",
            "congress",
            "year",
            "name",
            "starts_on",
            "ends_on",
            "note",
            "suggestion_count",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class CampaignCreateSerializer(serializers.Serializer):
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    name = serializers.CharField(max_length=100, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "SupervisionCampaignCreate"


class CampaignUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    name = serializers.CharField(max_length=100, allow_blank=True, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        ref_name = "SupervisionCampaignUpdate"


class CampaignSuggestionsSerializer(serializers.Serializer):
    suggestions = serializers.PrimaryKeyRelatedField(queryset=Suggestion.objects.all(), many=True)

    class Meta:
        ref_name = "SupervisionCampaignSuggestions"


class CampaignSuggestionSerializer(serializers.Serializer):
    suggestion = serializers.PrimaryKeyRelatedField(queryset=Suggestion.objects.all())

    class Meta:
        ref_name = "SupervisionCampaignSuggestion"


class CampaignEntrySerializer(serializers.ModelSerializer):
    """One suggestion of a supervision month and how it went (``selectors.campaign_progress``)."""

    suggestion = SupervisedSuggestionSerializer(read_only=True)
    replied = serializers.BooleanField(read_only=True, help_text="A reply was released during the month.")
    reply_count = serializers.IntegerField(read_only=True, allow_null=True)
    latest_class = serializers.CharField(
        read_only=True, allow_null=True, help_text="The latest result class."
    )
    satisfaction = serializers.CharField(
        read_only=True, allow_null=True, help_text="The lead deputy's latest rating by the month's end."
    )
    satisfaction_display = serializers.SerializerMethodField()

    class Meta:
        model = CampaignSuggestion
        fields = [
            "id",
            "suggestion",
            "replied",
            "reply_count",
            "latest_class",
            "satisfaction",
            "satisfaction_display",
            "created_at",
        ]
        read_only_fields = fields

    def get_satisfaction_display(self, entry) -> str:
        return str(Satisfaction(entry.satisfaction).label) if entry.satisfaction else ""


class CampaignCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    replied = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()

    class Meta:
        ref_name = "SupervisionCampaignCounts"


class CampaignProgressSerializer(serializers.Serializer):
    counts = CampaignCountsSerializer()
    cutoff = serializers.DateTimeField(help_text="Replies and ratings are counted until then.")
    entries = CampaignEntrySerializer(many=True)

    class Meta:
        ref_name = "SupervisionCampaignProgress"


# --- Dissatisfied-suggestion meetings ------------------------------------------------------------------


class DissatisfiedAssignmentSerializer(serializers.ModelSerializer):
    """An assignment being re-handled after a 不满意: what a meeting decides."""

    role = choice_code(AssignmentRole.choices)
    status = choice_code(AssignmentStatus.choices)
    unit = NamedReferenceSerializer(read_only=True)
    suggestion = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "suggestion", "unit", "role", "status", "rehandling_due", "dissatisfied_count"]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "number_label": {"type": "string"},
                "title": {"type": "string"},
                "lead_deputy": {"type": "string"},
            },
        }
    )
    def get_suggestion(self, assignment: Assignment) -> dict:
        suggestion = assignment.suggestion
        return {
            "id": suggestion.pk,
            "number_label": suggestion.number_label,
            "title": suggestion.title,
            "lead_deputy": suggestion.lead_mandate.person.name,
        }


class ReassignmentSerializer(serializers.ModelSerializer):
    decision = choice_code(MeetingDecision.choices)
    decision_display = ChoiceLabelField(MeetingDecision.choices, source="decision")
    suggestion = serializers.IntegerField(source="assignment.suggestion_id", read_only=True)
    unit = NamedReferenceSerializer(source="assignment.unit", read_only=True)
    new_unit = NamedReferenceSerializer(source="new_assignment.unit", read_only=True, allow_null=True)

    class Meta:
        model = MeetingReassignment
        fields = [
            "id",
            "assignment",
            "suggestion",
            "unit",
            "decision",
            "decision_display",
            "new_assignment",
            "new_unit",
            "due",
            "needs_calendar",
            "note",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    congress = NamedReferenceSerializer(read_only=True)
    held_by = UserReferenceSerializer(read_only=True)
    decision_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = DissatisfiedMeeting
        fields = ["id", "congress", "name", "held_on", "note", "held_by", "decision_count", "created_at"]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    reassignments = ReassignmentSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "reassignments"]
        read_only_fields = fields


class MeetingDecisionInputSerializer(serializers.Serializer):
    assignment = serializers.PrimaryKeyRelatedField(queryset=Assignment.objects.all())
    decision = serializers.ChoiceField(choices=MeetingDecision.choices)
    new_unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "SupervisionMeetingDecision"


class MeetingCreateSerializer(serializers.Serializer):
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all())
    name = serializers.CharField(max_length=100, allow_blank=True)
    held_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    decisions = MeetingDecisionInputSerializer(many=True)

    class Meta:
        ref_name = "SupervisionMeetingCreate"
