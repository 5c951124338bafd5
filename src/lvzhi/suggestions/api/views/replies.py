"""Replies (答复) and their recipients over /api/v1/suggestion-replies/ and
/api/v1/suggestion-reply-recipients/: the second review and the deputies' evaluations."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ... import selectors, services
from ...choices import ReplyStatus
from ...models import ReplyRecipient
from .. import serializers as s
from .base import (
    FORBIDDEN,
    ID,
    RECIPIENT_NOT_VISIBLE,
    REFUSED,
    REPLY_NOT_VISIBLE,
    ScopedObjectMixin,
    replies_with_recipients,
)


@extend_schema_view(
    list=extend_schema(
        summary="List replies",
        description="Released replies on the suggestions the user sees; the office also sees those "
        "waiting for the second review (``status=submitted``), unit staff their own drafts.",
    ),
    retrieve=extend_schema(summary="Get a reply"),
)
class ReplyViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """答复: the units' replies and the second review."""

    serializer_class = s.ReplySerializer
    filterset_fields = ["status", "kind"]
    lookup_value_regex = ID
    not_found_message = REPLY_NOT_VISIBLE

    def get_queryset(self):
        return replies_with_recipients(selectors.replies_visible_to(self.request.user))

    @extend_schema(
        summary="Review a reply (second review)",
        description="Release it to the deputies (each gets the evaluation window), published unless "
        "``withhold_from_public`` (不宜公开), or return it to the unit with a reason. Office only.",
        request=s.ReplyReviewSerializer,
        responses={200: s.ReplySerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def review(self, request, pk=None):
        reply = self.get_object()
        serializer = s.ReplyReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.reply_review(
            reply=reply,
            actor=request.user,
            release=data["decision"] == "release",
            reason=data["reason"],
            withhold_from_public=data["withhold_from_public"],
        )
        return Response(s.ReplySerializer(self.get_queryset().get(pk=reply.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="List reply recipients",
        description="The deputies the released replies on the user's suggestions went to, with their "
        "evaluations.",
    ),
    retrieve=extend_schema(summary="Get a reply recipient"),
)
class ReplyRecipientViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """答复对象: one deputy a released reply went to; that deputy evaluates it."""

    serializer_class = s.RecipientSerializer
    filter_backends = []
    lookup_value_regex = ID
    not_found_message = RECIPIENT_NOT_VISIBLE

    def get_queryset(self):
        released = selectors.replies_visible_to(self.request.user).filter(status=ReplyStatus.RELEASED)
        return (
            ReplyRecipient.objects.filter(reply__in=released)
            .select_related("mandate__person", "evaluation")
            .order_by("reply_id", "-is_lead", "id")
        )

    @extend_schema(
        summary="Evaluate a reply",
        description="The deputy the reply went to: 满意, 基本满意 or 不满意 (process and result "
        "separately when the congress says so), within the evaluation window. 不满意 sends the unit "
        "back to re-handle.",
        request=s.EvaluateSerializer,
        responses={201: s.EvaluationSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def evaluate(self, request, pk=None):
        recipient = self.get_object()
        serializer = s.EvaluateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluation = services.reply_evaluate(
            recipient=recipient,
            actor=request.user,
            satisfaction=data["satisfaction"],
            process_rating=data["process_rating"],
            result_rating=data["result_rating"],
            comment=data["comment"],
        )
        return Response(s.EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)
