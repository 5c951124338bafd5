"""The account pages: only the office manages accounts; activation, password and contact pages
for everybody; bad input changes nothing; the list costs the same for 3 accounts or 30."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.access import services
from lvzhi.accounts.choices import AccountEventType, Role
from lvzhi.accounts.models import AccountEvent, ActivationSheet, ActivationToken, User
from lvzhi.deputies.models import Person

from ..factories import MandateFactory, UserFactory

LIST = reverse("access:accounts")
STRONG = "Lvzhi-2026-pass"


@pytest.fixture
def gulou_three(term, gulou):
    return [
        MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, person__name=name)
        for name in ("张三", "李四", "王五")
    ]


def snapshot():
    return (
        list(User.objects.order_by("pk").values_list("pk", "is_active", "password", "must_set_password")),
        AccountEvent.objects.count(),
        ActivationToken.objects.count(),
        Person.objects.filter(user__isnull=False).count(),
    )


@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "county_user", "committee_user", "leader"])
def test_only_the_office_manages_accounts(client, role, request, gulou_three, staff):
    user = request.getfixturevalue(role)
    client.force_login(user)
    target = staff.pk
    before = snapshot()
    for url in (
        LIST,
        LIST + "?export=xlsx",
        reverse("access:deputies"),
        reverse("access:staff_create"),
        reverse("access:detail", args=[target]),
        reverse("access:reset", args=[target]),
        reverse("access:deactivate", args=[target]),
        reverse("access:sheets"),
    ):
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("access:deputies"), {"all": "1"}),
        (reverse("access:letters"), {"accounts": [target]}),
        (reverse("access:reset", args=[target]), {"reason": "x"}),
        (reverse("access:deactivate", args=[target]), {"reason": "x", "cause": "manual"}),
        (reverse("access:staff_create"), {"role": "leader", "username": "x", "display_name": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_list_filters_search_and_export(client, staff, unit_user, county_user, deputy_user, own_mandate):
    client.force_login(staff)

    page = client.get(LIST, {"role": Role.HANDLING_UNIT_STAFF}).content.decode()
    assert "t-unit" in page and "t-county" not in page

    by_unit = client.get(LIST, {"electoral_unit": own_mandate.electoral_unit_id}).content.decode()
    assert "t-county" in by_unit and "t-deputy" in by_unit and "t-unit" not in by_unit

    assert "t-deputy" in client.get(LIST, {"q": "wzj"}).content.decode()  # 王自己 by initials
    assert "t-deputy" not in client.get(LIST, {"logged_in": "yes"}).content.decode()

    forged = client.get(LIST, {"role": "emperor"})
    assert forged.status_code == 200 and "没有符合条件的账户" in forged.content.decode()

    export = client.get(LIST, {"role": Role.COUNTY_STAFF, "export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    assert [cell.value for cell in sheet[2]][:4] == [
        "t-county",
        "t-county",
        "选举单位（县区）工作人员",
        "鼓楼区",
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add(term, gulou, handling_unit, start, stop):
    for index in range(start, stop):
        MandateFactory(congress=term.congress, term=term, electoral_unit=gulou)
        UserFactory(username=f"u{index}", role=Role.HANDLING_UNIT_STAFF, handling_unit=handling_unit)


def test_list_queries_do_not_grow_with_the_data(client, staff, handling_unit, gulou, term):
    client.force_login(staff)
    deputies = reverse("access:deputies")
    _add(term, gulou, handling_unit, 0, 3)
    few = count_queries(client, deputies)
    services.deputy_accounts_create(actor=staff, all_missing=True)
    few_accounts = count_queries(client, LIST)

    _add(term, gulou, handling_unit, 3, 30)
    assert count_queries(client, deputies) == few
    services.deputy_accounts_create(actor=staff, all_missing=True)
    assert count_queries(client, LIST) == few_accounts


def test_office_opens_accounts_for_chosen_deputies_and_prints_letters(client, staff, gulou_three, gulou):
    client.force_login(staff)
    page = client.get(reverse("access:deputies"), {"electoral_unit": gulou.pk, "q": "zs"}).content.decode()
    assert "张三" in page and "李四" not in page

    ids = [mandate.person_id for mandate in gulou_three[:2]]
    created = client.post(reverse("access:deputies"), {"persons": ids, "all": "0"})
    assert "已为 2 位代表开通账户" in created.content.decode()
    accounts = list(User.objects.filter(person__in=ids))
    assert len(accounts) == 2

    letters = client.post(reverse("access:letters"), {"accounts": [a.pk for a in accounts]}).content.decode()
    links = re.findall(r'data-testid="activation-link">([^<]+)<', letters)
    assert len(links) == 2 and all("/access/activate/" in link for link in links)
    assert "张三同志" in letters


def test_nothing_chosen_is_refused_in_chinese(client, staff, gulou_three):
    client.force_login(staff)
    before = snapshot()
    response = client.post(reverse("access:deputies"), {"all": "0"})
    assert "请至少选择一位代表。" in response.content.decode()
    assert snapshot() == before


def test_activation_page_sets_the_password_and_logs_in(client, staff, gulou_three):
    [user] = services.deputy_accounts_create(actor=staff, person_ids=[gulou_three[0].person_id])
    [link] = services.activation_links_issue(actor=staff, user_ids=[user.pk])
    url = reverse("access:activate", args=[link.token])

    weak = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert "密码太短，至少需要 8 个字符。" in weak.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()

    done = client.post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302
    assert client.get(reverse("access:me")).context["account"] == user
    assert client.get(url).status_code == 410  # spent


def test_unknown_link_is_gone(client, db):
    response = client.get(reverse("access:activate", args=["nonsense"]))
    assert response.status_code == 410
    assert "激活链接已失效" in response.content.decode()


def test_deactivate_needs_a_reason_then_keeps_the_history(client, staff, unit_user):
    client.force_login(staff)
    url = reverse("access:deactivate", args=[unit_user.pk])
    refused = client.post(url, {"reason": "", "cause": "left_unit"})
    assert "该字段是必填项。" in refused.content.decode()
    unit_user.refresh_from_db()
    assert unit_user.is_active

    client.post(url, {"reason": "调离", "cause": "left_unit"})
    unit_user.refresh_from_db()
    assert unit_user.is_active is False
    detail = client.get(reverse("access:detail", args=[unit_user.pk])).content.decode()
    assert "调离本单位：调离" in detail and "t-staff" in detail


def test_reset_prints_a_new_letter(client, staff, deputy_user):
    client.force_login(staff)
    response = client.post(reverse("access:reset", args=[deputy_user.pk]), {"reason": "遗忘密码"})
    assert 'data-testid="activation-link"' in response.content.decode()
    deputy_user.refresh_from_db()
    assert not deputy_user.has_usable_password()


def test_staff_account_form_refuses_a_missing_unit(client, staff, handling_unit):
    client.force_login(staff)
    url = reverse("access:staff_create")
    refused = client.post(url, {"role": Role.HANDLING_UNIT_STAFF, "username": "chen", "display_name": "陈工"})
    assert "承办单位工作人员必须指定承办单位。" in refused.content.decode()
    assert not User.objects.filter(username="chen").exists()

    created = client.post(
        url,
        {
            "role": Role.HANDLING_UNIT_STAFF,
            "username": "chen",
            "display_name": "陈工",
            "handling_unit": handling_unit.pk,
        },
    )
    assert 'data-testid="activation-link"' in created.content.decode()
    assert User.objects.get(username="chen").handling_unit == handling_unit


def test_own_password_and_contact_pages(client, deputy_user, own_mandate):
    client.force_login(deputy_user)
    refused = client.post(reverse("access:me"), {"phone": "abc", "email": ""})
    assert "请输入有效的手机号码" in refused.content.decode()

    client.post(reverse("access:me"), {"phone": "13900002222", "email": "w@example.org"})
    assert Person.objects.get(pk=own_mandate.person_id).phone == "13900002222"

    wrong = client.post(
        reverse("access:password"),
        {"old_password": "nope", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert "原密码不正确" in wrong.content.decode()
    changed = client.post(
        reverse("access:password"),
        {"old_password": "pw-test-123", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert changed.status_code == 302
    deputy_user.refresh_from_db()
    assert deputy_user.check_password(STRONG)
    assert client.get(reverse("access:me")).status_code == 200  # still logged in


def test_activation_sheet_per_electoral_unit(
    client, staff, gulou_three, gulou, taijiang_mandate, django_capture_on_commit_callbacks
):
    services.deputy_accounts_create(actor=staff, all_missing=True)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("access:sheets"), {"electoral_unit": gulou.pk})

    sheet = ActivationSheet.objects.get()
    assert response["Location"] == reverse("access:sheet", args=[sheet.pk])
    assert (sheet.status, sheet.total) == ("done", 3)
    download = client.get(reverse("access:sheet_download", args=[sheet.pk]))
    rows = list(load_workbook(BytesIO(b"".join(download.streaming_content))).active.values)
    assert sorted(row[0] for row in rows[1:]) == ["张三", "李四", "王五"]
    assert all("/access/activate/" in row[3] for row in rows[1:])
    assert AccountEvent.objects.filter(type=AccountEventType.LINK_ISSUED).count() == 3


def test_activation_sheet_refused_without_waiting_accounts(client, staff, gulou):
    client.force_login(staff)
    response = client.post(reverse("access:sheets"), {"electoral_unit": gulou.pk})
    assert "该选举单位没有待激活的代表账户。" in response.content.decode()
    assert not ActivationSheet.objects.exists()


def test_letters_for_a_whole_electoral_unit(client, staff, gulou_three, gulou, taijiang_mandate):
    services.deputy_accounts_create(actor=staff, all_missing=True)
    client.force_login(staff)

    letters = client.post(reverse("access:letters"), {"electoral_unit": gulou.pk}).content.decode()

    assert letters.count('data-testid="activation-link"') == 3
    assert "张台江" not in letters


def test_office_corrects_an_account_and_the_log_says_what_changed(client, staff, unit_user):
    client.force_login(staff)
    url = reverse("access:edit", args=[unit_user.pk])
    before = snapshot()
    refused = client.post(url, {"display_name": "陈工", "phone": "12", "email": ""})
    assert "请输入有效的手机号码" in refused.content.decode()
    assert snapshot() == before

    client.post(url, {"display_name": "陈工", "phone": "13900004444", "email": ""})
    unit_user.refresh_from_db()
    assert (unit_user.display_name, unit_user.phone) == ("陈工", "13900004444")
    event = unit_user.account_events.get()
    assert (event.type, event.actor) == (AccountEventType.UPDATED, staff)
    assert "姓名：t-unit → 陈工" in event.note and "手机：— → 13900004444" in event.note


def test_a_deputy_name_stays_the_registry_s(client, staff, deputy_user, own_mandate):
    client.force_login(staff)
    client.post(
        reverse("access:edit", args=[deputy_user.pk]), {"display_name": "别名", "phone": "", "email": ""}
    )
    deputy_user.refresh_from_db()
    assert deputy_user.display_name == "t-deputy"


def test_only_the_office_edits_accounts(client, county_user, staff):
    client.force_login(county_user)
    response = client.post(reverse("access:edit", args=[staff.pk]), {"display_name": "x"})
    assert response.status_code == 404
    staff.refresh_from_db()
    assert staff.display_name == "t-staff"
