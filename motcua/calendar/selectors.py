"""The working calendar as the domain sees it, built from the tables.

The tables change a few times a year; the calendar is built once per process and rebuilt when a
row changes here, or after `CACHE_SECONDS` (another process may have changed it).
"""

from __future__ import annotations

import threading
import time as _time
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from motcua.units.selectors import unit_node

from .domain import WorkCalendar, WorkingHours, calendar_from_entries
from .models import CalendarDay

CACHE_SECONDS = 60.0

_lock = threading.Lock()
_cached: tuple[float, tuple[tuple[date, str], ...]] | None = None
_by_hours: dict[str, WorkCalendar] = {}


def _entries() -> tuple[tuple[date, str], ...]:
    global _cached
    cached = _cached
    if cached is None or _time.monotonic() - cached[0] > CACHE_SECONDS:
        with _lock:
            rows = tuple(CalendarDay.objects.order_by("date").values_list("date", "kind"))
            if cached is None or rows != cached[1]:
                _by_hours.clear()
            cached = (_time.monotonic(), rows)
            _cached = cached
    return cached[1]


def invalidate(**_: object) -> None:
    global _cached
    with _lock:
        _cached = None
        _by_hours.clear()


post_save.connect(invalidate, sender=CalendarDay, dispatch_uid="calendar-save")
post_delete.connect(invalidate, sender=CalendarDay, dispatch_uid="calendar-delete")


def default_working_hours() -> WorkingHours:
    return WorkingHours.parse(str(settings.MOTCUA["DEFAULT_WORKING_HOURS"]))


def work_calendar(unit_id: int | None = None) -> WorkCalendar:
    """The calendar with the working hours of the given unit (or the default)."""
    entries = _entries()
    hours_text = ""
    if unit_id is not None:
        node = unit_node(unit_id)
        hours_text = node.working_hours if node else ""
    hours_text = hours_text or str(settings.MOTCUA["DEFAULT_WORKING_HOURS"])
    cal = _by_hours.get(hours_text)
    if cal is None:
        cal = calendar_from_entries(entries, WorkingHours.parse(hours_text))
        per_day = Decimal(str(settings.MOTCUA["HOURS_PER_WORKING_DAY"]))
        if per_day != cal.hours_per_working_day:
            from dataclasses import replace

            cal = replace(cal, hours_per_working_day=per_day)
        _by_hours[hours_text] = cal
    return cal


def calendar_days(start: date, end: date, cal: WorkCalendar | None = None) -> list[dict[str, object]]:
    """Every day in [start, end] with whether it is a working day and its name."""
    cal = cal or work_calendar()
    names = dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "name"))
    out: list[dict[str, object]] = []
    day = start
    while day <= end:
        working = cal.is_working_day(day)
        name = names.get(day) or ("" if working else ("Thứ Bảy" if day.weekday() == 5 else "Chủ nhật"))
        out.append({"date": day, "working": working, "name": name})
        day += timedelta(days=1)
    return out
