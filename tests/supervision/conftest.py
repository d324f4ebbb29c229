"""Report pages on the crafted histories of tests/reports/histories.py (imported through
POST /api/v1/import/dossiers by the admin), time frozen on Friday 10 April 2026, 09:00."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.reports.histories import at, import_histories

NOW = at("2026-04-10 09:00")


class Imported:
    def __init__(self, codes: dict[str, str], api: Any) -> None:
        self.codes = codes
        self.api = api

    def letters(self, codes: list[str]) -> set[str]:
        back = {v: k for k, v in self.codes.items()}
        return {back[c] for c in codes}


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def imported(catalogue: None, api: Any, frozen: None) -> Imported:
    return Imported(import_histories(api("admin")), api)


@pytest.fixture
def page(catalogue: None) -> Callable[[str | None], Client]:
    """A browser session logged in as a demo account (None: anonymous)."""

    def make(username: str | None = None) -> Client:
        client = Client()
        if username:
            assert client.login(username=username, password="motcua-demo")
        return client

    return make


def text(response: Any) -> str:
    return response.content.decode()


def cell(html: str, row_attr: str, row: str, cell_key: str) -> str:
    """The text of the cell `data-cell="cell_key"` in the row `data-<row_attr>="row"`."""
    match = re.search(rf'<tr[^>]*data-{row_attr}="{re.escape(row)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row {row_attr}={row}"
    found = re.search(rf'data-cell="{re.escape(cell_key)}"[^>]*>(.*?)</td>', match.group(1), re.S)
    assert found, f"no cell {cell_key} in row {row}"
    return visible(found.group(1))


def visible(fragment: str) -> str:
    """Text a sighted reader sees: tags and visually-hidden spans dropped."""
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def href(html: str, row_attr: str, row: str, cell_key: str) -> str | None:
    match = re.search(rf'<tr[^>]*data-{row_attr}="{re.escape(row)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row {row_attr}={row}"
    found = re.search(rf'data-cell="{re.escape(cell_key)}"[^>]*>(.*?)</td>', match.group(1), re.S)
    assert found
    link = re.search(r'href="([^"]+)"', found.group(1))
    return unescape(link.group(1)) if link else None


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return unescape(match.group(1).strip()) if match else ""


def codes_listed(html: str) -> list[str]:
    return re.findall(r'<a class="code" href="/desk/ho-so/([^/]+)/">', html)
