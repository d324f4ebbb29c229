"""The one source of "now" (habit 5): always timezone-aware, in Vietnam time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return timezone.now().astimezone(VN_TZ)


def today() -> date:
    return now().date()


def local(value: datetime) -> datetime:
    """The same instant in Vietnam time."""
    return value.astimezone(VN_TZ)
