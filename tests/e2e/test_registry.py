"""The registry as staff use it, in a real browser (headless Chromium), on the demo data."""

import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from lvzhi.accounts.models import User
from lvzhi.deputies.models import Mandate, MandateEvent, Person

from .conftest import login

PASSWORD = "lvzhi-demo-2025"
HEADERS = ("代表证号", "姓名", "性别", "选举单位", "构成类别", "是否基层代表", "当选日期", "专业领域")
GOOD_ROWS = [
    ("16E001", "欧阳昱霁", "女", "台江区", "专业技术人员", "是", "2023-06-01", "教育科技"),
    ("16E002", "司徒衡山", "男", "鼓楼区", "工人", "是", "2023/6/1", ""),
]
BAD_ROWS = [
    ("16E003", "", "男", "鼓楼区", "工人", "否", "2023-06-01", ""),  # no name
    ("16E004", "上官明远", "男", "鼓楼区", "工人", "否", "2023-13-45", ""),  # no such date
    ("16E005", "诸葛青云", "女", "火星区", "农民", "是", "2023-06-01", ""),  # unknown electoral unit
]


def fill_template(template_path, rows, target):
    workbook = load_workbook(template_path)
    sheet = workbook["代表名册"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for offset, row in enumerate(rows, start=2):
        for header, value in zip(HEADERS, row, strict=True):
            sheet.cell(row=offset, column=columns[header], value=value)
    workbook.save(target)
    return target


def registry_counts():
    return Person.objects.count(), Mandate.objects.count(), MandateEvent.objects.count()


@pytest.mark.django_db(transaction=True)
def test_staff_imports_a_roster_finds_a_deputy_and_suspends_it(new_page, settings, tmp_path):
    settings.LVZHI_TASK_BACKEND = "thread"  # as in the embedded default: the page polls the job
    call_command("seed_demo", verbosity=0)
    before = registry_counts()
    page = new_page()

    # demo-staff logs in and downloads the template.
    login(page, "demo-staff", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="名册导入").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    # A roster with three bad rows: every problem is listed, nothing is imported.
    bad = fill_template(template, GOOD_ROWS + BAD_ROWS, tmp_path / "bad.xlsx")
    page.get_by_label("名册文件").set_input_files(bad)
    page.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_test_id("import-status")).to_have_text("校验未通过")
    errors = page.get_by_role("table", name="校验问题").locator("tbody tr")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("姓名")
    expect(errors.nth(0)).to_contain_text("4")
    expect(errors.nth(1)).to_contain_text("当选日期")
    expect(errors.nth(1)).to_contain_text("5")
    expect(errors.nth(2)).to_contain_text("选举单位")
    expect(errors.nth(2)).to_contain_text("6")
    expect(page.get_by_text("未导入任何数据")).to_be_visible()
    assert registry_counts() == before

    # The corrected file: preview, confirm, done.
    page.get_by_role("navigation").get_by_role("link", name="名册导入").click()
    good = fill_template(template, GOOD_ROWS, tmp_path / "good.xlsx")
    page.get_by_label("名册文件").set_input_files(good)
    page.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_test_id("import-status")).to_have_text("待确认导入")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("heading", name="导入完成")).to_be_visible()
    assert registry_counts() == (before[0] + 2, before[1] + 2, before[2] + 2)

    # Found by pinyin initials: 欧阳昱霁 → oyyj.
    page.get_by_role("navigation").get_by_role("link", name="代表名册").click()
    page.get_by_label("姓名/拼音首字母/代表证号").fill("oyyj")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(r"共 1 名代表"))
    page.get_by_role("link", name="欧阳昱霁").click()
    expect(page.get_by_test_id("mandate-status")).to_have_text("在职")
    deputy_url = page.url

    # A suspension (Art. 61): the status and the history change.
    page.get_by_role("link", name="记录资格变动").click()
    page.get_by_label("变动类型").select_option(label="暂停执行代表职务")
    page.get_by_label("日期").first.fill("2025-03-01")
    page.get_by_label("暂停原因（第六十一条）").select_option(value="custody")
    page.get_by_label("事由").fill("因涉嫌刑事案件被羁押")
    page.get_by_label("文件依据").fill("榕公刑拘字〔2025〕12号")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("mandate-status")).to_have_text("暂停执行代表职务")
    events = page.get_by_role("table", name="资格变动")
    expect(events).to_contain_text("因涉嫌刑事案件被羁押")
    history = page.get_by_role("table", name="变更记录")
    expect(history.locator("tbody tr").first).to_contain_text("资格状态：在职 → 暂停执行代表职务")
    expect(history.locator("tbody tr").first).to_contain_text(str(User.objects.get(username="demo-staff")))
    page.get_by_role("button", name="退出登录").click()

    # demo-county (鼓楼区) cannot open a 台江区 deputy, neither by URL nor through the list.
    county = new_page()
    login(county, "demo-county", PASSWORD)
    response = county.goto(deputy_url)
    assert response.status == 404
    county.goto("/deputies/?q=oyyj")
    expect(county.get_by_test_id("result-count")).to_have_text(re.compile(r"共 0 名代表"))
    county.goto("/deputies/?q=sths")  # 司徒衡山, imported into 鼓楼区: visible
    expect(county.get_by_role("link", name="司徒衡山")).to_be_visible()
