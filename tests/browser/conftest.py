"""Browser tests: the real app on 127.0.0.1 on a free port, driven by Debian's Chromium.

Each test gets a fresh page that records console errors and failed requests; the live app and the
browser are stopped by the fixtures that started them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from dashboards.app import create_app
from delivery.db import make_engine, make_session_factory, upgrade
from delivery.settings import load_settings
from delivery.users import DEMO_PASSWORD, DEMO_USERS, create_demo_users

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveApp:
    url: str
    session_factory: object


def new_demo_database(server) -> str:  # type: ignore[no-untyped-def]
    """A fresh database on ``server`` with the demo and its people loaded."""
    from delivery.demo import load_demo

    url = server.new_url()
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    load_demo(factory)
    with factory() as session, session.begin():  # the demo's people (see delivery.users)
        create_demo_users(session)
    engine.dispose()
    return url


@contextmanager
def serving(database_url: str, data_dir: Path) -> Iterator[LiveApp]:
    """The app on ``database_url``, served on 127.0.0.1 on a free port until the block ends."""
    settings = load_settings(
        {"database_url": database_url, "data_dir": str(data_dir), "secret_key": "test-secret"},
        environ={},
    )
    app = create_app(settings)
    httpd = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{httpd.server_port}",
                      app.server.extensions["delivery"]["session_factory"])
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        app.server.extensions["delivery"]["engine"].dispose()


@pytest.fixture(scope="session")
def demo_database(server) -> str:  # type: ignore[no-untyped-def]
    """A database with the demo loaded, shared by the browser tests of one backend."""
    return new_demo_database(server)


@pytest.fixture(scope="session")
def live_app(demo_database: str, tmp_path_factory) -> Iterator[LiveApp]:  # type: ignore[no-untyped-def]
    with serving(demo_database, tmp_path_factory.mktemp("data")) as app:
        yield app


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Problems:
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        assert self.console_errors == [], "console errors"
        assert self.failed_requests == [], "failed requests"


def settle(page: Page) -> None:
    """Wait until the page's callbacks have answered: before a screenshot, an assertion on what
    they draw, or a reload (which would abort a request still in flight and count it failed)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    problems = Problems()
    page.on("console", lambda m: m.type == "error" and problems.console_errors.append(m.text))
    # A request the browser cancelled itself (the page navigated or closed while a callback was
    # in flight) is not a failure of the app; a refused connection or a reset is, and so is any
    # answer of 400 or more (below).
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
            and problems.failed_requests.append(f"{r.method} {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400
            and problems.failed_requests.append(f"{r.status} {r.url}"))
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


DEMO_LOGIN = {role.value: name for name, role, _, _ in reversed(DEMO_USERS)}  # role -> username


@pytest.fixture
def signed_in_page(page: Page, live_app: LiveApp):  # type: ignore[no-untyped-def]
    """``signed_in_page(role, next="/")``: the page, signed in through the sign-in form as the
    demo user with that role (admin, analyst, governor, secretariat: "sds" of Defesa Social) or
    as ``username=`` any demo user, and landed on ``next`` (land where the test starts: leaving
    a page while it still loads aborts its requests, which the page fixture reports)."""
    def signed_in(role: str = "analyst", *, next: str = "/",  # noqa: A002
                  username: str | None = None) -> Page:
        sign_in(page, live_app, username or DEMO_LOGIN[role], next)
        return page
    return signed_in


def sign_in(page: Page, app: LiveApp, username: str, next: str) -> None:  # noqa: A002
    """Sign in through the sign-in form as the demo user ``username`` (password
    ``DEMO_PASSWORD``) and land on ``next`` once its callbacks have answered."""
    page.goto(app.url + "/signin?" + urlencode({"next": next}))
    page.fill("#signin-username", username)
    page.fill("#signin-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("#signin-submit")
    settle(page)


@pytest.fixture(scope="module")
def own_app(server, tmp_path_factory) -> Iterator[LiveApp]:  # type: ignore[no-untyped-def]
    """The app on a demo database of the test module's own, for tests that write (a closed
    meeting, a commitment followed up) what the shared ``live_app`` must not see."""
    with serving(new_demo_database(server), tmp_path_factory.mktemp("own")) as app:
        yield app


OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
TOO_WIDE = """() => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def at_phone_width(page: Page, name: str, backend: str, *, ready: str | None = None) -> None:
    """The page at phone width (390x844), drawn again first when ``ready`` (a selector the new
    drawing shows) is given: no sideways scrolling (the failure names what sticks out), a
    screenshot ``{name}-390``; then back to desk width."""
    page.set_viewport_size({"width": 390, "height": 844})
    if ready:
        page.reload()
        page.wait_for_selector(ready)
    settle(page)
    assert page.evaluate(OVERFLOW) <= 0, (name, page.evaluate(TOO_WIDE))
    screenshot(page, f"{name}-390", backend)
    page.set_viewport_size({"width": 1440, "height": 900})


def screenshot(page: Page, name: str, backend: str) -> Path:
    """Save a full-page screenshot (1440 wide) for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{backend}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
