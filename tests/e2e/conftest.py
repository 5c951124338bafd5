"""Browser tests: Playwright for Python driving Debian's Chromium, headless, against the live server.

Every request the page makes is checked: anything not addressed to 127.0.0.1 is blocked and fails
the test (congress intranets have no internet; our pages must not need it).
"""

import os
from urllib.parse import urlparse

import pytest

from ..conftest import chromium_path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing (/usr/bin/chromium): in CI the browser tests must run.")
        pytest.skip("Chromium is not installed: apt-get install chromium fonts-noto-cjk")
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    from django.db import connections

    connections.close_all()  # opened in Playwright's loop context: let PostgreSQL drop the test DB


class ForeignRequests(list):
    """Requests to hosts other than 127.0.0.1, recorded and blocked."""


@pytest.fixture
def foreign_requests():
    return ForeignRequests()


@pytest.fixture
def new_page(browser, live_server, foreign_requests, tmp_path):
    contexts = []

    def guard(route):
        url = urlparse(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != "127.0.0.1":
            foreign_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def make():
        context = browser.new_context(locale="zh-CN", accept_downloads=True, base_url=live_server.url)
        context.set_default_timeout(15_000)
        context.route("**/*", guard)
        context.route_web_socket(
            lambda url: urlparse(url).hostname != "127.0.0.1",
            lambda socket: (foreign_requests.append(socket.url), socket.close()),
        )
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts
        return page

    yield make
    for context in contexts:
        context.close()
    assert list(foreign_requests) == [], f"requests left 127.0.0.1: {list(foreign_requests)}"


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("current-user").wait_for()
