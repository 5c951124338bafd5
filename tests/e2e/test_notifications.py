"""In a real browser: the bell's count, and marking read with HTMX (the row and the bell swap in place)."""

import pytest
from playwright.sync_api import expect

from lvzhi.notifications import services

from ..factories import UserFactory
from .conftest import login


@pytest.mark.django_db(transaction=True)
def test_a_user_reads_its_notifications(new_page):
    user = UserFactory(username="t-bell", email="bell@example.org")
    for title in ("第1001号建议已交办", "答复第1002号建议（还有3天到期）", "第1003号建议已答复"):
        services.notify(recipients=[user], kind="suggestion.test", title=title)
    page = new_page()

    login(page, "t-bell", "pw-test-123")
    expect(page.get_by_test_id("unread-count")).to_have_text("3")
    page.get_by_role("link", name="消息，3 条未读").click()

    rows = page.get_by_test_id("notification")
    expect(rows).to_have_count(3)
    rows.filter(has_text="第1003号建议已答复").get_by_role("button", name="标为已读", exact=True).click()
    expect(
        rows.filter(has_text="第1003号建议已答复").get_by_role("button", name="标为已读", exact=True)
    ).to_have_count(0)
    expect(page.get_by_test_id("unread-count")).to_have_text("2")

    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_role("button", name="标为已读", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    page.get_by_role("link", name="未读", exact=True).click()
    expect(page.get_by_text("没有未读消息。")).to_be_visible()
    assert page.url.endswith("/notifications/?show=unread")
