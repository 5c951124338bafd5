"""The user's notifications over /api/v1/notifications/: list, get, mark read (one or all).

A user reads and marks only its own notifications: the queryset is ``selectors.notification_list``
for the requesting user, so somebody else's notification is 404, like a missing one.
"""

import django_filters
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .. import selectors, services
from ..models import Notification
from ..services import NOT_YOURS
from . import serializers


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Only unread (true) or only read (false)."
    )
    kind = django_filters.CharFilter(label="The dotted kind, e.g. suggestion.reply_due.")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


@extend_schema_view(
    list=extend_schema(summary="List my notifications", description="Unread first, newest first."),
    retrieve=extend_schema(summary="Get one of my notifications"),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """消息: the requesting user's notifications. Nobody sees or marks another user's."""

    serializer_class = serializers.NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    def get_object(self) -> Notification:
        try:
            return super().get_object()
        except Http404:
            raise NotFound(NOT_YOURS) from None

    @extend_schema(
        summary="Mark a notification read", request=None, responses=serializers.NotificationSerializer
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification.read_at = services.notification_mark_read(
            notification_id=notification.pk, actor=request.user
        ).read_at
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        summary="Mark all my notifications read", request=None, responses=serializers.MarkedReadSerializer
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"updated": services.notifications_mark_all_read(actor=request.user)})

    @extend_schema(summary="Count my unread notifications", responses=serializers.UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request):
        return Response({"count": selectors.notification_unread_count(user=request.user)})
