"""End-to-end tests: Django's live server driven by Playwright in Debian's headless Chromium.

Chromium is `/usr/bin/chromium` (or LINKWELL_CHROMIUM); axe-core comes from `npm ci` in this
folder (scripts/test runs it). Without either, the tests are skipped with the reason, unless
LINKWELL_E2E_REQUIRED=1 (CI sets it), when they fail instead.

Each test gets a fresh database (the live server needs committed rows), loaded with the default
place and its demo directory by the `directory_data` fixture.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls inside one
# unless told that the test knows what it is doing (the calls are still synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.accessibility import AXE_SOURCE

CHROMIUM = os.environ.get("LINKWELL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _missing() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE_SOURCE.exists():
        return "axe-core not installed (cd tests/e2e && npm ci)"
    return ""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    reason = _missing()
    if reason:
        if os.environ.get("LINKWELL_E2E_REQUIRED") == "1":
            pytest.fail(f"end-to-end tests required but {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _context(browser: Browser, viewport: dict, **options) -> BrowserContext:
    context = browser.new_context(viewport=viewport, locale="en-GB", **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A desktop-sized page; `page.goto("/path")` is relative to the live server."""
    context = _context(browser, DESKTOP, base_url=live_server.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser: Browser, live_server) -> Iterator[Page]:
    """A phone-sized page (390 x 844, touch)."""
    context = _context(browser, PHONE, base_url=live_server.url, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Iterator[Page]:
    """A page with JavaScript turned off (progressive enhancement)."""
    context = _context(browser, DESKTOP, base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def directory_data(live_db):
    """The default place and its demo directory, committed so the live server sees them."""
    from django.conf import settings

    from linkwell.directory.demo.load import load_demo_directory
    from linkwell.places.actions import load_place

    place = load_place(settings.PLACE_DATA_DIRS).place
    load_demo_directory(actor=None)
    refresh_statistics()
    return place


def refresh_statistics() -> None:
    """Fresh planner statistics on PostgreSQL, as a real load gets from autovacuum, and a
    time limit on every statement so a bad plan fails its test instead of hanging the run.

    Each test empties and refills the tables. In one CI run a distance search over the 224
    demo services ran for minutes on PostgreSQL (and the clean-up waited on it), most likely
    planned from statistics taken while the tables were empty.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET statement_timeout = '30s'")
