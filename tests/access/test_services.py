"""Account management through the services: creation, activation links, reset, deactivation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lvzhi.access import services
from lvzhi.accounts.choices import AccountEventType, InactiveCause, Role
from lvzhi.accounts.models import AccountEvent, ActivationToken, User
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.deputies.models import Person

from ..factories import MandateFactory

STRONG = "Lvzhi-2026-pass"


def counts():
    return (
        User.objects.count(),
        AccountEvent.objects.count(),
        ActivationToken.objects.count(),
        Person.objects.filter(user__isnull=False).count(),
    )


@pytest.fixture
def gulou_three(term, gulou):
    return [
        MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, person__name=name)
        for name in ("张三", "李四", "王五")
    ]


def test_accounts_for_chosen_deputies(staff, gulou_three):
    persons = [mandate.person for mandate in gulou_three]

    users = services.deputy_accounts_create(actor=staff, person_ids=[person.pk for person in persons])

    assert sorted(user.username for user in users) == ["lisi", "wangwu", "zhangsan"]
    for person in persons:
        person.refresh_from_db()
        account = person.user
        assert (account.role, account.display_name, account.must_set_password) == (
            Role.DEPUTY,
            person.name,
            True,
        )
        assert not account.has_usable_password()
        assert account.account_events.get().type == AccountEventType.CREATED
        assert account.account_events.get().actor == staff


def test_every_active_mandate_without_account_in_one_action(staff, gulou_three, own_mandate, term):
    # One person holding a city and a provincial mandate gets one account.
    city = gulou_three[0]
    MandateFactory(person=city.person, card_number="P01", congress__name="福建省人民代表大会")
    # A terminated deputy gets none.
    gone = gulou_three[2]
    gone.status = "terminated"
    gone.save()

    users = services.deputy_accounts_create(actor=staff, all_missing=True)

    assert sorted(user.display_name for user in users) == ["张三", "李四"]
    assert Person.objects.get(pk=city.person_id).user is not None
    assert Person.objects.get(pk=gone.person_id).user is None


def test_usernames_never_clash(staff, term, gulou):
    User.objects.create(username="zhangsan", role=Role.DEPUTY)
    first = MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, person__name="张三")
    second = MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, person__name="张三")

    users = services.deputy_accounts_create(actor=staff, person_ids=[first.person_id, second.person_id])

    assert sorted(user.username for user in users) == ["zhangsan2", "zhangsan3"]


def test_a_person_with_an_account_is_refused_and_nothing_changes(staff, gulou_three, own_mandate):
    before = counts()

    with pytest.raises(DomainError, match="以下代表已有账户：王自己。"):
        services.deputy_accounts_create(
            actor=staff, person_ids=[gulou_three[0].person_id, own_mandate.person_id]
        )

    assert counts() == before


@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "county_user", "committee_user", "leader"])
def test_only_the_office_creates_accounts(gulou_three, role, request):
    actor = request.getfixturevalue(role)
    before = counts()

    with pytest.raises(ForbiddenError):
        services.deputy_accounts_create(actor=actor, all_missing=True)

    assert counts() == before


def test_staff_account_needs_its_unit(staff, handling_unit):
    data = services.StaffAccountData(username="chen", display_name="陈工", role=Role.HANDLING_UNIT_STAFF)
    before = counts()

    with pytest.raises(DomainError, match="承办单位工作人员必须指定承办单位。"):
        services.staff_account_create(actor=staff, data=data)
    assert counts() == before

    data.handling_unit = handling_unit
    user = services.staff_account_create(actor=staff, data=data)
    assert (user.role, user.handling_unit, user.must_set_password) == (
        Role.HANDLING_UNIT_STAFF,
        handling_unit,
        True,
    )


def test_only_an_administrator_creates_administrators(staff, admin_user):
    data = services.StaffAccountData(username="root2", display_name="管理员", role=Role.SYSTEM_ADMIN)

    with pytest.raises(ForbiddenError):
        services.staff_account_create(actor=staff, data=data)
    assert not User.objects.filter(username="root2").exists()
    assert services.staff_account_create(actor=admin_user, data=data).role == Role.SYSTEM_ADMIN


def test_activation_link_sets_the_password_once(staff, gulou_three):
    [user] = services.deputy_accounts_create(actor=staff, person_ids=[gulou_three[0].person_id])
    [link] = services.activation_links_issue(actor=staff, user_ids=[user.pk])

    assert services.activation_token_user(link.token) == user
    services.account_activate(token=link.token, password1=STRONG, password2=STRONG)

    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert user.must_set_password is False
    assert services.activation_token_user(link.token) is None  # single use
    with pytest.raises(DomainError, match="该激活链接无效、已使用或已过期"):
        services.account_activate(token=link.token, password1="Other-2026-pw", password2="Other-2026-pw")
    user.refresh_from_db()
    assert user.check_password(STRONG)


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("12345678", "12345678", "这个密码太常见了。"),
        ("Abc1", "Abc1", "密码太短，至少需要 8 个字符。"),
        ("87654321", "87654321", "密码不能全是数字。"),
        (STRONG, STRONG + "x", "两次输入的密码不一致。"),
    ],
)
def test_weak_password_is_refused_in_chinese_and_nothing_changes(
    staff, gulou_three, password1, password2, message
):
    [user] = services.deputy_accounts_create(actor=staff, person_ids=[gulou_three[0].person_id])
    [link] = services.activation_links_issue(actor=staff, user_ids=[user.pk])

    with pytest.raises(DomainError) as refused:
        services.account_activate(token=link.token, password1=password1, password2=password2)

    assert message in str(refused.value.message)
    user.refresh_from_db()
    assert (user.has_usable_password(), user.must_set_password) == (False, True)
    assert services.activation_token_user(link.token) == user  # still usable


def test_a_new_link_voids_the_old_and_links_expire(staff, gulou_three):
    [user] = services.deputy_accounts_create(actor=staff, person_ids=[gulou_three[0].person_id])
    [old] = services.activation_links_issue(actor=staff, user_ids=[user.pk])
    [new] = services.activation_links_issue(actor=staff, user_ids=[user.pk])

    assert services.activation_token_user(old.token) is None
    assert services.activation_token_user(new.token) == user
    later = timezone.now() + timedelta(days=services.ACTIVATION_DAYS_DEFAULT + 1)
    assert services.activation_token_user(new.token, now=later) is None


def test_reset_replaces_the_password_with_a_link(staff, deputy_user):
    link = services.account_reset(actor=staff, user_id=deputy_user.pk, reason="本人遗忘密码")

    deputy_user.refresh_from_db()
    assert not deputy_user.has_usable_password()
    assert services.activation_token_user(link.token) == deputy_user
    assert deputy_user.account_events.filter(type=AccountEventType.RESET, actor=staff).exists()


def test_reset_without_reason_changes_nothing(staff, deputy_user):
    with pytest.raises(DomainError, match="请填写重置原因。"):
        services.account_reset(actor=staff, user_id=deputy_user.pk, reason=" ")

    deputy_user.refresh_from_db()
    assert deputy_user.check_password("pw-test-123")
    assert not ActivationToken.objects.exists()


def test_unit_staff_leaves_the_unit_and_is_reactivated(staff, unit_user):
    services.account_deactivate(
        actor=staff, user_id=unit_user.pk, reason="调任他职", cause=InactiveCause.LEFT_UNIT
    )
    unit_user.refresh_from_db()
    assert (unit_user.is_active, unit_user.inactive_cause, unit_user.handling_unit_id) == (
        False,
        InactiveCause.LEFT_UNIT,
        unit_user.handling_unit_id,
    )

    with pytest.raises(DomainError, match="该账户已停用。"):
        services.account_deactivate(actor=staff, user_id=unit_user.pk, reason="再次")

    services.account_reactivate(actor=staff, user_id=unit_user.pk, reason="返回原岗位")
    unit_user.refresh_from_db()
    assert unit_user.is_active
    assert list(unit_user.account_events.values_list("type", flat=True)) == [
        AccountEventType.REACTIVATED,
        AccountEventType.DEACTIVATED,
    ]


def test_deputy_without_active_mandate_is_not_reactivated(staff, own_mandate, deputy_user):
    services.account_deactivate(actor=staff, user_id=deputy_user.pk, reason="资格终止")
    own_mandate.status = "terminated"
    own_mandate.save()

    with pytest.raises(DomainError, match="该代表没有在职的代表资格"):
        services.account_reactivate(actor=staff, user_id=deputy_user.pk, reason="误操作")

    deputy_user.refresh_from_db()
    assert deputy_user.is_active is False


def test_staff_cannot_deactivate_itself(staff):
    with pytest.raises(DomainError, match="不能停用自己的账户。"):
        services.account_deactivate(actor=staff, user_id=staff.pk, reason="测试")
    staff.refresh_from_db()
    assert staff.is_active


def test_own_password_change(deputy_user):
    with pytest.raises(DomainError, match="原密码不正确"):
        services.own_password_change(
            user=deputy_user, old_password="wrong", password1=STRONG, password2=STRONG
        )
    deputy_user.refresh_from_db()
    assert deputy_user.check_password("pw-test-123")

    services.own_password_change(
        user=deputy_user, old_password="pw-test-123", password1=STRONG, password2=STRONG
    )
    deputy_user.refresh_from_db()
    assert deputy_user.check_password(STRONG)


def test_own_contact_update_reaches_the_registry(deputy_user, own_mandate):
    services.own_contact_update(user=deputy_user, phone="139 0000 1111", email="wang@example.org")

    person = Person.objects.get(pk=own_mandate.person_id)
    assert (person.phone, person.email) == ("13900001111", "wang@example.org")
    assert person.history.first().history_user == deputy_user
    assert deputy_user.account_events.get().type == AccountEventType.CONTACT_CHANGED


def test_bad_phone_changes_nothing(deputy_user, own_mandate):
    phone = own_mandate.person.phone
    with pytest.raises(DomainError, match="请输入有效的手机号码"):
        services.own_contact_update(user=deputy_user, phone="12", email="")

    assert Person.objects.get(pk=own_mandate.person_id).phone == phone
    assert not AccountEvent.objects.exists()


def test_accounts_for_the_whole_registry_cost_the_same_queries_for_3_or_30(staff, term, gulou, taijiang):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def create(unit, count):
        for _ in range(count):
            MandateFactory(congress=term.congress, term=term, electoral_unit=unit)
        with CaptureQueriesContext(connection) as captured:
            created = services.deputy_accounts_create(actor=staff, all_missing=True)
        assert len(created) == count
        return len(captured)

    assert create(gulou, 3) == create(taijiang, 30)


def test_the_office_cannot_take_over_an_administrator(staff, admin_user):
    before = counts()

    with pytest.raises(ForbiddenError, match="只有系统管理员可以管理系统管理员账户。"):
        services.account_reset(actor=staff, user_id=admin_user.pk, reason="遗忘密码")
    with pytest.raises(ForbiddenError):
        services.account_deactivate(actor=staff, user_id=admin_user.pk, reason="离职")
    with pytest.raises(ForbiddenError):
        services.account_update(actor=staff, user_id=admin_user.pk, display_name="x", phone="", email="")

    assert counts() == before
    admin_user.refresh_from_db()
    assert admin_user.check_password("pw-test-123") and admin_user.is_active
    other = User.objects.create(username="t-admin2", role=Role.SYSTEM_ADMIN)
    assert services.account_reset(actor=admin_user, user_id=other.pk, reason="遗忘密码").user == other
