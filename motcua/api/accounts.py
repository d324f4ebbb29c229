from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Router

from motcua.accounts.domain import id_number_problem
from motcua.accounts.models import Membership, User, UserKind
from motcua.audit.services import audit_record
from motcua.core.errors import Conflict, ValidationFailed
from motcua.dossiers.services.create import EMAIL_RE, PHONE_RE

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
    problem = id_number_problem(body.id_number, body.birth_date)
    if problem:
        raise ValidationFailed(problem, "Số định danh cá nhân không hợp lệ (12 chữ số).",
                               details={"field": "id_number"})
    phone = body.phone.replace(" ", "")
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed("invalid_phone", "Số điện thoại không hợp lệ.", details={"field": "phone"})
    if body.email and not EMAIL_RE.match(body.email):
        raise ValidationFailed("invalid_email", "Địa chỉ thư điện tử không hợp lệ.", details={"field": "email"})
    user = User(username=body.id_number, id_number=body.id_number, full_name=body.full_name, phone=phone,
                email=body.email, birth_date=body.birth_date, kind=UserKind.CITIZEN)
    try:
        validate_password(body.password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed("weak_password", " ".join(exc.messages), details={"field": "password"}) from exc
    user.set_password(body.password)
    try:
        with transaction.atomic():
            user.save()
            audit_record(actor=None, action="citizen.register", obj=user)
    except IntegrityError as exc:
        raise Conflict("already_registered", "Số định danh này đã được đăng ký.") from exc
    return 201, {"username": user.username, "full_name": user.full_name, "kind": user.kind,
                 "id_number": body.id_number, "phone": phone, "email": body.email}


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
