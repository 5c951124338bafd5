"""The structure pages: who may open them, lists (search, filters, sorting, paging, export),
create/edit/delete with the structure's rules, concurrent edits, history and query counts."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.organizations.choices import CommitteeKind, CongressLevel, DeputyGroupKind, HandlingUnitKind
from lvzhi.organizations.models import (
    Committee,
    Congress,
    DeputyGroup,
    ElectoralUnit,
    ExpertiseField,
    HandlingUnit,
    Session,
    Term,
)
from lvzhi.organizations.services import structure_save
from tests.factories import (
    CommitteeFactory,
    CongressFactory,
    DeputyGroupFactory,
    ElectoralUnitFactory,
    ExpertiseFieldFactory,
    HandlingUnitFactory,
    SessionFactory,
    TermFactory,
)

KIND_SLUGS = [
    "congresses",
    "terms",
    "sessions",
    "electoral-units",
    "deputy-groups",
    "committees",
    "handling-units",
    "fields",
]


def list_url(kind, /, **params):
    url = reverse("organizations:list", kwargs={"kind": kind})
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def edit_url(kind, pk):
    return reverse("organizations:edit", kwargs={"kind": kind, "pk": pk})


def delete_url(kind, pk):
    return reverse("organizations:delete", kwargs={"kind": kind, "pk": pk})


def create_url(kind):
    return reverse("organizations:create", kwargs={"kind": kind})


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def provincial(db):
    return CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level=CongressLevel.PROVINCIAL, region="福建省"
    )


def edit_token(client, kind, obj) -> str:
    """The ``updated_at`` the edit page hands out, as the browser would post it back."""
    response = client.get(edit_url(kind, obj.pk))
    assert response.status_code == 200
    return response.context["form"].initial["expected_updated_at"]


def post_edit(client, kind, obj, data):
    return client.post(edit_url(kind, obj.pk), {**data, "expected_updated_at": edit_token(client, kind, obj)})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Who may open the section -------------------------------------------------------------------

OUTSIDERS = ["county_user", "unit_user", "deputy_user", "committee_user", "leader"]


@pytest.fixture
def some_rows(term, gulou, handling_unit):
    return {"terms": term, "electoral-units": gulou, "handling-units": handling_unit}


@pytest.mark.parametrize("role", OUTSIDERS)
def test_other_roles_get_404_on_every_page_and_method(client, request, role, some_rows, congress):
    user = request.getfixturevalue(role)
    client.force_login(user)
    term = some_rows["terms"]

    responses = [client.get(reverse("organizations:index"))]
    for kind in KIND_SLUGS:
        responses += [
            client.get(list_url(kind)),
            client.get(list_url(kind, export="xlsx")),
            client.get(create_url(kind)),
            client.post(create_url(kind), {"name": "不应创建", "order": 1}),
        ]
    for kind, obj in some_rows.items():
        responses += [
            client.get(edit_url(kind, obj.pk)),
            client.post(edit_url(kind, obj.pk), {"name": "不应修改"}),
            client.get(delete_url(kind, obj.pk)),
            client.post(delete_url(kind, obj.pk)),
        ]

    assert {response.status_code for response in responses} == {404}
    assert Term.objects.filter(pk=term.pk, number=16).exists()
    assert ElectoralUnit.objects.filter(pk=some_rows["electoral-units"].pk, name="鼓楼区").exists()
    assert HandlingUnit.objects.filter(pk=some_rows["handling-units"].pk, name="市住房和城乡建设局").exists()
    assert not ExpertiseField.objects.filter(name="不应创建").exists()


def test_anonymous_is_sent_to_login(client, term):
    urls = [
        reverse("organizations:index"),
        list_url("terms"),
        create_url("terms"),
        edit_url("terms", term.pk),
        delete_url("terms", term.pk),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(delete_url("terms", term.pk))
    assert response.status_code == 302
    assert Term.objects.filter(pk=term.pk).exists()


@pytest.mark.parametrize("role", ["staff", "admin_user"])
def test_office_opens_every_page(client, request, role, term):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("organizations:index")).status_code == 200
    for kind in KIND_SLUGS:
        assert client.get(list_url(kind)).status_code == 200
        assert client.get(create_url(kind)).status_code == 200
    assert client.get(edit_url("terms", term.pk)).status_code == 200


def test_unknown_kind_and_row_give_404(staff_client, term):
    assert staff_client.get("/organizations/parties/").status_code == 404
    assert staff_client.get(edit_url("terms", term.pk + 1000)).status_code == 404
    assert staff_client.post(delete_url("sessions", term.pk)).status_code == 404


def test_delete_is_post_only(staff_client, handling_unit):
    response = staff_client.get(delete_url("handling-units", handling_unit.pk))

    assert response.status_code == 405
    assert HandlingUnit.objects.filter(pk=handling_unit.pk).exists()


# --- Overview -----------------------------------------------------------------------------------


def test_index_lists_the_eight_kinds_with_counts(staff_client, term, gulou, taijiang, handling_unit):
    SessionFactory(term=term, number=1, start_date=date(2022, 1, 6))

    response = staff_client.get(reverse("organizations:index"))

    counts = {kind.slug: count for kind, count in response.context["counts"]}
    assert counts == {
        "congresses": 1,
        "terms": 1,
        "sessions": 1,
        "electoral-units": 2,
        "deputy-groups": 0,
        "committees": 0,
        "handling-units": 1,
        "fields": 0,
    }
    html = response.content.decode()
    for label in ["人大", "届", "会议", "选举单位", "代表小组", "委员会", "承办单位", "领域"]:
        assert f">{label}</a>" in html
    assert 'data-testid="count-electoral-units"' in html


# --- Create -------------------------------------------------------------------------------------


def test_create_congress(staff_client, congress):
    response = staff_client.post(
        create_url("congresses"),
        {
            "name": "鼓楼区人民代表大会",
            "short_name": "鼓楼区人大",
            "level": CongressLevel.COUNTY,
            "region": "鼓楼区",
            "parent": congress.pk,
            "order": 3,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == list_url("congresses")
    created = Congress.objects.get(name="鼓楼区人民代表大会")
    assert (created.short_name, created.level, created.region, created.parent, created.order) == (
        "鼓楼区人大",
        CongressLevel.COUNTY,
        "鼓楼区",
        congress,
        3,
    )


def test_create_term_and_session_show_chinese_ordinals(staff_client, congress):
    response = staff_client.post(
        create_url("terms"),
        {"congress": congress.pk, "number": 16, "start_date": "2022-01-06", "end_date": ""},
        follow=True,
    )
    assert messages_of(response) == ["已保存届“市人大第十六届”。"]
    term = Term.objects.get(congress=congress, number=16)
    assert (term.start_date, term.end_date) == (date(2022, 1, 6), None)

    response = staff_client.post(
        create_url("sessions"),
        {"term": term.pk, "number": 4, "start_date": "2025-01-08", "end_date": "2025-01-11"},
        follow=True,
    )
    session = Session.objects.get(term=term, number=4)
    assert (session.start_date, session.end_date) == (date(2025, 1, 8), date(2025, 1, 11))
    assert messages_of(response) == ["已保存会议“市人大第十六届第四次会议”。"]
    html = staff_client.get(list_url("sessions")).content.decode()
    assert "第十六届" in html and "第四次会议" in html


def test_create_electoral_unit_normalises_its_code(staff_client, congress):
    staff_client.post(
        create_url("electoral-units"),
        {
            "congress": congress.pk,
            "name": "长乐区",
            "delegation_name": "长乐团",
            "code": "３５０１１２",
            "order": 6,
        },
    )

    unit = ElectoralUnit.objects.get(name="长乐区")
    assert (unit.congress, unit.delegation_name, unit.code, unit.order) == (congress, "长乐团", "350112", 6)


def test_create_deputy_group(staff_client, congress, gulou):
    staff_client.post(
        create_url("deputy-groups"),
        {
            "congress": congress.pk,
            "name": "鼓楼区第一代表小组",
            "kind": DeputyGroupKind.TERRITORIAL,
            "electoral_unit": gulou.pk,
        },
    )

    group = DeputyGroup.objects.get(name="鼓楼区第一代表小组")
    assert (group.congress, group.kind, group.electoral_unit) == (
        congress,
        DeputyGroupKind.TERRITORIAL,
        gulou,
    )


def test_create_committee_with_fields(staff_client, congress):
    finance = ExpertiseFieldFactory(name="财政经济")
    society = ExpertiseFieldFactory(name="社会建设")

    staff_client.post(
        create_url("committees"),
        {
            "congress": congress.pk,
            "name": "财政经济委员会",
            "kind": CommitteeKind.SPECIAL,
            "fields": [finance.pk, society.pk],
            "order": 1,
        },
    )

    committee = Committee.objects.get(name="财政经济委员会")
    assert committee.kind == CommitteeKind.SPECIAL
    assert set(committee.fields.values_list("name", flat=True)) == {"财政经济", "社会建设"}


def test_create_handling_unit_under_a_parent(staff_client):
    government = HandlingUnitFactory(name="福州市人民政府")

    staff_client.post(
        create_url("handling-units"),
        {
            "name": "福州市教育局",
            "short_name": "市教育局",
            "kind": HandlingUnitKind.GOVERNMENT_DEPARTMENT,
            "parent": government.pk,
            "is_active": "on",
            "order": 10,
        },
    )

    unit = HandlingUnit.objects.get(name="福州市教育局")
    assert (unit.short_name, unit.kind, unit.parent, unit.is_active, unit.order) == (
        "市教育局",
        HandlingUnitKind.GOVERNMENT_DEPARTMENT,
        government,
        True,
        10,
    )


def test_create_field(staff_client):
    staff_client.post(create_url("fields"), {"name": "生态环境", "order": 7})

    assert ExpertiseField.objects.filter(name="生态环境", order=7).exists()


def test_create_form_has_labelled_fields_and_chinese_buttons(staff_client):
    html = staff_client.get(create_url("handling-units")).content.decode()

    assert '<label class="form-label required" for="id_name">名称</label>' in html
    assert 'for="id_parent">上级单位</label>' in html
    assert "保存" in html and "新增承办单位" in html


def test_required_fields_are_reported_in_chinese(staff_client):
    response = staff_client.post(create_url("fields"), {"name": "", "order": 1})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["该字段是必填项。"]
    assert not ExpertiseField.objects.exists()


# --- Validation ---------------------------------------------------------------------------------


def form_errors(response, field):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors.get(field, [])


def test_term_end_before_start_is_refused(staff_client, congress):
    response = staff_client.post(
        create_url("terms"),
        {"congress": congress.pk, "number": 16, "start_date": "2022-01-06", "end_date": "2021-12-31"},
    )

    assert form_errors(response, "end_date") == ["结束日期不能早于开始日期。"]
    assert not Term.objects.exists()


def test_overlapping_terms_of_one_congress_are_refused(staff_client, congress):
    TermFactory(congress=congress, number=15, start_date=date(2017, 1, 5), end_date=date(2022, 1, 6))

    response = staff_client.post(
        create_url("terms"),
        {"congress": congress.pk, "number": 16, "start_date": "2022-01-01", "end_date": ""},
    )

    assert form_errors(response, "start_date") == ["任期与第十五届（2017-01-05至2022-01-06）重叠。"]
    assert not Term.objects.filter(number=16).exists()


def test_next_term_may_begin_the_day_the_previous_ends(staff_client, congress, provincial):
    TermFactory(congress=congress, number=15, start_date=date(2017, 1, 5), end_date=date(2022, 1, 6))
    TermFactory(congress=provincial, number=14, start_date=date(2023, 1, 1))

    response = staff_client.post(
        create_url("terms"),
        {"congress": congress.pk, "number": 16, "start_date": "2022-01-06", "end_date": ""},
    )

    assert response.status_code == 302
    assert Term.objects.filter(congress=congress, number=16).exists()


def test_duplicate_term_number_is_refused(staff_client, term):
    response = staff_client.post(
        create_url("terms"), {"congress": term.congress_id, "number": 16, "start_date": "2030-01-01"}
    )

    assert form_errors(response, "number") == ["届次已存在。"]
    assert Term.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("2021-12-20", "2021-12-25", "start_date"), ("2026-12-28", "2027-01-03", "end_date")],
)
def test_session_outside_its_term_is_refused(staff_client, congress, start, end, field):
    term = TermFactory(congress=congress, number=16, start_date=date(2022, 1, 1), end_date=date(2027, 1, 1))

    response = staff_client.post(
        create_url("sessions"), {"term": term.pk, "number": 1, "start_date": start, "end_date": end}
    )

    assert form_errors(response, field) == ["会议日期必须在第十六届的任期内（2022-01-01至2027-01-01）。"]
    assert not Session.objects.exists()


def test_session_closing_before_opening_is_refused(staff_client, term):
    response = staff_client.post(
        create_url("sessions"),
        {"term": term.pk, "number": 1, "start_date": "2022-01-08", "end_date": "2022-01-06"},
    )

    assert form_errors(response, "end_date") == ["闭幕日期不能早于开幕日期。"]
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("kind", "existing", "data"),
    [
        (
            "congresses",
            lambda c: c,
            lambda c: {"name": c.name, "level": "city", "region": "福州市", "order": 0},
        ),
        (
            "electoral-units",
            lambda c: ElectoralUnitFactory(congress=c, name="鼓楼区"),
            lambda c: {"congress": c.pk, "name": "鼓楼区", "order": 0},
        ),
        (
            "deputy-groups",
            lambda c: DeputyGroupFactory(congress=c, name="第一小组"),
            lambda c: {"congress": c.pk, "name": "第一小组", "kind": "territorial"},
        ),
        (
            "committees",
            lambda c: CommitteeFactory(congress=c, name="法制委员会"),
            lambda c: {"congress": c.pk, "name": "法制委员会", "kind": "special_committee", "order": 0},
        ),
        (
            "handling-units",
            lambda c: HandlingUnitFactory(name="市财政局"),
            lambda c: {"name": "市财政局", "kind": "government_department", "order": 0},
        ),
        (
            "fields",
            lambda c: ExpertiseFieldFactory(name="教育科技"),
            lambda c: {"name": "教育科技", "order": 0},
        ),
    ],
)
def test_duplicate_names_are_refused(staff_client, congress, kind, existing, data):
    row = existing(congress)
    model = type(row)
    before = model.objects.count()

    response = staff_client.post(create_url(kind), data(congress))

    assert form_errors(response, "name") == ["名称已存在。"]
    assert model.objects.count() == before


def test_same_unit_name_in_another_congress_is_allowed(staff_client, gulou, provincial):
    response = staff_client.post(
        create_url("electoral-units"), {"congress": provincial.pk, "name": "鼓楼区", "order": 0}
    )

    assert response.status_code == 302
    assert ElectoralUnit.objects.filter(name="鼓楼区").count() == 2


def test_renaming_to_an_existing_name_is_refused(staff_client, handling_unit):
    other = HandlingUnitFactory(name="市教育局")

    response = post_edit(
        staff_client,
        "handling-units",
        other,
        {"name": "市住房和城乡建设局", "kind": other.kind, "is_active": "on", "order": 0},
    )

    assert form_errors(response, "name") == ["名称已存在。"]
    other.refresh_from_db()
    assert other.name == "市教育局"


def test_handling_unit_under_its_own_descendant_is_refused(staff_client):
    government = HandlingUnitFactory(name="福州市人民政府")
    department = HandlingUnitFactory(name="福州市教育局", parent=government)
    school_office = HandlingUnitFactory(name="福州市教育局基教处", parent=department)

    response = post_edit(
        staff_client,
        "handling-units",
        government,
        {
            "name": "福州市人民政府",
            "kind": government.kind,
            "parent": school_office.pk,
            "is_active": "on",
            "order": 0,
        },
    )

    assert form_errors(response, "parent") == ["上级单位不能是本单位或其下级单位。"]
    government.refresh_from_db()
    assert government.parent is None


def test_handling_unit_form_does_not_offer_the_unit_as_its_own_parent(staff_client, handling_unit):
    response = staff_client.get(edit_url("handling-units", handling_unit.pk))

    assert handling_unit not in response.context["form"].fields["parent"].queryset


def test_deputy_group_with_a_unit_of_another_congress_is_refused(staff_client, provincial, gulou):
    response = staff_client.post(
        create_url("deputy-groups"),
        {"congress": provincial.pk, "name": "省代表小组", "kind": "territorial", "electoral_unit": gulou.pk},
    )

    assert form_errors(response, "electoral_unit") == ["所属选举单位必须属于同一人大。"]
    assert not DeputyGroup.objects.exists()


def test_electoral_unit_with_deputies_cannot_move_to_another_congress(
    staff_client, gulou_mandate, gulou, provincial
):
    response = post_edit(
        staff_client, "electoral-units", gulou, {"congress": provincial.pk, "name": "鼓楼区", "order": 1}
    )

    assert form_errors(response, "congress") == ["已有代表资格属于原来的人大，不能更改所属人大。"]
    gulou.refresh_from_db()
    assert gulou.congress_id == gulou_mandate.congress_id


def test_committee_may_move_when_nothing_refers_to_it(staff_client, committee, provincial):
    response = post_edit(
        staff_client,
        "committees",
        committee,
        {"congress": provincial.pk, "name": committee.name, "kind": committee.kind, "order": 0},
    )

    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.congress == provincial


# --- Edit, concurrency and history ------------------------------------------------------------


def test_edit_term_and_history_shows_who_and_what(staff_client, staff, congress):
    term = TermFactory(congress=congress, number=16, start_date=date(2022, 1, 1))

    response = post_edit(
        staff_client,
        "terms",
        term,
        {"congress": congress.pk, "number": 16, "start_date": "2022-01-06", "end_date": "2027-01-05"},
    )

    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.start_date, term.end_date) == (date(2022, 1, 6), date(2027, 1, 5))
    page = staff_client.get(edit_url("terms", term.pk))
    latest = page.context["history"][0]
    assert (latest.who, latest.action) == ("t-staff", "修改")
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("开始日期", "2022-01-01", "2022-01-06"),
        ("结束日期", "—", "2027-01-05"),
    ]
    html = page.content.decode()
    assert "变更记录" in html and "t-staff" in html and "开始日期：" in html


def test_history_names_related_rows_and_choices(staff_client):
    government = HandlingUnitFactory(name="福州市人民政府")
    unit = HandlingUnitFactory(name="福州市教育局")

    post_edit(
        staff_client,
        "handling-units",
        unit,
        {"name": "福州市教育局", "kind": HandlingUnitKind.OTHER, "parent": government.pk, "order": 0},
    )

    changes = staff_client.get(edit_url("handling-units", unit.pk)).context["history"][0].changes
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("类型", "政府部门", "其他"),
        ("上级单位", "—", "福州市人民政府"),
        ("在用", "是", "否"),
    ]


def test_history_of_committee_fields(staff_client, committee):
    finance = ExpertiseFieldFactory(name="财政经济")

    post_edit(
        staff_client,
        "committees",
        committee,
        {
            "congress": committee.congress_id,
            "name": committee.name,
            "kind": committee.kind,
            "fields": [finance.pk],
            "order": 0,
        },
    )

    history = staff_client.get(edit_url("committees", committee.pk)).context["history"]
    assert any(("对口领域", "—", "财政经济") in [(c.label, c.old, c.new) for c in e.changes] for e in history)


def test_concurrent_edit_is_refused(staff_client, staff, handling_unit):
    token = edit_token(staff_client, "handling-units", handling_unit)
    # Somebody else saves in between.
    structure_save(
        model=HandlingUnit,
        instance=handling_unit,
        data={"short_name": "市住建局"},
        actor=staff,
        expected_updated_at=handling_unit.updated_at,
    )

    response = staff_client.post(
        edit_url("handling-units", handling_unit.pk),
        {
            "name": "市住建委",
            "kind": handling_unit.kind,
            "is_active": "on",
            "order": 0,
            "expected_updated_at": token,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["该记录已被他人修改，请刷新页面后重新编辑。"]
    assert "该记录已被他人修改，请刷新页面后重新编辑。" in response.content.decode()
    handling_unit.refresh_from_db()
    assert (handling_unit.name, handling_unit.short_name) == ("市住房和城乡建设局", "市住建局")


def test_edit_without_the_version_token_is_refused(staff_client, handling_unit):
    response = staff_client.post(
        edit_url("handling-units", handling_unit.pk),
        {"name": "市住建委", "kind": handling_unit.kind, "is_active": "on", "order": 0},
    )

    assert response.context["form"].non_field_errors() == ["该记录已被他人修改，请刷新页面后重新编辑。"]
    handling_unit.refresh_from_db()
    assert handling_unit.name == "市住房和城乡建设局"


# --- Delete -------------------------------------------------------------------------------------


def test_delete_asks_first_and_logs_the_actor(staff_client, staff):
    unit = HandlingUnitFactory(name="市临时指挥部")
    page = staff_client.get(edit_url("handling-units", unit.pk)).content.decode()
    assert 'data-confirm="确定删除承办单位“市临时指挥部”吗？删除后不能恢复。"' in page

    response = staff_client.post(delete_url("handling-units", unit.pk), follow=True)

    assert response.redirect_chain[-1][0] == list_url("handling-units")
    assert messages_of(response) == ["已删除承办单位“市临时指挥部”。"]
    assert not HandlingUnit.objects.filter(pk=unit.pk).exists()
    deleted = HandlingUnit.history.get(id=unit.pk, history_type="-")
    assert deleted.history_user == staff


def test_delete_of_a_referenced_row_is_refused(staff_client, gulou_mandate):
    term = gulou_mandate.term

    response = staff_client.post(delete_url("terms", term.pk), follow=True)

    assert response.redirect_chain[-1][0] == edit_url("terms", term.pk)
    assert messages_of(response) == ["该记录仍被代表资格（1条）引用，不能删除。"]
    assert Term.objects.filter(pk=term.pk).exists()


def test_delete_of_a_congress_with_terms_and_units_is_refused(staff_client, term, gulou):
    response = staff_client.post(delete_url("congresses", term.congress_id), follow=True)

    assert messages_of(response) == ["该记录仍被届（1条）、选举单位（1条）引用，不能删除。"]
    assert Congress.objects.filter(pk=term.congress_id).exists()


def test_delete_of_a_field_used_by_a_committee_is_refused(staff_client, committee):
    finance = ExpertiseFieldFactory(name="财政经济")
    committee.fields.add(finance)

    response = staff_client.post(delete_url("fields", finance.pk), follow=True)

    assert messages_of(response) == ["该记录仍被委员会（1条）引用，不能删除。"]
    assert list(committee.fields.all()) == [finance]


def test_delete_of_a_parent_unit_is_refused(staff_client):
    government = HandlingUnitFactory(name="福州市人民政府")
    HandlingUnitFactory(name="福州市教育局", parent=government)

    response = staff_client.post(delete_url("handling-units", government.pk), follow=True)

    assert messages_of(response) == ["该记录仍被承办单位（1条）引用，不能删除。"]
    assert HandlingUnit.objects.filter(pk=government.pk).exists()


# --- Lists --------------------------------------------------------------------------------------


def names_on_page(response) -> list[str]:
    return [obj.name for obj, _cells in response.context["rows"]]


@pytest.fixture
def units(db):
    government = HandlingUnitFactory(name="福州市人民政府", order=1)
    return {
        "government": government,
        "education": HandlingUnitFactory(name="福州市教育局", parent=government, order=3),
        "finance": HandlingUnitFactory(name="福州市财政局", parent=government, order=2),
        "court": HandlingUnitFactory(name="福州市中级人民法院", kind=HandlingUnitKind.COURT, order=4),
        "closed": HandlingUnitFactory(name="福州市撤并办", is_active=False, order=5),
    }


def test_list_searches_by_name(staff_client, units):
    response = staff_client.get(list_url("handling-units", q="教育"))

    assert names_on_page(response) == ["福州市教育局"]


def test_list_filters_by_kind_parent_and_state(staff_client, units):
    assert names_on_page(staff_client.get(list_url("handling-units", kind="court"))) == ["福州市中级人民法院"]
    assert names_on_page(staff_client.get(list_url("handling-units", parent=units["government"].pk))) == [
        "福州市财政局",
        "福州市教育局",
    ]
    assert names_on_page(staff_client.get(list_url("handling-units", is_active="false"))) == ["福州市撤并办"]


def test_list_filters_by_congress_and_level(staff_client, congress, provincial, gulou):
    ElectoralUnitFactory(congress=provincial, name="福州市")

    assert names_on_page(staff_client.get(list_url("electoral-units", congress=provincial.pk))) == ["福州市"]
    assert names_on_page(staff_client.get(list_url("congresses", level="provincial"))) == [
        "福建省人民代表大会"
    ]


def test_list_ignores_an_invalid_filter_value(staff_client, units):
    response = staff_client.get(list_url("handling-units", parent="abc"))

    assert len(names_on_page(response)) == 5


def test_list_sorts_by_column_both_ways(staff_client, units):
    ascending = names_on_page(staff_client.get(list_url("handling-units", ordering="order")))
    descending = names_on_page(staff_client.get(list_url("handling-units", ordering="-order")))

    assert ascending == [
        "福州市人民政府",
        "福州市财政局",
        "福州市教育局",
        "福州市中级人民法院",
        "福州市撤并办",
    ]
    assert descending == list(reversed(ascending))
    html = staff_client.get(list_url("handling-units", ordering="order")).content.decode()
    assert 'href="?ordering=-order"' in html


def test_list_unknown_ordering_falls_back_to_default(staff_client, units):
    response = staff_client.get(list_url("handling-units", ordering="password"))

    assert response.context["ordering"] == ""
    assert names_on_page(response)[0] == "福州市人民政府"


def test_sessions_sort_by_term_number(staff_client, congress):
    old = TermFactory(congress=congress, number=15, start_date=date(2017, 1, 1), end_date=date(2022, 1, 1))
    new = TermFactory(congress=congress, number=16, start_date=date(2022, 1, 1))
    SessionFactory(term=new, number=1, start_date=date(2022, 1, 6))
    SessionFactory(term=old, number=5, start_date=date(2021, 1, 6))

    response = staff_client.get(list_url("sessions", ordering="term"))

    assert [(s.term.number, s.number) for s, _cells in response.context["rows"]] == [(15, 5), (16, 1)]


def test_list_pages_fifty_rows_with_a_chinese_pager(staff_client):
    for number in range(60):
        HandlingUnitFactory(name=f"测试单位{number:02d}", order=number)

    first = staff_client.get(list_url("handling-units"))
    second = staff_client.get(list_url("handling-units", page=2))

    assert len(first.context["rows"]) == 50
    assert names_on_page(second) == [f"测试单位{n:02d}" for n in range(50, 60)]
    html = first.content.decode()
    assert "共 60 条" in html and "第 1 / 2 页" in html and "下一页" in html
    assert 'href="?page=2"' in html


def test_list_page_keeps_filters_in_pager_links(staff_client):
    for number in range(55):
        HandlingUnitFactory(name=f"测试单位{number:02d}", order=number)

    html = staff_client.get(list_url("handling-units", q="测试", ordering="-order")).content.decode()

    assert 'href="?q=%E6%B5%8B%E8%AF%95&amp;ordering=-order&amp;page=2"' in html


def test_htmx_request_gets_the_table_only(staff_client, units):
    response = staff_client.get(list_url("handling-units", q="法院"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert "福州市中级人民法院" in html and "福州市教育局" not in html


def test_export_has_the_filtered_sorted_rows(staff_client, units):
    response = staff_client.get(
        list_url("handling-units", parent=units["government"].pk, ordering="-order", export="xlsx")
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["名称", "简称", "类型", "上级单位", "在用", "排序"],
        ["福州市教育局", None, "政府部门", "福州市人民政府", "是", 3],
        ["福州市财政局", None, "政府部门", "福州市人民政府", "是", 2],
    ]


def test_export_of_terms_writes_dates(staff_client, congress):
    TermFactory(congress=congress, number=16, start_date=date(2022, 1, 6))

    sheet = load_workbook(BytesIO(staff_client.get(list_url("terms", export="xlsx")).content)).active

    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["人大", "届次", "开始日期", "结束日期"]
    assert rows[1][:3] == ["福州市人民代表大会", "第十六届", rows[1][2]]
    assert rows[1][2].date() == date(2022, 1, 6)
    assert rows[1][3] is None


def test_export_is_not_paged(staff_client):
    for number in range(60):
        HandlingUnitFactory(name=f"测试单位{number:02d}", order=number)

    sheet = load_workbook(BytesIO(staff_client.get(list_url("handling-units", export="xlsx")).content)).active

    assert sheet.max_row == 61


# --- Query counts -------------------------------------------------------------------------------


def make_rows(kind: str, count: int, offset: int) -> None:
    """``count`` rows of ``kind`` with every related row the list shows."""
    congress = CongressFactory()
    fields = [ExpertiseFieldFactory(name="财政经济"), ExpertiseFieldFactory(name="社会建设")]
    for n in range(offset, offset + count):
        if kind == "congresses":
            CongressFactory(
                name=f"测试县{n}人民代表大会", level=CongressLevel.COUNTY, region="测试", parent=congress
            )
        elif kind == "terms":
            other = CongressFactory(name=f"测试县{n}人民代表大会", level=CongressLevel.COUNTY, region="测试")
            TermFactory(congress=other, number=16)
        elif kind == "sessions":
            other = CongressFactory(name=f"测试县{n}人民代表大会", level=CongressLevel.COUNTY, region="测试")
            SessionFactory(term=TermFactory(congress=other, number=16), number=1, start_date=date(2022, 1, 6))
        elif kind == "electoral-units":
            ElectoralUnitFactory(congress=congress, name=f"测试区{n}")
        elif kind == "deputy-groups":
            unit = ElectoralUnitFactory(congress=congress, name=f"测试区{n}")
            DeputyGroupFactory(congress=congress, name=f"测试小组{n}", electoral_unit=unit)
        elif kind == "committees":
            CommitteeFactory(congress=congress, name=f"测试委员会{n}").fields.set(fields)
        elif kind == "handling-units":
            parent = HandlingUnitFactory(name=f"测试上级{n}")
            HandlingUnitFactory(name=f"测试单位{n}", parent=parent)
        elif kind == "fields":
            ExpertiseFieldFactory(name=f"测试领域{n}")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("kind", KIND_SLUGS)
def test_list_queries_do_not_grow_with_rows(staff_client, kind):
    make_rows(kind, 5, 0)
    few = count_queries(staff_client, list_url(kind))

    make_rows(kind, 55, 5)
    many = count_queries(staff_client, list_url(kind))

    assert few == many
    assert many <= 12


def test_export_queries_do_not_grow_with_rows(staff_client):
    make_rows("committees", 5, 0)
    few = count_queries(staff_client, list_url("committees", export="xlsx"))

    make_rows("committees", 55, 5)
    many = count_queries(staff_client, list_url("committees", export="xlsx"))

    assert few == many
