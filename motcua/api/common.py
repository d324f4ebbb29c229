from __future__ import annotations

from django.http import HttpRequest
from ninja.security import SessionAuth

from motcua.accounts.selectors import Actor, actor_for
from motcua.core.errors import Forbidden, ValidationFailed

from .auth import BearerAuth


class SessionActorAuth(SessionAuth):
    """Logged-in pages may call the API with their session (CSRF-checked)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return actor_for(user)
        return None


AUTH = [BearerAuth(), SessionActorAuth()]


def actor_of(request: HttpRequest) -> Actor:
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, Actor)
    return actor


def require_admin(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if not actor.is_admin:
        raise Forbidden("forbidden", "Chức năng này dành cho quản trị viên.")
    return actor


MAX_PAGE = 10**9  # keeps OFFSET within a 64-bit integer


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    if not 1 <= page <= MAX_PAGE:
        raise ValidationFailed("invalid_page", "Số trang phải từ 1 đến 1.000.000.000.", details={"page": page})
    if not 1 <= page_size <= 200:
        raise ValidationFailed("invalid_page_size", "Số dòng mỗi trang phải từ 1 đến 200.",
                               details={"page_size": page_size})
    start = (page - 1) * page_size
    return start, start + page_size
