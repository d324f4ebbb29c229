from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
import time_machine
from django.test import Client

from motcua.core.clock import VN_TZ

__all__ = ["NOW", "VN_TZ", "datetime"]

# Tuesday 10 March 2026, 09:00 in Vietnam: a plain working day, far from lunch and from holidays.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client_as(catalogue: None) -> Callable[[str | None], Client]:
    def make(username: str | None = None) -> Client:
        client = Client()
        if username:
            assert client.login(username=username, password="motcua-demo")
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: pytest.TempPathFactory) -> object:
    from .helpers import make_demo_pki

    return make_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def signing(catalogue: None, settings: object, demo_pki: object) -> object:
    """The Việt Trì leader signs with a certificate of the session's demo CA, which is trusted."""
    from .helpers import give_signing_credential

    settings.MOTCUA = {**settings.MOTCUA, "PKI_DIR": str(demo_pki.directory)}  # type: ignore[attr-defined]
    give_signing_credential(demo_pki)
    return demo_pki
