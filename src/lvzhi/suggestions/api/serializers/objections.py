"""Objections (交办异议): a unit's objection to its assignment and the office's decision."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.api.serializers import NamedReferenceSerializer
from lvzhi.organizations.models import HandlingUnit

from ...choices import AssignmentStatus, ObjectionStatus
from ...models import Objection
from .shared import choice_code


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
