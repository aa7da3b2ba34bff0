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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A browser test that fails says, in its report, what the page showed (the `page` fixture is
    still open at this point; the report goes to the CI output as it is, also from xdist workers)."""
    rep = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if rep.when == "call" and rep.failed and page is not None:
        abiertas = page.context.pages  # a test may have closed its tab and opened another
        rep.sections.append(("La página al fallar", _lo_que_muestra(abiertas[-1] if abiertas else page)))
    return rep


def _lo_que_muestra(page) -> str:
    """What the page showed when a test failed: the address, the status line of the entry page, the
    messages and errors, the main text (cut), and the last requests the browser made. Printed in the
    CI output, so a failure that happens only there can be read without reproducing it."""
    partes = [f"URL: {page.url}"]
    try:
        for selector in ("#estado-local", ".messages", ".errorlist", ".error", "main"):
            loc = page.locator(selector)
            if loc.count():
                texto = " | ".join(" ".join(t.split()) for t in loc.all_inner_texts())
                partes.append(f"{selector}: {texto[:1500]}")
        partes.append("navigator.onLine: " + str(page.evaluate("() => navigator.onLine")))
    except Exception as exc:  # the page may be gone or busy: say so and keep what was read
        partes.append(f"(no se pudo leer la página: {exc})")
    partes.append("Últimas peticiones:\n" + "\n".join(getattr(page.context, "amc_peticiones", [])[-12:]))
    return "\n".join(partes)


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
    errors: list[str] = []
    context.amc_peticiones = []  # the requests of every tab of this test, for _lo_que_muestra
    context.on("weberror", lambda e: errors.append(str(e.error)))
    context.on("response", lambda r: context.amc_peticiones.append(f"{r.request.method} {r.url} -> {r.status}"))
    context.on("requestfailed", lambda r: context.amc_peticiones.append(f"{r.method} {r.url} falló: {r.failure}"))
    page = context.new_page()
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


def reabrir(page, url: str):
    """Close `page`'s tab, put the connection back (`context.set_offline(False)`) and open `url` in a
    new tab of the same browser (same session, same localStorage), as a person whose connection
    dropped would come back later. Returns the new tab, once it knows it is online."""
    context = page.context
    page.close()
    context.set_offline(False)
    nueva = context.new_page()
    nueva.goto(url)
    nueva.wait_for_function("() => navigator.onLine")
    return nueva
