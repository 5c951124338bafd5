"""The layout at an office screen (1,366 px) and a phone (390 px), for every demo role: no menu item
wraps, the bar collapses on the phone, the main lists never scroll the page sideways.

Screenshots of every page checked are written to ``var/screenshots/`` (under ``LVZHI_VAR_DIR`` when
set): CI keeps them as artefacts.
"""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from lvzhi.accounts.models import User
from lvzhi.suggestions.choices import AssignmentRole, AssignmentStatus, SuggestionStatus
from lvzhi.suggestions.models import Assignment
from lvzhi.suggestions.services.unit_work import assignment_acknowledge

from .conftest import login

PASSWORD = "lvzhi-demo-2025"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# The lists each role works with (a page the role may not open is left out by the navigation test).
LISTS = {
    "demo-admin": ["/deputies/", "/suggestions/", "/suggestions/work/", "/motions/", "/supervision/"],
    "demo-staff": ["/deputies/", "/suggestions/", "/suggestions/work/", "/motions/", "/supervision/"],
    "demo-leader": ["/deputies/", "/suggestions/", "/motions/", "/supervision/"],
    "demo-deputy": ["/deputies/", "/suggestions/", "/motions/"],
    "demo-unit": ["/deputies/", "/suggestions/", "/suggestions/work/"],
    "demo-county": ["/deputies/", "/suggestions/", "/motions/"],
    "demo-committee": ["/deputies/", "/suggestions/", "/motions/", "/supervision/"],
}

# How many lines of text an element's own text takes (a wrapped label has two).
TEXT_LINES = """(element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return tops.size;
}"""
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


def screenshot(page, name: str) -> None:
    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def assert_single_lines(locator, where: str) -> None:
    for index in range(locator.count()):
        item = locator.nth(index)
        lines = item.evaluate(TEXT_LINES)
        assert lines == 1, f"{where}: “{item.inner_text()}” takes {lines} lines"


def assert_lists_fit(page, username: str, width: int) -> None:
    for path in ["/", *LISTS[username]]:
        page.goto(path)
        expect(page.get_by_test_id("current-user")).to_be_visible()
        screenshot(page, f"{width}-{username}-{slug(path)}")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{username} {path} scrolls sideways at {width} px"


@pytest.mark.django_db(transaction=True)
def test_at_1366_px_no_menu_item_wraps_and_no_list_scrolls_sideways(new_page):
    call_command("seed_demo", suggestions=40, verbosity=0)

    for username in LISTS:
        page = new_page()
        page.set_viewport_size(DESKTOP)
        login(page, username, PASSWORD)
        navigation = page.get_by_role("navigation", name="主导航")
        expect(navigation).to_be_visible()
        entries = navigation.locator(":scope > a, :scope > .dropdown > a")
        assert_single_lines(entries, username)
        # One row: the entries of the bar stand side by side (no entry below another).
        boxes = [entries.nth(i).bounding_box() for i in range(entries.count())]
        tops = [box["y"] for box in boxes]
        assert max(tops) - min(tops) < min(box["height"] for box in boxes), f"{username}: two rows"
        for menu in range(navigation.get_by_role("button").count()):
            toggle = navigation.get_by_role("button").nth(menu)
            toggle.click()
            items = navigation.locator(".dropdown-menu.show").get_by_role("link")
            expect(items.first).to_be_visible()
            assert_single_lines(items, f"{username} {toggle.inner_text()}")
            toggle.click()
        assert_lists_fit(page, username, DESKTOP["width"])
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_at_390_px_the_bar_collapses_and_no_list_scrolls_sideways(new_page):
    call_command("seed_demo", suggestions=40, verbosity=0)

    for username in LISTS:
        page = new_page()
        page.set_viewport_size(PHONE)
        login(page, username, PASSWORD)
        navigation = page.get_by_role("navigation", name="主导航")
        expect(navigation).to_be_hidden()
        toggler = page.get_by_role("button", name="展开菜单")
        # The bar keeps one row: the menu button stands beside the user's name.
        assert abs(toggler.bounding_box()["y"] - page.get_by_test_id("current-user").bounding_box()["y"]) < 20
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        # The bar has finished opening (Bootstrap marks the collapse "show" after its transition).
        expect(page.locator("#main-navigation.collapse.show")).to_be_visible()
        expect(navigation).to_be_visible()
        assert_single_lines(navigation.locator(":scope > a, :scope > .dropdown > a"), username)
        if username == "demo-staff":
            # A menu opens inside the collapsed bar.
            navigation.get_by_role("button", name="报告").click()
            expect(navigation.get_by_role("link", name="办理情况报告")).to_be_visible()
        screenshot(page, f"390-{username}-menu")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{username}: the open menu scrolls sideways"
        assert_lists_fit(page, username, PHONE["width"])
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_deputy_picker_is_found_by_pinyin_initials(new_page):
    call_command("seed_demo", suggestions=40, verbosity=0)
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, "demo-deputy", PASSWORD)

    page.goto(reverse("suggestions:create"))
    picker = page.get_by_label("联名代表")
    options = picker.locator("option")
    assert options.count() > 20
    wanted = options.nth(7)
    initials, name = wanted.get_attribute("data-pinyin"), wanted.inner_text()
    # Typed into the filter box above the picker, the initials keep only the deputies they match.
    page.get_by_role("searchbox", name="筛选选项：输入名称或拼音首字母").fill(initials)
    shown = picker.locator("option:not([hidden])")
    expect(shown.filter(has_text=name)).to_have_count(1)
    assert shown.count() < options.count()
    for pinyin in shown.evaluate_all("(options) => options.map((o) => o.dataset.pinyin)"):
        assert pinyin.startswith(initials)
    screenshot(page, "390-demo-deputy-cosigner-picker")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.django_db(transaction=True)
def test_a_unit_writes_its_reply_in_a_full_width_editor(new_page):
    call_command("seed_demo", suggestions=40, verbosity=0)
    assignment = (
        Assignment.objects.filter(
            status=AssignmentStatus.ASSIGNED, suggestion__status=SuggestionStatus.ASSIGNED
        )
        .exclude(role=AssignmentRole.CO)
        .order_by("pk")
        .first()
    )
    assert assignment is not None
    # demo-unit works for the unit that handles it, and has acknowledged it.
    User.objects.filter(username="demo-unit").update(handling_unit=assignment.unit)
    assignment_acknowledge(assignment=assignment, actor=User.objects.get(username="demo-unit"))
    page = new_page()
    page.set_viewport_size(DESKTOP)
    login(page, "demo-unit", PASSWORD)

    page.goto(reverse("suggestions:detail", args=[assignment.suggestion_id]))
    card = page.get_by_test_id("action-draft_reply")
    reply = card.get_by_label("答复内容")
    narrow = reply.bounding_box()["width"]
    card.get_by_role("button", name="全宽编写").click()
    expect(card.get_by_role("button", name="还原")).to_be_visible()
    assert reply.bounding_box()["width"] > max(2 * narrow, DESKTOP["width"] * 0.8)
    expect(reply).to_be_focused()
    screenshot(page, "1366-demo-unit-reply-editor")
    card.get_by_role("button", name="还原").click()
    assert reply.bounding_box()["width"] == narrow


@pytest.mark.django_db(transaction=True)
def test_the_assignment_meeting_picks_a_co_unit_by_its_initials(new_page):
    call_command("seed_demo", suggestions=40, verbosity=0)
    page = new_page()
    page.set_viewport_size(DESKTOP)
    login(page, "demo-staff", PASSWORD)

    page.goto(reverse("suggestions:assign_bulk"))
    co_units = page.get_by_role("table", name="待交办建议").get_by_role("listbox").first
    co_units.focus()
    # 福州市城乡建设局 → fzscxjsj
    page.keyboard.type("fzscxjsj")
    expect(co_units.locator("option:checked")).to_have_text(["福州市城乡建设局"])


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_list_shows_its_search_box_and_keeps_the_other_conditions_folded(new_page):
    call_command("seed_demo", suggestions=40, verbosity=0)
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, "demo-deputy", PASSWORD)

    page.goto(reverse("suggestions:list"))
    expect(page.get_by_label("标题/内容/建议号/领衔代表")).to_be_visible()
    expect(page.get_by_label("状态")).to_be_hidden()
    page.get_by_role("button", name="更多条件").click()
    expect(page.get_by_label("状态")).to_be_visible()
    page.get_by_label("状态").select_option(index=1)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"status="))
    page.reload()
    # A condition in use is shown.
    expect(page.get_by_label("状态")).to_be_visible()
