"""Administration endpoints (role `admin`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Router

from motcua.accounts.models import Membership, User, UserKind
from motcua.audit.services import audit_record
from motcua.calendar.domain import WorkingHours
from motcua.calendar.services import calendar_day_create
from motcua.catalog.schemas import ProcedureIn
from motcua.catalog.selectors import procedure_body
from motcua.catalog.services import procedure_publish
from motcua.core.errors import Conflict, ValidationFailed
from motcua.dossiers.services import dossier_import
from motcua.units.models import Unit
from motcua.units.selectors import unit_get_by_code

from .common import AUTH, require_admin
from .schemas import CalendarDayIn, CalendarDayOut, Error, ImportIn, ImportOut, OfficialIn, OfficialOut, UnitIn, UnitOut

router = Router(tags=["administration"], auth=AUTH)


def unit_out(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "level": unit.level,
            "parent": unit.parent.code if unit.parent_id and unit.parent else None,
            "working_hours": unit.working_hours}


@router.post("/admin/units", response={201: UnitOut, 400: Error, 401: Error, 403: Error, 409: Error})
def admin_unit_create(request: HttpRequest, body: UnitIn) -> tuple[int, dict[str, Any]]:
    actor = require_admin(request)
    parent = unit_get_by_code(body.parent) if body.parent else None
    if body.working_hours:
        try:
            WorkingHours.parse(body.working_hours)
        except ValueError as exc:
            raise ValidationFailed("invalid_working_hours", "Giờ làm việc không hợp lệ.") from exc
    try:
        with transaction.atomic():
            unit = Unit.objects.create(code=body.code, name=body.name, level=body.level, parent=parent,
                                       working_hours=body.working_hours)
            audit_record(actor=actor, action="unit.create", obj=unit, data={"code": unit.code})
    except IntegrityError as exc:
        raise Conflict("unit_exists", f"Đơn vị mã {body.code} đã tồn tại.") from exc
    return 201, unit_out(unit)


@router.post("/admin/officials", response={201: OfficialOut, 400: Error, 401: Error, 403: Error, 409: Error})
def admin_official_create(request: HttpRequest, body: OfficialIn) -> tuple[int, dict[str, Any]]:
    actor = require_admin(request)
    unit = unit_get_by_code(body.unit)
    user = User(username=body.username, full_name=body.full_name, kind=UserKind.OFFICIAL, email=body.email,
                is_staff="admin" in body.roles)
    try:
        validate_password(body.password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed("weak_password", " ".join(exc.messages), details={"field": "password"}) from exc
    user.set_password(body.password)
    try:
        with transaction.atomic():
            user.save()
            Membership.objects.bulk_create([Membership(user=user, unit=unit, role=r) for r in sorted(set(body.roles))])
            audit_record(actor=actor, action="official.create", obj=user,
                         data={"unit": unit.code, "roles": sorted(set(body.roles))})
    except IntegrityError as exc:
        raise Conflict("username_taken", f"Tên đăng nhập {body.username} đã được dùng.") from exc
    return 201, {"username": user.username, "full_name": user.full_name, "kind": user.kind,
                 "unit": {"code": unit.code, "name": unit.name}, "roles": sorted(set(body.roles))}


@router.post("/admin/calendar", response={201: CalendarDayOut, 400: Error, 401: Error, 403: Error, 409: Error})
def admin_calendar_create(request: HttpRequest, body: CalendarDayIn) -> tuple[int, dict[str, Any]]:
    actor = require_admin(request)
    row = calendar_day_create(actor=actor, day=body.date, kind=body.kind, name=body.name)
    return 201, {"date": row.date, "working": row.kind == "working", "name": row.name}


@router.post("/admin/procedures", response={201: dict[str, Any], 400: Error, 401: Error, 403: Error})
def admin_procedure_publish(request: HttpRequest, body: ProcedureIn) -> tuple[int, dict[str, Any]]:
    actor = require_admin(request)
    version = procedure_publish(actor=actor, data=body)
    return 201, procedure_body(version)


@router.post("/import/dossiers", response={201: ImportOut, 200: ImportOut, 400: Error, 401: Error, 403: Error})
def import_dossiers(request: HttpRequest, body: ImportIn) -> tuple[int, dict[str, Any]]:
    actor = require_admin(request)
    if not body.dossiers:
        raise ValidationFailed("invalid_import", "Danh sách hồ sơ trống.", details={"index": None})
    return 201, {"codes": dossier_import(actor=actor, items=body.dossiers)}
