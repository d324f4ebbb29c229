"""The accessibility check itself: it must catch what it is there to catch."""

from __future__ import annotations

from typing import Any

from .conftest import Person


def test_axe_reports_serious_violations(browser: Any) -> None:
    person = Person(browser, "http://localhost", "probe")
    try:
        person.page.set_content(
            '<!doctype html><html><head><title>x</title></head><body><main>'
            '<p style="color:#bbb;background:#fff">chữ mờ khó đọc</p>'
            '<form><input type="text" name="q"></form><img src="data:," width="10" height="10">'
            '</main></body></html>'
        )
        person.audit()
    finally:
        person.close()
    found = " ".join(person.problems)
    assert "color-contrast" in found
    assert "label" in found
    assert "image-alt" in found
