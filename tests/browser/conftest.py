"""Browser journeys: Playwright (Python) driving Debian's Chromium against pytest-django's live
server, with axe-core checking every page visited and screenshots at phone and desktop width.

Chromium and axe-core are installed by scripts/install-browser.sh. Without them the journeys are
skipped on a developer's machine, and fail loudly under CI=true."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the tests are
# still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from motcua.core.clock import VN_TZ

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--lang=vi-VN"]
# Tuesday 10 March 2026, 09:00 in Vietnam; the clock runs on from there during a journey.
START = datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)
TIMEOUT_MS = 15_000


def _missing() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian package chromium)")
    if not AXE.exists():
        missing.append(f"{AXE.relative_to(ROOT)} (npm package axe-core)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright")
    return missing


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        message = "browser tests need " + ", ".join(missing) + "; run scripts/install-browser.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(START, tick=True):
        yield


@pytest.fixture
def world(catalogue: None, live_server: Any, clock: None) -> Any:
    """The demo province and catalogue in the live server's database, the clock at START."""
    from django.core.cache import cache

    cache.clear()
    return live_server


class Person:
    """One person in one browser context (their own cookies), checking every page they see."""

    def __init__(self, browser: Any, base_url: str, name: str) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                           accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.visited: list[str] = []
        self.audited: set[str] = set()
        self.problems: list[str] = []
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame and not frame.url.startswith("about:"):
            self.visited.append(self._path(frame.url))

    def _path(self, url: str) -> str:
        return url.removeprefix(self.base_url).split("#")[0]

    # --- moving around ---------------------------------------------------------------------
    def go(self, path: str) -> Any:
        self.page.goto(self.base_url + path)
        self.audit()
        return self.page

    def submit(self, locator: Any) -> Any:
        """Click something that loads a new page, wait for it, check it."""
        with self.page.expect_navigation():
            locator.click()
        self.audit()
        return self.page

    # --- checks ----------------------------------------------------------------------------
    def audit(self) -> None:
        """axe-core on the page as it is now: no serious or critical violation allowed."""
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        violations = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
            }"""
        )
        path = self._path(self.page.url)
        self.audited.add(path)
        for v in violations:
            if v["impact"] in {"serious", "critical"}:
                self.problems.append(f"{self.name} {path}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}")

    def shot(self, name: str) -> None:
        """Screenshots at phone and at desktop width, for CI's artefacts and the user guide."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.set_viewport_size(PHONE)
        self.page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
        self.page.set_viewport_size(DESKTOP)
        self.page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=False)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def people(browser: Any, world: Any) -> Iterator[Any]:
    """`people("Nam")` opens a person; at the end every page each of them visited must have been
    checked by axe, and no check may have found a serious or critical violation."""
    opened: list[Person] = []

    def open_person(name: str) -> Person:
        person = Person(browser, world.url, name)
        opened.append(person)
        return person

    yield open_person
    problems = [p for person in opened for p in person.problems]
    unchecked = [f"{person.name} {path}" for person in opened for path in person.visited
                 if path not in person.audited]
    for person in opened:
        person.close()
    assert not problems, "accessibility violations:\n" + "\n".join(problems)
    assert not unchecked, "pages visited without an accessibility check:\n" + "\n".join(unchecked)


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: Any) -> Any:
    from tests.pages.helpers import make_demo_pki

    return make_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def signing(world: Any, settings: Any, demo_pki: Any) -> Any:
    """The Việt Trì leader signs results with a certificate of the session's demo CA (trusted), and
    the QR codes point at the live server."""
    from tests.pages.helpers import give_signing_credential

    settings.MOTCUA = {**settings.MOTCUA, "PKI_DIR": str(demo_pki.directory), "PUBLIC_BASE_URL": world.url}
    give_signing_credential(demo_pki)
    return demo_pki
