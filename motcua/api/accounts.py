from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from motcua.accounts.models import Membership
from motcua.accounts.services import citizen_register

from .auth import login, token_issue
from .common import AUTH, actor_of
from .schemas import CitizenOut, Error, MeOut, RegisterIn, TokenIn, TokenOut

router = Router(tags=["accounts"])


@router.post("/auth/token", response={200: TokenOut, 400: Error, 401: Error, 429: Error}, auth=None)
def auth_token(request: HttpRequest, body: TokenIn) -> dict[str, object]:
    user = login(body.username, body.password)
    key, expires = token_issue(user)
    return {"token": key, "expires_at": expires}


@router.post("/auth/register", response={201: CitizenOut, 400: Error, 409: Error}, auth=None)
def auth_register(request: HttpRequest, body: RegisterIn) -> tuple[int, dict[str, object]]:
    user = citizen_register(id_number=body.id_number, full_name=body.full_name, password=body.password,
                            phone=body.phone, email=body.email, birth_date=body.birth_date)
    return 201, {"username": user.username, "full_name": user.full_name, "kind": user.kind,
                 "id_number": user.id_number, "phone": user.phone, "email": user.email}


@router.get("/me", response={200: MeOut, 401: Error}, auth=AUTH)
def me(request: HttpRequest) -> dict[str, object]:
    actor = actor_of(request)
    user = actor.user
    assert user is not None
    memberships = list(Membership.objects.filter(user=user).select_related("unit").order_by("id"))
    first = memberships[0].unit if memberships else None
    units: dict[str, dict[str, object]] = {}
    for m in memberships:
        units.setdefault(m.unit.code, {"code": m.unit.code, "name": m.unit.name, "roles": []})
        units[m.unit.code]["roles"].append(m.role)  # type: ignore[attr-defined]
    roles = sorted({m.role for m in memberships} | ({"admin"} if user.is_superuser else set()))
    return {
        "username": user.username, "full_name": user.full_name, "kind": user.kind,
        "unit": {"code": first.code, "name": first.name} if first else None,
        "roles": roles, "units": list(units.values()),
    }
