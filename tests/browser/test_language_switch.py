"""The language switch in a real browser (Chromium): a plain form, so it works without JavaScript,
and the pages stay accessible in both languages (axe-core). The rest of the language tests are in
tests/i18n (docs/decisions/0002-language.md)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import DESKTOP, TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def test_switch_without_javascript_from_an_english_browser(browser: Any, world: Any) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=False,
                                  extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(world.url + "/thu-tuc/1.001193/")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.get_by_role("heading", name="Thông tin chính").is_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Switch the interface to English").click()
        assert page.url == world.url + "/thu-tuc/1.001193/"
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", name="Key information").is_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Chuyển giao diện sang Tiếng Việt").click()
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.get_by_role("heading", name="Thông tin chính").is_visible()
    finally:
        context.close()


def test_english_pages_pass_the_accessibility_check(people: Any) -> None:
    citizen = people("English-speaking visitor")
    page = citizen.go("/")
    citizen.submit(page.get_by_role("button", name="Switch the interface to English"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Find procedures, submit dossiers and track results"
    citizen.shot("home-en")
    page = citizen.go("/thu-tuc/1.001193/")
    assert page.get_by_role("heading", name="Key information").is_visible()
    page = citizen.go("/desk/dang-nhap/")
    assert page.get_by_role("heading", name="Sign in to the One-Stop Desk").is_visible()
    # The switch keeps its place in the header at phone width.
    page.set_viewport_size({"width": 390, "height": 844})
    button = page.get_by_role("button", name="Chuyển giao diện sang Tiếng Việt")
    assert button.is_visible()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
