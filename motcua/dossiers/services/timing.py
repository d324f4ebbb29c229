"""Working-time calculations bound to a dossier: limits, due dates, step deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from motcua.calendar.domain import WorkCalendar
from motcua.calendar.selectors import work_calendar
from motcua.catalog.models import ProcedureVersion
from motcua.workflow.steps import Step

from ..models import Dossier


def calendar_for(dossier: Dossier) -> WorkCalendar:
    return work_calendar(dossier.receiving_unit_id)


def limit_for(version: ProcedureVersion, channel: str) -> tuple[Decimal, str]:
    if channel == "online" and version.online_time_limit_value is not None:
        return Decimal(version.online_time_limit_value), version.online_time_limit_unit
    return Decimal(version.time_limit_value), version.time_limit_unit


def start_clock(dossier: Dossier, at: datetime) -> None:
    """Receipt: store the real moment, the normalised clock start and the due date."""
    dossier.received_at = at
    restart_clock(dossier, at)


def restart_clock(dossier: Dossier, at: datetime) -> None:
    """Count the full limit again from `at` (receipt, or a supplement under the `restart` rule);
    the real receipt time stays as it was."""
    cal = calendar_for(dossier)
    version = dossier.procedure_version
    dossier.clock_start = cal.normalise_receipt(at, version.cutoff_time)
    amount, unit = limit_for(version, dossier.channel)
    dossier.due_at = cal.due_at(dossier.clock_start, amount, unit)  # type: ignore[arg-type]
    dossier.original_due_at = dossier.due_at


def step_hours(step: Step) -> timedelta:
    return timedelta(hours=float(step.hours))


def step_deadline(dossier: Dossier, step: Step, started_at: datetime) -> datetime:
    """A step's deadline in working time from when it starts (not before the clock starts);
    never after the dossier's due time while the dossier is still within it."""
    cal = calendar_for(dossier)
    begin = started_at
    if dossier.clock_start is not None and begin < dossier.clock_start:
        begin = dossier.clock_start
    deadline = cal.add_working_time(begin, step_hours(step))
    if dossier.due_at is not None and started_at <= dossier.due_at and deadline > dossier.due_at:
        deadline = dossier.due_at
    return deadline


def online_check_deadline(dossier: Dossier, submitted_at: datetime, hours: Decimal) -> datetime:
    return calendar_for(dossier).add_working_time(submitted_at, timedelta(hours=float(hours)))
