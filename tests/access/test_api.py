"""Account management over /api/v1/: the office only (403 for anybody else, nothing changes);
refusals in Chinese; links issued once; ``me`` for each user's own account."""

import pytest
from rest_framework.test import APIClient

from lvzhi.accounts.choices import InactiveCause, Role
from lvzhi.accounts.models import AccountEvent, ActivationToken, User
from lvzhi.deputies.models import Person

from ..factories import MandateFactory

ACCOUNTS = "/api/v1/accounts/"
STRONG = "Lvzhi-2026-pass"


@pytest.fixture
def api():
    return APIClient()


def client_for(api, user):
    api.force_authenticate(user)
    return api


def snapshot():
    return (
        list(User.objects.order_by("pk").values_list("pk", "is_active", "password", "must_set_password")),
        AccountEvent.objects.count(),
        ActivationToken.objects.count(),
    )


@pytest.fixture
def gulou_two(term, gulou):
    return [
        MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, person__name=name)
        for name in ("张三", "李四")
    ]


@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "county_user", "committee_user", "leader"])
def test_only_the_office(api, role, request, staff, gulou_two):
    client = client_for(api, request.getfixturevalue(role))
    before = snapshot()
    assert client.get(ACCOUNTS).status_code == 403
    assert client.get(f"{ACCOUNTS}{staff.pk}/").status_code == 403
    assert client.post(f"{ACCOUNTS}deputies/", {"all": True}, format="json").status_code == 403
    assert client.post(f"{ACCOUNTS}{staff.pk}/deactivate/", {"reason": "x"}, format="json").status_code == 403
    assert client.post(f"{ACCOUNTS}{staff.pk}/reset/", {"reason": "x"}, format="json").status_code == 403
    assert snapshot() == before


def test_deputy_accounts_then_link_then_deactivate(api, staff, gulou_two):
    client = client_for(api, staff)
    created = client.post(f"{ACCOUNTS}deputies/", {"persons": [gulou_two[0].person_id]}, format="json")
    assert created.status_code == 201
    [account] = created.data
    assert (account["username"], account["role"], account["must_set_password"]) == (
        "zhangsan",
        Role.DEPUTY,
        True,
    )
    assert account["person"] == gulou_two[0].person_id

    link = client.post(f"{ACCOUNTS}{account['id']}/activation-link/")
    assert link.status_code == 201 and "/access/activate/" in link.data["url"]

    deactivated = client.post(
        f"{ACCOUNTS}{account['id']}/deactivate/", {"reason": "资格终止", "cause": "left_unit"}, format="json"
    )
    assert (deactivated.data["is_active"], deactivated.data["inactive_cause"]) == (
        False,
        InactiveCause.LEFT_UNIT,
    )
    events = client.get(f"{ACCOUNTS}{account['id']}/events/").data
    assert [event["type"] for event in events] == ["deactivated", "link_issued", "created"]
    assert events[0]["actor"] == str(staff)


def test_refusals_are_chinese_and_change_nothing(api, staff, own_mandate, handling_unit):
    client = client_for(api, staff)
    before = snapshot()

    again = client.post(f"{ACCOUNTS}deputies/", {"persons": [own_mandate.person_id]}, format="json")
    assert (again.status_code, again.data["detail"]) == (400, "以下代表已有账户：王自己。")
    staff_account = client.post(
        ACCOUNTS,
        {"role": Role.HANDLING_UNIT_STAFF, "username": "chen", "display_name": "陈工"},
        format="json",
    )
    assert (staff_account.status_code, staff_account.data["detail"]) == (
        400,
        "承办单位工作人员必须指定承办单位。",
    )
    no_reason = client.post(f"{ACCOUNTS}{own_mandate.person.user_id}/reset/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400
    assert snapshot() == before

    created = client.post(
        ACCOUNTS,
        {
            "role": Role.HANDLING_UNIT_STAFF,
            "username": "chen",
            "display_name": "陈工",
            "handling_unit": handling_unit.pk,
        },
        format="json",
    )
    assert created.status_code == 201 and created.data["username"] == "chen"


def test_list_filters(api, staff, unit_user, county_user):
    response = client_for(api, staff).get(ACCOUNTS, {"role": Role.HANDLING_UNIT_STAFF})
    assert [row["username"] for row in response.data["results"]] == ["t-unit"]


def test_me_contact_and_password(api, deputy_user, own_mandate):
    client = client_for(api, deputy_user)
    assert client.get("/api/v1/me/").data["username"] == "t-deputy"

    bad = client.post("/api/v1/me/contact/", {"phone": "12"}, format="json")
    assert (bad.status_code, bad.data["field"]) == (400, "phone")
    good = client.post("/api/v1/me/contact/", {"phone": "13900003333", "email": ""}, format="json")
    assert good.status_code == 200
    assert Person.objects.get(pk=own_mandate.person_id).phone == "13900003333"

    weak = client.post(
        "/api/v1/me/password/",
        {"old_password": "pw-test-123", "new_password1": "123", "new_password2": "123"},
        format="json",
    )
    assert weak.status_code == 400 and "密码太短" in weak.data["detail"]
    done = client.post(
        "/api/v1/me/password/",
        {"old_password": "pw-test-123", "new_password1": STRONG, "new_password2": STRONG},
        format="json",
    )
    assert done.status_code == 204
    deputy_user.refresh_from_db()
    assert deputy_user.check_password(STRONG)


def test_patch_corrects_an_account(api, staff, unit_user, county_user):
    assert (
        client_for(api, county_user).patch(f"{ACCOUNTS}{unit_user.pk}/", {"phone": "13900005555"}).status_code
        == 403
    )
    client = client_for(api, staff)
    bad = client.patch(f"{ACCOUNTS}{unit_user.pk}/", {"phone": "12"}, format="json")
    assert (bad.status_code, bad.data["field"]) == (400, "phone")
    unit_user.refresh_from_db()
    assert unit_user.phone == ""

    good = client.patch(f"{ACCOUNTS}{unit_user.pk}/", {"phone": "13900005555"}, format="json")
    assert (good.status_code, good.data["phone"], good.data["display_name"]) == (200, "13900005555", "t-unit")
