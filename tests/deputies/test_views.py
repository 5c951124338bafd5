"""Registry pages: who sees what, filters, export, forms, and queries that do not grow with the data."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.deputies.choices import MandateEventType as T
from lvzhi.deputies.choices import MandateStatus as S
from lvzhi.deputies.models import Mandate, MandateEvent, Person
from lvzhi.organizations.models import DeputyGroup, ExpertiseField

from ..factories import DeputyGroupFactory, ExpertiseFieldFactory, MandateFactory, PersonFactory

LIST = reverse("deputies:list")


def ids_on_list(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return {m.pk for m in response.context["page"].object_list}


@pytest.fixture
def three(own_mandate, gulou_mandate, taijiang_mandate):
    return own_mandate, gulou_mandate, taijiang_mandate


# Who sees what ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, three):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["staff", "admin_user", "leader", "unit_user", "committee_user"])
def test_roles_that_see_every_deputy(client, three, role, request):
    client.force_login(request.getfixturevalue(role))
    assert ids_on_list(client) == {m.pk for m in three}


def test_county_sees_only_its_electoral_unit(client, three, county_user):
    own, gulou, taijiang = three
    client.force_login(county_user)

    assert ids_on_list(client) == {own.pk, gulou.pk}
    assert client.get(reverse("deputies:detail", args=[gulou.pk])).status_code == 200
    assert client.get(reverse("deputies:detail", args=[taijiang.pk])).status_code == 404
    # Filtering by another unit does not widen the scope.
    assert ids_on_list(client, f"?electoral_unit={taijiang.electoral_unit_id}") == set()


def test_deputy_sees_only_its_own_record(client, three, deputy_user):
    own, gulou, _taijiang = three
    client.force_login(deputy_user)

    assert ids_on_list(client) == {own.pk}
    response = client.get(reverse("deputies:detail", args=[own.pk]))
    assert response.status_code == 200
    assert own.person.phone in response.content.decode()
    assert client.get(reverse("deputies:detail", args=[gulou.pk])).status_code == 404


@pytest.mark.parametrize("role", ["unit_user", "committee_user"])
def test_units_and_committees_never_see_private_contact(client, gulou_mandate, role, request):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("deputies:detail", args=[gulou_mandate.pk])).content.decode()

    person = gulou_mandate.person
    assert person.phone not in page
    assert person.email not in page
    assert person.id_number not in page
    assert person.phone[:3] + "****" + person.phone[-4:] in page
    assert "变更记录" not in page  # no history either


def test_county_sees_private_contact_of_its_own_deputies(client, gulou_mandate, county_user):
    client.force_login(county_user)
    page = client.get(reverse("deputies:detail", args=[gulou_mandate.pk])).content.decode()
    assert gulou_mandate.person.phone in page
    assert gulou_mandate.person.id_number in page


def test_list_masks_contact_even_for_staff(client, gulou_mandate, staff):
    client.force_login(staff)
    page = client.get(LIST).content.decode()
    assert gulou_mandate.person.phone not in page
    assert gulou_mandate.person.phone[-4:] in page


@pytest.mark.parametrize("role", ["county_user", "deputy_user", "unit_user", "leader", "committee_user"])
def test_only_the_office_may_write(client, own_mandate, role, request):
    client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("deputies:create"),
        reverse("deputies:edit", args=[own_mandate.pk]),
        reverse("deputies:event_create", args=[own_mandate.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("deputies:event_create", args=[own_mandate.pk]), {"type": T.RESIGNATION, "date": "2025-01-01"}
    )
    assert response.status_code == 404
    own_mandate.refresh_from_db()
    assert own_mandate.status == S.ACTIVE


# List: search, filters, sorting, export -----------------------------------------------------


def test_search_by_pinyin_initials_name_and_card(client, staff, term, gulou):
    zhang = MandateFactory(
        congress=term.congress, term=term, electoral_unit=gulou, person=PersonFactory(name="张三丰")
    )
    MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, person=PersonFactory(name="李四"))
    client.force_login(staff)

    assert ids_on_list(client, "?q=zsf") == {zhang.pk}
    assert ids_on_list(client, "?q=ZS") == {zhang.pk}
    assert ids_on_list(client, "?q=zhangsan") == {zhang.pk}
    assert ids_on_list(client, "?q=三丰") == {zhang.pk}
    assert ids_on_list(client, f"?q={zhang.card_number}") == {zhang.pk}
    assert ids_on_list(client, "?q=wang") == set()


def test_filters_combine(client, staff, term, gulou, taijiang):
    field = ExpertiseFieldFactory(name="教育科技")
    group = DeputyGroupFactory(congress=term.congress, name="教育专业代表小组")
    match = MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, composition="worker",
                           is_grassroots=True)  # fmt: skip
    match.fields.add(field)
    match.groups.add(group)
    MandateFactory(
        congress=term.congress, term=term, electoral_unit=taijiang, composition="worker", is_grassroots=True
    )
    MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, composition="official")
    client.force_login(staff)

    query = (
        f"?electoral_unit={gulou.pk}&composition=worker&is_grassroots=true&field={field.pk}&group={group.pk}"
    )
    assert ids_on_list(client, query) == {match.pk}
    assert ids_on_list(client, "?status=suspended") == set()
    assert ids_on_list(client, f"?congress={term.congress_id}&term={term.pk}&status=active") == set(
        Mandate.objects.values_list("pk", flat=True)
    )


def test_sorting_by_name_both_ways(client, staff, term, gulou):
    for name in ("王五", "艾一", "张三"):
        MandateFactory(
            congress=term.congress, term=term, electoral_unit=gulou, person=PersonFactory(name=name)
        )
    client.force_login(staff)

    names = [m.person.name for m in client.get(LIST + "?ordering=name").context["page"].object_list]
    assert names == ["艾一", "王五", "张三"]
    names = [m.person.name for m in client.get(LIST + "?ordering=-name").context["page"].object_list]
    assert names == ["张三", "王五", "艾一"]


def test_pagination(client, staff, term, gulou):
    for _ in range(55):
        MandateFactory(congress=term.congress, term=term, electoral_unit=gulou)
    client.force_login(staff)

    first = client.get(LIST).context["page"]
    second = client.get(LIST + "?page=2").context["page"]
    assert (len(first.object_list), len(second.object_list), first.paginator.count) == (50, 5, 55)


def export_rows(client, query="?export=xlsx&ordering=card_number"):
    response = client.get(LIST + query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize("role", ["staff", "leader", "county_user"])
def test_export_shows_contact_in_full_to_who_may_see_it(client, three, role, request):
    _own, gulou, _taijiang = three
    Person.objects.filter(pk=gulou.person_id).update(phone="13800001234", email="zhang@example.cn")
    client.force_login(request.getfixturevalue(role))

    rows = export_rows(client)

    by_name = {row[1]: row for row in rows[1:]}
    phone, email = rows[0].index("手机"), rows[0].index("电子邮箱")
    assert (by_name[gulou.person.name][phone], by_name[gulou.person.name][email]) == (
        "13800001234",
        "zhang@example.cn",
    )


@pytest.mark.parametrize("role", ["unit_user", "committee_user"])
def test_export_keeps_the_mask_for_who_may_not_see_contact(client, three, role, request):
    _own, gulou, _taijiang = three
    Person.objects.filter(pk=gulou.person_id).update(phone="13800001234", email="zhang@example.cn")
    client.force_login(request.getfixturevalue(role))

    rows = export_rows(client)

    row = next(row for row in rows[1:] if row[1] == gulou.person.name)
    phone, email = rows[0].index("手机"), rows[0].index("电子邮箱")
    assert "13800001234" not in row[phone] and "****" in row[phone]
    assert row[email] != "zhang@example.cn"


def test_export_is_the_filtered_list_with_masked_contact(client, unit_user, three):
    _own, _gulou, _taijiang = three
    client.force_login(unit_user)

    response = client.get(LIST + "?export=xlsx&ordering=card_number")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("代表证号", "姓名")
    assert sorted(row[1] for row in rows[1:]) == sorted(m.person.name for m in three)
    phone_column = rows[0].index("手机")
    assert all("****" in row[phone_column] for row in rows[1:])


def _bulk_mandates(term, unit, count):
    """``count`` deputies in one go, each with a field and a group (what the page prefetches)."""
    field = ExpertiseField.objects.create(name=f"领域{count}")
    group = DeputyGroup.objects.create(congress=term.congress, name=f"小组{count}", kind="sectoral")
    offset = Person.objects.count()
    persons = Person.objects.bulk_create(
        Person(name=f"代表{offset + i}", gender="male", name_initials="db", name_pinyin="daibiao")
        for i in range(count)
    )
    mandates = Mandate.objects.bulk_create(
        Mandate(person=p, congress=term.congress, term=term, card_number=f"B{offset + i:05d}", electoral_unit=unit,
                composition="worker", start_date=date(2022, 1, 6), status_since=date(2022, 1, 6))
        for i, p in enumerate(persons)
    )  # fmt: skip
    Mandate.fields.through.objects.bulk_create(
        Mandate.fields.through(mandate=m, expertisefield=field) for m in mandates
    )
    Mandate.groups.through.objects.bulk_create(
        Mandate.groups.through(mandate=m, deputygroup=group) for m in mandates
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_the_data(client, staff, term, gulou):
    client.force_login(staff)
    _bulk_mandates(term, gulou, 10)
    with_ten = count_queries(client, LIST)
    export_ten = count_queries(client, LIST + "?export=xlsx")

    _bulk_mandates(term, gulou, 990)
    assert Mandate.objects.count() == 1000
    assert count_queries(client, LIST) == with_ten
    assert count_queries(client, LIST + "?export=xlsx") == export_ten


def test_detail_queries_do_not_grow_with_the_history(client, staff, gulou_mandate):
    client.force_login(staff)
    url = reverse("deputies:detail", args=[gulou_mandate.pk])
    before = count_queries(client, url)
    for day in range(1, 6):
        client.post(reverse("deputies:event_create", args=[gulou_mandate.pk]),
                    {"type": T.SUSPENSION if day % 2 else T.RESUMPTION, "date": f"2024-01-0{day}",
                     "suspension_cause": "custody" if day % 2 else "",
                     "reason": "依法记录", "document_reference": "许可决定"})  # fmt: skip
    assert MandateEvent.objects.filter(mandate=gulou_mandate).count() == 6
    assert count_queries(client, url) == before


# Forms ----------------------------------------------------------------------------------------


def test_staff_records_a_suspension_and_sees_status_and_history(client, staff, gulou_mandate):
    client.force_login(staff)
    response = client.post(
        reverse("deputies:event_create", args=[gulou_mandate.pk]),
        {
            "type": T.SUSPENSION,
            "date": "2025-03-01",
            "suspension_cause": "custody",
            "reason": "刑事拘留",
            "document_reference": "许可决定",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "已记录“暂停执行代表职务”，资格状态：暂停执行代表职务。" in page
    gulou_mandate.refresh_from_db()
    assert gulou_mandate.status == S.SUSPENDED
    history = response.context["history"]
    assert history[0].actor == staff
    assert ("资格状态", "在职", "暂停执行代表职务") in [(c.label, c.old, c.new) for c in history[0].changes]


def test_refused_event_shows_the_chinese_reason_and_changes_nothing(client, staff, gulou_mandate):
    client.force_login(staff)
    response = client.post(
        reverse("deputies:event_create", args=[gulou_mandate.pk]),
        {"type": T.RESIGNATION, "date": "2021-01-01"},
    )
    assert response.status_code == 200
    assert "变动日期不能早于当选日期（2022-01-06）。" in response.content.decode()
    assert gulou_mandate.events.count() == 1


def test_event_form_offers_only_possible_events(client, staff, gulou_mandate):
    client.force_login(staff)
    client.post(
        reverse("deputies:event_create", args=[gulou_mandate.pk]),
        {"type": T.DEATH, "date": "2024-01-01", "reason": "病故", "document_reference": "死亡证明"},
    )
    response = client.post(
        reverse("deputies:event_create", args=[gulou_mandate.pk]),
        {"type": T.RESUMPTION, "date": "2024-02-01"},
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert gulou_mandate.events.count() == 2


def _edit_payload(mandate, **overrides):
    person = mandate.person
    data = {
        "person_version": person.version, "mandate_version": mandate.version,
        "person-name": person.name, "person-gender": person.gender, "person-ethnicity": person.ethnicity,
        "person-party": person.party, "person-phone": person.phone, "person-email": person.email,
        "person-address": person.address, "person-id_number": person.id_number,
        "mandate-card_number": mandate.card_number, "mandate-electoral_unit": mandate.electoral_unit_id,
        "mandate-composition": mandate.composition, "mandate-start_date": "2022-01-06",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_edit_saves_and_shows_in_history(client, staff, gulou_mandate, taijiang):
    client.force_login(staff)
    url = reverse("deputies:edit", args=[gulou_mandate.pk])
    response = client.post(
        url, _edit_payload(gulou_mandate, **{"mandate-electoral_unit": taijiang.pk}), follow=True
    )

    assert response.status_code == 200
    gulou_mandate.refresh_from_db()
    assert gulou_mandate.electoral_unit == taijiang
    changes = response.context["history"][0].changes
    assert ("选举单位", "鼓楼区", "台江区") in [(c.label, c.old, c.new) for c in changes]


def test_concurrent_edit_is_refused(client, staff, gulou_mandate):
    client.force_login(staff)
    url = reverse("deputies:edit", args=[gulou_mandate.pk])
    stale = _edit_payload(gulou_mandate, **{"person-phone": "13700000000"})
    client.post(url, _edit_payload(gulou_mandate, **{"person-phone": "13600000000"}))

    response = client.post(url, stale)

    assert "该记录已被他人修改，请刷新页面后重新编辑。" in response.content.decode()
    gulou_mandate.person.refresh_from_db()
    assert gulou_mandate.person.phone == "13600000000"


def test_create_form_validates_in_chinese(client, staff, term, gulou):
    client.force_login(staff)
    response = client.post(
        reverse("deputies:create"), {"person-name": "", "mandate-congress": term.congress_id}
    )
    page = response.content.decode()
    assert "该字段是必填项。" in page
    assert Mandate.objects.count() == 0


def test_create_form_seats_a_deputy(client, staff, term, gulou):
    client.force_login(staff)
    response = client.post(
        reverse("deputies:create"),
        {
            "person-name": "林新",
            "person-gender": "male",
            "person-ethnicity": "畲族",
            "person-party": "masses",
            "mandate-congress": term.congress_id,
            "mandate-term": term.pk,
            "mandate-card_number": "16888",
            "mandate-electoral_unit": gulou.pk,
            "mandate-composition": "farmer",
            "mandate-is_grassroots": "on",
            "mandate-start_date": "2022-01-06",
        },
    )
    mandate = Mandate.objects.get(card_number="16888")
    assert response.status_code == 302
    assert (mandate.person.name, mandate.person.ethnicity, mandate.is_grassroots) == ("林新", "畲族", True)
    assert mandate.events.get().actor == staff


@pytest.mark.parametrize("role", ["unit_user", "committee_user"])
def test_who_recorded_an_event_is_hidden_from_units_and_committees(
    client, staff, gulou_mandate, role, request
):
    staff.display_name = "记录人甲"
    staff.save()
    gulou_mandate.events.update(actor=staff)
    client.force_login(request.getfixturevalue(role))
    assert "记录人甲" not in client.get(reverse("deputies:detail", args=[gulou_mandate.pk])).content.decode()
    client.force_login(staff)
    assert "记录人甲" in client.get(reverse("deputies:detail", args=[gulou_mandate.pk])).content.decode()


def test_a_forged_filter_value_shows_nothing(client, staff, three):
    client.force_login(staff)
    response = client.get(LIST + "?status=bogus")
    assert response.context["page"].paginator.count == 0
    assert "查询条件有误" in response.content.decode()
    export = client.get(LIST + "?status=bogus&export=xlsx")
    assert load_workbook(BytesIO(export.content)).active.max_row == 1  # the header only


def test_leader_sees_private_contact_on_the_page(client, leader, gulou_mandate):
    client.force_login(leader)
    page = client.get(reverse("deputies:detail", args=[gulou_mandate.pk])).content.decode()
    assert gulou_mandate.person.phone in page
    assert gulou_mandate.person.address in page


def test_htmx_partial_is_scoped_too(client, county_user, three):
    _own, gulou, taijiang = three
    client.force_login(county_user)
    response = client.get(LIST, HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "deputies/partials/mandate_table.html"
    page = response.content.decode()
    assert taijiang.person.name not in page
    assert gulou.person.name in page


def test_edit_keeps_a_landline_phone(client, staff, gulou_mandate):
    gulou_mandate.person.phone = "0591-87654321"  # as the roster import stores it
    gulou_mandate.person.save()
    client.force_login(staff)
    payload = _edit_payload(gulou_mandate, **{"person-workplace": "鼓楼区某街道"})
    response = client.post(reverse("deputies:edit", args=[gulou_mandate.pk]), payload)
    assert response.status_code == 302
    gulou_mandate.person.refresh_from_db()
    assert (gulou_mandate.person.phone, gulou_mandate.person.workplace) == ("0591-87654321", "鼓楼区某街道")
