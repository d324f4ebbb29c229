"""Helpers for the official-form tests: text of a PDF, dossiers moved through the API at fixed times."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
import time_machine

from motcua.core.clock import VN_TZ

VIETTRI = "000.01.31.H45"


def vn(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in reader.pages]


def pdf_text(content: bytes) -> str:
    text = " ".join(pdf_pages(content))
    assert unicodedata.is_normalized("NFC", text)
    return text


def pdf_page_size_mm(content: bytes, index: int = 0) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(content)).pages[index].mediabox
    return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


class Desk:
    """Acts through the API as demo accounts, each call at a given moment (tokens are fetched at
    that moment, so they never expire across travelled days)."""

    def __init__(self, api: Any) -> None:
        self.api = api

    def as_user(self, username: str, moment: datetime) -> Any:
        with at(moment):
            return self.api(username)

    def create(self, username: str, moment: datetime, body: dict[str, Any]) -> dict[str, Any]:
        with at(moment):
            r = self.api(username).post("/dossiers", body)
        assert r.status_code == 201, r.content
        return r.json()

    def act(self, username: str, moment: datetime, code: str, action: str, body: dict[str, Any] | None = None) -> Any:
        with at(moment):
            r = self.api(username).act(code, action, body or {})
        assert r.status_code == 200, (action, r.content)
        return r.json()

    def get(self, username: str, moment: datetime, path: str, **params: Any) -> Any:
        with at(moment):
            return self.api(username).get(path, **params)


@pytest.fixture
def desk(catalogue: None, api: Any) -> Desk:
    return Desk(api)
