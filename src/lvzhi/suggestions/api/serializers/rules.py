"""The suggestion rules of a congress (建议办理规则)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import (
    HARD_REPLY_MONTHS_TOO_LONG,
    REHANDLING_TOO_LONG,
    REHANDLING_TOO_SHORT,
    REPLY_MONTHS_TOO_LONG,
    SuggestionRules,
)


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
            "rehandling_days",
            "assign_within_working_days",
            "escalate_after_dissatisfied",
            "second_review_enabled",
            "separate_ratings_enabled",
            "result_classes",
            "stage_labels",
            "motion_cosigner_minimum",
            "rating_minimum_cases",
            "updated_at",
        ]
        read_only_fields = ["congress", "is_default", "updated_at"]
        # The statute's limits refused with the model's words, not DRF's generic range message.
        extra_kwargs = {
            "reply_months": {"error_messages": {"max_value": REPLY_MONTHS_TOO_LONG}},
            "hard_reply_months": {"error_messages": {"max_value": HARD_REPLY_MONTHS_TOO_LONG}},
            "rehandling_months": {
                "error_messages": {"min_value": REHANDLING_TOO_SHORT, "max_value": REHANDLING_TOO_LONG}
            },
            "rehandling_days": {
                "error_messages": {"min_value": REHANDLING_TOO_SHORT, "max_value": REHANDLING_TOO_LONG}
            },
        }

    def get_is_default(self, rules: SuggestionRules) -> bool:
        return rules.pk is None
