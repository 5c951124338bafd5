"""The structure over /api/v1/: every signed-in user reads it, only the office edits it.

Writes go through ``services.structure_save`` and ``services.structure_delete``, the same as the
structure pages: a refused rule is 400 with its Chinese message, a stale edit 409, and a row that
others still point to is never deleted (400, naming what still refers to it).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, permissions, viewsets
from rest_framework.exceptions import NotFound

from lvzhi.accounts.roles import can_manage_structure

from .. import services
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
from . import serializers


class StructurePermission(permissions.BasePermission):
    """Reading is open to every signed-in user (reference data); writing to the office only."""

    message = _("您没有维护组织结构的权限。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or can_manage_structure(user)


class StructureViewSet(viewsets.ModelViewSet):
    """Base of the structure endpoints: permissions, filters, and writes through the services."""

    permission_classes = [StructurePermission]
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name"]
    ordering_fields = ["id", "name"]

    def get_object(self):
        # Django's English "No Congress matches the given query." would name the model.
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("未找到该记录。")) from None

    def perform_create(self, serializer) -> None:
        serializer.instance = services.structure_save(
            model=self.queryset.model, instance=None, data=serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        expected_updated_at = data.pop("updated_at")
        saved = services.structure_save(
            model=self.queryset.model,
            instance=serializer.instance,
            data=data,
            actor=self.request.user,
            expected_updated_at=expected_updated_at,
        )
        # Read again so the response shows the related rows as saved, not as cached.
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_destroy(self, instance) -> None:
        services.structure_delete(instance=instance, actor=self.request.user)


class CongressViewSet(StructureViewSet):
    """人大: the congresses this installation serves."""

    queryset = Congress.objects.all()
    serializer_class = serializers.CongressSerializer
    filterset_fields = ["level", "parent"]
    ordering_fields = ["id", "name", "order"]


class TermViewSet(StructureViewSet):
    """届 of a congress."""

    queryset = Term.objects.select_related("congress")
    serializer_class = serializers.TermSerializer
    filterset_fields = ["congress", "number"]
    search_fields = []
    ordering_fields = ["id", "number", "start_date"]


class SessionViewSet(StructureViewSet):
    """次会议: the yearly plenaries of a term."""

    queryset = Session.objects.select_related("term")
    serializer_class = serializers.SessionSerializer
    filterset_fields = {"term": ["exact"], "term__congress": ["exact"]}
    search_fields = []
    ordering_fields = ["id", "number", "start_date"]


class ElectoralUnitViewSet(StructureViewSet):
    """选举单位 (and their delegations)."""

    queryset = ElectoralUnit.objects.all()
    serializer_class = serializers.ElectoralUnitSerializer
    filterset_fields = ["congress", "code"]
    search_fields = ["name", "delegation_name"]
    ordering_fields = ["id", "name", "order"]


class DeputyGroupViewSet(StructureViewSet):
    """代表小组, territorial or sectoral."""

    queryset = DeputyGroup.objects.all()
    serializer_class = serializers.DeputyGroupSerializer
    filterset_fields = ["congress", "kind", "electoral_unit"]


class CommitteeViewSet(StructureViewSet):
    """专门委员会 and 工作委员会, with the fields they liaise on."""

    queryset = Committee.objects.prefetch_related("fields")
    serializer_class = serializers.CommitteeSerializer
    filterset_fields = ["congress", "kind", "fields"]
    ordering_fields = ["id", "name", "order"]


class HandlingUnitViewSet(StructureViewSet):
    """承办单位 with their kind and parent (``parent__isnull=true`` lists the top level)."""

    queryset = HandlingUnit.objects.select_related("parent")
    serializer_class = serializers.HandlingUnitSerializer
    filterset_fields = {"kind": ["exact"], "parent": ["exact", "isnull"], "is_active": ["exact"]}
    search_fields = ["name", "short_name"]
    ordering_fields = ["id", "name", "order"]


class ExpertiseFieldViewSet(StructureViewSet):
    """领域: fields of work (deputies' expertise, committees' counterparts)."""

    queryset = ExpertiseField.objects.all()
    serializer_class = serializers.ExpertiseFieldSerializer
    ordering_fields = ["id", "name", "order"]
