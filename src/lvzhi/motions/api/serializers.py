"""Serializers of the motions API.

Output and input are separate: the output serializers say what a motion looks like to a reader
(with ``available_actions`` for the reader), the input serializers check the shape of a request and
hand it to the same services the pages call, which apply the rules and answer in Chinese.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import Committee, ElectoralUnit, ExpertiseField, Session

from .. import workflow
from ..choices import ActivityKind, Attendance, DecisionOutcome, MotionEventType, MotionStatus, SignerStatus
from ..models import (
    Motion,
    MotionActivity,
    MotionActivityParticipant,
    MotionDecision,
    MotionEvent,
    MotionSigner,
)


def choice_code(choices, **kwargs) -> serializers.CharField:
    """A choice's code in a response, as a plain string listing its values (the labels are in
    ``*_display``): the same code sets appear under several names and components, which the
    schema's enum naming cannot name without per-project overrides. Inputs keep real enums."""
    values = "、".join(str(value) for value, _label in choices)
    return serializers.CharField(read_only=True, help_text=f"One of: {values}.", **kwargs)


class MandateReferenceSerializer(serializers.Serializer):
    """A deputy as motions show it: the mandate's id, the person's name and the card number."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    card_number = serializers.CharField(read_only=True)

    class Meta:
        ref_name = "MotionMandateReference"


class MotionSignerSerializer(serializers.ModelSerializer):
    mandate = MandateReferenceSerializer(read_only=True)
    status = choice_code(SignerStatus.choices)
    status_display = ChoiceLabelField(SignerStatus.choices, source="status")

    class Meta:
        model = MotionSigner
        fields = ["mandate", "status", "status_display", "responded_at"]
        read_only_fields = fields


class MotionDecisionSerializer(serializers.ModelSerializer):
    outcome = choice_code(DecisionOutcome.choices)
    outcome_display = ChoiceLabelField(DecisionOutcome.choices, source="outcome")

    class Meta:
        model = MotionDecision
        fields = [
            "outcome",
            "outcome_display",
            "decided_on",
            "reason",
            "committee",
            "report_due",
            "suggestion",
        ]
        read_only_fields = fields


class MotionParticipantSerializer(serializers.ModelSerializer):
    mandate = MandateReferenceSerializer(read_only=True)
    attendance = choice_code(Attendance.choices)
    attendance_display = ChoiceLabelField(Attendance.choices, source="attendance")

    class Meta:
        model = MotionActivityParticipant
        fields = ["mandate", "attendance", "attendance_display", "recorded_at"]
        read_only_fields = fields


class MotionActivitySerializer(serializers.ModelSerializer):
    kind = choice_code(ActivityKind.choices)
    kind_display = ChoiceLabelField(ActivityKind.choices, source="kind")
    participants = MotionParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = MotionActivity
        fields = ["id", "kind", "kind_display", "held_on", "title", "location", "note", "participants"]
        read_only_fields = fields


class MotionSerializer(serializers.ModelSerializer):
    """A motion in a list: text, proposer, co-signers and where it stands."""

    status = choice_code(MotionStatus.choices)
    status_display = ChoiceLabelField(MotionStatus.choices, source="status")
    session_label = serializers.SerializerMethodField()
    proposer = serializers.CharField(source="proposer_label", read_only=True)
    lead_mandate = MandateReferenceSerializer(read_only=True, allow_null=True)
    signers = MotionSignerSerializer(many=True, read_only=True)
    confirmed_cosigners = serializers.SerializerMethodField()
    field_name = serializers.CharField(source="field.name", read_only=True, allow_null=True, default=None)
    committee_name = serializers.CharField(
        source="committee.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Motion
        fields = [
            "id",
            "congress",
            "term",
            "session",
            "session_label",
            "number",
            "number_label",
            "subject",
            "grounds",
            "plan",
            "proposer",
            "lead_mandate",
            "delegation",
            "signers",
            "confirmed_cosigners",
            "field",
            "field_name",
            "status",
            "status_display",
            "submitted_at",
            "committee",
            "committee_name",
            "report_due",
            "reported_on",
            "is_report_late",
            "converted_suggestion",
            "version",
        ]
        read_only_fields = fields

    def get_session_label(self, motion: Motion) -> str:
        return f"{motion.term.label}{motion.session.label}"

    def get_confirmed_cosigners(self, motion: Motion) -> int:
        return workflow.confirmed_cosigners(motion)


class MotionDetailSerializer(MotionSerializer):
    """One motion with the presidium's decision, the committee's activities, its report and the
    actions the reader may take now."""

    decision = MotionDecisionSerializer(read_only=True, allow_null=True)
    activities = MotionActivitySerializer(many=True, read_only=True)
    report_file_url = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField(
        help_text="What the reader may do now: the action endpoints it may call."
    )

    class Meta(MotionSerializer.Meta):
        fields = [
            *MotionSerializer.Meta.fields,
            "decision",
            "activities",
            "report_text",
            "report_file_url",
            "available_actions",
        ]
        read_only_fields = fields

    def get_report_file_url(self, motion: Motion) -> str | None:
        return reverse("motions:report_file", args=[motion.pk]) if motion.report_file else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField(help_text="An action.")))
    def get_available_actions(self, motion: Motion) -> list[str]:
        request = self.context["request"]
        return [
            a.action
            for a in workflow.available_actions(motion, request.user, rules=self.context.get("rules"))
        ]


class MotionEventSerializer(serializers.ModelSerializer):
    type = choice_code(MotionEventType.choices)
    type_display = ChoiceLabelField(MotionEventType.choices, source="type")
    from_status = choice_code(MotionStatus.choices)
    to_status = choice_code(MotionStatus.choices)
    actor = serializers.CharField(source="actor.__str__", read_only=True, allow_null=True, default=None)

    class Meta:
        model = MotionEvent
        fields = [
            "id",
            "type",
            "type_display",
            "at",
            "actor",
            "from_status",
            "to_status",
            "reason",
            "activity",
            "payload",
        ]
        read_only_fields = fields


# -- Input ------------------------------------------------------------------------------------------

MANDATES = Mandate.objects.select_related("person")


class MotionInputSerializer(serializers.Serializer):
    """Subject, grounds and plan (all required, Art. 15), field, session and co-signers."""

    session = serializers.PrimaryKeyRelatedField(queryset=Session.objects.select_related("term"))
    subject = serializers.CharField(max_length=200, allow_blank=True)
    grounds = serializers.CharField(allow_blank=True)
    plan = serializers.CharField(allow_blank=True)
    field = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseField.objects.all(), required=False, allow_null=True
    )
    cosigners = serializers.PrimaryKeyRelatedField(queryset=MANDATES, many=True, required=False)

    class Meta:
        ref_name = "MotionInput"


class MotionCreateSerializer(MotionInputSerializer):
    """A new draft: ``lead_mandate`` (a deputy's own, or any for the office) or ``delegation``."""

    lead_mandate = serializers.PrimaryKeyRelatedField(queryset=MANDATES, required=False, allow_null=True)
    delegation = serializers.PrimaryKeyRelatedField(
        queryset=ElectoralUnit.objects.all(), required=False, allow_null=True
    )

    class Meta:
        ref_name = "MotionCreate"


class MotionUpdateSerializer(MotionInputSerializer):
    """Changes to a draft and the ``version`` read (a stale one gives 409). ``cosigners``, when
    sent, is the whole list."""

    version = serializers.IntegerField(min_value=1)

    class Meta:
        ref_name = "MotionUpdate"


class VersionedInputSerializer(serializers.Serializer):
    """``version`` as read (optional; a stale one gives 409) and an optional note."""

    version = serializers.IntegerField(min_value=1, required=False)
    reason = serializers.CharField(required=False, default="", allow_blank=True)

    class Meta:
        ref_name = "MotionVersionedInput"


class SignInputSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(default=True, help_text="true: confirm (附议); false: decline.")

    class Meta:
        ref_name = "MotionSignInput"


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    decided_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, default="", allow_blank=True)
    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.all(), required=False, allow_null=True
    )
    report_due = serializers.DateField(required=False, allow_null=True)
    suggestion_lead = serializers.PrimaryKeyRelatedField(queryset=MANDATES, required=False, allow_null=True)
    version = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        ref_name = "MotionDecisionInput"


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    invited = serializers.PrimaryKeyRelatedField(queryset=MANDATES, many=True)
    attended = serializers.PrimaryKeyRelatedField(
        queryset=MANDATES,
        many=True,
        required=False,
        help_text="Who took part, once held; leave out to record the invitations only.",
    )

    class Meta:
        ref_name = "MotionActivityInput"


class AttendanceInputSerializer(serializers.Serializer):
    attended = serializers.PrimaryKeyRelatedField(queryset=MANDATES, many=True)

    class Meta:
        ref_name = "MotionAttendanceInput"


class ReportInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    file = serializers.FileField(required=False, allow_null=True)
    version = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        ref_name = "MotionReportInput"
