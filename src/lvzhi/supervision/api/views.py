"""Supervision over /api/v1/: the items (督办事项) with their activities, the supervision months
(督办月) and the meetings that re-assign the dissatisfied suggestions (不满意件交办会).

Same rules as the pages. Every object is looked up in the user's scoped queryset first
(``selectors``), so an object outside the user's scope is 404, never 403. Every write validates the
shape of its input and calls exactly one service, which checks role, scope, state and rule and
refuses in Chinese: 403 (``ForbiddenError``) for the role, 400 (``DomainError``) for the rule, 409
(``ConflictError``) for a stale ``version`` (``core.api.exception_handler``). Nothing is deleted: an
item ends finished or carried over, a suggestion leaves a campaign through an action.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from .. import selectors, services
from ..filters import SupervisionItemFilter
from . import serializers as s

ID = "[0-9]+"
STALE = OpenApiResponse(description="Stale version: somebody changed it since it was read.")
REFUSED = OpenApiResponse(description='Refused by a rule of the domain: ``{"detail": <Chinese message>}``.')
FORBIDDEN = OpenApiResponse(description="The user's role or scope does not allow the action.")


class ScopedObjectMixin:
    """``get_object`` from the scoped queryset alone (never narrowed by list filters), with a
    Chinese 404 that does not say whether the object exists."""

    not_found_message = _("未找到该督办事项，或您无权查看。")

    def get_object(self):
        try:
            obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        except Http404:
            raise NotFound(self.not_found_message) from None
        self.check_object_permissions(self.request, obj)
        return obj


# --- Items ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List supervision items",
        description="The items the user may see (``selectors.supervision_items_visible_to``), filtered "
        "like the list page (``SupervisionItemFilter``).",
    ),
    retrieve=extend_schema(
        summary="Get a supervision item",
        description="With its activities and ``available_actions``.",
        responses=s.ItemDetailSerializer,
    ),
)
class SupervisionItemViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """督办事项: a suggestion under key, counterpart or follow-up supervision in a year.

    No PUT and no DELETE (405): the arrangement is changed field by field with the version read;
    an item ends finished or carried over (actions)."""

    serializer_class = s.ItemSerializer
    filter_backends = [DjangoFilterBackend]  # SupervisionItemFilter brings its own ``ordering``
    filterset_class = SupervisionItemFilter
    lookup_value_regex = ID

    def get_queryset(self):
        return selectors.supervision_item_list(user=self.request.user)

    def _representation(self, pk: int) -> dict:
        item = selectors.supervision_item_get(user=self.request.user, pk=pk)
        return s.ItemDetailSerializer(item, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._representation(self.get_object().pk))

    @extend_schema(
        summary="List a suggestion for supervision (列为督办)",
        description="Key items by the office (recording the directors' meeting's decision; a leader "
        "required), counterpart items by the office or a committee's staff (a suggestion in its "
        "fields), follow-up items by the office. Once per suggestion, kind and year.",
        request=s.ItemStartSerializer,
        responses={201: s.ItemDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.ItemStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.supervision_start(
            suggestion=data["suggestion"],
            kind=data["kind"],
            year=data["year"],
            actor=request.user,
            leader=data.get("leader"),
            committee=data.get("committee"),
            team_members=data.get("team_members", []),
            team=data.get("team", ""),
            decided_on=data.get("decided_on"),
            decision_ref=data.get("decision_ref", ""),
        )
        return Response(self._representation(item.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the arrangement",
        description="Leader, committee, team, decision. ``version`` as read is required; a stale one "
        "gives 409 and changes nothing.",
        request=s.ItemUpdateSerializer,
        responses={200: s.ItemDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = s.ItemUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        services.supervision_update(item=item, expected_version=version, changes=changes, actor=request.user)
        return Response(self._representation(item.pk))

    @extend_schema(
        summary="Record a supervision activity",
        description="By the leader, the team members, the committee's staff (its items) or the office; "
        "not on a future day.",
        request=s.ActivityInputSerializer,
        responses={201: s.ActivitySerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def record_activity(self, request, pk=None):
        item = self.get_object()
        serializer = s.ActivityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.supervision_activity_record(
            item=item, actor=request.user, **serializer.validated_data
        )
        return Response(s.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Finish supervision",
        description="With its conclusion. By the office, the leader, or the committee's staff for its "
        "counterpart items.",
        request=s.FinishSerializer,
        responses={200: s.ItemDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def finish(self, request, pk=None):
        item = self.get_object()
        serializer = s.FinishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.supervision_finish(
            item=item, conclusion=data["conclusion"], actor=request.user, expected_version=data["version"]
        )
        return Response(self._representation(item.pk))

    @extend_schema(
        summary="Reopen a finished item",
        description="With a reason. Office only.",
        request=s.ReopenSerializer,
        responses={200: s.ItemDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reopen(self, request, pk=None):
        item = self.get_object()
        serializer = s.ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.supervision_reopen(
            item=item, reason=data["reason"], actor=request.user, expected_version=data["version"]
        )
        return Response(self._representation(item.pk))

    @extend_schema(
        summary="Carry over a year's unfinished key items",
        description="Every key item of ``year`` still in progress gets an item for the next year; "
        "idempotent. Office only (the yearly job does it on 1 January).",
        request=s.CarryOverSerializer,
        responses={200: s.CarryOverResultSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def carry_over(self, request):
        serializer = s.CarryOverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        year = serializer.validated_data["year"]
        carried = services.supervision_carry_over(year=year, actor=request.user)
        result = {"year": year, "count": len(carried), "items": [item.pk for item in carried]}
        return Response(s.CarryOverResultSerializer(result).data)


# --- Supervision months -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List supervision months", description="The office and leaders see them."),
    retrieve=extend_schema(summary="Get a supervision month"),
)
class SupervisionCampaignViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """督办月: a set of suggestions and a period in which units are pressed on them."""

    serializer_class = s.CampaignSerializer
    filter_backends = []
    lookup_value_regex = ID
    not_found_message = _("未找到该督办月活动，或您无权查看。")

    def get_queryset(self):
        return selectors.campaigns_visible_to(self.request.user)

    def _representation(self, pk: int) -> dict:
        return s.CampaignSerializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(
        summary="Create a supervision month",
        description="Unique name per congress; the period ends on or after it starts. Office only.",
        request=s.CampaignCreateSerializer,
        responses={201: s.CampaignSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.CampaignCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=request.user, **serializer.validated_data)
        return Response(self._representation(campaign.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a supervision month",
        description="``version`` as read is required; a stale one gives 409. Office only.",
        request=s.CampaignUpdateSerializer,
        responses={200: s.CampaignSerializer, 400: REFUSED, 403: FORBIDDEN, 409: STALE},
    )
    def partial_update(self, request, *args, **kwargs):
        campaign = self.get_object()
        serializer = s.CampaignUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        services.campaign_update(
            campaign=campaign, expected_version=version, changes=changes, actor=request.user
        )
        return Response(self._representation(campaign.pk))

    @extend_schema(
        summary="Add suggestions",
        description="All or none: each must be of the campaign's congress, assigned and not closed, and "
        "not in it yet. Office only, until the month has ended.",
        request=s.CampaignSuggestionsSerializer,
        responses={200: s.CampaignSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def add_suggestions(self, request, pk=None):
        campaign = self.get_object()
        serializer = s.CampaignSuggestionsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.campaign_add_suggestions(
            campaign=campaign, suggestions=serializer.validated_data["suggestions"], actor=request.user
        )
        return Response(self._representation(campaign.pk))

    @extend_schema(
        summary="Remove a suggestion",
        description="Office only.",
        request=s.CampaignSuggestionSerializer,
        responses={200: s.CampaignSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def remove_suggestion(self, request, pk=None):
        campaign = self.get_object()
        serializer = s.CampaignSuggestionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.campaign_remove_suggestion(
            campaign=campaign, suggestion=serializer.validated_data["suggestion"], actor=request.user
        )
        return Response(self._representation(campaign.pk))

    @extend_schema(
        summary="How a supervision month went",
        description="Per suggestion: status, units, replies released during the month, the lead "
        "deputy's latest rating by its end; and the counts.",
        responses=s.CampaignProgressSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def progress(self, request, pk=None):
        campaign = self.get_object()
        return Response(s.CampaignProgressSerializer(selectors.campaign_progress(campaign)).data)


# --- Dissatisfied-suggestion meetings --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List dissatisfied-suggestion meetings", description="The office and leaders."
    ),
    retrieve=extend_schema(summary="Get a meeting with its decisions", responses=s.MeetingDetailSerializer),
)
class DissatisfiedMeetingViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """不满意件交办会: re-assigns the suggestions whose replies deputies rated 不满意."""

    serializer_class = s.MeetingSerializer
    filter_backends = []
    lookup_value_regex = ID
    not_found_message = _("未找到该交办会，或您无权查看。")

    def get_queryset(self):
        return selectors.meetings_visible_to(self.request.user)

    def _representation(self, pk: int) -> dict:
        meeting = (
            self.get_queryset()
            .prefetch_related("reassignments__assignment__unit", "reassignments__new_assignment__unit")
            .get(pk=pk)
        )
        return s.MeetingDetailSerializer(meeting).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._representation(self.get_object().pk))

    @extend_schema(
        summary="Hold a meeting (不满意件交办会)",
        description="All decisions or none. Each names an assignment being re-handled after a 不满意: "
        "``same_unit`` (a new re-handling deadline from ``held_on``) or ``new_unit`` (cancelled and "
        "assigned to ``new_unit``, reply due ``held_on`` + the re-handling months). Office only.",
        request=s.MeetingCreateSerializer,
        responses={201: s.MeetingDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.MeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = services.dissatisfied_meeting_hold(
            congress=data["congress"],
            name=data["name"],
            held_on=data["held_on"],
            note=data["note"],
            decisions=[
                services.MeetingRow(row["assignment"], row["decision"], row["new_unit"], row["note"])
                for row in data["decisions"]
            ],
            actor=request.user,
        )
        return Response(self._representation(meeting.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The dissatisfied assignments now",
        description="Assignments being re-handled after a 不满意: what a meeting decides. The office and "
        "leaders.",
        responses=s.DissatisfiedAssignmentSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def dissatisfied(self, request):
        assignments = selectors.dissatisfied_assignments(user=request.user)
        page = self.paginate_queryset(assignments)
        data = s.DissatisfiedAssignmentSerializer(page, many=True).data
        return self.get_paginated_response(data)
