"""The structure API: everybody signed in reads the reference data, only the office writes it, with
the same rules (and Chinese messages) as the structure pages; filters, ordering and query counts."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from lvzhi.organizations.models import Committee, DeputyGroup, ElectoralUnit, ExpertiseField, HandlingUnit

from ..factories import (
    CommitteeFactory,
    CongressFactory,
    DeputyGroupFactory,
    ElectoralUnitFactory,
    ExpertiseFieldFactory,
    HandlingUnitFactory,
    MandateFactory,
    SessionFactory,
    TermFactory,
)

API = "/api/v1/"
ALL_ROLES = ["deputy_user", "unit_user", "county_user", "committee_user", "leader", "staff", "admin_user"]
OFFICE = ["staff", "admin_user"]
NOT_OFFICE = ["deputy_user", "unit_user", "county_user", "committee_user", "leader"]
FORBIDDEN = {"detail": "您没有维护组织结构的权限。"}


@pytest.fixture
def api():
    return APIClient()


def client_for(api, user):
    api.force_authenticate(user)
    return api


def ids(response) -> list[int]:
    return [row["id"] for row in response.data["results"]]


@pytest.fixture
def structure(term, gulou, taijiang, handling_unit, committee):
    """One row or more of every kind, with the references between them."""
    government = HandlingUnitFactory(name="福州市人民政府", kind="government_department", order=1)
    court = HandlingUnitFactory(name="福州市中级人民法院", kind="court", order=2)
    HandlingUnit.objects.filter(pk=handling_unit.pk).update(parent=government, order=3)
    handling_unit.refresh_from_db()
    finance = ExpertiseFieldFactory(name="财政经济")
    committee.fields.set([finance])
    return {
        "congress": term.congress,
        "term": term,
        "session": SessionFactory(term=term, number=1, start_date=date(2022, 1, 6)),
        "gulou": gulou,
        "taijiang": taijiang,
        "group": DeputyGroupFactory(congress=term.congress, name="鼓楼代表小组", electoral_unit=gulou),
        "committee": committee,
        "government": government,
        "court": court,
        "housing": handling_unit,
        "finance": finance,
    }


def expected_lists(structure) -> dict[str, list[int]]:
    s = structure
    return {
        "congresses": [s["congress"].pk],
        "terms": [s["term"].pk],
        "sessions": [s["session"].pk],
        "electoral-units": [s["gulou"].pk, s["taijiang"].pk],
        "deputy-groups": [s["group"].pk],
        "committees": [s["committee"].pk],
        "handling-units": [s["government"].pk, s["court"].pk, s["housing"].pk],
        "fields": [s["finance"].pk],
    }


# --- Reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everybody_signed_in_reads_the_structure(api, structure, role, request):
    client = client_for(api, request.getfixturevalue(role))

    for endpoint, expected in expected_lists(structure).items():
        listing = client.get(f"{API}{endpoint}/")
        detail = client.get(f"{API}{endpoint}/{expected[0]}/")

        assert (endpoint, listing.status_code, ids(listing)) == (endpoint, 200, expected)
        assert (endpoint, detail.status_code, detail.data["id"]) == (endpoint, 200, expected[0])


def test_anonymous_reads_nothing(api, structure):
    for endpoint in expected_lists(structure):
        response = api.get(f"{API}{endpoint}/")

        assert (endpoint, response.status_code) == (endpoint, 403)


def test_representation_is_snake_case_with_labels(api, staff, structure):
    housing = structure["housing"]

    unit = client_for(api, staff).get(f"{API}handling-units/{housing.pk}/").data
    term = client_for(api, staff).get(f"{API}terms/{structure['term'].pk}/").data
    session = client_for(api, staff).get(f"{API}sessions/{structure['session'].pk}/").data
    committee = client_for(api, staff).get(f"{API}committees/{structure['committee'].pk}/").data

    assert set(unit) == {
        "id",
        "name",
        "short_name",
        "kind",
        "kind_display",
        "parent",
        "parent_name",
        "is_active",
        "order",
        "updated_at",
    }
    assert (unit["kind_display"], unit["parent"], unit["parent_name"]) == (
        "政府部门",
        structure["government"].pk,
        "福州市人民政府",
    )
    assert (term["label"], term["congress_name"], term["start_date"]) == (
        "第十六届",
        "福州市人民代表大会",
        "2022-01-01",
    )
    assert (session["label"], session["term_label"], session["congress"]) == (
        "第一次会议",
        "第十六届",
        structure["congress"].pk,
    )
    assert (committee["kind_display"], committee["fields"]) == ("工作委员会", [structure["finance"].pk])


def test_missing_row_is_404_in_chinese(api, staff, structure):
    response = client_for(api, staff).get(f"{API}handling-units/999999/")

    assert response.status_code == 404
    assert response.data == {"detail": "未找到该记录。"}


# --- Filters and ordering --------------------------------------------------------------------------


def test_handling_unit_filters(api, leader, structure):
    client = client_for(api, leader)
    s = structure

    assert ids(client.get(f"{API}handling-units/", {"kind": "court"})) == [s["court"].pk]
    assert ids(client.get(f"{API}handling-units/", {"parent": s["government"].pk})) == [s["housing"].pk]
    assert ids(client.get(f"{API}handling-units/", {"parent__isnull": "true"})) == [
        s["government"].pk,
        s["court"].pk,
    ]
    assert ids(client.get(f"{API}handling-units/", {"search": "法院"})) == [s["court"].pk]
    assert ids(client.get(f"{API}handling-units/", {"ordering": "-order"})) == [
        s["housing"].pk,
        s["court"].pk,
        s["government"].pk,
    ]


def test_filters_by_congress_and_kind(api, unit_user, structure):
    client = client_for(api, unit_user)
    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    province_term = TermFactory(congress=province, number=14, start_date=date(2023, 1, 1))
    province_committee = CommitteeFactory(congress=province, name="省人大财经委", kind="special_committee")
    sectoral = DeputyGroupFactory(congress=structure["congress"], name="医卫专业代表小组", kind="sectoral")
    city = structure["congress"].pk

    assert ids(client.get(f"{API}congresses/", {"level": "provincial"})) == [province.pk]
    assert ids(client.get(f"{API}terms/", {"congress": province.pk})) == [province_term.pk]
    assert ids(client.get(f"{API}sessions/", {"term__congress": city})) == [structure["session"].pk]
    assert ids(client.get(f"{API}committees/", {"congress": province.pk})) == [province_committee.pk]
    assert ids(client.get(f"{API}committees/", {"kind": "working_committee"})) == [structure["committee"].pk]
    assert ids(client.get(f"{API}committees/", {"fields": structure["finance"].pk})) == [
        structure["committee"].pk
    ]
    assert ids(client.get(f"{API}deputy-groups/", {"kind": "sectoral"})) == [sectoral.pk]
    assert ids(client.get(f"{API}electoral-units/", {"congress": city, "ordering": "-order"})) == [
        structure["taijiang"].pk,
        structure["gulou"].pk,
    ]


def test_lists_cost_fixed_queries(api, staff, structure, django_assert_num_queries):
    client = client_for(api, staff)
    for number in range(5):
        CommitteeFactory(congress=structure["congress"], name=f"委员会{number}").fields.set(
            [structure["finance"]]
        )

    # count, page
    with django_assert_num_queries(2):
        client.get(f"{API}handling-units/")
    with django_assert_num_queries(2):
        client.get(f"{API}terms/")
    # count, page, fields
    with django_assert_num_queries(3):
        response = client.get(f"{API}committees/")
    assert response.data["count"] == 6


# --- Writing ---------------------------------------------------------------------------------------


def create_payloads(structure) -> dict[str, dict]:
    s = structure
    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    return {
        "congresses": {
            "name": "福清市人民代表大会",
            "short_name": "福清市人大",
            "level": "county",
            "region": "福清市",
            "parent": s["congress"].pk,
        },
        "terms": {"congress": province.pk, "number": 14, "start_date": "2023-01-01"},
        "sessions": {"term": s["term"].pk, "number": 2, "start_date": "2023-01-10", "end_date": "2023-01-13"},
        "electoral-units": {"congress": s["congress"].pk, "name": "仓山区", "delegation_name": "仓山团"},
        "deputy-groups": {
            "congress": s["congress"].pk,
            "name": "台江代表小组",
            "kind": "territorial",
            "electoral_unit": s["taijiang"].pk,
        },
        "committees": {
            "congress": s["congress"].pk,
            "name": "财政经济委员会",
            "kind": "special_committee",
            "fields": [s["finance"].pk],
        },
        "handling-units": {
            "name": "福州市教育局",
            "kind": "government_department",
            "parent": s["government"].pk,
        },
        "fields": {"name": "教育科技"},
    }


@pytest.mark.parametrize("role", OFFICE)
def test_office_creates_every_kind(api, structure, role, request):
    client = client_for(api, request.getfixturevalue(role))

    for endpoint, payload in create_payloads(structure).items():
        response = client.post(f"{API}{endpoint}/", payload, format="json")

        assert (endpoint, response.status_code) == (endpoint, 201), response.data
        for key, value in payload.items():
            assert (endpoint, key, response.data[key]) == (endpoint, key, value)


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_other_roles_cannot_write(api, structure, role, request):
    client = client_for(api, request.getfixturevalue(role))
    court = structure["court"]

    for endpoint, payload in create_payloads(structure).items():
        response = client.post(f"{API}{endpoint}/", payload, format="json")

        assert (endpoint, response.status_code, response.data) == (endpoint, 403, FORBIDDEN)
    patched = client.patch(f"{API}handling-units/{court.pk}/", {"name": "改名"}, format="json")
    deleted = client.delete(f"{API}handling-units/{court.pk}/")

    assert (patched.status_code, patched.data) == (403, FORBIDDEN)
    assert (deleted.status_code, deleted.data) == (403, FORBIDDEN)
    court.refresh_from_db()
    assert court.name == "福州市中级人民法院"
    assert not ExpertiseField.objects.filter(name="教育科技").exists()
    assert HandlingUnit.objects.count() == 3


def test_anonymous_cannot_write(api, structure):
    response = api.post(f"{API}fields/", {"name": "教育科技"}, format="json")

    assert response.status_code == 403
    assert not ExpertiseField.objects.filter(name="教育科技").exists()


def test_edit_with_the_time_read(api, staff, structure):
    court = structure["court"]
    client = client_for(api, staff)
    read = client.get(f"{API}handling-units/{court.pk}/").data

    response = client.patch(
        f"{API}handling-units/{court.pk}/",
        {"short_name": "市中院", "updated_at": read["updated_at"]},
        format="json",
    )

    assert response.status_code == 200
    assert response.data["short_name"] == "市中院"
    court.refresh_from_db()
    assert court.short_name == "市中院"


def test_stale_edit_is_409_and_changes_nothing(api, staff, structure):
    court = structure["court"]
    client = client_for(api, staff)
    read = client.get(f"{API}handling-units/{court.pk}/").data
    client.patch(
        f"{API}handling-units/{court.pk}/", {"order": 9, "updated_at": read["updated_at"]}, format="json"
    )

    response = client.patch(
        f"{API}handling-units/{court.pk}/",
        {"short_name": "市中院", "updated_at": read["updated_at"]},
        format="json",
    )

    assert response.status_code == 409
    assert response.data == {"detail": "该记录已被他人修改，请刷新页面后重新编辑。"}
    court.refresh_from_db()
    assert (court.short_name, court.order) == ("", 9)


def test_edit_requires_the_time_read(api, staff, structure):
    court = structure["court"]

    response = client_for(api, staff).patch(
        f"{API}handling-units/{court.pk}/", {"short_name": "市中院"}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"updated_at": ["请提交您读取时的更新时间（updated_at），以免覆盖他人的修改。"]}


@pytest.mark.parametrize(
    ("endpoint", "payload", "expected"),
    [
        ("electoral-units", {"name": "鼓楼区"}, {"detail": "名称已存在。", "field": "name"}),
        (
            "sessions",
            {"number": 3, "start_date": "2021-12-01"},
            {"detail": "会议日期必须在第十六届的任期内（2022-01-01至今）。", "field": "start_date"},
        ),
        (
            "terms",
            {"number": 17, "start_date": "2026-12-01"},
            {"detail": "任期与第十六届（2022-01-01至今）重叠。", "field": "start_date"},
        ),
        (
            "deputy-groups",
            {"name": "外区小组", "kind": "territorial", "electoral_unit": "province_unit"},
            {"detail": "所属选举单位必须属于同一人大。", "field": "electoral_unit"},
        ),
    ],
)
def test_structure_rules_apply_as_on_the_pages(api, staff, structure, endpoint, payload, expected):
    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    province_unit = ElectoralUnitFactory(congress=province, name="福州市")
    parent = (
        {"term": structure["term"].pk} if endpoint == "sessions" else {"congress": structure["congress"].pk}
    )
    payload = {key: province_unit.pk if value == "province_unit" else value for key, value in payload.items()}
    client = client_for(api, staff)
    before = client.get(f"{API}{endpoint}/").data["count"]

    response = client.post(f"{API}{endpoint}/", {**parent, **payload}, format="json")

    assert response.status_code == 400
    assert response.data == expected
    assert client.get(f"{API}{endpoint}/").data["count"] == before


def test_parent_loop_is_refused(api, staff, structure):
    government = structure["government"]
    read = client_for(api, staff).get(f"{API}handling-units/{government.pk}/").data

    response = client_for(api, staff).patch(
        f"{API}handling-units/{government.pk}/",
        {"parent": structure["housing"].pk, "updated_at": read["updated_at"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"detail": "上级单位不能是本单位或其下级单位。", "field": "parent"}
    government.refresh_from_db()
    assert government.parent_id is None


def test_moving_a_unit_in_use_to_another_congress_is_refused(api, staff, structure, gulou_mandate):
    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    gulou = structure["gulou"]
    read = client_for(api, staff).get(f"{API}electoral-units/{gulou.pk}/").data

    response = client_for(api, staff).patch(
        f"{API}electoral-units/{gulou.pk}/",
        {"congress": province.pk, "updated_at": read["updated_at"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.data["field"] == "congress"
    gulou.refresh_from_db()
    assert gulou.congress_id == structure["congress"].pk


# --- Deleting --------------------------------------------------------------------------------------


def test_deleting_a_row_in_use_is_refused(api, staff, structure, gulou_mandate, county_user):
    gulou = structure["gulou"]

    response = client_for(api, staff).delete(f"{API}electoral-units/{gulou.pk}/")

    assert response.status_code == 400
    assert response.data == {
        "detail": "该记录仍被代表小组（1条）、代表资格（1条）、用户（1条）引用，不能删除。"
    }
    assert ElectoralUnit.objects.filter(pk=gulou.pk).exists()


def test_deleting_a_field_in_use_is_refused(api, staff, structure):
    finance = structure["finance"]
    MandateFactory(
        congress=structure["congress"], term=structure["term"], electoral_unit=structure["gulou"]
    ).fields.set([finance])

    response = client_for(api, staff).delete(f"{API}fields/{finance.pk}/")

    assert response.status_code == 400
    assert response.data == {"detail": "该记录仍被代表资格（1条）、委员会（1条）引用，不能删除。"}
    assert list(Committee.objects.get().fields.all()) == [finance]


def test_deleting_a_row_nobody_uses(api, admin_user, structure):
    court = structure["court"]
    group = structure["group"]

    unit = client_for(api, admin_user).delete(f"{API}handling-units/{court.pk}/")
    deputy_group = client_for(api, admin_user).delete(f"{API}deputy-groups/{group.pk}/")

    assert (unit.status_code, deputy_group.status_code) == (204, 204)
    assert not HandlingUnit.objects.filter(pk=court.pk).exists()
    assert not DeputyGroup.objects.filter(pk=group.pk).exists()
