"""Acceptance (issue 8): on a 390 px phone, ``demo-deputy`` opens its desk (工作台), follows the reply
waiting for its rating to the suggestion, and rates it; the desk then asks nothing more.

The suggestion is brought to a released reply through the services (assigned by ``demo-staff``,
answered by ``demo-unit``); the deputy's part is taken in the browser, by labels and roles.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.accounts.models import User
from lvzhi.core import calendar
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import ExpertiseField, HandlingUnit

from ..suggestions.factories import assign, released
from .conftest import login

PASSWORD = "lvzhi-demo-2025"
CITY_CONGRESS = "福州市人民代表大会"
LEAD_UNIT = "福州市城乡建设局"  # demo-unit's
TITLE = "关于增设社区老年助餐点的建议"
PHONE = {"width": 390, "height": 844}


def screenshot(page, name: str) -> None:
    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"


@pytest.mark.django_db(transaction=True)
def test_the_deputy_rates_a_reply_from_its_desk_on_a_phone(new_page):
    calendar.calendar_seed_from_package()  # transactional tests flush the migration's calendar
    call_command("seed_demo", verbosity=0)
    deputy = User.objects.get(username="demo-deputy")
    lead = Mandate.objects.get(person__user=deputy, congress__name=CITY_CONGRESS, status=MandateStatus.ACTIVE)
    staff, unit_user = User.objects.get(username="demo-staff"), User.objects.get(username="demo-unit")
    suggestion, (assignment,) = assign(
        lead,
        staff,
        field=ExpertiseField.objects.order_by("id").first(),
        lead=HandlingUnit.objects.get(name=LEAD_UNIT),
        on=timezone.localdate(),
    )
    suggestion.title = TITLE
    suggestion.save(update_fields=["title"])
    released(assignment, unit_user, staff, contact_deputy=lead, body="已在全市新增社区助餐点二十个。")

    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, "demo-deputy", PASSWORD)

    # The desk: the reply waiting for the deputy's rating, counted and listed.
    expect(page.get_by_role("heading", name="等待您处理")).to_be_visible()
    waiting = page.get_by_role("link", name="待评价的答复")
    expect(waiting).to_contain_text("1")
    no_horizontal_scroll(page)
    screenshot(page, "390-demo-deputy-desk")

    # Its suggestion, opened from the desk.
    page.get_by_role("link").filter(has_text=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("已在全市新增社区助餐点二十个。")).to_be_visible()
    screenshot(page, "390-demo-deputy-suggestion")

    # The rating.
    for label in ("总体评价", "办理过程评价", "办理结果评价"):
        page.get_by_label(label).select_option(label="满意")
    page.get_by_role("button", name="提交评价", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="评价已提交，感谢您的评价。")).to_be_visible()
    expect(page.get_by_test_id("satisfaction").first).to_have_text("满意")
    no_horizontal_scroll(page)

    # Back on the desk, nothing more is asked.
    page.goto("/")
    expect(page.get_by_role("link", name="待评价的答复")).to_contain_text("0")
