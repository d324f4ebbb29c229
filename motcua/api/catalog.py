"""Public catalogue, units and calendar endpoints."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import AwareDatetime

from motcua.calendar.selectors import calendar_days, work_calendar
from motcua.catalog.selectors import procedure_bodies, procedure_body, procedure_get, procedure_list
from motcua.core import clock
from motcua.core.errors import ValidationFailed
from motcua.units.selectors import unit_get_by_code, unit_list

from .administration import unit_out
from .common import page_bounds
from .fast import json_response
from .schemas import CalendarDayOut, DueDateOut, Error, UnitOut

router = Router(tags=["catalogue"])


@router.get("/procedures", response={200: dict[str, Any], 400: Error})
def procedures_list(request: HttpRequest, q: str | None = None, field: str | None = None,
                    level: str | None = None, online_mode: str | None = None,
                    page: int = 1, page_size: int = 20) -> HttpResponse:
    start, end = page_bounds(page, page_size)
    qs = procedure_list(q=q, field=field, level=level, online_mode=online_mode)
    items = procedure_bodies(list(qs.values_list("current_id", flat=True)[start:end]))
    return json_response(dict[str, Any], {"items": items, "count": qs.count()})


@router.get("/procedures/{code}", response={200: dict[str, Any], 404: Error})
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    procedure = procedure_get(code)
    assert procedure.current is not None
    return procedure_body(procedure.current)


@router.get("/units", response={200: dict[str, Any]})
def units_list(request: HttpRequest, level: Literal["province", "department", "commune", "centre"] | None = None,
               parent: str | None = None) -> dict[str, Any]:
    items = [UnitOut(**unit_out(u)).model_dump() for u in unit_list(level=level, parent=parent)]
    return {"items": items, "count": len(items)}


@router.get("/calendar/due-date", response={200: DueDateOut, 400: Error})
def calendar_due_date(request: HttpRequest, received_at: AwareDatetime,
                      amount: Decimal = Query(..., ge=0, le=10000),  # type: ignore[type-arg]
                      unit: Literal["working_days", "working_hours", "calendar_days"] = "working_days",
                      agency: str | None = None, cutoff: str | None = None) -> dict[str, Any]:
    unit_id = unit_get_by_code(agency).pk if agency else None
    cal = work_calendar(unit_id)
    cutoff_time = None
    if cutoff:
        from datetime import time

        try:
            cutoff_time = time.fromisoformat(cutoff)
        except ValueError as exc:
            raise ValidationFailed("invalid_cutoff", "Giờ tiếp nhận muộn nhất phải có dạng HH:MM.") from exc
    start = cal.normalise_receipt(received_at, cutoff_time)
    return {"received_at": clock.local(received_at), "clock_start": start,
            "due_at": cal.due_at(start, amount, unit)}


@router.get("/calendar/days", response={200: dict[str, Any], 400: Error})
def calendar_days_list(request: HttpRequest, from_: date = Query(..., alias="from"),
                       to: date = Query(...)) -> dict[str, Any]:
    if to < from_:
        raise ValidationFailed("invalid_range", "Ngày kết thúc phải sau ngày bắt đầu.")
    if to - from_ > timedelta(days=731):
        raise ValidationFailed("range_too_long", "Khoảng thời gian tối đa 2 năm.")
    items = [CalendarDayOut(**d).model_dump() for d in calendar_days(from_, to)]  # type: ignore[arg-type]
    return {"items": items, "count": len(items)}
