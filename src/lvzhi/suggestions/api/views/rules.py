"""The suggestion rules of a congress over /api/v1/suggestion-rules/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from lvzhi.accounts.roles import is_office
from lvzhi.organizations.models import Congress

from ...models import SuggestionRules
from ...rules import rules_for
from .. import serializers as s
from .base import FORBIDDEN, ID, REFUSED


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
