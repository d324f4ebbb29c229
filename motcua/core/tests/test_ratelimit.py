"""The shared request counter, on the in-process cache and on a real Redis server."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from motcua.core import ratelimit

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache() -> Iterator[RedisCache]:
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        backend.get("ping")
    except Exception as exc:  # the server is not running
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is needed at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield backend


@pytest.fixture
def local_cache() -> LocMemCache:
    return LocMemCache(f"test-{uuid.uuid4().hex}", {})


def _hammer(backend: Any, threads: int, hits: int) -> list[int]:
    seen: list[int] = []
    lock = threading.Lock()

    def run() -> None:
        mine = [ratelimit.count_hit("k", timeout=60, backend=backend) for _ in range(hits)]
        with lock:
            seen.extend(mine)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sorted(seen)


@pytest.mark.parametrize("backend", ["local_cache", "redis_cache"])
def test_hits_are_counted_from_one(backend: str, request: Any) -> None:
    cache = request.getfixturevalue(backend)
    assert [ratelimit.count_hit("a", timeout=60, backend=cache) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count_hit("b", timeout=60, backend=cache) == 1


def test_redis_counter_expires_with_its_window(redis_cache: RedisCache) -> None:
    """The expiry is set when the counter is created; a later hit does not push it back."""
    ratelimit.count_hit("w", timeout=120, backend=redis_cache)
    ratelimit.count_hit("w", timeout=120, backend=redis_cache)
    key = redis_cache.make_and_validate_key("w")
    ttl = redis_cache._cache.get_client(key).ttl(key)
    assert 0 < ttl <= 120
    # Django reads the raw integer back.
    assert redis_cache.get("w") == 2


@pytest.mark.parametrize("backend", ["local_cache", "redis_cache"])
def test_concurrent_hits_get_distinct_counts(backend: str, request: Any) -> None:
    assert _hammer(request.getfixturevalue(backend), threads=8, hits=25) == list(range(1, 201))


def test_the_default_redis_cache_counts_in_one_round_trip(redis_cache: RedisCache, settings: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With Redis as the configured cache (production), a hit is the pipelined SET NX + INCR."""
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    assert isinstance(caches["default"], RedisCache)  # the settings change rebuilt the handler
    pipelined: list[str] = []
    real = ratelimit._redis_hit
    monkeypatch.setattr(ratelimit, "_redis_hit", lambda b, k, t: pipelined.append(k) or real(b, k, t))
    try:
        assert [ratelimit.count_hit("d", timeout=60) for _ in range(2)] == [1, 2]
        assert pipelined == ["d", "d"]
    finally:
        caches["default"].delete("d")
