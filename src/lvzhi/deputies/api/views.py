"""The registry over /api/v1/: mandates, their qualification events and history, roster imports.

Same rules as the pages. What a user may see comes from ``selectors.mandate_list`` only, so a
mandate out of scope is 404, never 403; writes go through ``services`` (office only: 403 for a
visible mandate); domain refusals come back as ``{"detail": <Chinese message>}`` with their status
(``core.api.exception_handler``). Nothing is deleted: a mandate ends with an event.
"""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, mixins, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from lvzhi.accounts.roles import can_import_roster, can_manage_registry, may_see_history
from lvzhi.core.excel import XLSX_CONTENT_TYPE, xlsx_response

from .. import selectors, services
from ..filters import MandateFilter
from ..models import Mandate, Person, RosterImport
from . import serializers

NOT_VISIBLE = _("未找到该代表，或您无权查看。")


class RegistryPermission(permissions.BasePermission):
    """Signed-in users read what their scope shows; only the office writes.

    The write check is an object permission so that ``get_object`` answers 404 first for a
    mandate outside the user's scope: nobody learns that it exists.
    """

    message = _("您没有维护代表名册的权限。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action == "create":
            return can_manage_registry(user)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or can_manage_registry(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List mandates",
        description="The mandates the user may see, filtered like the registry page. Private contact "
        "data (ID number, phone, e-mail, address) is always masked in the list.",
    ),
    retrieve=extend_schema(
        summary="Get a mandate",
        description="Private contact data in full only for the office, leaders, the deputy itself and "
        "the county staff of its electoral unit; masked for everybody else.",
    ),
)
class MandateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """代表资格: the registry. No DELETE (405): nothing is ever lost; a mandate ends with an event."""

    serializer_class = serializers.MandateSerializer
    permission_classes = [RegistryPermission]
    filter_backends = [DjangoFilterBackend]  # MandateFilter brings its own ``ordering``
    filterset_class = MandateFilter

    def get_queryset(self):
        return selectors.mandate_list(user=self.request.user).order_by(
            "electoral_unit__order", "card_number", "id"
        )

    def get_object(self) -> Mandate:
        # Missing and out of scope read the same, in Chinese, as on the pages.
        try:
            return super().get_object()
        except Http404:
            raise NotFound(NOT_VISIBLE) from None

    def get_serializer_context(self) -> dict:
        # Full private contact data is never part of a list, whoever reads it.
        return {**super().get_serializer_context(), "show_private_contact": self.action != "list"}

    def _representation(self, pk: int) -> dict:
        mandate = selectors.mandate_get(user=self.request.user, pk=pk)
        return serializers.MandateSerializer(mandate, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Seat a deputy",
        request=serializers.DeputyCreateSerializer,
        responses={201: serializers.MandateSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Create the person (or find it by ID number) and the mandate with its election event."""
        serializer = serializers.DeputyCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        mandate = services.deputy_create(data=serializer.deputy_data(), actor=request.user)
        return Response(self._representation(mandate.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a mandate",
        request=serializers.MandateUpdateSerializer,
        responses={200: serializers.MandateSerializer, 409: OpenApiResponse(description="Stale version.")},
    )
    def update(self, request, *args, **kwargs):
        """Edit the mandate and its person; ``version`` (and ``person.version``) as read are required."""
        mandate = self.get_object()
        serializer = serializers.MandateUpdateSerializer(
            data=request.data,
            partial=kwargs.get("partial", False),
            context={**self.get_serializer_context(), "mandate": mandate},
        )
        serializer.is_valid(raise_exception=True)
        _apply_update(mandate, dict(serializer.validated_data), actor=request.user)
        return Response(self._representation(mandate.pk))

    @extend_schema(
        summary="Edit some fields of a mandate",
        request=serializers.MandateUpdateSerializer,
        responses={200: serializers.MandateSerializer, 409: OpenApiResponse(description="Stale version.")},
    )
    def partial_update(self, request, *args, **kwargs):
        """Like PUT, but only the fields sent change; ``version`` is still required."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        methods=["GET"],
        summary="List a mandate's qualification events",
        description="Oldest first. ``actor`` (who recorded it) only for those who may see the history.",
        responses=serializers.MandateEventSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a qualification event",
        description="Arts. 61-63: the event must be possible in the mandate's status and dated between "
        "the mandate's start (and its last event) and today; otherwise 400 and nothing is written.",
        request=serializers.MandateEventInputSerializer,
        responses={201: serializers.MandateEventSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        mandate = self.get_object()
        context = {**self.get_serializer_context(), "show_actor": may_see_history(request.user, mandate)}
        if request.method == "GET":
            events = selectors.mandate_events(mandate)
            return Response(serializers.MandateEventSerializer(events, many=True, context=context).data)
        serializer = serializers.MandateEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = services.mandate_event_record(
            mandate_id=mandate.pk,
            type=data["type"],
            on=data["date"],
            actor=request.user,
            reason=data["reason"],
            document_reference=data["document_reference"],
            suspension_cause=data["suspension_cause"],
            cause_ends_on=data["cause_ends_on"],
            announcement_number=data["announcement_number"],
            announcement_date=data["announcement_date"],
            announcement_text=data["announcement_text"],
        )
        return Response(
            serializers.MandateEventSerializer(event, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Change history of a mandate and its person",
        description="Who changed what and when, newest first. Only for those who may see it (the "
        "office, leaders, the deputy's county); 404 for everybody else.",
        responses=serializers.HistoryEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        mandate = self.get_object()
        if not may_see_history(request.user, mandate):
            raise NotFound(NOT_VISIBLE)
        return Response(
            serializers.HistoryEntrySerializer(selectors.mandate_history(mandate), many=True).data
        )


def _apply_update(mandate: Mandate, data: dict, *, actor) -> None:
    """Write the changed values through the services, person and mandate in one transaction.

    Only what differs from the stored values is sent, so an unchanged PUT writes no history. A
    part with nothing to change still has its version checked: the client's view must be current.
    """
    version = data.pop("version")
    person_data = data.pop("person", None)
    fields = data.pop("fields", None)
    groups = data.pop("groups", None)
    with transaction.atomic():
        if person_data is not None:
            person_version = person_data.pop("version")
            person = mandate.person
            changes = {name: value for name, value in person_data.items() if getattr(person, name) != value}
            if changes:
                services.person_update(
                    person_id=person.pk, expected_version=person_version, changes=changes, actor=actor
                )
            else:
                Person.lock_for_edit(person.pk, person_version)
        changes = {name: value for name, value in data.items() if getattr(mandate, name) != value}
        if fields is not None and {f.pk for f in fields} == {f.pk for f in mandate.fields.all()}:
            fields = None
        if groups is not None and {g.pk for g in groups} == {g.pk for g in mandate.groups.all()}:
            groups = None
        if changes or fields is not None or groups is not None:
            services.mandate_update(
                mandate_id=mandate.pk,
                expected_version=version,
                changes=changes,
                fields=fields,
                groups=groups,
                actor=actor,
            )
        else:
            Mandate.lock_for_edit(mandate.pk, version)


# --- Roster import -----------------------------------------------------------------------------


class RosterImportPermission(permissions.BasePermission):
    """Roster imports are the office's work alone."""

    message = _("您没有导入代表名册的权限。")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and can_import_roster(request.user))


class XlsxRenderer(renderers.BaseRenderer):
    """Lets a client ask for the template with ``Accept: <xlsx>``; the view returns the bytes."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only an error (a dict) reaches here; it is sent as JSON bytes.
        return data if isinstance(data, bytes) else renderers.JSONRenderer().render(data)


@extend_schema_view(
    list=extend_schema(summary="List roster imports"),
    retrieve=extend_schema(
        summary="Get a roster import", description="Poll it for status, errors and progress."
    ),
)
class RosterImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """名册导入: upload, check row by row, preview, then apply all at once or cancel (office only)."""

    serializer_class = serializers.RosterImportSerializer
    permission_classes = [RosterImportPermission]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_fields = ["congress", "term", "status"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        imports = RosterImport.objects.select_related("congress", "term", "created_by", "applied_by")
        return imports if can_import_roster(self.request.user) else imports.none()

    def get_object(self) -> RosterImport:
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("未找到该名册导入。")) from None

    def _representation(self, pk: int) -> dict:
        # Read again: checking or applying may have moved on after the service returned.
        roster_import = self.get_queryset().get(pk=pk)
        return serializers.RosterImportSerializer(roster_import, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Upload a roster",
        request={"multipart/form-data": serializers.RosterImportCreateSerializer},
        responses={201: serializers.RosterImportSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Upload an Excel roster; it is checked row by row and previewed, nothing is imported yet."""
        from ..importer import roster_import_create  # importer.py may land after this module

        serializer = serializers.RosterImportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        roster_import = roster_import_create(
            file=data["file"], congress=data["congress"], term=data["term"], actor=request.user
        )
        return Response(self._representation(roster_import.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Apply a checked roster", request=None, responses=serializers.RosterImportSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def apply(self, request, pk=None):
        """Import every row of a checked roster, all or nothing."""
        from ..importer import roster_import_apply

        roster_import = self.get_object()
        roster_import_apply(import_id=roster_import.pk, actor=request.user)
        return Response(self._representation(roster_import.pk))

    @extend_schema(
        summary="Cancel a roster import", request=None, responses=serializers.RosterImportSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        """Drop an upload that has not been applied."""
        from ..importer import roster_import_cancel

        roster_import = self.get_object()
        roster_import_cancel(import_id=roster_import.pk, actor=request.user)
        return Response(self._representation(roster_import.pk))

    @extend_schema(
        summary="Download the roster template",
        parameters=[serializers.RosterTemplateQuerySerializer],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    @action(
        detail=False,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[renderers.JSONRenderer, XlsxRenderer],
    )
    def template(self, request):
        """The Excel template of a congress's roster (its electoral units and enumerations)."""
        from ..importer import roster_template_bytes

        query = serializers.RosterTemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        congress = query.validated_data["congress"]
        filename = _("代表名册导入模板（{congress}）.xlsx").format(
            congress=congress.short_name or congress.name
        )
        return xlsx_response(roster_template_bytes(congress=congress), filename)
