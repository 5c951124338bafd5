"""Suggestions over /api/v1/suggestions/: drafting, co-signing, review, assignment (one or many at
the assignment meeting), attachments, closing and the history."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lvzhi.core.errors import DomainError
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import HandlingUnit

from ... import selectors, services
from ...filters import SuggestionFilter
from ...models import Suggestion
from .. import serializers as s
from .base import ATTACHMENT_NOT_VISIBLE, FORBIDDEN, ID, REFUSED, STALE, OfficeOnly, ScopedObjectMixin


@extend_schema_view(
    list=extend_schema(
        summary="List suggestions",
        description="The suggestions the user may see (``selectors.suggestion_list``), filtered like the "
        "list page (``SuggestionFilter``), newest first unless ``ordering`` says otherwise.",
    ),
    retrieve=extend_schema(
        summary="Get a suggestion",
        description="With its co-signers, attachments (metadata), units and deadlines, the replies the "
        "user may read with their evaluations, promises, and ``available_actions``.",
        responses=s.SuggestionDetailSerializer,
    ),
)
class SuggestionViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """建议: drafted by a deputy, reviewed, assigned, handled, replied, evaluated, closed.

    No PUT and no DELETE (405): a suggestion is edited field by field with the version read, and
    ends by being withdrawn (an action), rejected or closed."""

    serializer_class = s.SuggestionListSerializer
    filter_backends = [DjangoFilterBackend]  # SuggestionFilter brings its own ``ordering``
    filterset_class = SuggestionFilter
    lookup_value_regex = ID

    def get_queryset(self):
        return selectors.suggestion_list(user=self.request.user)

    def known_count(self, request) -> int | None:
        """The unfiltered list's count, cheaper than ``COUNT(*)`` over the scope (``StandardPagination``)."""
        if self.action != "list":
            return None
        return selectors.suggestion_count_if_unfiltered(user=request.user, params=request.query_params)

    def _representation(self, suggestion_pk: int, *, queryset=None) -> dict:
        """The suggestion's detail as the user sees it now (read again after a service ran)."""
        detail = selectors.suggestion_detail(
            user=self.request.user,
            pk=suggestion_pk,
            queryset=queryset if queryset is not None else self.get_queryset(),
        )
        context = {**self.get_serializer_context(), "detail": detail}
        return s.SuggestionDetailSerializer(detail.suggestion, context=context).data

    def retrieve(self, request, *args, **kwargs):
        suggestion = self.get_object()
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="Draft a suggestion",
        description="A deputy drafts in its own name (``mandate`` may be left out when it has one "
        "active mandate); the office enters a paper suggestion for the deputy it names.",
        request=s.SuggestionCreateSerializer,
        responses={201: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.SuggestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        suggestion = services.suggestion_create(
            actor=request.user,
            mandate=data["mandate"] or _own_mandate(request.user),
            title=data["title"],
            body=data["body"],
            session=data["session"],
            field=data["field"],
            is_confidential=data["is_confidential"],
        )
        queryset = self.get_queryset()
        if not queryset.filter(pk=suggestion.pk).exists():
            # The office's paper draft is outside its scope until submitted (drafts are private):
            # the creator still gets back what it has just written.
            queryset = Suggestion.objects.filter(created_by=request.user)
        return Response(
            self._representation(suggestion.pk, queryset=queryset), status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Edit a suggestion",
        description="Until it is assigned: title, body, field, confidentiality (the office also "
        "``is_hard``). ``version`` as read is required; a stale one gives 409 and changes nothing.",
        request=s.SuggestionUpdateSerializer,
        responses={200: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    def partial_update(self, request, *args, **kwargs):
        suggestion = self.get_object()
        serializer = s.SuggestionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        services.suggestion_update(
            suggestion=suggestion, expected_version=version, changes=changes, actor=request.user
        )
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="Invite co-signers",
        description="The lead deputy invites active deputies of the same term; each confirms or declines.",
        request=s.InviteCosignersSerializer,
        responses={200: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def invite_cosigners(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.InviteCosignersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.suggestion_invite_cosigners(
            suggestion=suggestion, mandates=serializer.validated_data["mandates"], actor=request.user
        )
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="Confirm or decline co-signing",
        description="The invited deputy answers. The last answer awaited sends a suggestion the lead "
        "has already submitted on to review. Returns the deputy's signature.",
        request=s.RespondSerializer,
        responses={200: s.SignerSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def respond(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signer = services.suggestion_cosigner_respond(
            suggestion=suggestion, actor=request.user, confirm=serializer.validated_data["confirm"]
        )
        return Response(s.SignerSerializer(signer).data)

    @extend_schema(
        summary="Submit a suggestion",
        description="To review, or to wait for the co-signers who have not answered; submitting again "
        "while waiting goes on with the confirmed ones.",
        request=s.VersionInputSerializer,
        responses={200: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.VersionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.suggestion_submit(
            suggestion=suggestion, actor=request.user, expected_version=serializer.validated_data["version"]
        )
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="Withdraw a suggestion",
        description="The lead deputy withdraws it, until it is assigned.",
        request=s.WithdrawSerializer,
        responses={200: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.suggestion_withdraw(
            suggestion=suggestion, actor=request.user, reason=data["reason"], expected_version=data["version"]
        )
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="Review a suggestion (first review)",
        description="Accept (classified by field, numbered), return for revision (with a reason), "
        "reject (with one of the inadmissible kinds) or convert to a letter. Office only.",
        request=s.ReviewSerializer,
        responses={200: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def review(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.suggestion_review(
            suggestion=suggestion,
            actor=request.user,
            decision=data["decision"],
            reason=data["reason"],
            rejection_reason=data["rejection_reason"],
            field=data["field"],
            is_hard=data["is_hard"],
            expected_version=data["version"],
        )
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="Assign a suggestion",
        description="To a lead unit with co-units, or split between units; ``merge_group`` to handle it "
        "with others. Deadlines run from ``on`` (default today). Office only.",
        request=s.AssignSerializer,
        responses={200: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def assign(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.suggestion_assign(
            suggestion=suggestion,
            actor=request.user,
            lead=data["lead"],
            co_units=data["co_units"],
            split_units=data["split_units"],
            merge_group=data["merge_group"],
            is_hard=data["is_hard"],
            on=data["on"],
            expected_version=data["version"],
        )
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="Assign many suggestions (assignment meeting)",
        description="All plans in one transaction, all or nothing: any refused plan gives 400 with a "
        "Chinese message naming each refused suggestion, and nothing is assigned. Office only.",
        request=s.AssignBulkSerializer,
        responses={201: s.AssignBulkResultSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"], filter_backends=[], permission_classes=[OfficeOnly])
    def assign_bulk(self, request):
        serializer = s.AssignBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plans = _bulk_plans(data["plans"], user=request.user)
        assignments = services.suggestions_assign_bulk(plans=plans, actor=request.user, on=data["on"])
        result = {"suggestions": len(plans), "assignments": assignments}
        return Response(s.AssignBulkResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Attach a file",
        description="Until the suggestion is assigned. Type, content and size (20 MB) are checked.",
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.AttachmentSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.suggestion_attach(
            suggestion=suggestion, file=serializer.validated_data["file"], actor=request.user
        )
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove an attachment",
        description="Until the suggestion is assigned.",
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={204: None, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(
        detail=True,
        methods=["delete"],
        filter_backends=[],
        url_path=rf"attachments/(?P<attachment_id>{ID})",
        url_name="attachment-remove",
    )
    def attachment_remove(self, request, pk=None, attachment_id=None):
        suggestion = self.get_object()
        attachment = suggestion.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFound(ATTACHMENT_NOT_VISIBLE)
        services.suggestion_attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Close a suggestion",
        description="Once every deputy rated the latest replies 满意 or 基本满意 (or let the window "
        "pass). Office only.",
        request=s.VersionInputSerializer,
        responses={200: s.SuggestionDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, pk=None):
        suggestion = self.get_object()
        serializer = s.VersionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.suggestion_close(
            suggestion=suggestion, actor=request.user, expected_version=serializer.validated_data["version"]
        )
        return Response(self._representation(suggestion.pk))

    @extend_schema(
        summary="History of a suggestion",
        description="Its events, oldest first: who, when, from which status to which, why.",
        responses=s.SuggestionEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        suggestion = self.get_object()
        events = selectors.suggestion_events(suggestion, user=request.user)
        return Response(s.SuggestionEventSerializer(events, many=True).data)


def _own_mandate(user) -> Mandate:
    """The requesting deputy's mandate when it leaves ``mandate`` out: its only mandate, or its
    only active one. The service decides whether that mandate may make suggestions."""
    mandates = list(Mandate.objects.filter(person__user_id=user.pk).select_related("person"))
    active = [mandate for mandate in mandates if mandate.status == MandateStatus.ACTIVE]
    if len(mandates) == 1:
        return mandates[0]
    if len(active) == 1:
        return active[0]
    raise ValidationError({"mandate": [_("请指定领衔代表的代表资格（mandate）。")]})


def _bulk_plans(rows: list[dict], *, user) -> list[services.AssignmentPlan]:
    """Resolve the ids of a bulk assignment in two queries; an id the user cannot see refuses the
    whole batch, naming each plan concerned, like the service's own refusals."""
    suggestions = selectors.suggestions_visible_to(user).in_bulk([row["suggestion"] for row in rows])
    unit_ids = {
        unit_id
        for row in rows
        for unit_id in [row["lead"], *row["co_units"], *row["split_units"]]
        if unit_id is not None
    }
    units = HandlingUnit.objects.in_bulk(list(unit_ids))
    errors = []
    for index, row in enumerate(rows, start=1):
        if row["suggestion"] not in suggestions:
            errors.append(_("第{index}条：未找到建议（{id}）。").format(index=index, id=row["suggestion"]))
        missing = [
            str(unit_id)
            for unit_id in [row["lead"], *row["co_units"], *row["split_units"]]
            if unit_id is not None and unit_id not in units
        ]
        if missing:
            errors.append(
                _("第{index}条：未找到承办单位（{ids}）。").format(index=index, ids="、".join(missing))
            )
    if errors:
        raise DomainError(
            _("以下建议不能交办，本次全部未交办：{errors}").format(errors="；".join(str(e) for e in errors)),
            field="plans",
        )
    return [
        services.AssignmentPlan(
            suggestion=suggestions[row["suggestion"]],
            lead=units.get(row["lead"]) if row["lead"] is not None else None,
            co_units=[units[unit_id] for unit_id in row["co_units"]],
            split_units=[units[unit_id] for unit_id in row["split_units"]],
            merge_group=row["merge_group"],
            is_hard=row["is_hard"],
        )
        for row in rows
    ]
