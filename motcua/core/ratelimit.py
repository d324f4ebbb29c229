"""Counting requests in fixed time windows (public lookups, signature checks, login failures).

One shared counter per key in the cache, so every server process counts together. On Redis the
hit is one round trip (SET NX with the expiry, then INCR, pipelined); other cache backends use
`add` then `incr`.
"""

from __future__ import annotations

import weakref
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache


def count_hit(key: str, timeout: int, *, backend: BaseCache | None = None) -> int:
    """Add one to the counter `key` (created with `timeout` seconds to live) and return its value.
    `backend`: a cache other than the default one."""
    backend = backend if backend is not None else caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_hit(backend, key, timeout)
    backend.add(key, 0, timeout=timeout)
    try:
        return int(backend.incr(key))
    except ValueError:  # expired between add and incr
        backend.set(key, 1, timeout=timeout)
        return 1


# One Redis client per connection pool (Django's backend builds a new client object for every call).
_clients: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _redis_hit(backend: Any, key: str, timeout: int) -> int:
    full_key = backend.make_and_validate_key(key)
    redis_backend = backend._cache
    pool = redis_backend._get_connection_pool(True)
    client = _clients.get(pool)
    if client is None:
        client = _clients[pool] = redis_backend._client(connection_pool=pool)
    pipe = client.pipeline(transaction=False)
    pipe.set(full_key, 0, ex=timeout, nx=True)
    pipe.incr(full_key)
    _, value = pipe.execute()
    return int(value)
