"""Roster import: every check with its exact Chinese message and row/column, all-or-nothing apply,
the preview, roles, the command line and the pages."""

from datetime import date, datetime, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.progress import progress_get, progress_set
from lvzhi.deputies import importer
from lvzhi.deputies.choices import (
    Composition,
    Gender,
    MandateEventType,
    MandateStatus,
    Party,
    RosterImportStatus,
)
from lvzhi.deputies.importer import (
    COLUMNS,
    roster_import_apply,
    roster_import_cancel,
    roster_import_create,
    roster_import_run_apply,
    roster_import_validate,
    roster_template_bytes,
)
from lvzhi.deputies.models import Mandate, MandateEvent, Person, RosterImport
from lvzhi.organizations.choices import CongressLevel
from lvzhi.organizations.models import ExpertiseField

from ..factories import (
    CongressFactory,
    DeputyGroupFactory,
    ExpertiseFieldFactory,
    MandateFactory,
    PersonFactory,
    TermFactory,
)

HEADERS = [column.header for column in COLUMNS]
STATUS = RosterImportStatus
NAMES = ["张三丰", "李四海", "王五岳", "赵六合", "钱七星", "孙八方", "周九州", "吴十全"]


def roster_row(n: int = 1, **changes) -> dict:
    """A valid row of the roster for 鼓楼区, keyed by Chinese header; ``changes`` by header too."""
    row = {
        "代表证号": f"16{n:04d}",
        "姓名": NAMES[(n - 1) % len(NAMES)] + ("" if n <= len(NAMES) else str(n)),
        "性别": "女",
        "民族": "汉族",
        "出生日期": "1980-05-01",
        "政治面貌": "中共党员",
        "学历": "大学",
        "工作单位及职务": "福州市某公司技术员",
        "选举单位": "鼓楼区",
        "构成类别": "工人",
        "是否基层代表": "是",
        "当选日期": "2022-01-06",
        "是否补选": "否",
        "文件依据": "",
        "专业领域": "",
        "代表小组": "",
        "公民身份号码": f"350102199001{n:06d}",
        "手机": f"139{n:08d}",
        "电子邮箱": f"d{n}@example.org",
        "通讯地址": "福州市鼓楼区测试路1号",
    }
    row.update(changes)
    return row


def roster_bytes(rows: list[dict], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名册"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(data: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def registry_counts() -> tuple[int, int, int]:
    return Person.objects.count(), Mandate.objects.count(), MandateEvent.objects.count()


@pytest.fixture
def upload(staff, term, gulou, taijiang, django_capture_on_commit_callbacks):
    """Upload rows (or raw bytes) as ``staff``; the queued check runs on commit, as in production."""

    def _upload(rows, *, headers=HEADERS, data=None, name="名册.xlsx") -> RosterImport:
        content = data if data is not None else roster_bytes(rows, headers)
        with django_capture_on_commit_callbacks(execute=True):
            roster_import = roster_import_create(
                file=xlsx_file(content, name), congress=term.congress, term=term, actor=staff
            )
        roster_import.refresh_from_db()
        return roster_import

    return _upload


@pytest.fixture
def apply(staff, django_capture_on_commit_callbacks):
    def _apply(roster_import: RosterImport) -> RosterImport:
        with django_capture_on_commit_callbacks(execute=True):
            roster_import_apply(import_id=roster_import.pk, actor=staff)
        roster_import.refresh_from_db()
        return roster_import

    return _apply


@pytest.fixture
def check_invalid(upload):
    """Upload ``rows`` and assert that it is INVALID with exactly ``errors`` and that nothing changed."""

    def _check(rows, errors, **kwargs):
        before = registry_counts()
        roster_import = upload(rows, **kwargs)
        assert roster_import.status == STATUS.INVALID
        assert roster_import.errors == errors
        assert roster_import.preview == {}
        assert registry_counts() == before
        return roster_import

    return _check


def error(row, column, message) -> dict:
    return {"row": row, "column": column, "message": message}


# --- a valid roster: preview and apply ---------------------------------------------------------


def test_valid_roster_is_validated_with_preview(upload):
    rows = [roster_row(1), roster_row(2, 选举单位="台江区", 是否基层代表="否"), roster_row(3)]

    roster_import = upload(rows)

    assert roster_import.status == STATUS.VALIDATED
    assert roster_import.errors == []
    assert roster_import.row_count == 3
    preview = roster_import.preview
    assert preview["rows"] == 3
    assert preview["new_persons"] == 3
    assert preview["existing_persons"] == 0
    assert preview["grassroots"] == 2
    assert preview["by_election"] == 0
    assert preview["by_electoral_unit"] == [{"name": "鼓楼区", "count": 2}, {"name": "台江区", "count": 1}]
    assert preview["by_composition"] == [{"name": "工人", "count": 3}]
    assert preview["sample"][1] == {
        "row": 3,
        "card_number": "160002",
        "name": "李四海",
        "gender": "女",
        "party": "中共党员",
        "electoral_unit": "台江区",
        "composition": "工人",
        "is_grassroots": False,
        "start_date": "2022-01-06",
        "event": "当选",
        "fields": [],
        "groups": [],
        "is_existing_person": False,
    }
    assert registry_counts() == (0, 0, 0)  # nothing until applied


def test_preview_shows_at_most_fifty_rows(upload):
    roster_import = upload([roster_row(n) for n in range(1, 61)])

    assert roster_import.preview["rows"] == 60
    assert len(roster_import.preview["sample"]) == 50
    assert roster_import.preview["sample"][-1]["row"] == 51


def test_apply_seats_every_deputy_with_event_links_and_history(upload, apply, staff, term, gulou):
    finance = ExpertiseFieldFactory(name="财政经济")
    education = ExpertiseFieldFactory(name="教育科技")
    group = DeputyGroupFactory(congress=term.congress, name="鼓楼第一代表小组")
    rows = [
        roster_row(1, 专业领域="财政经济、教育科技", 代表小组="鼓楼第一代表小组", 姓名="张　三"),
        roster_row(
            2,
            是否补选="是",
            当选日期="2023年3月1日",
            构成类别="专业技术人员",
            性别="男",
            文件依据="鼓楼区人大常委会补选结果公告（2023年3月1日）",
        ),
    ]
    roster_import = apply(upload(rows))

    assert roster_import.status == STATUS.APPLIED
    assert roster_import.created_count == 2
    assert roster_import.applied_by == staff
    assert roster_import.finished_at is not None
    first = Mandate.objects.get(card_number="160001")
    assert first.person.name == "张三"  # the padding space is not part of the name
    assert first.person.name_pinyin == "zhangsan"
    assert first.person.name_initials == "zs"
    assert first.person.id_number == "350102199001000001"
    assert first.person.party == Party.CPC
    assert first.person.birth_date == date(1980, 5, 1)
    assert (first.congress, first.term, first.electoral_unit) == (term.congress, term, gulou)
    assert first.composition == Composition.WORKER
    assert first.is_grassroots is True
    assert (first.status, first.status_since, first.start_date) == (
        MandateStatus.ACTIVE,
        date(2022, 1, 6),
        date(2022, 1, 6),
    )
    assert set(first.fields.all()) == {finance, education}
    assert list(first.groups.all()) == [group]
    event = first.events.get()
    assert (event.type, event.date, event.actor) == (MandateEventType.ELECTION, date(2022, 1, 6), staff)
    second = Mandate.objects.get(card_number="160002")
    assert second.person.gender == Gender.MALE
    assert second.composition == Composition.PROFESSIONAL
    assert (second.events.get().type, second.events.get().document_reference) == (
        MandateEventType.BY_ELECTION,
        "鼓楼区人大常委会补选结果公告（2023年3月1日）",
    )
    assert event.document_reference  # an election rests on the roster itself
    assert second.start_date == date(2023, 3, 1)
    # Row history exists, attributed to the office user, with the links on the creation record.
    person_history = first.person.history.get()
    assert (person_history.history_type, person_history.history_user) == ("+", staff)
    mandate_history = first.history.get()
    assert mandate_history.history_user == staff
    assert {link.expertisefield_id for link in mandate_history.fields.all()} == {finance.pk, education.pk}
    assert [link.deputygroup_id for link in mandate_history.groups.all()] == [group.pk]


def test_progress_is_recorded_while_checking(upload):
    roster_import = upload([roster_row(n) for n in range(1, 251)])

    progress = progress_get("roster_import", roster_import.pk)
    assert (progress.done, progress.total, progress.percent) == (250, 250, 100)


def test_checking_and_applying_do_not_query_per_row(staff, term, gulou, taijiang):
    ExpertiseFieldFactory(name="财政经济")

    def queries(count: int) -> tuple[int, int]:
        rows = [roster_row(n, 专业领域="财政经济", 代表证号=f"{count}-{n}") for n in range(1, count + 1)]
        for row in rows:
            row["公民身份号码"] = ""
        roster_import = roster_import_create(
            file=xlsx_file(roster_bytes(rows)), congress=term.congress, term=term, actor=staff
        )
        with CaptureQueriesContext(connection) as validating:
            roster_import_validate(import_id=roster_import.pk)
        roster_import_apply(import_id=roster_import.pk, actor=staff)
        with CaptureQueriesContext(connection) as applying:
            roster_import = roster_import_run_apply(import_id=roster_import.pk)
        assert roster_import.status == STATUS.APPLIED
        return len(validating), len(applying)

    validating_5, applying_5 = queries(5)
    validating_50, applying_50 = queries(50)
    assert validating_50 == validating_5
    # Bulk inserts are split into batches of SQLite's parameter limit: a few more, never one per row.
    assert applying_50 <= applying_5 + 4


def test_template_downloaded_and_filled_imports(upload, apply, term, gulou):
    ExpertiseFieldFactory(name="财政经济")
    workbook = load_workbook(BytesIO(roster_template_bytes(congress=term.congress)))
    sheet = workbook["代表名册"]
    header = [cell.value for cell in sheet[1]]
    for n in (1, 2):
        values = roster_row(n, 专业领域="财政经济", 当选日期=datetime(2022, 1, 6), 出生日期=date(1975, 3, 12))
        sheet.append([values[name] for name in header])
    buffer = BytesIO()
    workbook.save(buffer)

    roster_import = apply(upload(None, data=buffer.getvalue(), name="代表名册导入模板.xlsx"))

    assert roster_import.status == STATUS.APPLIED
    assert roster_import.created_count == 2
    assert Person.objects.get(name="张三丰").birth_date == date(1975, 3, 12)


def test_template_lists_columns_choices_and_the_congress_units(term, gulou, taijiang):
    DeputyGroupFactory(congress=term.congress, name="鼓楼第一代表小组")
    workbook = load_workbook(BytesIO(roster_template_bytes(congress=term.congress)))

    assert workbook.sheetnames == ["代表名册", "填写说明", "可选值"]
    data = workbook["代表名册"]
    assert [cell.value for cell in data[1]] == HEADERS
    assert data.max_row == 1  # no example row among the data: it is on the instructions sheet
    choices = {
        column[0].value: [cell.value for cell in column[1:] if cell.value]
        for column in workbook["可选值"].columns
    }
    assert choices["性别"] == ["男", "女"]
    assert choices["选举单位"] == ["鼓楼区", "台江区"]
    assert choices["代表小组"] == ["鼓楼第一代表小组"]
    assert choices["是否基层代表"] == ["是", "否"]
    assert "无党派人士" in choices["政治面貌"]
    assert "专业技术人员" in choices["构成类别"]
    assert len(data.data_validations.dataValidation) == 6
    instructions = [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)]
    assert "当选日期" in instructions


def test_existing_person_by_id_number_gets_a_second_mandate(upload, apply, term, staff):
    provincial = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level=CongressLevel.PROVINCIAL
    )
    provincial_term = TermFactory(congress=provincial, number=14, start_date=date(2023, 1, 1))
    person = PersonFactory(name="张三丰", id_number="350102199001000001")
    MandateFactory(person=person, congress=provincial, term=provincial_term, card_number="P001")
    before = Person.objects.count()

    roster_import = upload([roster_row(1), roster_row(2)])

    assert roster_import.status == STATUS.VALIDATED
    assert (roster_import.preview["new_persons"], roster_import.preview["existing_persons"]) == (1, 1)
    assert roster_import.preview["sample"][0]["is_existing_person"] is True
    apply(roster_import)
    assert Person.objects.count() == before + 1
    assert person.mandates.count() == 2
    assert person.mandates.get(term=term).card_number == "160001"


def test_a_returning_person_gets_its_switched_off_account_back(upload, apply, term, staff):
    from lvzhi.accounts.choices import InactiveCause
    from lvzhi.accounts.models import User

    user = User.objects.create(
        username="zsf", role="deputy", is_active=False, inactive_cause=InactiveCause.MANDATE_ENDED
    )
    PersonFactory(name="张三丰", id_number="350102199001000001", user=user)

    apply(upload([roster_row(1)]))

    user.refresh_from_db()
    assert (user.is_active, user.inactive_cause) == (True, InactiveCause.NONE)
    assert user.account_events.get().actor == staff


def test_existing_id_number_under_another_name_is_refused(check_invalid):
    PersonFactory(name="李别人", id_number="350102199001000001")

    check_invalid(
        [roster_row(1)],
        [error(2, "公民身份号码", "该公民身份号码已登记在“李别人”名下，与本行姓名不一致。")],
    )


def test_person_already_deputy_in_the_term_is_refused(check_invalid, term, gulou):
    person = PersonFactory(name="张三丰", id_number="350102199001000001")
    MandateFactory(
        person=person, congress=term.congress, term=term, electoral_unit=gulou, card_number="169999"
    )

    check_invalid(
        [roster_row(1)],
        [error(2, "公民身份号码", "该人员已是市人大第十六届代表（代表证号169999）。")],
    )


# --- every check, with its message, row and column ----------------------------------------------


@pytest.mark.parametrize(
    "column", ["代表证号", "姓名", "性别", "选举单位", "构成类别", "是否基层代表", "当选日期"]
)
def test_required_field_missing(check_invalid, column):
    check_invalid([roster_row(1), roster_row(2, **{column: "  "})], [error(3, column, f"{column}不能为空。")])


def test_optional_fields_may_be_left_empty(upload):
    optional = {column.header: "" for column in COLUMNS if not column.required}

    roster_import = upload([roster_row(1, **optional)])

    assert roster_import.status == STATUS.VALIDATED
    assert roster_import.preview["sample"][0]["party"] == "群众"


@pytest.mark.parametrize(
    "value",
    [
        datetime(2022, 1, 6),
        date(2022, 1, 6),
        "2022-01-06",
        "2022/1/6",
        "2022年1月6日",
        "２０２２年１月６日",
        "2022.1.6",
        20220106,
    ],
)
def test_dates_accept_excel_dates_and_common_text(upload, value):
    roster_import = upload([roster_row(1, 当选日期=value)])

    assert roster_import.status == STATUS.VALIDATED
    assert roster_import.preview["sample"][0]["start_date"] == "2022-01-06"


@pytest.mark.parametrize("value", ["2022-02-30", "明年一月", "6/1/2022"])
def test_invalid_date(check_invalid, value):
    check_invalid(
        [roster_row(1, 当选日期=value)],
        [
            error(
                2,
                "当选日期",
                f"“{value}”不是有效的日期，请按 2022-01-06、2022/1/6 或 2022年1月6日 的格式填写。",
            )
        ],
    )


def test_invalid_birth_date(check_invalid):
    check_invalid(
        [roster_row(1, 出生日期="1980-13-01")],
        [
            error(
                2,
                "出生日期",
                "“1980-13-01”不是有效的日期，请按 2022-01-06、2022/1/6 或 2022年1月6日 的格式填写。",
            )
        ],
    )


def test_start_date_outside_the_term(check_invalid, term):
    term.end_date = date(2026, 12, 31)
    term.save()

    check_invalid(
        [
            roster_row(1, 当选日期="2021-12-31"),
            roster_row(2, 当选日期="2027-01-01"),
            roster_row(3, 当选日期="2026-12-31"),
        ],
        [
            error(2, "当选日期", "当选日期不在市人大第十六届的任期内（2022-01-01至2026-12-31）。"),
            error(3, "当选日期", "当选日期不在市人大第十六届的任期内（2022-01-01至2026-12-31）。"),
        ],
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("性别", "未知", "“未知”不是有效的性别，可选值：男、女。"),
        (
            "政治面貌",
            "党员",
            "“党员”不是有效的政治面貌，可选值：中共党员、中共预备党员、民革、民盟、民建、民进、农工党、致公党、九三学社、台盟、无党派人士、群众。",
        ),
        (
            "构成类别",
            "学生",
            "“学生”不是有效的构成类别，可选值：工人、农民、专业技术人员、党政领导干部、企业负责人、解放军、其他。",
        ),
        ("是否基层代表", "Y", "是否基层代表请填写“是”或“否”。"),
        ("是否补选", "可能", "是否补选请填写“是”或“否”。"),
    ],
)
def test_enumerations_by_chinese_label(check_invalid, column, value, message):
    check_invalid([roster_row(1, **{column: value})], [error(2, column, message)])


def test_by_election_without_its_document_is_refused(check_invalid):
    check_invalid(
        [roster_row(1, 是否补选="是")],
        [error(2, "文件依据", "补选当选的代表须填写文件依据（如补选结果公告文号）。")],
    )


def test_card_number_repeated_in_the_file(check_invalid):
    check_invalid(
        [roster_row(1), roster_row(2), roster_row(3, 代表证号="160001")],
        [error(4, "代表证号", "代表证号“160001”与第2行重复。")],
    )


def test_card_number_already_used_in_the_term(check_invalid, term, gulou):
    MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, card_number="160002")

    # Full-width digits are the same code once normalised.
    check_invalid(
        [roster_row(1), roster_row(2, 代表证号="１６０００２")],
        [error(3, "代表证号", "代表证号“160002”在市人大第十六届中已被使用。")],
    )


def test_card_number_used_in_another_term_is_fine(upload, term, gulou):
    previous = TermFactory(congress=term.congress, number=15, start_date=date(2017, 1, 1))
    MandateFactory(congress=term.congress, term=previous, electoral_unit=gulou, card_number="160001")

    assert upload([roster_row(1)]).status == STATUS.VALIDATED


def test_unknown_electoral_unit(check_invalid):
    other = CongressFactory(name="福清市人民代表大会", short_name="福清市人大", level=CongressLevel.COUNTY)
    other.electoral_units.create(name="龙田镇")

    check_invalid(
        [roster_row(1, 选举单位="龙田镇")],
        [error(2, "选举单位", "福州市人民代表大会没有选举单位“龙田镇”。")],
    )


def test_electoral_unit_by_delegation_name(upload, gulou):
    roster_import = upload([roster_row(1, 选举单位=gulou.delegation_name)])

    assert roster_import.preview["sample"][0]["electoral_unit"] == "鼓楼区"


def test_fields_and_groups_several_separated(upload, term):
    ExpertiseFieldFactory(name="财政经济")
    ExpertiseFieldFactory(name="教育科技")
    DeputyGroupFactory(congress=term.congress, name="第一小组")
    DeputyGroupFactory(congress=term.congress, name="第二小组")

    roster_import = upload([roster_row(1, 专业领域="财政经济，教育科技", 代表小组="第一小组、第二小组")])

    sample = roster_import.preview["sample"][0]
    assert (sample["fields"], sample["groups"]) == (["财政经济", "教育科技"], ["第一小组", "第二小组"])


def test_unknown_fields_and_groups(check_invalid, term):
    ExpertiseFieldFactory(name="财政经济")
    DeputyGroupFactory(congress=CongressFactory(name="福建省人民代表大会"), name="省第一小组")

    check_invalid(
        [roster_row(1, 专业领域="财政经济、天文、地理", 代表小组="省第一小组")],
        [
            error(2, "专业领域", "未找到专业领域：“天文”、“地理”。"),
            error(2, "代表小组", "福州市人民代表大会没有代表小组：“省第一小组”。"),
        ],
    )


@pytest.mark.parametrize("value", ["35010219900100000", "3501021990010000011", "35010219900100000Y"])
def test_id_number_format(check_invalid, value):
    check_invalid(
        [roster_row(1, 公民身份号码=value)],
        [error(2, "公民身份号码", "公民身份号码应为18位：前17位是数字，末位是数字或X。")],
    )


def test_id_number_lower_case_x_and_full_width_digits_are_normalised(upload, apply):
    roster_import = apply(upload([roster_row(1, 公民身份号码="３５０１０２１９９００１００００１x")]))

    assert roster_import.status == STATUS.APPLIED
    assert Person.objects.get().id_number == "35010219900100001X"


def test_id_number_typed_as_a_number_is_refused(check_invalid):
    check_invalid(
        [roster_row(1, 公民身份号码=3.50102199001e17)],
        [error(2, "公民身份号码", "公民身份号码请以文本格式填写：数字格式会丢失末几位。")],
    )


@pytest.mark.parametrize(
    ("value", "stored"),
    [("139 0000 0001", "13900000001"), ("+8613900000001", "13900000001"), ("0591-87654321", "0591-87654321")],
)
def test_phone_formats_accepted(upload, apply, value, stored):
    apply(upload([roster_row(1, 手机=value)]))

    assert Person.objects.get().phone == stored


def test_phone_and_email_format(check_invalid):
    check_invalid(
        [roster_row(1, 手机="12345", 电子邮箱="not-an-email")],
        [
            error(2, "手机", "手机号码格式不正确：应为11位手机号码或带区号的固定电话。"),
            error(2, "电子邮箱", "电子邮箱格式不正确。"),
        ],
    )


def test_text_too_long(check_invalid):
    check_invalid([roster_row(1, 姓名="张" * 51)], [error(2, "姓名", "姓名不能超过50个字。")])


def test_same_person_twice_in_the_file(check_invalid):
    check_invalid(
        [roster_row(1), roster_row(2, 公民身份号码="350102199001000001")],
        [error(3, "公民身份号码", "与第2行是同一人员（公民身份号码相同）。")],
    )


def test_same_name_and_birth_date_without_id_numbers(check_invalid):
    check_invalid(
        [roster_row(1, 公民身份号码=""), roster_row(2, 姓名="张三丰", 公民身份号码="")],
        [error(3, "姓名", "与第2行姓名、出生日期相同，疑为同一人员。")],
    )


def test_every_problem_of_every_row_is_listed_in_order(check_invalid):
    check_invalid(
        [
            roster_row(1, 性别="", 构成类别="学生"),
            roster_row(2),
            roster_row(3, 选举单位="火星区", 代表证号="160001"),
        ],
        [
            error(2, "性别", "性别不能为空。"),
            error(
                2,
                "构成类别",
                "“学生”不是有效的构成类别，可选值：工人、农民、专业技术人员、党政领导干部、企业负责人、解放军、其他。",
            ),
            error(4, "代表证号", "代表证号“160001”与第2行重复。"),
            error(4, "选举单位", "福州市人民代表大会没有选举单位“火星区”。"),
        ],
    )


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(check_invalid):
    check_invalid(
        [roster_row(1), {}, {}, roster_row(2, 性别="x")],
        [error(5, "性别", "“x”不是有效的性别，可选值：男、女。")],
    )


def test_rows_with_only_a_serial_number_are_skipped(check_invalid):
    rows = [{"序号": 1, **roster_row(1)}, {"序号": 2}, {"序号": 3, **roster_row(2, 性别="")}]

    check_invalid(rows, [error(4, "性别", "性别不能为空。")], headers=["序号", *HEADERS])


def test_header_only_file(check_invalid):
    check_invalid([], [error(2, "", "文件中没有代表数据：请从第2行起逐行填写。")])


def test_completely_empty_workbook(check_invalid):
    buffer = BytesIO()
    Workbook().save(buffer)

    check_invalid(None, [error(None, "", "文件是空的：请使用导入模板填写。")], data=buffer.getvalue())


def test_missing_columns_are_named(check_invalid):
    headers = [header for header in HEADERS if header not in ("性别", "当选日期", "手机")]

    check_invalid(
        [roster_row(1)],
        [error(1, "", "表头缺少必填列：性别、当选日期。请使用下载的导入模板，表头在第1行。")],
        headers=headers,
    )


def test_unknown_and_repeated_columns(check_invalid):
    check_invalid(
        [roster_row(1)],
        [
            error(1, "籍贯", "无法识别的列“籍贯”：请使用导入模板中的列名。"),
            error(1, "姓名", "“姓名”列出现了不止一次。"),
        ],
        headers=["序号", *HEADERS, "籍贯", "姓名"],
    )


def test_header_aliases_and_required_marks(upload):
    headers = [{"公民身份号码": "身份证号", "姓名": "姓名*"}.get(header, header) for header in HEADERS]
    rows = [{new: roster_row(1)[old] for old, new in zip(HEADERS, headers, strict=True)}]

    assert upload(rows, headers=headers).status == STATUS.VALIDATED


def test_malformed_file_is_invalid_not_an_error(check_invalid):
    check_invalid(
        None,
        [error(None, "", "无法读取该文件：请上传用导入模板填写的 .xlsx 格式 Excel 文件。")],
        data=b"this is not a spreadsheet",
    )


def test_too_many_rows(check_invalid, monkeypatch):
    monkeypatch.setattr(importer.workbook, "MAX_ROWS", 3)

    check_invalid([roster_row(n) for n in range(1, 5)], [error(None, "", "文件超过3行，请分批导入。")])


# --- the upload itself -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["名册.xls", "名册.csv", "名册"])
def test_upload_refuses_other_file_types(staff, term, name):
    with pytest.raises(DomainError) as refused:
        roster_import_create(file=xlsx_file(b"PK..", name), congress=term.congress, term=term, actor=staff)

    assert refused.value.message == "仅支持 .xlsx 格式的 Excel 文件；.xls 或 WPS 文件请先另存为 .xlsx。"
    assert RosterImport.objects.count() == 0


def test_upload_refuses_empty_and_too_large_files(staff, term, settings):
    settings.LVZHI_ROSTER_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    with pytest.raises(DomainError) as empty:
        roster_import_create(file=xlsx_file(b""), congress=term.congress, term=term, actor=staff)
    with pytest.raises(DomainError) as large:
        roster_import_create(
            file=xlsx_file(b"x" * (2 * 1024 * 1024 + 1)), congress=term.congress, term=term, actor=staff
        )

    assert empty.value.message == "上传的文件是空的。"
    assert large.value.message == "文件超过2MB，请分批导入。"
    assert RosterImport.objects.count() == 0


def test_upload_refuses_a_term_of_another_congress(staff, term):
    other = TermFactory(
        congress=CongressFactory(name="福建省人民代表大会"), number=14, start_date=date(2023, 1, 1)
    )

    with pytest.raises(DomainError) as refused:
        roster_import_create(
            file=xlsx_file(roster_bytes([roster_row()])), congress=term.congress, term=other, actor=staff
        )

    assert refused.value.message == "所选届次不属于所选人大。"


def test_upload_queues_the_check_after_commit(staff, term, gulou, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roster_import = roster_import_create(
            file=xlsx_file(roster_bytes([roster_row()])), congress=term.congress, term=term, actor=staff
        )

    assert roster_import.status == STATUS.UPLOADED
    assert roster_import.original_name == "名册.xlsx"
    assert roster_import.created_by == staff
    assert len(callbacks) == 1
    callbacks[0]()
    roster_import.refresh_from_db()
    assert roster_import.status == STATUS.VALIDATED


# --- apply: all or nothing, state and roles ------------------------------------------------------


def test_apply_is_all_or_nothing_when_the_registry_changed_meanwhile(upload, apply, term, gulou):
    roster_import = upload([roster_row(1), roster_row(2), roster_row(3)])
    assert roster_import.status == STATUS.VALIDATED
    MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, card_number="160003")
    before = registry_counts()

    roster_import = apply(roster_import)

    assert roster_import.status == STATUS.INVALID
    assert roster_import.errors == [error(4, "代表证号", "代表证号“160003”在市人大第十六届中已被使用。")]
    assert roster_import.created_count == 0
    assert registry_counts() == before


def test_apply_fails_cleanly_on_an_unexpected_error(upload, apply, monkeypatch):
    roster_import = upload([roster_row(1), roster_row(2)])

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.bulk.MandateEvent.objects, "bulk_create", explode)
    roster_import = apply(roster_import)

    assert roster_import.status == STATUS.FAILED
    assert roster_import.errors == [
        error(None, "", "导入时发生意外错误，未导入任何数据。请重新上传校验，或联系系统管理员。")
    ]
    assert registry_counts() == (0, 0, 0)
    assert Person.history.count() == 0


def test_applying_twice_imports_once(upload, apply):
    roster_import = apply(upload([roster_row(1), roster_row(2)]))

    again = roster_import_run_apply(import_id=roster_import.pk)

    assert again.status == STATUS.APPLIED
    assert registry_counts() == (2, 2, 2)


@pytest.mark.parametrize(
    "status", [STATUS.UPLOADED, STATUS.INVALID, STATUS.APPLYING, STATUS.APPLIED, STATUS.CANCELLED]
)
def test_apply_refused_unless_validated(upload, staff, status):
    roster_import = upload([roster_row(1)])
    RosterImport.objects.filter(pk=roster_import.pk).update(status=status)

    with pytest.raises(DomainError) as refused:
        roster_import_apply(import_id=roster_import.pk, actor=staff)

    assert refused.value.message == f"该名册导入当前为“{status.label}”，只有“待确认导入”的名册才能确认导入。"
    roster_import.refresh_from_db()
    assert roster_import.status == status
    assert registry_counts() == (0, 0, 0)


def test_validate_again_does_nothing_once_checked(upload):
    roster_import = upload([roster_row(1)])

    assert roster_import_validate(import_id=roster_import.pk).status == STATUS.VALIDATED


@pytest.mark.parametrize("user", ["county_user", "unit_user", "deputy_user", "leader", "committee_user"])
def test_only_the_office_may_import(request, upload, term, user):
    actor = request.getfixturevalue(user)
    roster_import = upload([roster_row(1)])

    with pytest.raises(ForbiddenError):
        roster_import_create(
            file=xlsx_file(roster_bytes([roster_row(2)])), congress=term.congress, term=term, actor=actor
        )
    with pytest.raises(ForbiddenError):
        roster_import_apply(import_id=roster_import.pk, actor=actor)
    with pytest.raises(ForbiddenError):
        roster_import_cancel(import_id=roster_import.pk, actor=actor)

    roster_import.refresh_from_db()
    assert roster_import.status == STATUS.VALIDATED
    assert RosterImport.objects.count() == 1


def test_admin_may_import(admin_user, term, gulou):
    roster_import = roster_import_create(
        file=xlsx_file(roster_bytes([roster_row(1)])),
        congress=term.congress,
        term=term,
        actor=admin_user,
        run_inline=True,
    )

    assert roster_import.status == STATUS.VALIDATED


def test_cancel_a_validated_or_invalid_import(upload, staff):
    valid = upload([roster_row(1)])
    invalid = upload([roster_row(1, 性别="")])

    assert roster_import_cancel(import_id=valid.pk, actor=staff).status == STATUS.CANCELLED
    assert roster_import_cancel(import_id=invalid.pk, actor=staff).status == STATUS.CANCELLED
    with pytest.raises(DomainError) as refused:
        roster_import_apply(import_id=valid.pk, actor=staff)
    assert refused.value.message == "该名册导入当前为“已取消”，只有“待确认导入”的名册才能确认导入。"


def test_cancel_refused_once_applied(upload, apply, staff):
    roster_import = apply(upload([roster_row(1)]))

    with pytest.raises(DomainError) as refused:
        roster_import_cancel(import_id=roster_import.pk, actor=staff)

    assert refused.value.message == "该名册导入当前为“已导入”，不能取消。"


def test_cancel_during_the_check_is_not_undone_by_it(
    staff, term, gulou, monkeypatch, django_capture_on_commit_callbacks
):
    check_roster = importer.check_roster

    def cancelled_meanwhile(**kwargs):
        roster_import_cancel(import_id=RosterImport.objects.get().pk, actor=staff)
        return check_roster(**kwargs)

    monkeypatch.setattr(importer.services, "check_roster", cancelled_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_create(
            file=xlsx_file(roster_bytes([roster_row(1)])), congress=term.congress, term=term, actor=staff
        )

    roster_import = RosterImport.objects.get()
    assert roster_import.status == STATUS.CANCELLED
    assert roster_import.finished_at is not None


def test_cancel_an_interrupted_apply(upload, staff):
    roster_import = upload([roster_row(1)])
    RosterImport.objects.filter(pk=roster_import.pk).update(status=STATUS.APPLYING)

    roster_import_cancel(import_id=roster_import.pk, actor=staff)

    assert roster_import_run_apply(import_id=roster_import.pk).status == STATUS.CANCELLED
    assert registry_counts() == (0, 0, 0)


# --- the command line ----------------------------------------------------------------------------


def test_command_lists_errors_and_exits_with_status_1(tmp_path, staff, term, gulou):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_bytes([roster_row(1), roster_row(2, 代表证号="160001", 性别="")]))
    out = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "import_roster", str(path), congress=term.congress.pk, term=term.pk, user="t-staff", stdout=out
        )

    assert out.getvalue().splitlines() == [
        "第3行［代表证号］：代表证号“160001”与第2行重复。",
        "第3行［性别］：性别不能为空。",
    ]
    assert str(failed.value).startswith("校验未通过：共 2 个问题，未导入任何数据")
    assert failed.value.returncode == 1
    assert registry_counts() == (0, 0, 0)


def test_command_previews_then_applies(tmp_path, staff, term, gulou, taijiang):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_bytes([roster_row(1), roster_row(2, 选举单位="台江区")]))
    out = StringIO()

    call_command("import_roster", str(path), congress=term.congress.pk, term=term.pk, stdout=out)
    assert registry_counts() == (0, 0, 0)
    assert "校验通过：共 2 名代表，其中新增人员 2 名" in out.getvalue()
    assert "各选举单位：鼓楼区 1、台江区 1" in out.getvalue()
    assert "加 --apply 确认导入" in out.getvalue()

    call_command(
        "import_roster",
        str(path),
        "--apply",
        congress=term.congress.pk,
        term=term.pk,
        user="t-staff",
        stdout=out,
    )
    assert "导入完成：已导入 2 名代表。" in out.getvalue()
    assert registry_counts() == (2, 2, 2)
    assert RosterImport.objects.filter(status=STATUS.APPLIED).get().applied_by == staff


def test_command_refuses_a_user_who_may_not_import(tmp_path, county_user, term):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_bytes([roster_row(1)]))

    with pytest.raises(CommandError) as refused:
        call_command("import_roster", str(path), congress=term.congress.pk, term=term.pk, user="t-county")

    assert str(refused.value) == "用户“t-county”没有导入代表名册的权限。"


# --- the pages -----------------------------------------------------------------------------------


def test_upload_page_defaults_to_the_city_congress_latest_term(client, staff, term):
    TermFactory(congress=term.congress, number=15, start_date=date(2017, 1, 1))
    client.force_login(staff)

    response = client.get(reverse("deputies:import_start"))

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["congress"].value(), form["term"].value()) == (term.congress.pk, term.pk)
    html = response.content.decode()
    assert 'for="id_file">名册文件</label>' in html
    assert f"{reverse('deputies:import_template')}?congress={term.congress.pk}" in html
    assert "下载导入模板" in html
    assert "上传并校验" in html


def test_template_download(client, staff, term, gulou):
    client.force_login(staff)

    response = client.get(reverse("deputies:import_template"), {"congress": term.congress.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (
        "%E4%BB%A3%E8%A1%A8%E5%90%8D%E5%86%8C%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        in response["Content-Disposition"]
    )
    workbook = load_workbook(BytesIO(response.content))
    assert [cell.value for cell in workbook["代表名册"][1]] == HEADERS


def test_page_flow_upload_errors_then_corrected_preview_apply(
    client, staff, term, gulou, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    bad = [roster_row(1, 性别="未知"), roster_row(2, 代表证号="160001"), roster_row(3, 选举单位="火星区")]
    form = {"congress": term.congress.pk, "term": term.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deputies:import_start"), {**form, "file": xlsx_file(roster_bytes(bad))}
        )
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:import_detail", args=[roster_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "校验未通过" in page
    assert "未导入任何数据" in page
    assert "“未知”不是有效的性别，可选值：男、女。" in page
    assert "代表证号“160001”与第2行重复。" in page
    assert "福州市人民代表大会没有选举单位“火星区”。" in page
    assert "确认导入" not in page
    assert registry_counts() == (0, 0, 0)

    good = [roster_row(1), roster_row(2), roster_row(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deputies:import_start"), {**form, "file": xlsx_file(roster_bytes(good))}
        )
    page = client.get(response["Location"]).content.decode()
    corrected = RosterImport.objects.latest("created_at")
    assert "待确认导入" in page
    assert "李四海" in page
    assert "确认导入" in page
    assert "data-confirm=" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deputies:import_apply", args=[corrected.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "导入完成" in page
    assert "已导入 3 名代表。" in page
    assert registry_counts() == (3, 3, 3)


def test_upload_page_shows_a_refused_file_on_the_form(client, staff, term):
    client.force_login(staff)

    response = client.post(
        reverse("deputies:import_start"),
        {"congress": term.congress.pk, "term": term.pk, "file": xlsx_file(b"a,b", "名册.csv")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "仅支持 .xlsx 格式的 Excel 文件；.xls 或 WPS 文件请先另存为 .xlsx。"
    ]
    assert RosterImport.objects.count() == 0


def test_apply_twice_from_the_page_shows_the_refusal(client, staff, upload, apply):
    roster_import = apply(upload([roster_row(1)]))
    client.force_login(staff)

    response = client.post(reverse("deputies:import_apply", args=[roster_import.pk]), follow=True)

    assert "该名册导入当前为“已导入”，只有“待确认导入”的名册才能确认导入。" in response.content.decode()
    assert registry_counts() == (1, 1, 1)


def test_cancel_from_the_page(client, staff, upload):
    roster_import = upload([roster_row(1)])
    client.force_login(staff)

    response = client.post(
        reverse("deputies:import_detail", args=[roster_import.pk]), {"action": "cancel"}, follow=True
    )

    roster_import.refresh_from_db()
    assert roster_import.status == STATUS.CANCELLED
    assert "已取消该名册导入，未导入任何数据。" in response.content.decode()


def test_progress_partial_polls_while_running(client, staff, upload):
    roster_import = upload([roster_row(1)])
    RosterImport.objects.filter(pk=roster_import.pk).update(status=STATUS.APPLYING)
    progress_set("roster_import", roster_import.pk, done=30, total=120, stage="写入数据库")
    client.force_login(staff)
    url = reverse("deputies:import_detail", args=[roster_import.pk])

    partial = client.get(url, HTTP_HX_REQUEST="true")

    html = partial.content.decode()
    assert partial.status_code == 200
    assert [template.name for template in partial.templates] == ["deputies/partials/import_status.html"]
    assert "<html" not in html
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="25"' in html
    assert f'hx-get="{url}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "写入数据库：30 / 120" in html
    full = client.get(url).content.decode()
    assert "<html" in full
    assert 'role="progressbar"' in full


def test_progress_partial_stops_polling_when_finished(client, staff, upload):
    roster_import = upload([roster_row(1)])
    client.force_login(staff)

    html = client.get(
        reverse("deputies:import_detail", args=[roster_import.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "hx-trigger" not in html
    assert "确认导入" in html


def test_an_interrupted_job_offers_cancel(client, staff, upload):
    roster_import = upload([roster_row(1)])
    url = reverse("deputies:import_detail", args=[roster_import.pk])
    client.force_login(staff)
    RosterImport.objects.filter(pk=roster_import.pk).update(status=STATUS.APPLYING)
    assert "取消导入" not in client.get(url).content.decode()

    RosterImport.objects.filter(pk=roster_import.pk).update(updated_at=timezone.now() - timedelta(minutes=11))
    html = client.get(url).content.decode()

    assert "该任务长时间没有完成，可能已因服务重启而中断。" in html
    assert "取消导入" in html


@pytest.mark.parametrize("user", ["county_user", "unit_user", "deputy_user", "leader"])
def test_pages_are_404_for_anyone_but_the_office(client, request, upload, user):
    roster_import = upload([roster_row(1)])
    client.force_login(request.getfixturevalue(user))

    assert client.get(reverse("deputies:import_start")).status_code == 404
    assert client.get(reverse("deputies:import_template")).status_code == 404
    assert client.get(reverse("deputies:import_detail", args=[roster_import.pk])).status_code == 404
    assert client.post(reverse("deputies:import_apply", args=[roster_import.pk])).status_code == 404
    roster_import.refresh_from_db()
    assert roster_import.status == STATUS.VALIDATED


def test_pages_ask_anonymous_users_to_log_in(client):
    response = client.get(reverse("deputies:import_start"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_template_without_a_congress_lists_fields_but_no_units(db):
    ExpertiseField.objects.create(name="城建环境")
    workbook = load_workbook(BytesIO(roster_template_bytes(congress=None)))

    choices = {
        column[0].value: [cell.value for cell in column[1:] if cell.value]
        for column in workbook["可选值"].columns
    }
    assert choices["专业领域"] == ["城建环境"]
    assert choices["选举单位"] == []
