"""Account management over /api/v1/: the same services as the pages.

Only the office (``accounts.roles.is_office``) manages accounts: anybody else gets 403 on every
``accounts`` endpoint and nothing changes. ``me`` is each user's own account (contact details,
password). Refusals come back as ``{"detail": <Chinese message>}`` (``core.api.exception_handler``).
An activation link's secret appears once, in the answer of the call that issued it.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import is_office

from .. import selectors, services
from ..filters import AccountFilter
from . import serializers


class OfficeOnly(permissions.BasePermission):
    message = _("您没有管理账户的权限。")

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and is_office(request.user))


def _links(request: Request, links: list[services.IssuedLink]) -> list[dict[str, Any]]:
    rows = [
        {
            "user": link.user,
            "url": request.build_absolute_uri(reverse("access:activate", args=[link.token])),
            "expires_at": link.expires_at,
        }
        for link in links
    ]
    return cast(list[dict[str, Any]], serializers.ActivationLinkSerializer(rows, many=True).data)


class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[User]):
    """Accounts: list (filters as the page), one account, its log; create for staff and for deputies;
    activation links, reset, deactivate, reactivate."""

    serializer_class = serializers.AccountSerializer
    permission_classes = [OfficeOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AccountFilter

    def get_queryset(self) -> QuerySet[User]:
        return selectors.account_list(user=cast(User, self.request.user))

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    @extend_schema(
        request=serializers.StaffAccountInputSerializer, responses={201: serializers.ActivationLinkSerializer}
    )
    def create(self, request: Request) -> Response:
        """A staff account (unit, county, committee, office, leader) and its activation link."""
        data = serializers.StaffAccountInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = services.staff_account_create(
            actor=self.actor, data=services.StaffAccountData(**data.validated_data)
        )
        links = services.activation_links_issue(actor=self.actor, user_ids=[account.pk])
        return Response(_links(request, links)[0], status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.AccountEditInputSerializer, responses=serializers.AccountSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Correct the name (staff accounts) and contact details; fields left out keep their value."""
        account = self.get_object()
        data = serializers.AccountEditInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"display_name": account.display_name, "phone": account.phone, "email": account.email}
        values.update(data.validated_data)
        changed = services.account_update(actor=self.actor, user_id=account.pk, **values)
        return Response(serializers.AccountSerializer(changed).data)

    @extend_schema(
        request=serializers.DeputyAccountsInputSerializer,
        responses={201: serializers.AccountSerializer(many=True)},
    )
    @action(detail=False, methods=["post"])
    def deputies(self, request: Request) -> Response:
        """Accounts for the deputies named (``persons``) or for every one in office without one (``all``)."""
        data = serializers.DeputyAccountsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.deputy_accounts_create(
            actor=self.actor,
            person_ids=data.validated_data["persons"],
            all_missing=data.validated_data["all"],
        )
        return Response(
            serializers.AccountSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={201: serializers.ActivationLinkSerializer})
    @action(detail=True, methods=["post"], url_path="activation-link")
    def activation_link(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        links = services.activation_links_issue(actor=self.actor, user_ids=[account.pk])
        return Response(_links(request, links)[0], status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ReasonInputSerializer, responses={201: serializers.ActivationLinkSerializer}
    )
    @action(detail=True, methods=["post"])
    def reset(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        data = serializers.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.account_reset(
            actor=self.actor, user_id=account.pk, reason=data.validated_data["reason"]
        )
        return Response(_links(request, [link])[0], status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.DeactivateInputSerializer, responses=serializers.AccountSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        data = serializers.DeactivateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = services.account_deactivate(actor=self.actor, user_id=account.pk, **data.validated_data)
        return Response(serializers.AccountSerializer(changed).data)

    @extend_schema(request=serializers.ReasonInputSerializer, responses=serializers.AccountSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        data = serializers.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = services.account_reactivate(
            actor=self.actor, user_id=account.pk, reason=data.validated_data["reason"]
        )
        return Response(serializers.AccountSerializer(changed).data)

    @extend_schema(responses=serializers.AccountEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        return Response(serializers.AccountEventSerializer(selectors.account_events(account), many=True).data)


class MeViewSet(viewsets.ViewSet):
    """The signed-in user's own account: read it, update its contact details, change its password."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=serializers.AccountSerializer)
    def list(self, request: Request) -> Response:
        return Response(serializers.AccountSerializer(cast(User, request.user)).data)

    @extend_schema(request=serializers.OwnContactInputSerializer, responses=serializers.AccountSerializer)
    @action(detail=False, methods=["post"])
    def contact(self, request: Request) -> Response:
        data = serializers.OwnContactInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.own_contact_update(user=cast(User, request.user), **data.validated_data)
        return Response(serializers.AccountSerializer(user).data)

    @extend_schema(request=serializers.OwnPasswordInputSerializer, responses={204: None})
    @action(detail=False, methods=["post"])
    def password(self, request: Request) -> Response:
        data = serializers.OwnPasswordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.own_password_change(
            user=cast(User, request.user),
            old_password=data.validated_data["old_password"],
            password1=data.validated_data["new_password1"],
            password2=data.validated_data["new_password2"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
