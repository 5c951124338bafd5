"""Serializers of the notifications API: the user's own notifications, read-only but for ``read``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    target_type = serializers.SerializerMethodField(
        help_text="``app_label.model`` of the object it is about."
    )
    target_id = serializers.IntegerField(source="target_object_id", read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link",
            "target_type",
            "target_id",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_target_type(self, notification: Notification) -> str | None:
        content_type = notification.target_content_type
        return f"{content_type.app_label}.{content_type.model}" if content_type else None


class UnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True)


class MarkedReadSerializer(serializers.Serializer):
    updated = serializers.IntegerField(read_only=True, help_text="How many were unread.")
