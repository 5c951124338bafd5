"""Motions over /api/v1/motions/: the list and detail, drafting, and one action endpoint per
transition (sign, submit, withdraw, decide, activities, attendance, report, close), plus the history.

Same rules as the pages. What a user may see comes from ``selectors.motion_list`` only, so a motion
out of scope is 404, never 403; every write goes through ``services``, whose refusals come back as
``{"detail": <Chinese message>}`` with 400 (the rule or state), 403 (role or scope on a visible
motion) or 409 (a stale ``version``) — ``core.api.exception_handler``. Nothing is deleted.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from lvzhi.suggestions.rules import rules_for

from .. import selectors, services
from ..filters import MotionFilter
from ..models import Motion
from . import serializers

NOT_VISIBLE = _("未找到该议案，或您无权查看。")
REFUSALS = {
    400: OpenApiResponse(description="Refused by the rules or the state; nothing changed (Chinese detail)."),
    403: OpenApiResponse(description="The user's role or scope does not allow it on this motion."),
    404: OpenApiResponse(description="No such motion, or not visible to the user."),
}
VERSIONED_REFUSALS = {**REFUSALS, 409: OpenApiResponse(description="Stale version: reload and retry.")}


def _transition(summary: str, description: str, request, *, versioned: bool = True):
    """The schema of an action endpoint: its input, the motion as it is afterwards, the refusals."""
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={
            200: serializers.MotionDetailSerializer,
            **(VERSIONED_REFUSALS if versioned else REFUSALS),
        },
    )


@extend_schema_view(
    list=extend_schema(
        summary="List motions",
        description="The motions the user may see (office and leaders: all but deputies' drafts; deputies: "
        "their own and every motion received in their congress; committee staff: those sent to their "
        "committee; county staff: their unit's), filtered like the motion page.",
    ),
    retrieve=extend_schema(
        summary="Get a motion",
        description="With the decision, the committee's activities, the report and the reader's "
        "``available_actions``.",
        responses={200: serializers.MotionDetailSerializer, 404: REFUSALS[404]},
    ),
)
class MotionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """议案. No DELETE: a motion is withdrawn, never removed."""

    serializer_class = serializers.MotionSerializer
    filter_backends = [DjangoFilterBackend]  # MotionFilter brings its own ``ordering``
    filterset_class = MotionFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.motion_list(user=self.request.user).order_by("-session__start_date", "number", "-id")

    def get_object(self) -> Motion:
        # Missing and out of scope read the same, in Chinese, as on the pages.
        try:
            return super().get_object()
        except Http404:
            raise NotFound(NOT_VISIBLE) from None

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        try:
            motion = selectors.motion_get(user=self.request.user, pk=pk)
        except Motion.DoesNotExist:
            raise NotFound(NOT_VISIBLE) from None
        context = {**self.get_serializer_context(), "rules": rules_for(motion.congress_id)}
        return Response(serializers.MotionDetailSerializer(motion, context=context).data, status=status_code)

    def _input(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _activity(self, motion_pk: int, activity_pk: int) -> dict:
        """One activity as it is now, with its participants (read through the scoped selector)."""
        motion = selectors.motion_get(user=self.request.user, pk=motion_pk)
        activity = next(a for a in motion.activities.all() if a.pk == activity_pk)
        return serializers.MotionActivitySerializer(activity).data

    def retrieve(self, request, *args, **kwargs):
        return self._detail(kwargs["pk"])

    @extend_schema(
        summary="Draft a motion",
        description="Led by ``lead_mandate`` (the deputy's own; any for the office) with ``cosigners`` "
        "invited, or raised by a ``delegation`` (office or its county staff). Subject, grounds and plan "
        "are required; the session must not have closed.",
        request=serializers.MotionCreateSerializer,
        responses={201: serializers.MotionDetailSerializer, **REFUSALS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(serializers.MotionCreateSerializer)
        motion = services.motion_create(
            actor=request.user,
            session=data["session"],
            mandate=data.get("lead_mandate"),
            delegation=data.get("delegation"),
            subject=data["subject"],
            grounds=data["grounds"],
            plan=data["plan"],
            field=data.get("field"),
            cosigners=data.get("cosigners", []),
        )
        return self._detail(motion.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a draft",
        description="``version`` as read is required. Changing subject, grounds or plan asks the "
        "confirmed co-signers to confirm again; ``cosigners``, when sent, is the whole list.",
        request=serializers.MotionUpdateSerializer,
        responses={200: serializers.MotionDetailSerializer, **VERSIONED_REFUSALS},
    )
    def update(self, request, *args, **kwargs):
        motion = self.get_object()
        data = dict(self._input(serializers.MotionUpdateSerializer, partial=kwargs.get("partial", False)))
        version = data.pop("version", None)
        if version is None:
            return Response({"detail": str(_("请提供读取时的版本号（version）。"))}, status=400)
        cosigners = data.pop("cosigners", None)
        services.motion_update(
            motion=motion, expected_version=version, changes=data, cosigners=cosigners, actor=request.user
        )
        return self._detail(motion.pk)

    @extend_schema(
        summary="Edit some fields of a draft",
        request=serializers.MotionUpdateSerializer,
        responses={200: serializers.MotionDetailSerializer, **VERSIONED_REFUSALS},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @_transition(
        "Confirm or decline co-signing",
        "The invited deputy confirms (附议) or declines, while the motion is a draft.",
        serializers.SignInputSerializer,
        versioned=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def sign(self, request, pk=None):
        data = self._input(serializers.SignInputSerializer)
        services.motion_sign(motion=self.get_object(), actor=request.user, confirm=data["confirm"])
        return self._detail(pk)

    @_transition(
        "Submit a motion",
        "Refused without subject, grounds and plan, after the session closed, or with fewer confirmed "
        "co-signers than the congress's rule (default 10) unless a delegation raised it. Numbered 第N号 "
        "per session.",
        serializers.VersionedInputSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, pk=None):
        data = self._input(serializers.VersionedInputSerializer)
        services.motion_submit(
            motion=self.get_object(), actor=request.user, expected_version=data.get("version")
        )
        return self._detail(pk)

    @_transition(
        "Withdraw a motion",
        "Before the presidium decides.",
        serializers.VersionedInputSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request, pk=None):
        data = self._input(serializers.VersionedInputSerializer)
        services.motion_withdraw(
            motion=self.get_object(),
            actor=request.user,
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return self._detail(pk)

    @_transition(
        "Record the presidium's decision",
        "Office only. ``place_on_agenda``: ``committee`` required, ``report_due`` defaults to October 31 "
        "of the session's year. ``convert``: ``reason`` required; a suggestion with the motion's text, "
        "lead and co-signers is created and submitted (``converted_suggestion``).",
        serializers.DecisionInputSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request, pk=None):
        data = self._input(serializers.DecisionInputSerializer)
        services.motion_decide(
            motion=self.get_object(),
            actor=request.user,
            outcome=data["outcome"],
            decided_on=data.get("decided_on"),
            reason=data["reason"],
            committee=data.get("committee"),
            report_due=data.get("report_due"),
            suggestion_lead=data.get("suggestion_lead"),
            expected_version=data.get("version"),
        )
        return self._detail(pk)

    @extend_schema(
        methods=["GET"],
        summary="List the committee's activities on a motion",
        responses=serializers.MotionActivitySerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Invite the proposers into an activity",
        description="Research, drafting, review or a forum (Art. 50), by the staff of the committee the "
        "motion was sent to, or the office. Only the proposers may be invited; ``attended`` (once held) "
        "records who took part.",
        request=serializers.ActivityInputSerializer,
        responses={201: serializers.MotionActivitySerializer, **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def activities(self, request, pk=None):
        motion = self.get_object()
        if request.method == "GET":
            activities = selectors.motion_get(user=request.user, pk=motion.pk).activities.all()
            return Response(serializers.MotionActivitySerializer(activities, many=True).data)
        data = self._input(serializers.ActivityInputSerializer)
        activity = services.motion_activity_record(
            motion=motion,
            actor=request.user,
            kind=data["kind"],
            held_on=data["held_on"],
            title=data["title"],
            location=data["location"],
            note=data["note"],
            invited=data["invited"],
            attended=data.get("attended"),
        )
        return Response(self._activity(motion.pk, activity.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record attendance at an activity",
        description="Who of the invited proposers took part (the others: absent), once it was held.",
        request=serializers.AttendanceInputSerializer,
        responses={200: serializers.MotionActivitySerializer, **REFUSALS},
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        url_path=r"activities/(?P<activity_id>[0-9]+)/attendance",
    )
    def attendance(self, request, pk=None, activity_id=None):
        motion = self.get_object()
        activity = motion.activities.filter(pk=activity_id).first()
        if activity is None:
            raise NotFound(_("未找到该活动。"))
        data = self._input(serializers.AttendanceInputSerializer)
        services.motion_activity_attendance_record(
            activity=activity, attended=data["attended"], actor=request.user
        )
        return Response(self._activity(motion.pk, activity.pk))

    @extend_schema(
        summary="Submit the committee's report",
        description="By the staff of the committee the motion was sent to. A report after ``report_due`` "
        "is accepted and flagged ``is_report_late``. ``file``: PDF or Word, at most 20 MB.",
        request={
            "multipart/form-data": serializers.ReportInputSerializer,
            "application/json": serializers.ReportInputSerializer,
        },
        responses={200: serializers.MotionDetailSerializer, **VERSIONED_REFUSALS},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def report(self, request, pk=None):
        data = self._input(serializers.ReportInputSerializer)
        services.motion_report_submit(
            motion=self.get_object(),
            actor=request.user,
            text=data["text"],
            file=data.get("file"),
            expected_version=data.get("version"),
        )
        return self._detail(pk)

    @_transition(
        "Close a motion",
        "Office only, once the committee has reported.",
        serializers.VersionedInputSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, pk=None):
        data = self._input(serializers.VersionedInputSerializer)
        services.motion_close(
            motion=self.get_object(),
            actor=request.user,
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return self._detail(pk)

    @extend_schema(
        summary="History of a motion",
        description="Its events, oldest first: who, when, from which status to which, why.",
        responses=serializers.MotionEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        motion = self.get_object()
        return Response(serializers.MotionEventSerializer(selectors.motion_events(motion), many=True).data)
