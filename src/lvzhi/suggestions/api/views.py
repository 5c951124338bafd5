"""Suggestions over /api/v1/: the suggestions, the units' work, objections, promises, replies and
their evaluations, and the rules per congress.

Same rules as the pages. Every object is looked up in the user's scoped queryset first
(``selectors.suggestion_list``, ``selectors.unit_work_list`` and the querysets derived from them
below), so an object outside the user's scope is 404, never 403. Every transition is an action
that validates the shape of its input and calls exactly one service; the service checks role,
scope, state and rule and refuses in Chinese: 403 (``ForbiddenError``) for the role on a visible
object, 400 (``DomainError``) for the rule, 409 (``ConflictError``) for a stale ``version``
(``core.api.exception_handler``). Nothing is deleted but an attachment before assignment:
a suggestion ends by being withdrawn, rejected or closed.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import Congress, HandlingUnit

from .. import selectors, services, workflow
from ..choices import AssignmentStatus, CommitmentStatus, ReplyStatus
from ..filters import AssignmentFilter, SuggestionFilter
from ..models import (
    Assignment,
    Commitment,
    Objection,
    Reply,
    ReplyRecipient,
    Suggestion,
    SuggestionRules,
)
from ..rules import rules_for
from . import serializers as s

NOT_VISIBLE = _("未找到该建议，或您无权查看。")
ASSIGNMENT_NOT_VISIBLE = _("未找到该交办记录，或您无权查看。")
OBJECTION_NOT_VISIBLE = _("未找到该交办异议，或您无权查看。")
COMMITMENT_NOT_VISIBLE = _("未找到该承诺事项，或您无权查看。")
REPLY_NOT_VISIBLE = _("未找到该答复，或您无权查看。")
RECIPIENT_NOT_VISIBLE = _("未找到该答复对象，或您无权查看。")
ATTACHMENT_NOT_VISIBLE = _("未找到该附件。")

ID = "[0-9]+"
STALE = OpenApiResponse(description="Stale version: somebody changed it since it was read.")
REFUSED = OpenApiResponse(description='Refused by a rule of the domain: ``{"detail": <Chinese message>}``.')
FORBIDDEN = OpenApiResponse(description="The user's role or scope does not allow the action.")
MULTIPART_OR_JSON = [MultiPartParser, FormParser, JSONParser]


# --- Scopes: everything starts from the selectors --------------------------------------------------


def _is_unit_staff(user) -> bool:
    return bool(user.is_authenticated and not is_office(user) and user.role == Role.HANDLING_UNIT_STAFF)


def _assignments_in_scope(user) -> QuerySet[Assignment]:
    """The assignments whose objections and promises ``user`` may reach: for unit staff their own
    unit's (the work list); for everybody else those of the suggestions they see."""
    if _is_unit_staff(user):
        return Assignment.objects.filter(pk__in=selectors.unit_work_list(user=user).values("pk"))
    return Assignment.objects.filter(suggestion__in=selectors.suggestions_visible_to(user))


def _replies_with_recipients(replies: QuerySet[Reply]) -> QuerySet[Reply]:
    return (
        replies.select_related("assignment__unit", "assignment__parent")
        .prefetch_related(
            Prefetch(
                "recipients",
                queryset=ReplyRecipient.objects.select_related("mandate__person", "evaluation"),
            )
        )
        .order_by("id")
    )


class ScopedObjectMixin:
    """``get_object`` from the scoped queryset alone (never narrowed by list filters), with a
    Chinese 404 that does not say whether the object exists."""

    not_found_message = NOT_VISIBLE

    def get_object(self):
        lookup = self.lookup_url_kwarg or self.lookup_field
        try:
            obj = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        except Http404:
            raise NotFound(self.not_found_message) from None
        self.check_object_permissions(self.request, obj)
        return obj


class OfficeOnly(permissions.BasePermission):
    """Actions that are the office's alone before any object is involved (bulk assignment)."""

    message = workflow.OFFICE.refusal

    def has_permission(self, request, view) -> bool:
        return is_office(request.user)


# --- Suggestions ---------------------------------------------------------------------------------------


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


# --- The units' work ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="A unit's work list",
        description="Unit staff: their unit's assignments with due dates (``selectors.unit_work_list``); "
        "the office names the unit with ``unit``. Soonest reply due first unless ``ordering`` says "
        "otherwise.",
        parameters=[s.WorkListQuerySerializer],
    ),
    retrieve=extend_schema(summary="Get an assignment", responses=s.WorkItemDetailSerializer),
)
class AssignmentViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """交办: one unit's assignment of a suggestion, and the unit's work on it. Unit staff reach only
    their own unit's assignments (another unit's is 404); the office reads any assignment of the
    suggestions it sees."""

    serializer_class = s.WorkItemSerializer
    filter_backends = [DjangoFilterBackend]  # AssignmentFilter brings its own ``ordering``
    filterset_class = AssignmentFilter
    lookup_value_regex = ID
    not_found_message = ASSIGNMENT_NOT_VISIBLE

    def get_queryset(self):
        user = self.request.user
        if self.action != "list" and is_office(user):
            return (
                Assignment.objects.filter(suggestion__in=selectors.suggestions_visible_to(user))
                .exclude(status=AssignmentStatus.CANCELLED)
                .select_related(
                    "suggestion__congress",
                    "suggestion__lead_mandate__person",
                    "suggestion__field",
                    "unit",
                    "parent__unit",
                )
                .annotate(
                    open_commitments=Count("commitments", filter=Q(commitments__status=CommitmentStatus.OPEN))
                )
            )
        return selectors.unit_work_list(user=user, unit=self._requested_unit())

    def _requested_unit(self):
        if self.action != "list":
            return None
        query = s.WorkListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("unit")

    def _representation(self, assignment_pk: int) -> dict:
        assignment = self.get_queryset().prefetch_related("objections").get(pk=assignment_pk)
        return s.WorkItemDetailSerializer(assignment, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._representation(self.get_object().pk))

    def _reply_representation(self, reply_pk: int, *, status_code=status.HTTP_200_OK) -> Response:
        reply = _replies_with_recipients(selectors.replies_visible_to(self.request.user)).get(pk=reply_pk)
        return Response(s.ReplySerializer(reply).data, status=status_code)

    @extend_schema(
        summary="Acknowledge receipt (签收)",
        request=None,
        responses={200: s.WorkItemDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def acknowledge(self, request, pk=None):
        assignment = self.get_object()
        services.assignment_acknowledge(assignment=assignment, actor=request.user)
        return Response(self._representation(assignment.pk))

    @extend_schema(
        summary="Object to the assignment (异议)",
        description="Within the objection window (working days from the assignment date); the office "
        "decides.",
        request=s.ObjectInputSerializer,
        responses={201: s.ObjectionSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def object(self, request, pk=None):
        assignment = self.get_object()
        serializer = s.ObjectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.assignment_object(
            assignment=assignment, reason=serializer.validated_data["reason"], actor=request.user
        )
        objection = Objection.objects.select_related("assignment__unit").get(pk=objection.pk)
        return Response(s.ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Re-assign to a sub-unit (转办)",
        description="The sub-unit handles and replies in the unit's place, with the same deadlines. "
        "Returns the sub-unit's new assignment.",
        request=s.ReassignSerializer,
        responses={201: s.AssignmentSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reassign(self, request, pk=None):
        assignment = self.get_object()
        serializer = s.ReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = services.assignment_reassign(
            assignment=assignment, sub_unit=data["sub_unit"], actor=request.user, on=data["on"]
        )
        return Response(s.AssignmentSerializer(child).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit the co-unit's input (协办意见)",
        request=s.InputSerializer,
        responses={200: s.WorkItemDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def input(self, request, pk=None):
        assignment = self.get_object()
        serializer = s.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assignment_input_submit(
            assignment=assignment, text=serializer.validated_data["text"], actor=request.user
        )
        return Response(self._representation(assignment.pk))

    @extend_schema(
        methods=["GET"],
        summary="List the contacts with the deputies",
        responses=s.ContactSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Log a contact with a deputy",
        description="Art. 51: before, during and after handling; with the lead deputy or a confirmed "
        "co-signer, dated between the assignment and today.",
        request=s.ContactInputSerializer,
        responses={201: s.ContactSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def contacts(self, request, pk=None):
        assignment = self.get_object()
        if request.method == "GET":
            contacts = assignment.contacts.select_related("deputy__person").order_by("contacted_on", "id")
            return Response(s.ContactSerializer(contacts, many=True).data)
        serializer = s.ContactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contact = services.contact_log(
            assignment=assignment,
            actor=request.user,
            deputy=data["deputy"],
            contacted_on=data["contacted_on"],
            stage=data["stage"],
            method=data["method"],
            note=data["note"],
        )
        return Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="List the unit's promises on this assignment",
        responses=s.CommitmentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a promise (承诺事项)",
        request=s.CommitmentInputSerializer,
        responses={201: s.CommitmentSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def commitments(self, request, pk=None):
        assignment = self.get_object()
        if request.method == "GET":
            commitments = assignment.commitments.select_related("unit").order_by("due_date", "id")
            return Response(s.CommitmentSerializer(commitments, many=True).data)
        serializer = s.CommitmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commitment = services.commitment_record(
            assignment=assignment, text=data["text"], due_date=data["due_date"], actor=request.user
        )
        return Response(s.CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Draft or revise the reply",
        description="Multipart with ``letter``, the sealed reply letter (PDF); completeness is checked "
        "when it is submitted. ``version``: the draft's version as read (stale: 409).\n\n"
        "并案: with ``apply_to_merged`` the same reply (text, result class, signer and the same stored "
        "letter) is drafted too on the unit's other assignments of this assignment's merge group that "
        "may be drafted now (acknowledged or re-handling, no reply awaiting review, suggestion open), "
        "returned in ``merged_replies``; those that may not are left as they are and listed in "
        "``merged_skipped`` with the reason. Each suggestion keeps its own reply: submitted on its own "
        "(``submit_reply`` on each assignment), it gets its own recipients, so every deputy receives "
        "and evaluates a reply to its own suggestion. All or nothing: any refusal (400/403/409) "
        "drafts none; 400 when the assignment is not merged.",
        request={
            "multipart/form-data": s.ReplyDraftSerializer,
            "application/json": s.ReplyDraftSerializer,
        },
        responses={200: s.ReplyDraftResultSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[], parser_classes=MULTIPART_OR_JSON)
    def draft_reply(self, request, pk=None):
        assignment = self.get_object()
        serializer = s.ReplyDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values = {
            "assignment": assignment,
            "actor": request.user,
            "body": data["body"],
            "result_class": data["result_class"],
            "signed_by": data["signed_by"],
            "letter": data["letter"],
            "expected_version": data["version"],
        }
        if data["apply_to_merged"]:
            merged = services.reply_draft_merged(**values)
            drafted, skipped = merged.replies, merged.skipped
        else:
            drafted, skipped = [services.reply_draft(**values)], []
        order = [reply.pk for reply in drafted]
        replies = _replies_with_recipients(selectors.replies_visible_to(request.user)).in_bulk(order)
        reply = replies[order[0]]
        reply.merged_replies = [replies[pk] for pk in order[1:]]
        reply.merged_skipped = [{"assignment": other, "reason": reason} for other, reason in skipped]
        return Response(s.ReplyDraftResultSerializer(reply).data)

    @extend_schema(
        summary="Submit the reply",
        description="Submits the drafted reply (text, result class, signer and sealed letter required); "
        "one recipient per deputy. With the second review on it waits for the office; otherwise it is "
        "released at once.",
        request=None,
        responses={200: s.ReplySerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit_reply(self, request, pk=None):
        assignment = self.get_object()
        # At most one reply is open per assignment: the latest one. Should it be out already, the
        # service refuses it with the workflow's message.
        reply = assignment.replies.order_by("-id").first()
        if reply is None:
            raise DomainError(_("尚无答复可提交，请先起草答复。"))
        services.reply_submit(reply=reply, actor=request.user)
        return self._reply_representation(reply.pk)

    @extend_schema(
        summary="Follow-up reply (跟踪答复)",
        description="Once a B or C matter is solved, also after closing: complete at once, with the "
        "sealed letter (PDF); sent straight to the deputies.",
        request={"multipart/form-data": s.FollowUpReplySerializer},
        responses={201: s.ReplySerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[], parser_classes=[MultiPartParser, FormParser])
    def follow_up_reply(self, request, pk=None):
        assignment = self.get_object()
        serializer = s.FollowUpReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reply = services.suggestion_follow_up_reply(
            assignment=assignment,
            actor=request.user,
            body=data["body"],
            result_class=data["result_class"],
            signed_by=data["signed_by"],
            letter=data["letter"],
        )
        return self._reply_representation(reply.pk, status_code=status.HTTP_201_CREATED)


# --- Objections, promises, replies, evaluations ---------------------------------------------------------


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
        return _replies_with_recipients(selectors.replies_visible_to(self.request.user))

    @extend_schema(
        summary="Review a reply (second review)",
        description="Release it to the deputies (each gets the evaluation window), or return it to the "
        "unit with a reason. Office only.",
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
            reply=reply, actor=request.user, release=data["decision"] == "release", reason=data["reason"]
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


# --- Rules per congress ----------------------------------------------------------------------------------


class RulesPermission(permissions.BasePermission):
    """Everybody signed in reads a congress's rules; the office alone changes them."""

    message = _("只有代表工委工作人员可以修改建议办理规则。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or is_office(user)


CONGRESS_PATH = OpenApiParameter(
    "congress", OpenApiTypes.INT, OpenApiParameter.PATH, description="The congress's id."
)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Get a congress's suggestion rules",
        description="The congress's rules, or the defaults (DOMAIN §5) while it has none (``is_default``).",
        parameters=[CONGRESS_PATH],
    ),
    update=extend_schema(
        summary="Set a congress's suggestion rules",
        description="Office only. Checked by the model (ranges, number formats, result classes, stage "
        "names); refused with 400 and the Chinese messages per field.",
        parameters=[CONGRESS_PATH],
        responses={200: s.SuggestionRulesSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Change some of a congress's suggestion rules",
        description="Office only; like PUT for the fields sent.",
        parameters=[CONGRESS_PATH],
        responses={200: s.SuggestionRulesSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
)
class SuggestionRulesViewSet(viewsets.GenericViewSet):
    """建议办理规则: one per congress; reading a congress without a row gives the defaults, writing
    creates it."""

    queryset = SuggestionRules.objects.all()
    serializer_class = s.SuggestionRulesSerializer
    permission_classes = [RulesPermission]
    filter_backends = []
    pagination_class = None
    lookup_field = "congress"
    lookup_value_regex = ID

    def get_object(self) -> SuggestionRules:
        congress = Congress.objects.filter(pk=self.kwargs["congress"]).first()
        if congress is None:
            raise NotFound(_("未找到该人大。"))
        return rules_for(congress)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            # One writer per congress at a time: the first PUT creates the row.
            Congress.objects.select_for_update().filter(pk=self.kwargs["congress"]).exists()
            rules = self.get_object()
            serializer = self.get_serializer(rules, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            for name, value in serializer.validated_data.items():
                setattr(rules, name, value)
            try:
                rules.full_clean()
            except DjangoValidationError as error:
                raise ValidationError(error.message_dict) from None
            rules._history_user = request.user
            rules.save()
        return Response(self.get_serializer(rules).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
