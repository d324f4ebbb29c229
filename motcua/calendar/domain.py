"""Pure working-time arithmetic (domain-rules §3–4): no Django, no settings, no I/O but the loader.

Working periods are half-open, ``[start, end)``: an instant exactly at the end of a period is outside
it (a receipt at 11:30 starts at 13:30), yet a counted amount of working time that is used up exactly
at the end of a period ends *at* that end (the due time is Tuesday 17:00, not Wednesday 07:00).
All arithmetic is done in integer microseconds on local wall time of the calendar's time zone.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LimitUnit = Literal["working_days", "working_hours", "calendar_days"]
Outcome = Literal["early", "on_time", "late"]
EntryKind = Literal["holiday", "working"]

LIMIT_UNITS: tuple[LimitUnit, ...] = get_args(LimitUnit)
ENTRY_KINDS: tuple[EntryKind, ...] = get_args(EntryKind)
SHIPPED_CALENDAR = Path(__file__).resolve().parent / "data" / "vn_calendar.json"

_US_PER_HOUR = 3_600_000_000
_DAY_US = 24 * _US_PER_HOUR
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_NO_DATES: frozenset[date] = frozenset()
_DEFAULT_HOURS_PER_DAY = Decimal(8)


def _us(t: time) -> int:
    """Microseconds since midnight of a wall-clock time."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _time(us: int) -> time:
    seconds, micro = divmod(us, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)


def _td_us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _fmt(t: time) -> str:
    return t.strftime("%H:%M") if not (t.second or t.microsecond) else t.isoformat()


def _parse_time(text: str) -> time:
    clock, _, fraction = text.partition(".")
    parts = clock.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"invalid time {text!r}")
    if len(parts[0]) > 2 or any(len(p) != 2 for p in parts[1:]):
        raise ValueError(f"invalid time {text!r}")
    if fraction and not (len(fraction) <= 6 and fraction.isascii() and fraction.isdigit() and len(parts) == 3):
        raise ValueError(f"invalid time {text!r}")
    second = int(parts[2]) if len(parts) == 3 else 0
    return time(int(parts[0]), int(parts[1]), second, int(fraction.ljust(6, "0")) if fraction else 0)


def _aware(at: datetime) -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return at


@dataclass(frozen=True)
class WorkingHours:
    """The daily working periods of a unit, e.g. ``07:00-11:30,13:30-17:00`` (the default)."""

    periods: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

    def __post_init__(self) -> None:
        periods = tuple(tuple(p) for p in self.periods)
        if not periods:
            raise ValueError("working hours need at least one period")
        previous_end: time | None = None
        for period in periods:
            if len(period) != 2 or not all(isinstance(t, time) and t.tzinfo is None for t in period):
                raise ValueError("a working period is a pair of naive times")
            start, end = period
            if start >= end:
                raise ValueError(f"working period {_fmt(start)}-{_fmt(end)} must start before it ends")
            if previous_end is not None and start < previous_end:
                raise ValueError("working periods must be sorted and must not overlap")
            previous_end = end
        object.__setattr__(self, "periods", periods)

    @cached_property
    def bounds(self) -> tuple[tuple[int, int], ...]:
        """The periods as (start, end) microseconds since midnight."""
        return tuple((_us(s), _us(e)) for s, e in self.periods)

    @cached_property
    def per_day_us(self) -> int:
        return sum(e - s for s, e in self.bounds)

    @property
    def per_day(self) -> timedelta:
        """Working time in one working day (8 h by default)."""
        return timedelta(microseconds=self.per_day_us)

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Parse ``"07:00-11:30,13:30-17:00"``; raise ValueError on malformed text."""
        periods: list[tuple[time, time]] = []
        for part in text.split(","):
            start, sep, end = part.partition("-")
            if not sep:
                raise ValueError(f"invalid working period {part.strip()!r}")
            periods.append((_parse_time(start.strip()), _parse_time(end.strip())))
        return cls(tuple(periods))

    def __str__(self) -> str:
        return ",".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in self.periods)

    def within(self, start_us: int, end_us: int) -> int:
        """Working microseconds of a working day inside ``[start_us, end_us)``."""
        return sum(max(0, min(e, end_us) - max(s, start_us)) for s, e in self.bounds)


DEFAULT_WORKING_HOURS = WorkingHours()


@dataclass(frozen=True)
class WorkCalendar:
    """Days off, swapped working days and working hours: everything due dates depend on."""

    days_off: frozenset[date] = _NO_DATES
    extra_working_days: frozenset[date] = _NO_DATES
    hours: WorkingHours = DEFAULT_WORKING_HOURS
    tz: ZoneInfo = VN_TZ
    hours_per_working_day: Decimal = _DEFAULT_HOURS_PER_DAY

    def __post_init__(self) -> None:
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "extra_working_days", frozenset(self.extra_working_days))
        if not isinstance(self.tz, tzinfo):
            raise TypeError("tz must be a time zone")
        per_day = self.hours_per_working_day
        if not isinstance(per_day, Decimal):
            per_day = Decimal(per_day)
            object.__setattr__(self, "hours_per_working_day", per_day)
        if not per_day.is_finite() or per_day <= 0:
            raise ValueError("hours_per_working_day must be positive")

    # -- days ---------------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Mon–Fri unless a day off; Sat/Sun only when a swapped working day; days off win."""
        if d in self.days_off:
            return False
        if d.weekday() >= 5:
            return d in self.extra_working_days
        return True

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    @cached_property
    def _off_weekdays(self) -> tuple[date, ...]:
        return tuple(sorted(d for d in self.days_off if d.weekday() < 5))

    @cached_property
    def _extra_weekends(self) -> tuple[date, ...]:
        return tuple(sorted(d for d in self.extra_working_days - self.days_off if d.weekday() >= 5))

    @cached_property
    def _last_special(self) -> date | None:
        """After this date every Mon–Fri works and every weekend is off."""
        special = self._off_weekdays[-1:] + self._extra_weekends[-1:]
        return max(special) if special else None

    def working_days_in(self, start: date, end: date) -> int:
        """Number of working days in ``[start, end)``."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        first = start.weekday()
        weekdays = weeks * 5 + sum(1 for i in range(rest) if (first + i) % 7 < 5)

        def count(days: tuple[date, ...]) -> int:
            return bisect_left(days, end) - bisect_left(days, start)

        return weekdays - count(self._off_weekdays) + count(self._extra_weekends)

    def opening(self, d: date) -> datetime:
        """Start of the first working period of ``d``."""
        return datetime.combine(d, self.hours.periods[0][0], tzinfo=self.tz)

    def close_of_day(self, d: date) -> datetime:
        """End of the last working period of ``d``."""
        return datetime.combine(d, self.hours.periods[-1][1], tzinfo=self.tz)

    # -- instants -----------------------------------------------------------------------------------

    def normalise_receipt(self, at: datetime, cutoff: time | None = None) -> datetime:
        """The instant the clock starts for a dossier received at ``at`` (domain-rules §4).

        Inside a working period: unchanged; before a period: its start; after the close or on a day
        off: the opening of the next working day. With a same-day ``cutoff`` a receipt later than the
        cutoff on a working day, compared to the whole second (15:00:00.9 is in time, 15:00:01 is
        not), also moves to the next opening.
        """
        local = _aware(at).astimezone(self.tz)
        d = local.date()
        if self.is_working_day(d):
            t = local.time()
            if cutoff is not None and t.replace(microsecond=0) > cutoff:
                return self.opening(self.next_working_day(d))
            t_us = _us(t)
            for s, e in self.hours.bounds:
                if t_us < s:
                    return datetime.combine(d, _time(s), tzinfo=self.tz)
                if t_us < e:
                    return local
        return self.opening(self.next_working_day(d))

    def _advance(self, d: date, t_us: int, remaining: int) -> datetime:
        for s, e in self.hours.bounds:
            if e <= t_us:
                continue
            segment_start = max(s, t_us)
            available = e - segment_start
            if remaining <= available:
                return datetime.combine(d, _time(segment_start + remaining), tzinfo=self.tz)
            remaining -= available
        raise AssertionError("remaining working time exceeds the day")  # pragma: no cover

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """``start`` (normalised forward) plus ``amount`` of working time.

        Time used up exactly at the end of a period ends at that end (17:00, not next day 07:00).
        """
        if amount < _ZERO:
            raise ValueError("amount of working time must not be negative")
        current = self.normalise_receipt(start)
        if not amount:
            return current
        remaining = _td_us(amount)
        d = current.date()
        t_us = _us(current.time())
        bounds = self.hours.bounds
        rest_of_day = self.hours.within(t_us, _DAY_US)
        if remaining <= rest_of_day:
            return self._advance(d, t_us, remaining)
        remaining -= rest_of_day
        per_day = self.hours.per_day_us
        week = 5 * per_day
        last_special = self._last_special
        try:
            d = self.next_working_day(d)
            while remaining > per_day:
                if remaining > week and (last_special is None or d > last_special):
                    # Beyond the data every 7 days hold exactly 5 working days: skip whole weeks.
                    weeks = (remaining - 1) // week
                    d += timedelta(days=7 * weeks)
                    remaining -= weeks * week
                    continue
                remaining -= per_day
                d = self.next_working_day(d)
        except OverflowError as exc:
            raise ValueError("working time out of range") from exc
        return self._advance(d, bounds[0][0], remaining)

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time inside ``[a, b)``; zero when ``b <= a``."""
        a = _aware(a).astimezone(self.tz)
        b = _aware(b).astimezone(self.tz)
        if b <= a:
            return _ZERO
        da, db = a.date(), b.date()
        ta, tb = _us(a.time()), _us(b.time())
        hours = self.hours
        if da == db:
            return timedelta(microseconds=hours.within(ta, tb) if self.is_working_day(da) else 0)
        total = hours.within(ta, _DAY_US) if self.is_working_day(da) else 0
        total += hours.within(0, tb) if self.is_working_day(db) else 0
        total += self.working_days_in(da + _ONE_DAY, db) * hours.per_day_us
        return timedelta(microseconds=total)

    def limit_to_working_time(self, amount: Decimal | int, unit: LimitUnit) -> timedelta:
        """A working-days or working-hours limit as working time (microsecond precision)."""
        value = _amount(amount)
        if unit == "working_days":
            hours = value * self.hours_per_working_day
        elif unit == "working_hours":
            hours = value
        else:
            raise ValueError(f"{unit!r} is not a working-time unit")
        micro = (hours * _US_PER_HOUR).to_integral_value(rounding=ROUND_HALF_EVEN)
        return timedelta(microseconds=int(micro))

    def due_at(self, clock_start: datetime, amount: Decimal | int, unit: LimitUnit) -> datetime:
        """Due instant of a limit counted from ``clock_start`` (normalised forward, no cut-off).

        Working units: the instant the working time is used up; a limit of 0 means "within the day":
        the close of the start day. Calendar days: the close of the Nth calendar day after the start
        day, moved to the close of the next working day when that day is not a working day.
        """
        value = _amount(amount)
        start = self.normalise_receipt(clock_start)
        if unit == "calendar_days":
            if value != value.to_integral_value():
                raise ValueError("a calendar-day limit must be a whole number")
            try:
                target = start.date() + timedelta(days=int(value))
            except OverflowError as exc:
                raise ValueError("calendar-day limit out of range") from exc
            if not self.is_working_day(target):
                target = self.next_working_day(target)
            return self.close_of_day(target)
        if unit not in LIMIT_UNITS:
            raise ValueError(f"unknown time-limit unit {unit!r}")
        working_time = self.limit_to_working_time(value, unit)
        if not working_time:
            return self.close_of_day(start.date())
        return self.add_working_time(start, working_time)

    def shift_by_pause(self, due: datetime, paused: timedelta) -> datetime:
        """``due`` moved later by ``paused`` working time; unchanged when nothing was paused."""
        if paused < _ZERO:
            raise ValueError("paused working time must not be negative")
        if not paused:
            return _aware(due).astimezone(self.tz)
        return self.add_working_time(due, paused)


def _amount(amount: Decimal | int) -> Decimal:
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValueError("a time limit is a number") from exc
    if not value.is_finite() or value < 0:
        raise ValueError("a time limit must be a finite number not below zero")
    return value


def outcome(finished_at: datetime, due_at: datetime, tz: ZoneInfo = VN_TZ) -> Outcome:
    """National index rule: compare the local *dates* of the end and of the due instant."""
    finished = _aware(finished_at).astimezone(tz).date()
    due = _aware(due_at).astimezone(tz).date()
    if finished < due:
        return "early"
    return "on_time" if finished == due else "late"


def step_outcome(done_at: datetime, step_due_at: datetime) -> Outcome:
    """A workflow hand-over against its step deadline: the same date rule as :func:`outcome`."""
    return outcome(done_at, step_due_at)


# -- calendar data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """One row of the holiday table: a day off (``holiday``) or a swapped working day (``working``)."""

    day: date
    kind: EntryKind
    name: str


def calendar_from_entries(
    entries: Iterable[tuple[date, str]],
    hours: WorkingHours = DEFAULT_WORKING_HOURS,
    *,
    tz: ZoneInfo = VN_TZ,
    hours_per_working_day: Decimal = _DEFAULT_HOURS_PER_DAY,
) -> WorkCalendar:
    """Build a calendar from ``(date, "holiday" | "working")`` pairs."""
    off: set[date] = set()
    extra: set[date] = set()
    for day, kind in entries:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TypeError(f"calendar entry {day!r} is not a date")
        if kind == "holiday":
            off.add(day)
        elif kind == "working":
            extra.add(day)
        else:
            raise ValueError(f"unknown calendar entry kind {kind!r}")
    both = off & extra
    if both:
        raise ValueError(f"{min(both).isoformat()} is both a day off and a working day")
    return WorkCalendar(frozenset(off), frozenset(extra), hours, tz, hours_per_working_day)


def entries_from_json(text: str | bytes) -> list[CalendarEntry]:
    """Parse ``[{"date": "YYYY-MM-DD", "kind": "holiday"|"working", "name": "..."}]``."""
    rows = json.loads(text)
    if not isinstance(rows, list):
        raise TypeError("the calendar table is a JSON list")
    entries: list[CalendarEntry] = []
    for row in rows:
        if not isinstance(row, dict) or set(row) != {"date", "kind", "name"}:
            raise ValueError(f"invalid calendar row {row!r}")
        kind = row["kind"]
        if kind not in ENTRY_KINDS or not isinstance(row["name"], str) or not row["name"].strip():
            raise ValueError(f"invalid calendar row {row!r}")
        entries.append(CalendarEntry(date.fromisoformat(row["date"]), kind, row["name"]))
    return entries


def shipped_entries() -> list[CalendarEntry]:
    """The holiday table shipped with the code (``data/vn_calendar.json``)."""
    return entries_from_json(SHIPPED_CALENDAR.read_bytes())
