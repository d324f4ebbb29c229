"""Suite-wide fixtures: no outbound network, the demo province, API clients."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["tests.fixtures"]

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (
        host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/")
    ):
        raise RuntimeError(f"tests may not reach the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgres:
        return
    skip = pytest.mark.skip(reason="PostgreSQL only (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            if os.environ.get("MOTCUA_REQUIRE_POSTGRES") == "1":
                raise pytest.UsageError("MOTCUA_REQUIRE_POSTGRES=1 but the suite runs on SQLite")
            item.add_marker(skip)
