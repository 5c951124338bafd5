"""The account API's shapes; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lvzhi.accounts.choices import AccountEventType, InactiveCause, Role
from lvzhi.accounts.models import AccountEvent, User
from lvzhi.core.api import ChoiceLabelField
from lvzhi.organizations.models import Committee, ElectoralUnit, HandlingUnit


class AccountSerializer(serializers.ModelSerializer[User]):
    role_display = ChoiceLabelField(Role.choices, source="role")
    inactive_cause_display = ChoiceLabelField(InactiveCause.choices, source="inactive_cause")
    person = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "role",
            "role_display",
            "electoral_unit",
            "handling_unit",
            "committee",
            "phone",
            "email",
            "is_active",
            "inactive_cause",
            "inactive_cause_display",
            "must_set_password",
            "last_login",
            "person",
        ]
        read_only_fields = fields

    def get_person(self, account: User) -> int | None:
        person = getattr(account, "person", None)
        return person.pk if person is not None else None


class AccountEventSerializer(serializers.ModelSerializer[AccountEvent]):
    type = serializers.CharField(read_only=True, help_text="created, link_issued, activated, reset, …")
    type_display = ChoiceLabelField(AccountEventType.choices, source="type")
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AccountEvent
        fields = ["id", "type", "type_display", "actor", "note", "created_at"]
        read_only_fields = fields

    def get_actor(self, event: AccountEvent) -> str | None:
        return str(event.actor) if event.actor_id else None


class ActivationLinkSerializer(serializers.Serializer[Any]):
    account = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class StaffAccountInputSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices, label=_("角色"))
    username = serializers.CharField(max_length=150, label=_("用户名"))
    display_name = serializers.CharField(max_length=50, label=_("姓名"))
    electoral_unit = serializers.PrimaryKeyRelatedField(
        queryset=ElectoralUnit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("选举单位"),
    )
    handling_unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("承办单位"),
    )
    committee = serializers.PrimaryKeyRelatedField(
        queryset=Committee.objects.all(), required=False, allow_null=True, default=None, label=_("委员会")
    )
    phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True, label=_("手机")
    )
    email = serializers.CharField(
        max_length=254, required=False, default="", allow_blank=True, label=_("电子邮箱")
    )


class DeputyAccountsInputSerializer(serializers.Serializer[Any]):
    persons = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, label=_("人员")
    )
    all = serializers.BooleanField(required=False, default=False, label=_("全部未开通的在职代表"))


class ReasonInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=400, label=_("说明"))


class DeactivateInputSerializer(ReasonInputSerializer):
    cause = serializers.ChoiceField(
        choices=[InactiveCause.MANUAL, InactiveCause.LEFT_UNIT],
        default=InactiveCause.MANUAL,
        label=_("停用原因"),
    )


class OwnContactInputSerializer(serializers.Serializer[Any]):
    phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True, label=_("手机")
    )
    email = serializers.CharField(
        max_length=254, required=False, default="", allow_blank=True, label=_("电子邮箱")
    )


class OwnPasswordInputSerializer(serializers.Serializer[Any]):
    old_password = serializers.CharField(label=_("原密码"))
    new_password1 = serializers.CharField(label=_("新密码"))
    new_password2 = serializers.CharField(label=_("再次输入新密码"))


class AccountEditInputSerializer(serializers.Serializer[Any]):
    display_name = serializers.CharField(max_length=50, required=False, allow_blank=True, label=_("姓名"))
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, label=_("手机"))
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, label=_("电子邮箱"))
