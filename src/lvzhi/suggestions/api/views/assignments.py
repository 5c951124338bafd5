"""The units' work over /api/v1/suggestion-assignments/: the work list and each step of a unit on
its assignment, up to the reply."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError

from ... import selectors, services
from ...choices import AssignmentStatus, CommitmentStatus
from ...filters import AssignmentFilter
from ...models import Assignment, Objection
from .. import serializers as s
from .base import (
    ASSIGNMENT_NOT_VISIBLE,
    FORBIDDEN,
    ID,
    MULTIPART_OR_JSON,
    REFUSED,
    STALE,
    ScopedObjectMixin,
    replies_with_recipients,
)


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
        reply = replies_with_recipients(selectors.replies_visible_to(self.request.user)).get(pk=reply_pk)
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
        replies = replies_with_recipients(selectors.replies_visible_to(request.user)).in_bulk(order)
        reply = replies[order[0]]
        reply.merged_replies = [replies[pk] for pk in order[1:]]
        reply.merged_skipped = [{"assignment": other, "reason": reason} for other, reason in skipped]
        return Response(s.ReplyDraftResultSerializer(reply).data)

    @extend_schema(
        summary="Submit the reply",
        description="Submits the drafted reply (text, result class, signer and sealed letter required); "
        "one recipient per deputy. Art. 51: without a contact with the lead deputy on record, "
        "``no_contact_reason`` (unreachable / declined) and ``no_contact_note`` say why, or it is "
        "refused. With the second review on it waits for the office; otherwise it is released at once.",
        request=s.SubmitReplySerializer,
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
        body = s.SubmitReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reply_submit(reply=reply, actor=request.user, **body.validated_data)
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
