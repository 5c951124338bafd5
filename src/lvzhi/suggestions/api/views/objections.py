"""Objections to an assignment (交办异议) over /api/v1/suggestion-objections/."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ... import selectors, services
from .. import serializers as s
from .base import FORBIDDEN, ID, OBJECTION_NOT_VISIBLE, REFUSED, ScopedObjectMixin


@extend_schema_view(
    list=extend_schema(summary="List objections", description="Those on the assignments the user may reach."),
    retrieve=extend_schema(summary="Get an objection"),
)
class ObjectionViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """交办异议: raised by a unit on its assignment, decided by the office."""

    serializer_class = s.ObjectionSerializer
    filterset_fields = ["status"]
    lookup_value_regex = ID
    not_found_message = OBJECTION_NOT_VISIBLE

    def get_queryset(self):
        return (
            selectors.objections_visible_to(self.request.user)
            .select_related("assignment__unit")
            .order_by("id")
        )

    @extend_schema(
        summary="Decide an objection",
        description="Upheld: the assignment is cancelled and the suggestion assigned to ``new_unit`` in "
        "the same role. Rejected (with a note): the unit handles it as assigned. Office only.",
        request=s.ObjectionDecideSerializer,
        responses={200: s.ObjectionSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request, pk=None):
        objection = self.get_object()
        serializer = s.ObjectionDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.objection_decide(
            objection=objection,
            uphold=data["uphold"],
            actor=request.user,
            note=data["note"],
            new_unit=data["new_unit"],
            on=data["on"],
        )
        return Response(s.ObjectionSerializer(self.get_queryset().get(pk=objection.pk)).data)
