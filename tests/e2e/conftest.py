"""End-to-end tests in Debian's Chromium (/usr/bin/chromium), driven by Playwright.

Nothing is downloaded: Playwright launches the system browser. The site runs in
pytest-django's live server on the seed data.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

# Playwright's sync API runs an event loop in this thread; the live server's queries
# happen in its own thread, and the tests only touch the database before browsing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    call_command("loaddata", "seed", verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A script or style the Content-Security-Policy refused shows in the console.
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


PASSWORD = "correct horse battery staple"


def log_in_as_editor(site, page, next_path="/admin/"):
    """A new Editor logs in through the admin's own form (django-axes sees a real log-in)."""
    from tests.conftest import member

    editor = member("Editor")
    editor.set_password(PASSWORD)
    editor.save()
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return editor
