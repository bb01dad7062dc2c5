"""The journeys in a real browser: Chromium from the system, driven by Playwright, against a live server.

Run them with ``make test`` (or ``.venv/bin/python -m pytest tests/e2e``). They need
Chromium at /usr/bin/chromium (``apt-get install chromium fonts-wqy-zenhei``); where it is
missing they are skipped, except in CI (``CI=true``), where they fail.
"""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.db import connections
from django.urls import reverse

from newsroom.services import roles
from tests.conftest import make_user

from .accessibility import assert_accessible

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(django_settings.BASE_DIR) / "artifacts" / "screenshots"
PASSWORD = "secret-pass-123"  # what tests.conftest.make_user gives everyone
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
HOW_TO_RUN = (
    "The browser tests need Chromium at {path}. Install it with "
    "`apt-get install chromium fonts-wqy-zenhei`, then run `.venv/bin/python -m pytest tests/e2e`."
)


def wait_until(page, script, arg=None, timeout=15):
    """Wait until ``script`` (a function of ``arg``) is true in the page.

    Playwright's own ``wait_for_function`` polls by evaluating a string inside the page, which the
    site's CSP (no 'unsafe-eval') refuses; ``page.evaluate`` runs from outside and is allowed.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {script}")
        page.wait_for_timeout(50)


def _launch(with_database=False):
    if not CHROMIUM.exists():
        message = HOW_TO_RUN.format(path=CHROMIUM)
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the browser tests and cannot: {message}")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "Playwright is missing: `make venv` installs requirements-dev.txt."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
            if with_database:
                # While Playwright's loop runs, Django hands this thread database connections of their
                # own; close them here, where they are reachable, or they outlive the test database.
                connections.close_all()


@pytest.fixture
def chromium():
    """Headless Chromium alone, for pages made in the test."""
    yield from _launch()


@pytest.fixture
def browser(live_server, transactional_db, monkeypatch):
    """Headless Chromium beside a live server; nothing reaches beyond 127.0.0.1. One per test."""
    # Playwright's synchronous API keeps an event loop in this thread; the test's own
    # database work (setting up, checking) is still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # A transactional test before this one may have emptied the tables, the roles' groups with them.
    roles.sync_roles(Group, Permission)
    yield from _launch(with_database=True)


class Session:
    """One person at one screen: a browser context with its own cookies."""

    def __init__(self, browser, base_url, journey, size):
        self.base_url = base_url
        self.journey = journey
        self.context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **size)
        self.context.set_default_timeout(15_000)
        # Nothing but the live server: any other request is refused, so a stray URL fails loudly.
        self.context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        self.page = self.context.new_page()
        self.console_errors = []
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        # What the site's content security policy refused would be missing for a real user too.
        self.page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    def go(self, path):
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response.status if response else 'no response'}"
        return response

    def login(self, username, password=PASSWORD):
        self.go(reverse("admin:login"))
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.follow(self.page.locator("input[type=submit]"))
        assert reverse("admin:login") not in self.page.url, f"{username} could not log in"

    def follow(self, target):
        """Press or follow ``target`` (a button, a link) and wait for the page it leads to."""
        with self.page.expect_navigation():
            target.click()
        self.page.wait_for_load_state()

    def shot(self, step, full_page=True):
        self.page.wait_for_load_state()
        path = SCREENSHOTS / f"{self.journey}-{step}.png"
        self.page.screenshot(path=path, full_page=full_page)
        return path

    def check_accessible(self, what="", known=(), reader=False):
        self.page.wait_for_load_state()
        assert_accessible(self.page, what or self.page.url, known, reader)

    def close(self):
        self.context.close()
        assert not self.console_errors, (
            f"JavaScript errors or refused by the content security policy: {self.console_errors}"
        )


@pytest.fixture
def open_session(browser, live_server):
    """``open_session(journey, size)``: a new person at a screen; closed after the test."""
    sessions = []

    def open_(journey, size=DESKTOP):
        session = Session(browser, live_server.url, journey, size)
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        session.close()


@pytest.fixture
def people(transactional_db):
    """Staff in their roles, made as tests.conftest makes them."""

    return make_user
