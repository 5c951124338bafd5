"""Promises (承诺事项) over /api/v1/suggestion-commitments/."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office

from ... import selectors, services
from ...models import Assignment, Commitment
from .. import serializers as s
from .base import COMMITMENT_NOT_VISIBLE, FORBIDDEN, ID, REFUSED, ScopedObjectMixin


def _is_unit_staff(user) -> bool:
    return bool(user.is_authenticated and not is_office(user) and user.role == Role.HANDLING_UNIT_STAFF)


def _assignments_in_scope(user) -> QuerySet[Assignment]:
    """The assignments whose objections and promises ``user`` may reach: for unit staff their own
    unit's (the work list); for everybody else those of the suggestions they see."""
    if _is_unit_staff(user):
        return Assignment.objects.filter(pk__in=selectors.unit_work_list(user=user).values("pk"))
    return Assignment.objects.filter(suggestion__in=selectors.suggestions_visible_to(user))


@extend_schema_view(
    list=extend_schema(summary="List promises", description="Those on the assignments the user may reach."),
    retrieve=extend_schema(summary="Get a promise"),
)
class CommitmentViewSet(ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
    """承诺事项: promises made while handling, tracked until kept, also after closing."""

    serializer_class = s.CommitmentSerializer
    filterset_fields = ["status"]
    lookup_value_regex = ID
    not_found_message = COMMITMENT_NOT_VISIBLE

    def get_queryset(self):
        return (
            Commitment.objects.filter(assignment__in=_assignments_in_scope(self.request.user))
            .select_related("unit")
            .order_by("due_date", "id")
        )

    @extend_schema(
        summary="Mark a promise kept",
        description="By the unit that made it, or the office; with how it was kept.",
        request=s.CommitmentKeepSerializer,
        responses={200: s.CommitmentSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def keep(self, request, pk=None):
        commitment = self.get_object()
        serializer = s.CommitmentKeepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.commitment_keep(
            commitment=commitment, evidence=serializer.validated_data["evidence"], actor=request.user
        )
        return Response(s.CommitmentSerializer(self.get_queryset().get(pk=commitment.pk)).data)
