"""Pages work with no request leaving the machine: styles, scripts, charts and API docs are ours."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import login


@pytest.mark.django_db(transaction=True)
def test_main_pages_render_from_our_own_static_files(new_page, foreign_requests):
    call_command("seed_demo", verbosity=0)
    page = new_page()
    failed = []
    # A request cut short because the page moved on (net::ERR_ABORTED) is not a failure.
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED" and failed.append(request.url),
    )
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))

    login(page, "demo-staff", "lvzhi-demo-2025")
    # The registry page's composition chart is drawn by ECharts (a canvas appears).
    page.goto("/registry/")
    expect(page.locator("#composition-chart canvas")).to_have_count(1)
    # Tabler's stylesheet is applied (the navbar is styled, not the browser default).
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"

    page.get_by_role("navigation").get_by_role("link", name="组织结构").click()
    page.get_by_role("link", name="承办单位", exact=True).first.click()
    expect(page.get_by_role("cell", name="福州市中级人民法院")).to_be_visible()

    page.goto("/api/docs/")
    expect(page.get_by_text("lvzhi 履职 API")).to_be_visible()
    expect(page.get_by_role("button", name="GET /api/v1/accounts/", exact=True)).to_be_visible()

    assert failed == []
    assert list(foreign_requests) == []


@pytest.mark.django_db(transaction=True)
def test_a_request_off_the_machine_is_blocked_and_reported(new_page, foreign_requests, live_server):
    page = new_page()
    page.goto("/accounts/login/")

    page.evaluate("fetch('http://cdn.example.org/x.js').catch(() => null)")
    page.evaluate("new WebSocket('ws://push.example.org/socket')")
    page.wait_for_timeout(300)

    assert sorted(foreign_requests) == ["http://cdn.example.org/x.js", "ws://push.example.org/socket"]
    foreign_requests.clear()  # the guard worked; let the fixture's own check pass
