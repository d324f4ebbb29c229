"""Pure checks of a procedure's workflow against its time limit."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

CALENDAR_DAY_HOURS_FACTOR = Decimal(8) * Decimal(5) / Decimal(7)


def limit_in_working_hours(value: Decimal, unit: str, hours_per_day: Decimal = Decimal(8)) -> Decimal:
    """The limit expressed in working hours, for checking that the steps fit.

    A limit of 0 working days ("within the day") counts as one working day. Calendar days are
    converted at five working days per seven calendar days (a week's worth of working time).
    """
    if unit == "working_hours":
        return value
    if unit == "working_days":
        return (value if value > 0 else Decimal(1)) * hours_per_day
    return max(value * hours_per_day * Decimal(5) / Decimal(7), hours_per_day)


def workflow_problem(steps: Sequence[tuple[str, Decimal]], limit_value: Decimal, limit_unit: str,
                     hours_per_day: Decimal = Decimal(8)) -> str | None:
    """None when the workflow fits, else a stable error code. `steps` are (role, hours)."""
    total = sum((hours for _, hours in steps), Decimal(0))
    if total > limit_in_working_hours(limit_value, limit_unit, hours_per_day):
        return "workflow_exceeds_time_limit"
    return None


def default_workflow(limit_value: Decimal, limit_unit: str) -> list[dict[str, object]]:
    """A standard four-step workflow when a procedure is published without one: reception,
    handling, approval, return, sharing the limit 1/8, 5/8, 1/8, 1/8."""
    total = limit_in_working_hours(limit_value, limit_unit)
    part = (total / Decimal(8)).quantize(Decimal("0.01"))
    return [
        {"name": "Tiếp nhận hồ sơ", "role": "reception", "unit": "receiving", "hours": part},
        {"name": "Thẩm định, xử lý", "role": "specialist", "unit": "handling", "hours": total - 3 * part},
        {"name": "Phê duyệt", "role": "leader", "unit": "handling", "hours": part},
        {"name": "Trả kết quả", "role": "reception", "unit": "receiving", "hours": part},
    ]
