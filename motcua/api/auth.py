"""Bearer tokens and login throttling."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from motcua.accounts.models import ApiToken, User
from motcua.accounts.selectors import Actor, actor_for
from motcua.core import clock
from motcua.core.errors import DomainError, RateLimited


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(user: User) -> tuple[str, datetime]:
    key = secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(hours=int(settings.MOTCUA["TOKEN_TTL_HOURS"]))
    ApiToken.objects.create(key_hash=_hash(key), user=user, expires_at=expires)
    return key, expires


def login(username: str, password: str) -> User:
    """Check a password; 10 failures in 15 minutes lock the account for 15 minutes (429)."""
    conf = settings.MOTCUA
    ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    lock_key, fail_key = f"login-lock:{ident}", f"login-fail:{ident}"
    if cache.get(lock_key):
        raise RateLimited("too_many_login_failures", "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau 15 phút.")
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        cache.add(fail_key, 0, timeout=int(conf["LOGIN_WINDOW_SECONDS"]))
        try:
            failures = cache.incr(fail_key)
        except ValueError:
            cache.set(fail_key, 1, timeout=int(conf["LOGIN_WINDOW_SECONDS"]))
            failures = 1
        if failures >= int(conf["LOGIN_MAX_FAILURES"]):
            cache.set(lock_key, 1, timeout=int(conf["LOGIN_LOCK_SECONDS"]))
            cache.delete(fail_key)
        raise DomainError("invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.", status=401)
    return user  # type: ignore[return-value]


# token hash -> (actor, token expiry, time cached): saves two queries per API request. A change of
# roles or a deactivation reaches an already-issued token within ACTOR_CACHE_SECONDS.
_actors: dict[str, tuple[Actor, datetime, float]] = {}
_ACTORS_MAX = 10_000


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        key = _hash(token)
        ttl = float(settings.MOTCUA.get("ACTOR_CACHE_SECONDS", 0))
        now = clock.now()
        cached = _actors.get(key) if ttl > 0 else None
        if cached is not None and cached[1] > now and time.monotonic() - cached[2] < ttl:
            actor = cached[0]
        else:
            row = ApiToken.objects.select_related("user").filter(key_hash=key).first()
            if row is None or row.expires_at <= now or not row.user.is_active:
                _actors.pop(key, None)
                return None
            actor = actor_for(row.user)
            if ttl > 0:
                if len(_actors) >= _ACTORS_MAX:
                    _actors.clear()
                _actors[key] = (actor, row.expires_at, time.monotonic())
        request.user = actor.user  # type: ignore[assignment]
        return actor


class OptionalBearer(BearerAuth):
    """For public endpoints that say more to a logged-in caller."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        return super().__call__(request)


def session_actor(request: HttpRequest) -> Actor | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return actor_for(user)
    return None
