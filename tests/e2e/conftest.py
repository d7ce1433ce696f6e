"""End-to-end journeys in a real browser: Chromium from Debian driven by Playwright.

- ``browser``: one headless Chromium for the session (``/usr/bin/chromium``; Playwright's
  own browser download is never used). Missing Chromium skips the journeys with a reason,
  unless ``LAMTHEO_E2E_REQUIRED=1`` (CI sets it): then they fail.
- ``phone`` and ``desktop``: a fresh browser context per test (no shared cookies) on
  pytest-django's ``live_server``, so relative URLs work: ``phone.goto("/")``.
- ``log_in(page, username)``: logs in through the real login form.

Every test in this folder gets the ``e2e`` marker (``pytest -m "not e2e"`` leaves them out)
and runs after the rest of the suite, for the reason given in ``browser``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("LAMTHEO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COMMON: dict[str, Any] = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
#: A low-end Android phone, the device many members use.
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    **COMMON,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, **COMMON}
#: Short enough that a broken journey fails fast; pages here answer in milliseconds.
TIMEOUT_MS = 10_000
#: The password of the ``world`` personas (tests/factories.py) and of the demo accounts.
PASSWORD = "demo12345"

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    journeys = [item for item in items if Path(item.path).resolve().is_relative_to(HERE)]
    if not journeys:
        return
    for item in journeys:
        item.add_marker(pytest.mark.e2e)
    chosen = set(map(id, journeys))
    items[:] = [item for item in items if id(item) not in chosen] + journeys


def _unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (see requirements.lock)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    reason = _unavailable()
    if reason:
        if os.environ.get("LAMTHEO_E2E_REQUIRED") == "1":
            pytest.fail(f"end-to-end journeys are required (LAMTHEO_E2E_REQUIRED=1): {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the main thread for as long
    # as the browser lives, and Django then refuses ORM calls from that thread (fixtures,
    # the flush after each transactional test) as "async unsafe". No coroutine touches the
    # ORM here, so lifting the guard is sound; it is lifted only while the browser runs,
    # and the journeys run last (pytest_collection_modifyitems), so the rest of the suite
    # keeps it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _open_page(browser: Browser, base_url: str, options: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not script_errors, f"JavaScript errors on the page: {script_errors}"


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    """A page on a 360×740 touch screen (2× density), Vietnamese locale and time zone."""
    yield from _open_page(browser, live_server.url, PHONE)


@pytest.fixture
def desktop(browser: Browser, live_server) -> Iterator[Page]:
    """A page on a 1280×800 desktop screen, Vietnamese locale and time zone."""
    yield from _open_page(browser, live_server.url, DESKTOP)


@pytest.fixture
def log_in(live_server) -> Callable[..., Page]:
    """``log_in(page, "member")`` signs in through the login form and waits for the
    page it lands on; ``password`` defaults to the personas' one."""

    def _log_in(page: Page, username: str, password: str = PASSWORD) -> Page:
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if "/accounts/login/" in page.url:
            raise AssertionError(f"log-in as {username!r} failed: still on {page.url}")
        return page

    return _log_in


def no_horizontal_scroll(page: Page, width: int = 360) -> bool:
    """Whether the page fits the screen width (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def new_phone(browser: Browser, live_server) -> Iterator[Callable[[], Page]]:
    """``new_phone()`` opens another phone (its own context: own cookies), for journeys
    where a second person acts meanwhile. Closed, and checked for script errors, at the end."""
    opened: list[Iterator[Page]] = []

    def _new_phone() -> Page:
        pages = _open_page(browser, live_server.url, PHONE)
        opened.append(pages)
        return next(pages)

    yield _new_phone
    failures: list[AssertionError] = []
    for pages in opened:  # close every phone, then report the first script errors
        try:
            next(pages, None)
        except AssertionError as failure:
            failures.append(failure)
    if failures:
        raise failures[0]


def fits_phone(page: Page, width: int = 360) -> bool:
    """Like ``no_horizontal_scroll`` with a pixel of slack for sub-pixel rounding."""
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1
