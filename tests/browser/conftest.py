"""The browser harness: Playwright driving Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. Playwright's own browser download cannot work offline.

Browser tests need committed data (the live server runs in another thread), so they use
`@pytest.mark.django_db(transaction=True)`; Django empties the database after each one and
tests/conftest.py writes back the snapshot taken when the test database was set up (the seed
plan and the migrations' rows, same keys: tests/db_snapshot.py) for the next test.
"""
from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by the
# test itself (factories) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Falta Chromium de Debian: apt-get install -y chromium (make test lo instala).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="es-PE",
                                  timezone_id="America/Lima", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"Errores de JavaScript en la página: {errors}"


def login(page, username: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/ingresar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(lambda url: "/ingresar/" not in url)


def como(page, username: str, password: str) -> None:
    """Change user in the same browser: forget the session, log in as `username`."""
    page.context.clear_cookies()
    login(page, username, password)
