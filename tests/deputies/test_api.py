"""The registry API: scoping and authorization per role, masking of private contact data, filters,
qualification events and their rules, history, version conflicts, query counts, roster imports,
token and session authentication."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lvzhi.accounts.choices import Role
from lvzhi.core.progress import progress_set
from lvzhi.core.text import pinyin_full, pinyin_initials
from lvzhi.deputies import services
from lvzhi.deputies.choices import Composition, Gender, MandateEventType, MandateStatus, RosterImportStatus
from lvzhi.deputies.models import Mandate, MandateEvent, Person, RosterImport
from lvzhi.organizations.models import ExpertiseField

from ..factories import (
    CongressFactory,
    DeputyGroupFactory,
    ElectoralUnitFactory,
    ExpertiseFieldFactory,
    MandateFactory,
    TermFactory,
    UserFactory,
)

MANDATES = "/api/v1/mandates/"
ROSTER_IMPORTS = "/api/v1/roster-imports/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STALE = "该记录已被他人修改，请刷新页面后重新编辑。"
NOT_FOUND = {"detail": "未找到该代表，或您无权查看。"}

ALL_ROLES = ["deputy_user", "unit_user", "county_user", "committee_user", "leader", "staff", "admin_user"]
OFFICE = ["staff", "admin_user"]
NOT_OFFICE = ["deputy_user", "unit_user", "county_user", "committee_user", "leader"]

# Known private contact data, and how a reader without the right sees it.
CONTACTS = {
    "own": ("13800000001", "110101198001010011", "wang@example.org", "福州市鼓楼区东街1号"),
    "gulou": ("13800000002", "110101198002020022", "li@example.org", "福州市鼓楼区西湖路2号"),
    "taijiang": ("13800000003", "110102198003030033", "zhang@example.org", "福州市台江区江滨路3号"),
}
MASKED = {
    # The ID number is withheld, not masked: its check digit would give it back (see serializers).
    "own": ("138****0001", None, "w***@example.org", "福州市…"),
    "gulou": ("138****0002", None, "l***@example.org", "福州市…"),
    "taijiang": ("138****0003", None, "z***@example.org", "福州市…"),
}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def registry(own_mandate, gulou_mandate, taijiang_mandate):
    """The three mandates of the scope tests, with known contact data on their persons."""
    mandates = {"own": own_mandate, "gulou": gulou_mandate, "taijiang": taijiang_mandate}
    for key, mandate in mandates.items():
        phone, id_number, email, address = CONTACTS[key]
        Person.objects.filter(pk=mandate.person_id).update(
            phone=phone, id_number=id_number, email=email, address=address
        )
    return mandates


def client_for(api, user):
    api.force_authenticate(user)
    return api


def contact_of(person: dict) -> tuple:
    return (person["phone"], person["id_number"], person["email"], person["address"])


def ids(response) -> list[int]:
    return [row["id"] for row in response.data["results"]]


# --- Scope: who lists and opens what --------------------------------------------------------------

LIST_SCOPE = {
    "deputy_user": ["own"],
    "unit_user": ["own", "gulou", "taijiang"],
    "county_user": ["own", "gulou"],
    "committee_user": ["own", "gulou", "taijiang"],
    "leader": ["own", "gulou", "taijiang"],
    "staff": ["own", "gulou", "taijiang"],
    "admin_user": ["own", "gulou", "taijiang"],
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_list_shows_exactly_the_roles_scope_with_contacts_masked(api, registry, role, request):
    user = request.getfixturevalue(role)

    response = client_for(api, user).get(MANDATES)

    assert response.status_code == 200
    assert ids(response) == [registry[key].pk for key in LIST_SCOPE[role]]
    assert response.data["count"] == len(LIST_SCOPE[role])
    # Masked in a list for everybody, the office and the deputy itself included.
    for row, key in zip(response.data["results"], LIST_SCOPE[role], strict=True):
        assert contact_of(row["person"]) == MASKED[key]


def test_list_refuses_anonymous(api, registry):
    response = api.get(MANDATES)

    assert response.status_code == 403
    assert response.data == {"detail": "身份认证信息未提供。"}


def test_user_without_scope_sees_nothing(api, registry):
    # A deputy account not linked to any person.
    stranger = UserFactory(username="t-stranger", role=Role.DEPUTY)

    response = client_for(api, stranger).get(MANDATES)

    assert response.status_code == 200
    assert response.data["count"] == 0


# role, mandate, status, private contact data in full (True), masked (False) or not shown (None)
DETAIL_MATRIX = [
    ("deputy_user", "own", 200, True),
    ("deputy_user", "gulou", 404, None),
    ("deputy_user", "taijiang", 404, None),
    ("county_user", "own", 200, True),
    ("county_user", "gulou", 200, True),
    ("county_user", "taijiang", 404, None),
    ("unit_user", "own", 200, False),
    ("unit_user", "taijiang", 200, False),
    ("committee_user", "gulou", 200, False),
    ("committee_user", "taijiang", 200, False),
    ("leader", "own", 200, True),
    ("leader", "taijiang", 200, True),
    ("staff", "gulou", 200, True),
    ("admin_user", "taijiang", 200, True),
]


@pytest.mark.parametrize(("role", "target", "expected_status", "in_full"), DETAIL_MATRIX)
def test_detail_scope_and_private_contact(api, registry, role, target, expected_status, in_full, request):
    user = request.getfixturevalue(role)
    mandate = registry[target]

    response = client_for(api, user).get(f"{MANDATES}{mandate.pk}/")

    assert response.status_code == expected_status
    if expected_status == 404:
        assert response.data == NOT_FOUND
        return
    assert response.data["id"] == mandate.pk
    assert response.data["person"]["name"] == mandate.person.name
    assert contact_of(response.data["person"]) == (CONTACTS[target] if in_full else MASKED[target])


def test_detail_shape(api, registry, staff):
    mandate = registry["gulou"]
    field = ExpertiseFieldFactory(name="财政经济")
    group = DeputyGroupFactory(congress=mandate.congress, name="鼓楼第一代表小组")
    mandate.fields.set([field])
    mandate.groups.set([group])

    response = client_for(api, staff).get(f"{MANDATES}{mandate.pk}/")

    data = response.data
    assert data["congress"] == mandate.congress_id
    assert data["congress_name"] == "福州市人民代表大会"
    assert data["term"] == mandate.term_id
    assert data["term_label"] == "第十六届"
    assert data["card_number"] == mandate.card_number
    assert data["electoral_unit_name"] == "鼓楼区"
    assert data["composition"] == "professional"
    assert data["composition_display"] == "专业技术人员"
    assert data["fields"] == [{"id": field.pk, "name": "财政经济"}]
    assert data["groups"] == [{"id": group.pk, "name": "鼓楼第一代表小组"}]
    assert data["start_date"] == "2022-01-06"
    assert data["status"] == "active"
    assert data["status_display"] == "在职"
    assert data["status_since"] == "2022-01-06"
    assert data["available_events"] == [
        "suspension",
        "transfer_out",
        "resignation",
        "ordered_resignation",
        "unapproved_absences",
        "recall",
        "loss_of_nationality",
        "deprivation_of_political_rights",
        "loss_of_legal_capacity",
        "death",
    ]
    assert data["version"] == 1
    assert data["person"]["gender_display"] == "女"
    assert data["person"]["name_initials"] == "lgl"
    assert data["person"]["version"] == 1


def test_missing_mandate_is_404_like_a_hidden_one(api, staff):
    response = client_for(api, staff).get(f"{MANDATES}999999/")

    assert response.status_code == 404
    assert response.data == NOT_FOUND


# --- Filters ---------------------------------------------------------------------------------------


@pytest.fixture
def filter_registry(term, gulou, taijiang):
    """Four deputies that differ in every filtered attribute."""
    finance = ExpertiseFieldFactory(name="财政经济")
    education = ExpertiseFieldFactory(name="教育科技")
    group = DeputyGroupFactory(congress=term.congress, name="台江代表小组")
    zhang_san = MandateFactory(
        congress=term.congress,
        term=term,
        electoral_unit=taijiang,
        person__name="张三",
        card_number="160001",
        composition=Composition.WORKER,
        is_grassroots=True,
    )
    zhang_san.fields.set([finance])
    zhang_san.groups.set([group])
    zhang_tai = MandateFactory(
        congress=term.congress,
        term=term,
        electoral_unit=taijiang,
        person__name="张台江",
        card_number="160002",
        composition=Composition.FARMER,
        is_grassroots=True,
    )
    zhang_tai.fields.set([education])
    li = MandateFactory(
        congress=term.congress,
        term=term,
        electoral_unit=gulou,
        person__name="李鼓楼",
        card_number="160003",
        composition=Composition.WORKER,
        status=MandateStatus.SUSPENDED,
    )
    province = CongressFactory(name="福建省人民代表大会", short_name="省人大", region="福建省")
    province_term = TermFactory(congress=province, number=14, start_date=date(2023, 1, 1))
    wang = MandateFactory(
        congress=province,
        term=province_term,
        person__name="王省",
        card_number="140001",
        start_date=date(2023, 1, 10),
    )
    return {
        "zhang_san": zhang_san,
        "zhang_tai": zhang_tai,
        "li": li,
        "wang": wang,
        "finance": finance,
        "group": group,
        "province": province,
        "province_term": province_term,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "zs"}, ["zhang_san"]),
        ({"q": "ZS"}, ["zhang_san"]),
        ({"q": "zhang"}, ["zhang_san", "zhang_tai"]),
        ({"q": "ztj"}, ["zhang_tai"]),
        ({"q": "鼓楼"}, ["li"]),
        ({"q": "160002"}, ["zhang_tai"]),
        ({"composition": "worker"}, ["zhang_san", "li"]),
        ({"is_grassroots": "true"}, ["zhang_san", "zhang_tai"]),
        ({"status": "suspended"}, ["li"]),
        ({"q": "zhang", "is_grassroots": "true", "composition": "farmer"}, ["zhang_tai"]),
    ],
)
def test_filters_like_the_registry_page(api, staff, filter_registry, params, expected):
    response = client_for(api, staff).get(MANDATES, {**params, "ordering": "card_number"})

    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(filter_registry[key].pk for key in expected)


def test_filters_by_related_rows(api, staff, filter_registry, taijiang):
    client = client_for(api, staff)
    registry = filter_registry

    by_unit = client.get(MANDATES, {"electoral_unit": taijiang.pk, "ordering": "card_number"})
    by_field = client.get(MANDATES, {"field": registry["finance"].pk})
    by_group = client.get(MANDATES, {"group": registry["group"].pk})
    by_congress = client.get(MANDATES, {"congress": registry["province"].pk})
    by_term = client.get(MANDATES, {"term": registry["province_term"].pk})

    assert ids(by_unit) == [registry["zhang_san"].pk, registry["zhang_tai"].pk]
    assert ids(by_field) == [registry["zhang_san"].pk]
    assert ids(by_group) == [registry["zhang_san"].pk]
    assert ids(by_congress) == [registry["wang"].pk]
    assert ids(by_term) == [registry["wang"].pk]


def test_ordering(api, staff, filter_registry):
    registry = filter_registry

    by_card = client_for(api, staff).get(MANDATES, {"ordering": "-card_number"})
    by_name = client_for(api, staff).get(MANDATES, {"ordering": "name"})

    assert ids(by_card) == [registry[k].pk for k in ("li", "zhang_tai", "zhang_san", "wang")]
    # name_pinyin: ligulou < wangsheng < zhangsan < zhangtaijiang
    assert ids(by_name) == [registry[k].pk for k in ("li", "wang", "zhang_san", "zhang_tai")]


def test_filters_stay_within_the_scope(api, county_user, filter_registry):
    # 张三 is in 台江区; the county user is 鼓楼区's.
    response = client_for(api, county_user).get(MANDATES, {"q": "zs"})

    assert response.status_code == 200
    assert ids(response) == []


def test_invalid_filter_value_is_400(api, staff, filter_registry):
    response = client_for(api, staff).get(MANDATES, {"status": "retired"})

    assert response.status_code == 400
    assert list(response.data) == ["status"]


# --- Create ----------------------------------------------------------------------------------------


@pytest.fixture
def create_payload(term, gulou):
    field = ExpertiseFieldFactory(name="城建环境")
    group = DeputyGroupFactory(congress=term.congress, name="鼓楼代表小组")
    return {
        "person": {
            "name": "张三",
            "gender": "male",
            "id_number": "350102199001011234",
            "phone": "13912345678",
            "email": "zhangsan@example.org",
            "address": "福州市鼓楼区五四路1号",
        },
        "congress": term.congress_id,
        "term": term.pk,
        "card_number": "160999",
        "electoral_unit": gulou.pk,
        "composition": "worker",
        "is_grassroots": True,
        "start_date": "2022-01-06",
        "fields": [field.pk],
        "groups": [group.pk],
    }


@pytest.mark.parametrize("role", OFFICE)
def test_office_creates_a_deputy(api, create_payload, role, request):
    user = request.getfixturevalue(role)

    response = client_for(api, user).post(MANDATES, create_payload, format="json")

    assert response.status_code == 201
    mandate = Mandate.objects.get(card_number="160999")
    assert response.data["id"] == mandate.pk
    assert response.data["person"]["name_initials"] == "zs"
    assert response.data["person"]["phone"] == "13912345678"  # the office sees it in full
    assert response.data["status"] == "active"
    assert response.data["fields"] == [{"id": create_payload["fields"][0], "name": "城建环境"}]
    assert response.data["groups"] == [{"id": create_payload["groups"][0], "name": "鼓楼代表小组"}]
    assert mandate.is_grassroots is True
    assert mandate.person.id_number == "350102199001011234"
    assert list(mandate.events.values_list("type", "date", "actor")) == [
        (MandateEventType.ELECTION, date(2022, 1, 6), user.pk)
    ]


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_other_roles_cannot_create(api, create_payload, role, request):
    user = request.getfixturevalue(role)

    response = client_for(api, user).post(MANDATES, create_payload, format="json")

    assert response.status_code == 403
    assert response.data == {"detail": "您没有维护代表名册的权限。"}
    assert not Mandate.objects.exists()
    assert not Person.objects.filter(name="张三").exists()


def test_anonymous_cannot_create(api, create_payload):
    response = api.post(MANDATES, create_payload, format="json")

    assert response.status_code == 403
    assert not Mandate.objects.exists()


def test_create_refuses_a_taken_card_number(api, staff, create_payload, gulou_mandate):
    create_payload["card_number"] = gulou_mandate.card_number

    response = client_for(api, staff).post(MANDATES, create_payload, format="json")

    assert response.status_code == 400
    assert response.data == {
        "detail": f"代表证号“{gulou_mandate.card_number}”已被使用。",
        "field": "card_number",
    }
    assert Mandate.objects.count() == 1


def test_create_checks_shapes_like_the_form(api, staff, create_payload):
    province = CongressFactory(name="福建省人民代表大会", short_name="省人大", region="福建省")
    create_payload["person"]["id_number"] = "35010219900101"
    create_payload["term"] = TermFactory(congress=province, number=14).pk

    response = client_for(api, staff).post(MANDATES, create_payload, format="json")

    assert response.status_code == 400
    assert response.data == {"person": {"id_number": ["公民身份号码应为18位，前17位为数字，末位为数字或X。"]}}

    create_payload["person"]["id_number"] = "350102199001011234"
    response = client_for(api, staff).post(MANDATES, create_payload, format="json")

    assert response.status_code == 400
    assert response.data == {"term": ["所选届次不属于该人大。"]}
    assert not Mandate.objects.exists()


def test_create_finds_a_known_person_by_id_number(api, staff, create_payload, taijiang_mandate):
    # The city deputy becomes a provincial deputy too: one person, two mandates.
    province = CongressFactory(name="福建省人民代表大会", short_name="省人大", region="福建省")
    province_term = TermFactory(congress=province, number=14, start_date=date(2023, 1, 1))
    unit = ElectoralUnitFactory(congress=province, name="福州市")
    create_payload.update(
        congress=province.pk,
        term=province_term.pk,
        electoral_unit=unit.pk,
        start_date="2023-01-10",
        groups=[],
        card_number="140001",
    )
    known = taijiang_mandate.person
    create_payload["person"].update(id_number=known.id_number, name=known.name, gender=known.gender)

    response = client_for(api, staff).post(MANDATES, create_payload, format="json")

    assert response.status_code == 201
    assert response.data["person"]["id"] == known.pk
    assert known.mandates.count() == 2

    # The same ID number under another name is refused: the person data typed in would be lost.
    create_payload["person"]["name"] = "张三"
    create_payload["card_number"] = "140002"
    response = client_for(api, staff).post(MANDATES, create_payload, format="json")
    assert response.status_code == 400
    assert "与填写的姓名或性别不符" in response.data["detail"]
    assert known.mandates.count() == 2


# --- Update ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target", "expected_status"),
    [
        ("deputy_user", "own", 403),
        ("deputy_user", "taijiang", 404),
        ("county_user", "gulou", 403),
        ("county_user", "taijiang", 404),
        ("unit_user", "gulou", 403),
        ("committee_user", "gulou", 403),
        ("leader", "gulou", 403),
        ("staff", "gulou", 200),
        ("admin_user", "taijiang", 200),
    ],
)
def test_update_matrix(api, registry, role, target, expected_status, request):
    user = request.getfixturevalue(role)
    mandate = registry[target]

    response = client_for(api, user).patch(
        f"{MANDATES}{mandate.pk}/", {"version": 1, "is_grassroots": True}, format="json"
    )

    assert response.status_code == expected_status
    mandate.refresh_from_db()
    if expected_status == 200:
        assert response.data["is_grassroots"] is True
        assert (mandate.is_grassroots, mandate.version) == (True, 2)
    else:
        assert response.data == (
            NOT_FOUND if expected_status == 404 else {"detail": "您没有维护代表名册的权限。"}
        )
        assert (mandate.is_grassroots, mandate.version) == (False, 1)


def test_patch_edits_person_and_mandate_and_shows_them_in_history(api, staff, term, gulou, taijiang):
    mandate = MandateFactory(
        congress=term.congress,
        term=term,
        electoral_unit=gulou,
        person__name="李鼓楼",
        person__phone="13800000002",
    )

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/",
        {"version": 1, "electoral_unit": taijiang.pk, "person": {"version": 1, "phone": "13700000009"}},
        format="json",
    )

    assert response.status_code == 200
    assert response.data["electoral_unit_name"] == "台江区"
    assert response.data["person"]["phone"] == "13700000009"
    assert (response.data["version"], response.data["person"]["version"]) == (2, 2)

    history = client_for(api, staff).get(f"{MANDATES}{mandate.pk}/history/")

    assert history.status_code == 200
    staff_ref = {"id": staff.pk, "name": "t-staff"}
    assert [(entry["what"], entry["action"], entry["who"]) for entry in history.data] == [
        ("代表资格", "修改", staff_ref),
        ("人员信息", "修改", staff_ref),
        ("代表资格", "新增", None),
        ("人员信息", "新增", None),
    ]
    assert history.data[0]["changes"] == [{"field": "选举单位", "old": "鼓楼区", "new": "台江区"}]
    assert history.data[1]["changes"] == [{"field": "手机", "old": "13800000002", "new": "13700000009"}]


def test_put_replaces_the_registry_data(api, staff, registry):
    mandate = registry["gulou"]
    body = {
        "version": 1,
        "card_number": "168888",
        "electoral_unit": mandate.electoral_unit_id,
        "composition": "farmer",
        "is_grassroots": True,
        "start_date": "2022-01-06",
        "fields": [],
        "groups": [],
    }

    response = client_for(api, staff).put(f"{MANDATES}{mandate.pk}/", body, format="json")

    assert response.status_code == 200
    mandate.refresh_from_db()
    assert (mandate.card_number, mandate.composition, mandate.is_grassroots, mandate.version) == (
        "168888",
        "farmer",
        True,
        2,
    )


def test_put_requires_every_field(api, staff, registry):
    mandate = registry["gulou"]

    response = client_for(api, staff).put(f"{MANDATES}{mandate.pk}/", {"version": 1}, format="json")

    assert response.status_code == 400
    assert set(response.data) == {"card_number", "electoral_unit", "composition", "start_date"}


def test_stale_mandate_version_is_409_and_nothing_changes(api, staff, registry):
    mandate = registry["gulou"]
    # Somebody records an event after the client read version 1.
    services.mandate_event_record(
        mandate_id=mandate.pk,
        type=MandateEventType.SUSPENSION,
        on=date(2024, 3, 1),
        actor=staff,
        suspension_cause="custody",
        reason="被依法羁押",
        document_reference="许可决定",
    )

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/",
        {"version": 1, "card_number": "169999", "person": {"version": 1, "phone": "13700000009"}},
        format="json",
    )

    assert response.status_code == 409
    assert response.data == {"detail": STALE}
    mandate.refresh_from_db()
    assert (mandate.card_number, mandate.version) == (registry["gulou"].card_number, 2)
    # The person's edit, valid on its own, was rolled back with the mandate's.
    assert (mandate.person.phone, mandate.person.version) == ("13800000002", 1)


def test_stale_person_version_is_409(api, staff, registry):
    mandate = registry["gulou"]
    services.person_update(
        person_id=mandate.person_id, expected_version=1, changes={"education": "研究生"}, actor=staff
    )

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/",
        {"version": 1, "person": {"version": 1, "phone": "13700000009"}},
        format="json",
    )

    assert response.status_code == 409
    assert response.data == {"detail": STALE}
    assert Person.objects.get(pk=mandate.person_id).phone == "13800000002"


def test_stale_version_is_409_even_when_nothing_changes(api, staff, registry):
    mandate = registry["gulou"]
    Mandate.objects.filter(pk=mandate.pk).update(version=3)

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/", {"version": 1, "card_number": mandate.card_number}, format="json"
    )

    assert response.status_code == 409
    assert response.data == {"detail": STALE}


def test_update_requires_the_versions_read(api, staff, registry):
    mandate = registry["gulou"]

    without_version = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/", {"is_grassroots": True}, format="json"
    )
    without_person_version = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/", {"version": 1, "person": {"phone": "13700000009"}}, format="json"
    )

    assert without_version.status_code == 400
    assert without_version.data == {"version": ["请提交您读取时的版本号（version），以免覆盖他人的修改。"]}
    assert without_person_version.status_code == 400
    assert without_person_version.data == {
        "person": {"version": ["请提交您读取时的版本号（version），以免覆盖他人的修改。"]}
    }
    mandate.refresh_from_db()
    assert (mandate.is_grassroots, mandate.version, mandate.person.phone) == (False, 1, "13800000002")


def test_status_cannot_be_written(api, staff, registry):
    mandate = registry["gulou"]

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/",
        {"version": 1, "status": "terminated", "status_since": "2024-01-01"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.data["status"], response.data["status_since"]) == ("active", "2022-01-06")
    mandate.refresh_from_db()
    assert (mandate.status, mandate.status_since, mandate.version) == ("active", date(2022, 1, 6), 1)
    assert mandate.events.count() == 1


def test_unchanged_patch_writes_nothing(api, staff, registry):
    mandate = registry["gulou"]

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/",
        {"version": 1, "card_number": mandate.card_number, "person": {"version": 1, "name": "李鼓楼"}},
        format="json",
    )

    assert response.status_code == 200
    assert (response.data["version"], response.data["person"]["version"]) == (1, 1)
    assert mandate.history.count() == 1


def test_update_refuses_groups_of_another_congress(api, staff, registry):
    province = CongressFactory(name="福建省人民代表大会", short_name="省人大", region="福建省")
    group = DeputyGroupFactory(congress=province, name="省代表小组")
    mandate = registry["gulou"]

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/", {"version": 1, "groups": [group.pk]}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"groups": ["所选代表小组不属于该人大。"]}
    assert list(mandate.groups.all()) == []


@pytest.mark.parametrize("role", ["staff", "admin_user", "deputy_user"])
def test_mandates_are_never_deleted(api, registry, role, request):
    mandate = registry["own"]

    response = client_for(api, request.getfixturevalue(role)).delete(f"{MANDATES}{mandate.pk}/")

    assert response.status_code == 405
    assert Mandate.objects.filter(pk=mandate.pk).exists()


# --- Qualification events --------------------------------------------------------------------------


def events_url(mandate) -> str:
    return f"{MANDATES}{mandate.pk}/events/"


SUSPENSION = {
    "type": "suspension",
    "date": "2024-03-01",
    "suspension_cause": "custody",
    "reason": "被依法羁押",
    "document_reference": "鼓楼区人大常委会许可（2024年3月）",
}


@pytest.mark.parametrize(
    ("role", "target", "expected_status"),
    [
        ("deputy_user", "own", 403),
        ("deputy_user", "gulou", 404),
        ("county_user", "gulou", 403),
        ("county_user", "taijiang", 404),
        ("unit_user", "gulou", 403),
        ("committee_user", "gulou", 403),
        ("leader", "gulou", 403),
        ("staff", "gulou", 201),
        ("admin_user", "taijiang", 201),
    ],
)
def test_record_event_matrix(api, registry, role, target, expected_status, request):
    mandate = registry[target]

    response = client_for(api, request.getfixturevalue(role)).post(
        events_url(mandate), SUSPENSION, format="json"
    )

    assert response.status_code == expected_status
    mandate.refresh_from_db()
    if expected_status == 201:
        assert response.data["type"] == "suspension"
        assert response.data["suspension_cause_display"] == "因刑事案件被羁押正在受侦查、起诉、审判"
        assert (mandate.status, mandate.status_since) == (MandateStatus.SUSPENDED, date(2024, 3, 1))
        assert mandate.events.count() == 2
    else:
        assert (mandate.status, mandate.events.count()) == (MandateStatus.ACTIVE, 1)


def test_resuming_a_terminated_mandate_is_refused(api, staff, registry):
    mandate = registry["gulou"]
    services.mandate_event_record(
        mandate_id=mandate.pk,
        type=MandateEventType.DEATH,
        on=date(2024, 1, 10),
        actor=staff,
        reason="病故",
        document_reference="死亡证明",
    )

    response = client_for(api, staff).post(
        events_url(mandate), {"type": "resumption", "date": "2024-02-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"detail": "该代表资格已终止，不能恢复执行代表职务。"}
    mandate.refresh_from_db()
    assert (mandate.status, mandate.status_since) == (MandateStatus.TERMINATED, date(2024, 1, 10))
    assert MandateEvent.objects.filter(mandate=mandate).count() == 2


def test_event_before_the_mandate_began_is_refused(api, staff, registry):
    mandate = registry["gulou"]

    response = client_for(api, staff).post(
        events_url(mandate), {**SUSPENSION, "date": "2022-01-05"}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"detail": "变动日期不能早于当选日期（2022-01-06）。", "field": "date"}
    mandate.refresh_from_db()
    assert (mandate.status, mandate.status_since, mandate.version) == (
        MandateStatus.ACTIVE,
        date(2022, 1, 6),
        1,
    )
    assert MandateEvent.objects.filter(mandate=mandate).count() == 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"type": "election", "date": "2024-03-01"},
            {"detail": "不能在此记录该类型的资格变动。", "field": "type"},
        ),
        (
            {"type": "suspension", "date": "2024-03-01"},
            {"detail": "暂停执行代表职务须注明《代表法》第六十一条规定的原因。", "field": "suspension_cause"},
        ),
        (
            {"type": "resumption", "date": "2024-03-01"},
            {"detail": "该代表正在执行代表职务，无需恢复。"},
        ),
        ({"type": "retirement", "date": "2024-03-01"}, {"type": ["“retirement” 不是合法选项。"]}),
        ({"type": "death"}, {"date": ["该字段是必填项。"]}),
    ],
)
def test_impossible_events_are_refused_and_nothing_is_written(api, staff, registry, body, expected):
    mandate = registry["gulou"]

    response = client_for(api, staff).post(events_url(mandate), body, format="json")

    assert response.status_code == 400
    assert response.data == expected
    mandate.refresh_from_db()
    assert (mandate.status, mandate.version, mandate.events.count()) == (MandateStatus.ACTIVE, 1, 1)


def test_termination_carries_its_announcement(api, staff, registry):
    mandate = registry["gulou"]

    response = client_for(api, staff).post(
        events_url(mandate),
        {
            "type": "resignation",
            "date": "2024-05-20",
            "reason": "本人书面提出辞职",
            "document_reference": "榕人常〔2024〕12号",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.data["announcement_date"] == "2024-05-20"
    assert "李鼓楼，因辞职" in response.data["announcement_text"]
    assert response.data["document_reference"] == "榕人常〔2024〕12号"
    mandate.refresh_from_db()
    assert (mandate.status, mandate.status_since) == (MandateStatus.TERMINATED, date(2024, 5, 20))


@pytest.mark.parametrize(
    ("role", "target", "expected_status", "shows_actor"),
    [
        ("deputy_user", "own", 200, True),
        ("deputy_user", "gulou", 404, None),
        ("county_user", "gulou", 200, True),
        ("county_user", "taijiang", 404, None),
        ("unit_user", "gulou", 200, False),
        ("committee_user", "gulou", 200, False),
        ("leader", "gulou", 200, True),
        ("staff", "gulou", 200, True),
    ],
)
def test_event_list(api, staff, registry, role, target, expected_status, shows_actor, request):
    mandate = registry[target]
    services.mandate_event_record(
        mandate_id=mandate.pk,
        type="suspension",
        on=date(2024, 3, 1),
        actor=staff,
        suspension_cause="sentence",
        reason="判处拘役",
        document_reference="刑事判决书",
    )
    services.mandate_event_record(
        mandate_id=mandate.pk,
        type="resumption",
        on=date(2024, 6, 1),
        actor=staff,
        reason="刑满释放",
        document_reference="释放证明",
    )

    response = client_for(api, request.getfixturevalue(role)).get(events_url(mandate))

    assert response.status_code == expected_status
    if expected_status == 404:
        return
    assert [(e["type"], e["date"]) for e in response.data] == [
        ("election", "2022-01-06"),
        ("suspension", "2024-03-01"),
        ("resumption", "2024-06-01"),
    ]
    staff_ref = {"id": staff.pk, "name": "t-staff"} if shows_actor else None
    assert [e["actor"] for e in response.data] == [None, staff_ref, staff_ref]
    assert response.data[2]["ends_suspension"] == response.data[1]["id"]


# --- History ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target", "expected_status"),
    [
        ("deputy_user", "own", 200),
        ("deputy_user", "gulou", 404),
        ("county_user", "gulou", 200),
        ("county_user", "taijiang", 404),
        ("unit_user", "gulou", 404),
        ("committee_user", "gulou", 404),
        ("leader", "taijiang", 200),
        ("staff", "taijiang", 200),
        ("admin_user", "gulou", 200),
    ],
)
def test_history_matrix(api, registry, role, target, expected_status, request):
    response = client_for(api, request.getfixturevalue(role)).get(f"{MANDATES}{registry[target].pk}/history/")

    assert response.status_code == expected_status
    if expected_status == 200:
        assert sorted(entry["what"] for entry in response.data) == ["人员信息", "代表资格"]
    else:
        assert response.data == NOT_FOUND


def test_history_queries_do_not_grow_with_its_length(api, staff, registry):
    mandate = registry["gulou"]
    client = client_for(api, staff)
    services.person_update(
        person_id=mandate.person_id, expected_version=1, changes={"education": "大学"}, actor=staff
    )
    services.mandate_update(
        mandate_id=mandate.pk,
        expected_version=1,
        changes={},
        fields=[ExpertiseFieldFactory(name="财政经济")],
        actor=staff,
    )
    with CaptureQueriesContext(connection) as short:
        first = client.get(f"{MANDATES}{mandate.pk}/history/")
    for version, education in enumerate(["硕士", "博士", "大专", "中专", "高中"], start=2):
        services.person_update(
            person_id=mandate.person_id,
            expected_version=version,
            changes={"education": education},
            actor=staff,
        )
        services.mandate_update(
            mandate_id=mandate.pk,
            expected_version=version,
            changes={"card_number": f"17000{version}"},
            actor=staff,
        )

    with CaptureQueriesContext(connection) as long:
        response = client.get(f"{MANDATES}{mandate.pk}/history/")

    assert (len(first.data), len(response.data)) == (4, 14)  # 2 creations, 2 edits; then 10 edits more
    assert response.data[0]["changes"] == [{"field": "代表证号", "old": "170005", "new": "170006"}]
    assert len(long.captured_queries) == len(short.captured_queries)


# --- Query counts ----------------------------------------------------------------------------------


def bulk_mandates(count: int, *, term, unit, field, group, start: int = 0) -> None:
    """``count`` deputies with a field and a group each, built in bulk (no factory loop)."""
    names = [f"测试{i}" for i in range(start, start + count)]
    persons = Person.objects.bulk_create(
        [
            Person(
                name=name,
                name_pinyin=pinyin_full(name),
                name_initials=pinyin_initials(name),
                gender=Gender.MALE,
                phone=f"139{i:08d}",
                id_number=f"35010219700101{i:04d}",
            )
            for i, name in zip(range(start, start + count), names, strict=True)
        ]
    )
    mandates = Mandate.objects.bulk_create(
        [
            Mandate(
                person=person,
                congress=term.congress,
                term=term,
                card_number=f"5{i:05d}",
                electoral_unit=unit,
                composition=Composition.WORKER,
                start_date=date(2022, 1, 6),
                status=MandateStatus.ACTIVE,
                status_since=date(2022, 1, 6),
            )
            for i, person in zip(range(start, start + count), persons, strict=True)
        ]
    )
    Mandate.fields.through.objects.bulk_create(
        [Mandate.fields.through(mandate_id=m.pk, expertisefield_id=field.pk) for m in mandates]
    )
    Mandate.groups.through.objects.bulk_create(
        [Mandate.groups.through(mandate_id=m.pk, deputygroup_id=group.pk) for m in mandates]
    )


@pytest.mark.parametrize("role", ["staff", "county_user"])
def test_list_costs_the_same_queries_for_10_and_1000_mandates(api, term, gulou, role, request):
    client = client_for(api, request.getfixturevalue(role))
    field = ExpertiseFieldFactory(name="财政经济")
    group = DeputyGroupFactory(congress=term.congress, name="鼓楼代表小组")
    bulk_mandates(10, term=term, unit=gulou, field=field, group=group)

    with CaptureQueriesContext(connection) as ten:
        small = client.get(MANDATES, {"page_size": 500})
    bulk_mandates(990, term=term, unit=gulou, field=field, group=group, start=10)
    with CaptureQueriesContext(connection) as thousand:
        large = client.get(MANDATES, {"page_size": 500})

    assert (small.data["count"], len(small.data["results"])) == (10, 10)
    assert (large.data["count"], len(large.data["results"])) == (1000, 500)
    assert large.data["results"][0]["fields"] == [{"id": field.pk, "name": "财政经济"}]
    # count, page of mandates (person, congress, term and unit joined), fields, groups
    assert len(ten.captured_queries) == len(thousand.captured_queries) == 4


def test_detail_and_events_have_fixed_query_counts(api, staff, registry, django_assert_num_queries):
    mandate = registry["gulou"]
    client = client_for(api, staff)

    # mandate (joined), fields, groups
    with django_assert_num_queries(3):
        client.get(f"{MANDATES}{mandate.pk}/")
    # mandate (joined), fields, groups, events with their actors
    with django_assert_num_queries(4):
        client.get(events_url(mandate))


# --- Authentication --------------------------------------------------------------------------------


def test_token_authenticates(api, staff, registry):
    token = api.post("/api/v1/auth/token/", {"username": "t-staff", "password": "pw-test-123"}, format="json")

    assert token.status_code == 200
    assert token.data == {"token": Token.objects.get(user=staff).key}

    api.credentials(HTTP_AUTHORIZATION=f"Token {token.data['token']}")
    response = api.get(MANDATES)

    assert response.status_code == 200
    assert ids(response) == [registry[k].pk for k in ("own", "gulou", "taijiang")]


def test_token_carries_the_users_scope(api, county_user, registry):
    key = Token.objects.create(user=county_user).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.get(MANDATES)
    hidden = api.get(f"{MANDATES}{registry['taijiang'].pk}/")

    assert ids(response) == [registry["own"].pk, registry["gulou"].pk]
    assert hidden.status_code == 404


def test_wrong_password_gets_no_token(api, staff):
    response = api.post("/api/v1/auth/token/", {"username": "t-staff", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert not Token.objects.exists()


def test_invalid_token_is_refused(api, registry):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = api.get(MANDATES)

    assert response.status_code == 403
    assert response.data == {"detail": "认证令牌无效。"}


def test_session_authenticates(api, deputy_user, registry):
    assert api.login(username="t-deputy", password="pw-test-123")

    response = api.get(MANDATES)

    assert response.status_code == 200
    assert ids(response) == [registry["own"].pk]


# --- Roster import ---------------------------------------------------------------------------------


@pytest.fixture
def roster_import(staff, term):
    record = RosterImport.objects.create(
        file="roster-imports/2025/01/a.xlsx",
        original_name="鼓楼区代表名册.xlsx",
        congress=term.congress,
        term=term,
        status=RosterImportStatus.INVALID,
        row_count=3,
        errors=[{"row": 2, "column": "选举单位", "message": "选举单位“东区”不存在。"}],
        created_by=staff,
    )
    progress_set("roster_import", record.pk, done=3, total=3, stage="逐行校验")
    return record


@pytest.mark.parametrize("role", OFFICE)
def test_office_lists_and_reads_roster_imports(api, roster_import, role, request):
    client = client_for(api, request.getfixturevalue(role))

    listing = client.get(ROSTER_IMPORTS)
    detail = client.get(f"{ROSTER_IMPORTS}{roster_import.pk}/")

    assert listing.status_code == 200
    assert ids(listing) == [roster_import.pk]
    assert detail.status_code == 200
    assert detail.data["status"] == "invalid"
    assert detail.data["status_display"] == "校验未通过"
    assert detail.data["errors"] == [{"row": 2, "column": "选举单位", "message": "选举单位“东区”不存在。"}]
    assert detail.data["progress"] == {"done": 3, "total": 3, "stage": "逐行校验", "percent": 100}
    assert detail.data["created_by"]["name"] == "t-staff"


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_other_roles_cannot_touch_roster_imports(api, roster_import, term, role, request):
    client = client_for(api, request.getfixturevalue(role))
    forbidden = {"detail": "您没有导入代表名册的权限。"}

    responses = [
        client.get(ROSTER_IMPORTS),
        client.get(f"{ROSTER_IMPORTS}{roster_import.pk}/"),
        client.post(ROSTER_IMPORTS, {"congress": term.congress_id, "term": term.pk}),
        client.post(f"{ROSTER_IMPORTS}{roster_import.pk}/apply/"),
        client.post(f"{ROSTER_IMPORTS}{roster_import.pk}/cancel/"),
        client.get(f"{ROSTER_IMPORTS}template/", {"congress": term.congress_id}),
    ]

    assert [(r.status_code, r.data) for r in responses] == [(403, forbidden)] * 6
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImportStatus.INVALID
    assert RosterImport.objects.count() == 1


def test_anonymous_cannot_touch_roster_imports(api, roster_import):
    assert api.get(ROSTER_IMPORTS).status_code == 403
    assert api.post(f"{ROSTER_IMPORTS}{roster_import.pk}/cancel/").status_code == 403


def roster_file(rows: list[dict], congress) -> BytesIO:
    """The importer's own template with ``rows`` filled in (keys: the Chinese headers)."""
    from lvzhi.deputies.importer import roster_template_bytes

    workbook = load_workbook(BytesIO(roster_template_bytes(congress=congress)))
    sheet = workbook["代表名册"]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "名册.xlsx"
    return buffer


def roster_row(**overrides) -> dict:
    row = {
        "代表证号": "161001",
        "姓名": "赵导入",
        "性别": "男",
        "政治面貌": "群众",
        "选举单位": "鼓楼区",
        "构成类别": "工人",
        "是否基层代表": "是",
        "当选日期": "2022-01-06",
        "公民身份号码": "350102198505050055",
        "手机": "13911112222",
    }
    row.update(overrides)
    return row


def test_upload_check_and_apply_a_roster(api, staff, term, gulou, django_capture_on_commit_callbacks):
    client = client_for(api, staff)

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            ROSTER_IMPORTS,
            {
                "file": roster_file([roster_row()], term.congress),
                "congress": term.congress_id,
                "term": term.pk,
            },
            format="multipart",
        )

    assert created.status_code == 201
    assert created.data["original_name"] == "名册.xlsx"
    checked = client.get(f"{ROSTER_IMPORTS}{created.data['id']}/")
    assert checked.data["status"] == "validated"
    assert checked.data["row_count"] == 1
    assert checked.data["errors"] == []
    assert not Mandate.objects.exists()  # nothing imported before it is applied

    with django_capture_on_commit_callbacks(execute=True):
        applying = client.post(f"{ROSTER_IMPORTS}{created.data['id']}/apply/")

    assert applying.status_code == 200
    applied = client.get(f"{ROSTER_IMPORTS}{created.data['id']}/")
    assert (applied.data["status"], applied.data["created_count"]) == ("applied", 1)
    assert applied.data["applied_by"] == {"id": staff.pk, "name": "t-staff"}
    mandate = Mandate.objects.get(card_number="161001")
    assert (mandate.person.name, mandate.electoral_unit, mandate.is_grassroots) == ("赵导入", gulou, True)
    found = client.get(MANDATES, {"q": "zdr"})
    assert ids(found) == [mandate.pk]


def test_a_bad_roster_lists_its_errors_and_imports_nothing(
    api, staff, term, gulou, django_capture_on_commit_callbacks
):
    client = client_for(api, staff)
    rows = [roster_row(), roster_row(**{"代表证号": "161002", "选举单位": "东区", "公民身份号码": ""})]

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            ROSTER_IMPORTS,
            {"file": roster_file(rows, term.congress), "congress": term.congress_id, "term": term.pk},
            format="multipart",
        )

    checked = client.get(f"{ROSTER_IMPORTS}{created.data['id']}/")
    assert checked.data["status"] == "invalid"
    assert [(error["row"], error["column"]) for error in checked.data["errors"]] == [(3, "选举单位")]

    refused = client.post(f"{ROSTER_IMPORTS}{created.data['id']}/apply/")
    cancelled = client.post(f"{ROSTER_IMPORTS}{created.data['id']}/cancel/")

    assert refused.status_code == 400
    assert refused.data == {"detail": "该名册导入当前为“校验未通过”，只有“待确认导入”的名册才能确认导入。"}
    assert cancelled.status_code == 200
    assert cancelled.data["status"] == "cancelled"
    assert not Mandate.objects.exists()


def test_upload_refuses_what_is_not_a_roster(api, staff, term):
    other = CongressFactory(name="福建省人民代表大会", short_name="省人大", region="福建省")
    file = BytesIO(b"name,phone\n")
    file.name = "roster.csv"

    wrong_file = client_for(api, staff).post(
        ROSTER_IMPORTS, {"file": file, "congress": term.congress_id, "term": term.pk}, format="multipart"
    )
    missing = client_for(api, staff).post(ROSTER_IMPORTS, {"congress": other.pk}, format="multipart")

    assert wrong_file.status_code == 400
    assert wrong_file.data == {
        "detail": "仅支持 .xlsx 格式的 Excel 文件；.xls 或 WPS 文件请先另存为 .xlsx。",
        "field": "file",
    }
    assert missing.status_code == 400
    assert set(missing.data) == {"file", "term"}
    assert not RosterImport.objects.exists()


def test_template_download(api, staff, gulou, taijiang):
    response = client_for(api, staff).get(f"{ROSTER_IMPORTS}template/", {"congress": gulou.congress_id})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[0] == "代表名册"
    assert [cell.value for cell in workbook["可选值"]["F"] if cell.value] == ["选举单位", "鼓楼区", "台江区"]


def test_template_honours_an_xlsx_accept_header(api, staff, gulou):
    response = client_for(api, staff).get(
        f"{ROSTER_IMPORTS}template/", {"congress": gulou.congress_id}, HTTP_ACCEPT=XLSX
    )

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX


def test_template_needs_a_congress(api, staff):
    response = client_for(api, staff).get(f"{ROSTER_IMPORTS}template/")

    assert response.status_code == 400
    assert response.data == {"congress": ["该字段是必填项。"]}


def test_patch_sets_expertise_and_ignores_unknown_keys(api, staff, registry):
    mandate = registry["gulou"]
    field = ExpertiseField.objects.create(name="社会建设")

    response = client_for(api, staff).patch(
        f"{MANDATES}{mandate.pk}/", {"version": 1, "fields": [field.pk], "person_id": 1}, format="json"
    )

    assert response.status_code == 200
    assert response.data["fields"] == [{"id": field.pk, "name": "社会建设"}]
    assert Mandate.objects.get(pk=mandate.pk).person_id == mandate.person_id
