"""Serializers of the structure: reference data that every role reads and the office edits.

Like the page forms they check shapes only (required, types, choices). The rules of the structure
(duplicates, dates within a term, no loops of parent rows, one congress) are applied by
``services.structure_save``, which the views call, so the API and the pages refuse the same things
with the same Chinese messages.

An edit carries the ``updated_at`` it was read at; a stale one is refused with 409.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from lvzhi.core.text import normalize_code

from ..models import (
    Committee,
    Congress,
    DeputyGroup,
    ElectoralUnit,
    ExpertiseField,
    HandlingUnit,
    Session,
    Term,
)


class StructureSerializer(serializers.ModelSerializer):
    """Base of the structure serializers: no generated uniqueness checks (the service reports
    duplicates in Chinese), and ``updated_at`` required on every edit as the version read."""

    updated_at = serializers.DateTimeField(
        required=False,
        help_text="When the row was last saved. Send it back unchanged with an edit: if somebody "
        "saved the row since, the edit is refused with 409.",
    )

    def get_validators(self):
        return []

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and attrs.get("updated_at") is None:
            raise serializers.ValidationError(
                {"updated_at": _("请提交您读取时的更新时间（updated_at），以免覆盖他人的修改。")}
            )
        if self.instance is None:
            attrs.pop("updated_at", None)
        return attrs


class CongressSerializer(StructureSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Congress
        fields = [
            "id",
            "name",
            "short_name",
            "level",
            "level_display",
            "region",
            "parent",
            "order",
            "updated_at",
        ]


class TermSerializer(StructureSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Term
        fields = [
            "id",
            "congress",
            "congress_name",
            "number",
            "label",
            "start_date",
            "end_date",
            "updated_at",
        ]
        read_only_fields = ["label"]


class SessionSerializer(StructureSerializer):
    term_label = serializers.CharField(source="term.label", read_only=True)
    congress = serializers.IntegerField(source="term.congress_id", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "term",
            "term_label",
            "congress",
            "number",
            "label",
            "start_date",
            "end_date",
            "updated_at",
        ]
        read_only_fields = ["label"]


class ElectoralUnitSerializer(StructureSerializer):
    class Meta:
        model = ElectoralUnit
        fields = ["id", "congress", "name", "delegation_name", "code", "order", "updated_at"]

    def validate_code(self, value: str) -> str:
        return normalize_code(value)


class DeputyGroupSerializer(StructureSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DeputyGroup
        fields = ["id", "congress", "name", "kind", "kind_display", "electoral_unit", "updated_at"]


class CommitteeSerializer(StructureSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "congress", "name", "kind", "kind_display", "fields", "order", "updated_at"]
        extra_kwargs = {"fields": {"required": False}}


class HandlingUnitSerializer(StructureSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)

    class Meta:
        model = HandlingUnit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "parent_name",
            "is_active",
            "order",
            "updated_at",
        ]


class ExpertiseFieldSerializer(StructureSerializer):
    class Meta:
        model = ExpertiseField
        fields = ["id", "name", "order", "updated_at"]
