"""The browser tests' fixtures (a pytest plugin, loaded by govsite/conftest.py for every app):
Playwright (sync API) driving Debian's Chromium against ``live_server``.

``playwright install`` cannot download browsers here, so the system Chromium is launched
(ARCHITECTURE.md, "Browser tests"); ``make test`` installs it (``make browser``). One browser
serves a whole test module and each test gets a fresh context (its own cookies, so a login never
leaks from one test into the next).

The browser lives for a module rather than the whole session on purpose: while Playwright's
sync API runs, its asyncio loop is registered as the running loop of the main thread. Django
then takes every ORM call for a call from async code (hence ``DJANGO_ALLOW_ASYNC_UNSAFE``), and
``asyncio.run``/``async_to_sync`` would fail in ordinary tests collected after the browser
tests. Both last only as long as the browser.
"""

import os
import shutil
import threading
import time

import pytest

from govsite.testing.helpers import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
# Wagtail's editor reports who is editing a page: it pings the server on load and every few
# seconds, and sends a beacon when the tab closes. Those requests belong to no scenario, yet one
# arriving after the test, while the database is put back, would use the connection being
# copied into (on SQLite the live server shares the test's). They are answered in the browser.
EDITING_SESSIONS = "**/admin/editing-sessions/**"
TIMEOUT_MS = 15_000  # actions and navigation; a busy 2-core machine can be slow
EXPECT_TIMEOUT_MS = 10_000  # auto-retrying assertions


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):  # make test installs it
        pytest.fail(f"Chromium 未安装（{CHROMIUM}）：make browser 安装。", pytrace=False)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_browser_context(browser, live_server, site_tree):
    """Open a fresh context on the live server, e.g. ``new_browser_context(viewport=PHONE)``."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(EDITING_SESSIONS, lambda route: route.fulfill(status=204, body=""))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        # Closing a tab fires its unload handlers: Wagtail's editor releases its editing
        # session with a beacon. Nothing more may reach the server once the test is over...
        context.route("**/*", lambda route: route.abort())
        context.close()
    # ...and what is already in flight must finish before the database is put back: on
    # SQLite the server's request threads share the test's in-memory connection.
    wait_for_requests_to_finish()


def wait_for_requests_to_finish(timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.02)


@pytest.fixture
def browser_page(new_browser_context):
    """A desktop-sized tab in a fresh context, nobody logged in."""
    return new_browser_context().new_page()


@pytest.fixture
def browser_login():
    """Log ``user`` in through Wagtail's login form, the way a member of staff does."""

    def login(page, user):
        page.goto("/admin/login/")
        page.get_by_label("用户名").fill(user.get_username())
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/admin/login/" not in url)
        return page

    return login


@pytest.fixture
def sign_in(new_browser_context, browser_login):
    """One admin tab, handed from person to person: ``page = sign_in(user)`` drops the previous
    person's session and logs ``user`` in. Keeping the tab keeps the browser's cache, so
    Wagtail's scripts are not fetched again for every person."""
    context = new_browser_context()
    page = context.new_page()

    def sign_in_as(user):
        context.clear_cookies()
        return browser_login(page, user)

    return sign_in_as
