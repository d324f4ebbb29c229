"""Writes to the working calendar."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core.errors import Conflict
from motcua.core.text import nfc

from .models import CalendarDay, DayKind

DATA_FILE = Path(__file__).parent / "data" / "vn_calendar.json"


@transaction.atomic
def calendar_day_create(*, actor: Actor, day: date, kind: str, name: str) -> CalendarDay:
    if CalendarDay.objects.filter(date=day).exists():
        raise Conflict("calendar_day_exists", f"Ngày {day:%d/%m/%Y} đã có trong lịch.", details={"date": day.isoformat()})
    row = CalendarDay.objects.create(date=day, kind=DayKind(kind), name=nfc(name))
    audit_record(actor=actor, action="calendar.create", obj=row, data={"date": day.isoformat(), "kind": kind})
    return row


def calendar_load_defaults(path: Path = DATA_FILE) -> int:
    """Load the shipped holiday table; rows an administrator already edited are kept. Returns
    the number of rows created."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for item in entries:
            _, was_created = CalendarDay.objects.get_or_create(
                date=date.fromisoformat(item["date"]), defaults={"kind": item["kind"], "name": item["name"]}
            )
            created += int(was_created)
    return created
