"""Accounts for a real office, in a real browser (acceptance item of issue 8).

demo-staff opens accounts for three deputies of one electoral unit and prints their letters; one
of them opens the activation link, sets a password, and confirms the co-signature demo-deputy
invited it to; the suggestion then shows the co-signer 已确认.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from lvzhi.accounts.models import User
from lvzhi.core import calendar
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.suggestions.services import drafting

from .conftest import login

PASSWORD = "lvzhi-demo-2025"
NEW_PASSWORD = "Gulou-2026-daibiao"
CITY_CONGRESS = "福州市人民代表大会"
UNIT = "鼓楼区"
TITLE = "关于增设社区养老服务站的建议"


def three_gulou_deputies(lead):
    """Three 鼓楼区 city deputies in office, without an account, holding only this mandate, whose
    names no other deputy of the unit shares (the checkboxes are labelled by name)."""
    unit_mandates = list(
        Mandate.objects.filter(term=lead.term, electoral_unit=lead.electoral_unit).select_related("person")
    )
    names = [mandate.person.name for mandate in unit_mandates]
    chosen = [
        mandate
        for mandate in sorted(unit_mandates, key=lambda m: m.card_number)
        if mandate.status == MandateStatus.ACTIVE
        and mandate.person.user_id is None
        and names.count(mandate.person.name) == 1
        and mandate.person.mandates.count() == 1
    ]
    assert len(chosen) >= 3, "the demo data has no three suitable 鼓楼区 deputies"
    return chosen[:3]


@pytest.mark.django_db(transaction=True)
def test_office_opens_accounts_and_a_deputy_activates_and_cosigns(new_page):
    screenshots = settings.VAR_DIR / "screenshots"  # kept as CI artefacts
    screenshots.mkdir(parents=True, exist_ok=True)
    calendar.calendar_seed_from_package()
    call_command("seed_demo", verbosity=0)
    deputy_user = User.objects.get(username="demo-deputy")
    lead = Mandate.objects.select_related("person", "electoral_unit", "term").get(
        person__user=deputy_user, congress__name=CITY_CONGRESS, status=MandateStatus.ACTIVE
    )
    assert lead.electoral_unit.name == UNIT
    deputies = three_gulou_deputies(lead)
    cosigner = deputies[0]
    # demo-deputy has invited the first of them to co-sign (the invitation needs no account).
    suggestion = drafting.suggestion_create(
        actor=deputy_user, mandate=lead, title=TITLE, body="社区老人多，助餐助浴服务不足。"
    )
    drafting.suggestion_invite_cosigners(suggestion=suggestion, mandates=[cosigner], actor=deputy_user)
    drafting.suggestion_submit(suggestion=suggestion, actor=deputy_user)

    # 1. demo-staff opens accounts for the three and prints their letters.
    staff = new_page()
    login(staff, "demo-staff", PASSWORD)
    nav = staff.get_by_role("navigation", name="主导航")
    nav.get_by_role("button", name="系统管理").or_(nav.get_by_role("link", name="系统管理")).first.click()
    nav.get_by_role("link", name="账户管理").click()
    expect(staff.get_by_role("heading", name="账户管理")).to_be_visible()
    staff.get_by_role("link", name="为代表开通账户").click()
    staff.get_by_label("选举单位").select_option(label=f"市人大 · {UNIT}")
    staff.get_by_role("button", name="查询").click()
    for mandate in deputies:
        staff.get_by_label(mandate.person.name, exact=True).check()
    staff.get_by_role("button", name="为所选代表开通账户").click()
    expect(staff.get_by_role("heading", name="已为 3 位代表开通账户")).to_be_visible()
    staff.get_by_role("button", name="打印激活信").click()
    letters = staff.get_by_role("article")
    expect(letters).to_have_count(3)
    letter = staff.get_by_role("article", name=f"{cosigner.person.name}的激活信")
    expect(letter).to_contain_text(f"{cosigner.person.name}同志")
    expect(letter).to_contain_text(cosigner.card_number)
    link = letter.get_by_test_id("activation-link").inner_text()
    username = letter.get_by_test_id("letter-username").inner_text()
    staff.emulate_media(media="print")
    expect(staff.get_by_role("button", name="打印")).to_be_hidden()  # the letters print alone
    expect(letters).to_have_count(3)
    staff.screenshot(path=str(screenshots / "accounts-letters-print.png"), full_page=True)

    # 2. The deputy opens the link on its phone, sets a password and is logged in.
    deputy = new_page()
    deputy.set_viewport_size({"width": 390, "height": 844})
    deputy.goto(link)
    deputy.screenshot(path=str(screenshots / "accounts-activate-390.png"))
    deputy.get_by_label("新密码", exact=True).fill("12345678")
    deputy.get_by_label("再次输入新密码").fill("12345678")
    deputy.get_by_role("button", name="设置密码并登录").click()
    expect(deputy.get_by_text("这个密码太常见了。")).to_be_visible()
    deputy.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    deputy.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    deputy.get_by_role("button", name="设置密码并登录").click()
    expect(deputy.get_by_test_id("current-user")).to_have_text(cosigner.person.name)

    # 3. It confirms the co-signature; the suggestion shows it 已确认.
    deputy.goto(f"/suggestions/{suggestion.pk}/")
    expect(deputy.get_by_test_id("action-respond")).to_contain_text(
        f"{lead.person.name}代表邀请您联名提出此建议"
    )
    deputy.get_by_role("button", name="确认联名", exact=True).click()
    expect(deputy.get_by_role("alert").filter(has_text="您已确认联名。")).to_be_visible()
    row = (
        deputy.get_by_role("table", name="联名代表").locator("tbody tr").filter(has_text=cosigner.person.name)
    )
    expect(row).to_contain_text("已确认")

    # The link was single use; the password logs in from now on.
    again = new_page()
    again.goto(link)
    expect(again.get_by_role("heading", name="激活链接已失效")).to_be_visible()
    login(again, username, NEW_PASSWORD)
