from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
import time_machine
from django.test import Client

from motcua.core.clock import VN_TZ

# Tuesday 10 March 2026, 09:00 in Vietnam: a plain working day.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)
# What an English-speaking browser sends.
ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def english_client(catalogue: None) -> Callable[..., Client]:
    """A test client that presents itself as an English browser, optionally logged in."""

    def make(username: str | None = None) -> Client:
        client = Client(headers=ENGLISH_BROWSER)
        if username:
            assert client.login(username=username, password="motcua-demo")
        return client

    return make
