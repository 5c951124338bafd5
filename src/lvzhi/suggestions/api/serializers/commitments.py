"""Promises (承诺事项): made while handling, tracked until kept."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lvzhi.core.api import ChoiceLabelField
from lvzhi.deputies.api.serializers import NamedReferenceSerializer

from ...choices import CommitmentStatus
from ...models import Commitment
from .shared import choice_code


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


class CommitmentInputSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("承诺内容"))
    due_date = serializers.DateField(label=_("承诺兑现期限"))

    class Meta:
        ref_name = "CommitmentInput"


class CommitmentKeepSerializer(serializers.Serializer):
    evidence = serializers.CharField(label=_("兑现情况"))

    class Meta:
        ref_name = "CommitmentKeep"
