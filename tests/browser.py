"""The shared browser for ``@pytest.mark.browser`` tests: headless Debian Chromium driven by
Playwright against pytest-django's ``live_server``.

Use it from any test module::

    pytestmark = pytest.mark.browser

    def test_something(browser_page, live_server, wenyan_demo, transactional_db):
        login(browser_page, live_server, "wangge", wenyan.DEMO_PASSWORD)

The fixture is registered for the whole suite through ``pytest_plugins`` in tests/conftest.py.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("JIEDAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Long enough for a cold CI machine, short enough that a broken page fails within the run.
TIMEOUT_MS = 15_000


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    """A Playwright Page in a fresh browser context (Chinese locale, desktop size), whose
    relative navigation resolves against ``live_server``. Resize it with
    ``page.set_viewport_size(PHONE)``."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with scripts/system-packages.sh",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; Django refuses database access
    # from a thread with a running loop unless told it is safe, which it is here (one thread).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(
                base_url=live_server.url,
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
                viewport=DESKTOP,
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            try:
                yield page
            finally:
                context.close()
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    """Sign in through the real login page and wait for the page it leads to."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
