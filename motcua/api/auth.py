"""Bearer tokens and login throttling."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from motcua.accounts.models import ApiToken, User
from motcua.accounts.selectors import Actor, actor_for
from motcua.accounts.services import login_attempt
from motcua.core import clock


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(user: User) -> tuple[str, datetime]:
    key = secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(hours=int(settings.MOTCUA["TOKEN_TTL_HOURS"]))
    ApiToken.objects.create(key_hash=_hash(key), user=user, expires_at=expires)
    return key, expires


def login(username: str, password: str) -> User:
    """Password login with the per-account lock (motcua.accounts.services.login_attempt)."""
    return login_attempt(username, password)


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
