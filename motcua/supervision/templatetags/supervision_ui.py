"""Numbers as Vietnamese readers write them: 1.234 hồ sơ, 63,6%, 12,73 điểm."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def num(value: Any) -> str:
    """1234 -> '1.234'; None -> '—'."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")


@register.filter
def percent(rate: Any, places: int = 1) -> str:
    """0.63636 -> '63,6%'; None (no data) -> '—'."""
    if rate is None:
        return "—"
    return f"{float(rate) * 100:.{int(places)}f}%".replace(".", ",")


@register.filter
def points(value: Any) -> str:
    """12.73 -> '12,73'; 18 -> '18'; 12.5 -> '12,5'."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number)}"
    return f"{number.normalize():f}".replace(".", ",")


@register.filter
def working_days(value: Any) -> str:
    """Decimal('3.5') -> '3,5'."""
    if value is None:
        return "—"
    return points(value)
