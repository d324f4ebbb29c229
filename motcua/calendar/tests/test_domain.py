"""Table-driven tests of the pure working-time module (domain-rules §3–4). No database, no Django."""

from __future__ import annotations

import json
import time as _time
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendar.domain import (
    SHIPPED_CALENDAR,
    VN_TZ,
    CalendarEntry,
    LimitUnit,
    WorkCalendar,
    WorkingHours,
    calendar_from_entries,
    entries_from_json,
    outcome,
    shipped_entries,
    step_outcome,
)

ENTRIES = shipped_entries()
CAL = calendar_from_entries((e.day, e.kind) for e in ENTRIES)
PLAIN = WorkCalendar()  # weekends only, default hours
H = timedelta(hours=1)


def vn(text: str) -> datetime:
    """'2026-03-03 09:00[:ss[.ffffff]]' as an aware datetime in Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- §3 the shipped data ---------------------------------------------------------------------------

DAYS_OFF_2025 = {
    "2025-01-01",
    *(f"2025-01-{n}" for n in range(25, 32)),
    "2025-02-01",
    "2025-02-02",
    "2025-04-07",
    "2025-04-30",
    "2025-05-01",
    "2025-05-02",
    "2025-05-03",
    "2025-05-04",
    "2025-09-01",
    "2025-09-02",
}
DAYS_OFF_2026 = {
    "2026-01-01",
    "2026-01-02",
    "2026-01-03",
    "2026-01-04",
    *(f"2026-02-{n}" for n in range(14, 23)),
    "2026-04-26",
    "2026-04-27",
    "2026-04-30",
    "2026-05-01",
    "2026-08-31",
    "2026-09-01",
    "2026-09-02",
    "2026-11-24",
}
SWAPPED_WORKING = {"2025-02-15", "2025-04-26", "2026-01-10", "2026-08-22"}


def test_data_file_is_valid_nfc_utf8_json() -> None:
    raw = SHIPPED_CALENDAR.read_bytes()
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    rows = json.loads(text)
    assert [r["date"] for r in rows] == sorted({r["date"] for r in rows})  # sorted, unique
    for row in rows:
        assert set(row) == {"date", "kind", "name"}
        assert row["kind"] in ("holiday", "working")
        assert row["name"].strip() == row["name"] and row["name"]


@pytest.mark.parametrize(("year", "expected"), [(2025, DAYS_OFF_2025), (2026, DAYS_OFF_2026)])
def test_data_days_off_match_the_spec(year: int, expected: set[str]) -> None:
    got = {e.day.isoformat() for e in ENTRIES if e.kind == "holiday" and e.day.year == year}
    assert got == expected


def test_data_swapped_working_days_are_the_known_saturdays() -> None:
    working = {e.day.isoformat() for e in ENTRIES if e.kind == "working" and e.day.year <= 2026}
    assert working == SWAPPED_WORKING
    assert all(e.day.weekday() == 5 for e in ENTRIES if e.kind == "working")


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2025-01-01", "Tết Dương lịch"),
        ("2025-01-29", "Tết Nguyên đán"),
        ("2025-02-15", "Làm bù cho ngày 27/01/2025"),
        ("2025-04-07", "Giỗ Tổ Hùng Vương"),
        ("2025-04-26", "Làm bù cho ngày 02/05/2025"),
        ("2025-04-30", "Ngày Giải phóng miền Nam, thống nhất đất nước"),
        ("2025-05-01", "Ngày Quốc tế Lao động"),
        ("2025-09-02", "Quốc khánh"),
        ("2026-01-10", "Làm bù cho ngày 02/01/2026"),
        ("2026-02-17", "Tết Nguyên đán"),
        ("2026-04-26", "Giỗ Tổ Hùng Vương"),
        ("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
        ("2026-08-22", "Làm bù cho ngày 31/08/2026"),
        ("2026-11-24", "Ngày Văn hóa Việt Nam"),
    ],
)
def test_data_names(day: str, name: str) -> None:
    assert {e.day.isoformat(): e.name for e in ENTRIES}[day] == name


def test_data_beyond_2026_is_marked_provisional() -> None:
    later = [e for e in ENTRIES if e.day.year > 2026]
    assert later, "2027 statutory days are shipped"
    assert all(e.name.endswith("(dự kiến)") and e.kind == "holiday" for e in later)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"date": "2026-01-01"}', TypeError),
        ('[{"date": "2026-01-01", "kind": "off", "name": "x"}]', ValueError),
        ('[{"date": "2026-01-01", "kind": "holiday"}]', ValueError),
        ('[{"date": "2026-01-01", "kind": "holiday", "name": " "}]', ValueError),
        ('[{"date": "2026-13-01", "kind": "holiday", "name": "x"}]', ValueError),
    ],
)
def test_entries_from_json_rejects_bad_rows(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        entries_from_json(text)


def test_entries_from_json_reads_rows() -> None:
    assert entries_from_json('[{"date": "2026-01-10", "kind": "working", "name": "Làm bù"}]') == [
        CalendarEntry(d("2026-01-10"), "working", "Làm bù")
    ]


def test_calendar_from_entries_rejects_conflicts_and_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="both"):
        calendar_from_entries([(d("2026-01-10"), "holiday"), (d("2026-01-10"), "working")])
    with pytest.raises(ValueError, match="kind"):
        calendar_from_entries([(d("2026-01-10"), "off")])
    with pytest.raises(TypeError):
        calendar_from_entries([(datetime(2026, 1, 10), "holiday")])


# -- §3 working days --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-03-02", True),  # Monday
        ("2026-03-06", True),  # Friday
        ("2026-03-07", False),  # Saturday
        ("2026-03-08", False),  # Sunday
        ("2025-01-01", False),  # Tết Dương lịch
        ("2025-01-27", False),  # Monday off, swapped
        ("2025-01-31", False),  # Tết
        ("2025-02-03", True),
        ("2025-02-15", True),  # Saturday worked by swap
        ("2025-04-07", False),  # Giỗ Tổ
        ("2025-04-26", True),  # Saturday worked by swap
        ("2025-05-02", False),  # Friday off, swapped
        ("2025-05-05", True),
        ("2025-09-01", False),
        ("2025-09-02", False),
        ("2025-09-03", True),
        ("2026-01-02", False),  # Friday off, swapped
        ("2026-01-05", True),
        ("2026-01-10", True),  # Saturday worked by swap
        ("2026-01-11", False),
        ("2026-02-13", True),
        ("2026-02-16", False),
        ("2026-02-20", False),
        ("2026-02-23", True),
        ("2026-04-27", False),  # compensation for Giỗ Tổ on Sunday 26/4
        ("2026-04-28", True),
        ("2026-04-30", False),
        ("2026-05-01", False),
        ("2026-08-22", True),  # Saturday worked by swap
        ("2026-08-31", False),  # Monday off, swapped
        ("2026-09-01", False),
        ("2026-09-02", False),
        ("2026-09-03", True),
        ("2026-11-24", False),  # Ngày Văn hóa Việt Nam
        ("2026-11-25", True),
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert CAL.is_working_day(d(day)) is working


def test_days_off_win_over_extra_working_days() -> None:
    sat = d("2026-03-07")
    cal = WorkCalendar(days_off=frozenset({sat}), extra_working_days=frozenset({sat}))
    assert not cal.is_working_day(sat)
    assert WorkCalendar(extra_working_days=frozenset({sat})).is_working_day(sat)


def test_compensatory_day_is_data() -> None:
    """Giỗ Tổ Sun 26/4/2026 is compensated Mon 27/4/2026 only because the table says so."""
    without = calendar_from_entries((e.day, e.kind) for e in ENTRIES if e.day != d("2026-04-27"))
    assert not CAL.is_working_day(d("2026-04-27"))
    assert without.is_working_day(d("2026-04-27"))
    assert CAL.due_at(vn("2026-04-24 10:00"), 1, "working_days") == vn("2026-04-28 10:00")
    assert without.due_at(vn("2026-04-24 10:00"), 1, "working_days") == vn("2026-04-27 10:00")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-03-03", "2026-03-04"),
        ("2026-03-06", "2026-03-09"),  # Friday → Monday
        ("2026-03-07", "2026-03-09"),
        ("2026-01-09", "2026-01-10"),  # Friday → swapped working Saturday
        ("2025-12-31", "2026-01-05"),
        ("2026-02-13", "2026-02-23"),  # over Tết
        ("2026-04-24", "2026-04-28"),
        ("2026-08-28", "2026-09-03"),
        ("2025-01-24", "2025-02-03"),
    ],
)
def test_next_working_day(day: str, expected: str) -> None:
    assert CAL.next_working_day(d(day)) == d(expected)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2026-03-02", "2026-03-02", 0),
        ("2026-03-02", "2026-03-09", 5),
        ("2026-03-07", "2026-03-09", 0),
        ("2026-01-05", "2026-01-12", 6),  # with the working Saturday
        ("2026-02-09", "2026-03-02", 10),  # Tết week off
        ("2025-01-01", "2026-01-01", 251),  # 261 weekdays - 12 off + 2 swapped Saturdays
        ("2026-01-01", "2027-01-01", 249),  # 261 weekdays - 14 off + 2 swapped Saturdays
        ("2026-03-09", "2026-03-02", 0),
    ],
)
def test_working_days_in(start: str, end: str, count: int) -> None:
    assert CAL.working_days_in(d(start), d(end)) == count


def test_opening_and_close_are_aware_local() -> None:
    assert CAL.opening(d("2026-03-03")) == vn("2026-03-03 07:00")
    assert CAL.close_of_day(d("2026-03-03")) == vn("2026-03-03 17:00")
    assert CAL.opening(d("2026-03-03")).tzinfo is VN_TZ
    assert CAL.opening(d("2026-03-03")) == utc("2026-03-03 00:00")


# -- §4 receipt normalisation ------------------------------------------------------------------------

NORMALISE = [
    # Tuesday 3/3/2026
    ("2026-03-03 06:59:59", "2026-03-03 07:00"),  # before opening
    ("2026-03-03 00:00", "2026-03-03 07:00"),
    ("2026-03-03 07:00", "2026-03-03 07:00"),  # opening is inside
    ("2026-03-03 09:15:30.123456", "2026-03-03 09:15:30.123456"),  # in a period: unchanged
    ("2026-03-03 11:29:59.999999", "2026-03-03 11:29:59.999999"),
    ("2026-03-03 11:30", "2026-03-03 13:30"),  # exactly 11:30 → afternoon opening
    ("2026-03-03 12:15", "2026-03-03 13:30"),  # lunch
    ("2026-03-03 13:30", "2026-03-03 13:30"),
    ("2026-03-03 16:59:59.999999", "2026-03-03 16:59:59.999999"),
    ("2026-03-03 17:00", "2026-03-04 07:00"),  # exactly 17:00 → next opening
    ("2026-03-03 19:45", "2026-03-04 07:00"),  # after close
    ("2026-03-03 23:59:59.999999", "2026-03-04 07:00"),
    ("2026-03-06 17:00", "2026-03-09 07:00"),  # Friday close → Monday
    ("2026-03-07 10:00", "2026-03-09 07:00"),  # Saturday
    ("2026-03-08 10:00", "2026-03-09 07:00"),  # Sunday
    ("2026-01-01 09:00", "2026-01-05 07:00"),  # holiday, then swapped Friday off, weekend
    ("2026-11-24 09:00", "2026-11-25 07:00"),  # Ngày Văn hóa Việt Nam
    ("2026-04-27 10:00", "2026-04-28 07:00"),  # compensatory day off
    ("2026-04-29 17:30", "2026-05-04 07:00"),  # 30/4, 1/5, weekend
    ("2026-02-13 17:00", "2026-02-23 07:00"),  # Tết
    ("2026-08-28 17:00", "2026-09-03 07:00"),  # Quốc khánh 2026 with Mon 31/8 swapped
    ("2025-08-29 17:00", "2025-09-03 07:00"),  # Quốc khánh 2025
    ("2025-01-27 08:00", "2025-02-03 07:00"),  # swapped day off Mon 27/1/2025 (inside Tết)
    ("2026-01-02 08:00", "2026-01-05 07:00"),  # swapped day off Fri 2/1/2026
    ("2025-05-02 08:00", "2025-05-05 07:00"),  # swapped day off Fri 2/5/2025
    ("2026-01-10 09:00", "2026-01-10 09:00"),  # swapped working Saturday: a normal day
    ("2026-01-10 06:00", "2026-01-10 07:00"),
    ("2026-01-09 17:30", "2026-01-10 07:00"),  # Friday evening → working Saturday
    ("2026-01-10 17:00", "2026-01-12 07:00"),
    ("2025-02-15 10:00", "2025-02-15 10:00"),
    ("2025-02-14 18:00", "2025-02-15 07:00"),
    ("2025-04-26 12:00", "2025-04-26 13:30"),
    ("2026-08-22 16:00", "2026-08-22 16:00"),
    ("2026-08-21 17:30", "2026-08-22 07:00"),
]


@pytest.mark.parametrize(("at", "expected"), NORMALISE)
def test_normalise_receipt(at: str, expected: str) -> None:
    result = CAL.normalise_receipt(vn(at))
    assert result == vn(expected)
    assert result.tzinfo is VN_TZ


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc("2026-03-03 01:00"), vn("2026-03-03 08:00")),  # 08:00 in Vietnam
        (utc("2026-03-02 23:30"), vn("2026-03-03 07:00")),  # 06:30 Tuesday in Vietnam
        (utc("2026-03-03 04:30"), vn("2026-03-03 13:30")),  # 11:30 in Vietnam
        (utc("2026-03-03 10:00"), vn("2026-03-04 07:00")),  # 17:00 in Vietnam
        (datetime(2026, 3, 3, 9, 0, tzinfo=ZoneInfo("Europe/Paris")), vn("2026-03-03 15:00")),
    ],
)
def test_normalise_receipt_converts_time_zones(at: datetime, expected: datetime) -> None:
    result = CAL.normalise_receipt(at)
    assert result == expected
    assert result.utcoffset() == timedelta(hours=7)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 3, 9, 0)
    with pytest.raises(ValueError, match="aware"):
        CAL.normalise_receipt(naive)
    with pytest.raises(ValueError, match="aware"):
        CAL.add_working_time(naive, H)
    with pytest.raises(ValueError, match="aware"):
        CAL.working_time_between(naive, vn("2026-03-04 09:00"))
    with pytest.raises(ValueError, match="aware"):
        outcome(naive, vn("2026-03-04 09:00"))


def test_online_dossier_clock_starts_at_acceptance_not_submission() -> None:
    submitted = vn("2026-03-07 10:00")  # Saturday
    accepted = vn("2026-03-09 08:10")  # Monday
    clock_start = CAL.normalise_receipt(accepted)
    assert clock_start == vn("2026-03-09 08:10")
    assert CAL.normalise_receipt(submitted) == vn("2026-03-09 07:00")
    assert CAL.due_at(clock_start, 3, "working_days") == vn("2026-03-12 08:10")
    # The 8-working-hour check deadline runs from submission.
    assert CAL.add_working_time(submitted, 8 * H) == vn("2026-03-09 17:00")


# -- §4 same-day cut-off ---------------------------------------------------------------------------

CUTOFF = time(15, 0)


@pytest.mark.parametrize(
    ("at", "cutoff", "clock_start", "due_within_day"),
    [
        ("2026-03-03 14:00", CUTOFF, "2026-03-03 14:00", "2026-03-03 17:00"),
        ("2026-03-03 14:59:59", CUTOFF, "2026-03-03 14:59:59", "2026-03-03 17:00"),
        ("2026-03-03 15:00", CUTOFF, "2026-03-03 15:00", "2026-03-03 17:00"),  # exactly: in time
        ("2026-03-03 15:00:00.999999", CUTOFF, "2026-03-03 15:00:00.999999", "2026-03-03 17:00"),
        ("2026-03-03 15:00:01", CUTOFF, "2026-03-04 07:00", "2026-03-04 17:00"),
        ("2026-03-03 15:30", CUTOFF, "2026-03-04 07:00", "2026-03-04 17:00"),
        ("2026-03-03 16:59", CUTOFF, "2026-03-04 07:00", "2026-03-04 17:00"),
        ("2026-03-03 12:00", CUTOFF, "2026-03-03 13:30", "2026-03-03 17:00"),  # lunch, before cut-off
        ("2026-03-03 06:00", CUTOFF, "2026-03-03 07:00", "2026-03-03 17:00"),
        ("2026-03-06 15:30", CUTOFF, "2026-03-09 07:00", "2026-03-09 17:00"),  # Friday → Monday
        ("2026-03-07 10:00", CUTOFF, "2026-03-09 07:00", "2026-03-09 17:00"),  # Saturday
        ("2026-04-29 15:30", CUTOFF, "2026-05-04 07:00", "2026-05-04 17:00"),  # before 30/4–1/5
        ("2026-01-09 15:30", CUTOFF, "2026-01-10 07:00", "2026-01-10 17:00"),  # → working Saturday
        ("2026-03-03 15:30", None, "2026-03-03 15:30", "2026-03-03 17:00"),  # no cut-off
        ("2026-03-03 11:15", time(11, 0), "2026-03-04 07:00", "2026-03-04 17:00"),
        ("2026-03-03 10:30", time(10, 30), "2026-03-03 10:30", "2026-03-03 17:00"),
    ],
)
def test_cutoff(at: str, cutoff: time | None, clock_start: str, due_within_day: str) -> None:
    start = CAL.normalise_receipt(vn(at), cutoff)
    assert start == vn(clock_start)
    assert CAL.due_at(start, 0, "working_days") == vn(due_within_day)
    assert CAL.due_at(start, Decimal(0), "working_hours") == vn(due_within_day)


# -- §4 due dates in working days ------------------------------------------------------------------

WORKING_DAYS = [
    # the spec example: Friday 5 h, Tết 14/2–22/2, Mon + Tue 16 h, the last 3 h end Wednesday 10:00
    ("2026-02-13 10:00", 3, "2026-02-25 10:00"),
    ("2026-03-03 09:00", 1, "2026-03-04 09:00"),
    ("2026-03-03 07:00", 1, "2026-03-03 17:00"),  # closing edge: Tuesday 17:00, not Wednesday 07:00
    ("2026-03-02 07:00", 2, "2026-03-03 17:00"),
    ("2026-03-06 07:00", 1, "2026-03-06 17:00"),  # Friday 17:00, not Monday
    ("2026-03-03 17:00", 1, "2026-03-04 17:00"),  # received at close: starts Wednesday 07:00
    ("2026-03-03 11:30", 1, "2026-03-04 11:30"),  # 13:30 start: 3.5 h + 4.5 h end at the lunch close
    ("2026-03-03 12:00", 1, "2026-03-04 11:30"),
    ("2026-03-06 10:00", 1, "2026-03-09 10:00"),  # over a weekend
    ("2026-03-07 10:00", 1, "2026-03-09 17:00"),  # received Saturday: Monday opening + 8 h
    ("2026-03-02 07:00", 5, "2026-03-06 17:00"),
    ("2026-03-02 07:00", 10, "2026-03-13 17:00"),
    ("2026-03-03 08:00", 15, "2026-03-24 08:00"),
    ("2026-01-09 07:00", 2, "2026-01-10 17:00"),  # swapped working Saturday counts
    ("2026-01-09 08:00", 2, "2026-01-12 08:00"),
    ("2025-02-14 10:00", 1, "2025-02-15 10:00"),  # Saturday 15/2/2025 worked
    ("2025-04-25 10:00", 2, "2025-04-28 10:00"),  # Saturday 26/4/2025 worked
    ("2025-01-24 10:00", 1, "2025-02-03 10:00"),  # Tết 2025 with swapped Monday 27/1
    ("2025-04-29 10:00", 2, "2025-05-06 10:00"),  # 30/4–4/5/2025
    ("2025-12-31 10:00", 1, "2026-01-05 10:00"),  # 1/1, swapped Friday 2/1, weekend
    ("2026-04-24 10:00", 1, "2026-04-28 10:00"),  # compensatory Monday 27/4/2026
    ("2026-08-21 10:00", 2, "2026-08-24 10:00"),  # Saturday 22/8/2026 worked
    ("2026-08-28 10:00", 1, "2026-09-03 10:00"),  # 31/8–2/9/2026
    ("2026-11-23 10:00", 1, "2026-11-25 10:00"),  # 24/11/2026
    ("2026-03-03 07:00", Decimal("0.5"), "2026-03-03 11:00"),
    ("2026-03-03 07:00", Decimal("1.5"), "2026-03-04 11:00"),
    ("2026-03-03 10:00", Decimal("0.1875"), "2026-03-03 11:30"),  # 1.5 h: ends at the lunch close
]


@pytest.mark.parametrize(("start", "amount", "due"), WORKING_DAYS)
def test_due_at_working_days(start: str, amount: Decimal | int, due: str) -> None:
    result = CAL.due_at(vn(start), amount, "working_days")
    assert result == vn(due)
    assert result.tzinfo is VN_TZ


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        ("2026-03-03 09:00", 2, "2026-03-03 11:00"),
        ("2026-03-03 09:00", Decimal("2.5"), "2026-03-03 11:30"),  # closing edge at lunch
        ("2026-03-03 09:00", 3, "2026-03-03 14:00"),
        ("2026-03-03 09:00", Decimal("0.25"), "2026-03-03 09:15"),
        ("2026-03-03 10:00", Decimal("0.1"), "2026-03-03 10:06"),
        ("2026-03-03 10:00", Decimal("1.25"), "2026-03-03 11:15"),
        ("2026-03-03 10:00", Decimal("0.0001"), "2026-03-03 10:00:00.360000"),
        ("2026-03-03 13:30", Decimal("3.5"), "2026-03-03 17:00"),  # closing edge
        ("2026-03-03 16:00", Decimal("1.5"), "2026-03-04 07:30"),
        ("2026-03-03 07:00", 8, "2026-03-03 17:00"),
        ("2026-03-02 07:00", 16, "2026-03-03 17:00"),
        ("2026-03-02 07:00", 40, "2026-03-06 17:00"),
        ("2026-03-02 07:00", 41, "2026-03-09 08:00"),
        ("2026-03-06 16:30", Decimal("0.75"), "2026-03-09 07:15"),
        ("2026-02-13 16:00", 24, "2026-02-25 16:00"),
        ("2026-03-03 14:00", 0, "2026-03-03 17:00"),  # 0 = within the day
        ("2026-03-07 14:00", 0, "2026-03-09 17:00"),
    ],
)
def test_due_at_working_hours(start: str, hours: Decimal | int, due: str) -> None:
    assert CAL.due_at(vn(start), hours, "working_hours") == vn(due)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-03-03 10:00", 0, "2026-03-03 17:00"),
        ("2026-03-03 10:00", 1, "2026-03-04 17:00"),
        ("2026-03-03 10:00", 3, "2026-03-06 17:00"),
        ("2026-03-03 10:00", 4, "2026-03-09 17:00"),  # Saturday → Monday
        ("2026-03-03 10:00", 5, "2026-03-09 17:00"),  # Sunday → Monday
        ("2026-03-03 10:00", 6, "2026-03-09 17:00"),
        ("2026-03-03 10:00", 30, "2026-04-02 17:00"),
        ("2026-03-03 16:59", 1, "2026-03-04 17:00"),
        ("2026-03-03 17:30", 1, "2026-03-05 17:00"),  # received after close: clock starts Wednesday
        ("2026-03-07 10:00", 1, "2026-03-10 17:00"),  # received Saturday: clock starts Monday
        ("2026-04-28 10:00", 2, "2026-05-04 17:00"),  # lands on 30/4 → 1/5, weekend → Monday
        ("2026-04-24 10:00", 3, "2026-04-28 17:00"),  # lands on compensatory Monday 27/4
        ("2026-01-07 10:00", 3, "2026-01-10 17:00"),  # lands on a swapped working Saturday
        ("2025-12-29 10:00", 4, "2026-01-05 17:00"),  # lands on swapped Friday off 2/1/2026
        ("2026-02-13 10:00", 3, "2026-02-23 17:00"),  # lands in Tết
        ("2026-02-13 10:00", Decimal(10), "2026-02-23 17:00"),
        ("2026-11-23 10:00", 1, "2026-11-25 17:00"),
    ],
)
def test_due_at_calendar_days(start: str, days: Decimal | int, due: str) -> None:
    assert CAL.due_at(vn(start), days, "calendar_days") == vn(due)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (-1, "working_days"),
        (Decimal("-0.5"), "working_hours"),
        (Decimal("1.5"), "calendar_days"),
        (Decimal("NaN"), "working_days"),
        (Decimal("Infinity"), "working_hours"),
        (1, "weeks"),
        (10**9, "calendar_days"),
    ],
)
def test_due_at_rejects_bad_limits(amount: Decimal | int, unit: LimitUnit) -> None:
    with pytest.raises(ValueError):
        CAL.due_at(vn("2026-03-03 10:00"), amount, unit)


def test_hours_per_working_day_is_configurable() -> None:
    cal = replace(CAL, hours_per_working_day=Decimal("7.5"))
    assert cal.due_at(vn("2026-03-03 07:00"), 1, "working_days") == vn("2026-03-03 16:30")
    assert WorkCalendar(hours_per_working_day=6).hours_per_working_day == Decimal(6)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        WorkCalendar(hours_per_working_day=Decimal(0))


def test_large_amounts_are_fast_and_exact() -> None:
    start = vn("2026-01-05 07:00")
    began = _time.perf_counter()
    due = CAL.add_working_time(start, 2000 * H)
    assert _time.perf_counter() - began < 0.05
    assert CAL.working_time_between(start, due) == 2000 * H
    assert due == CAL.close_of_day(due.date())  # 2000 h is 250 whole days from an opening
    far = CAL.due_at(start, 100_000, "working_days")  # beyond the data: whole weeks are skipped
    assert CAL.working_time_between(start, far) == 800_000 * H
    assert far.time() == time(17, 0)


# -- add_working_time: closing edges and zero ------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        ("2026-03-03 07:00", 4.5 * H, "2026-03-03 11:30"),  # not 13:30
        ("2026-03-03 07:00", 4.5 * H + timedelta(microseconds=1), "2026-03-03 13:30:00.000001"),
        ("2026-03-03 10:00", 1.5 * H, "2026-03-03 11:30"),
        ("2026-03-03 07:00", 8 * H, "2026-03-03 17:00"),  # not Wednesday 07:00
        ("2026-03-03 07:00", 8 * H + timedelta(microseconds=1), "2026-03-04 07:00:00.000001"),
        ("2026-03-03 12:00", timedelta(0), "2026-03-03 13:30"),  # zero: the normalised start
        ("2026-03-03 17:00", timedelta(0), "2026-03-04 07:00"),
        ("2026-03-03 09:00", timedelta(0), "2026-03-03 09:00"),
        ("2026-03-03 09:00", timedelta(minutes=1), "2026-03-03 09:01"),
        ("2026-03-03 09:00", timedelta(days=1), "2026-03-06 09:00"),  # 24 working hours
    ],
)
def test_add_working_time(start: str, amount: timedelta, expected: str) -> None:
    assert CAL.add_working_time(vn(start), amount) == vn(expected)


def test_add_working_time_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_time(vn("2026-03-03 09:00"), -H)


# -- §4 pauses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-03-03 08:00", "2026-03-03 10:00", 2 * H),
        ("2026-03-03 11:00", "2026-03-03 14:00", 1 * H),  # across lunch
        ("2026-03-03 11:45", "2026-03-03 13:15", timedelta(0)),  # inside lunch
        ("2026-03-03 11:30", "2026-03-03 13:30", timedelta(0)),
        ("2026-03-03 16:00", "2026-03-04 08:00", 2 * H),  # across a night
        ("2026-03-03 18:00", "2026-03-04 06:00", timedelta(0)),
        ("2026-03-03 06:00", "2026-03-03 18:00", 8 * H),
        ("2026-03-06 16:00", "2026-03-09 08:00", 2 * H),  # across a weekend
        ("2026-03-07 10:00", "2026-03-08 10:00", timedelta(0)),
        ("2026-03-02 07:00", "2026-03-09 07:00", 40 * H),  # a week
        ("2026-02-13 16:00", "2026-02-23 08:00", 2 * H),  # across Tết
        ("2026-01-09 16:00", "2026-01-12 08:00", 10 * H),  # with a swapped working Saturday
        ("2026-04-27 07:00", "2026-05-04 07:00", 16 * H),  # compensatory Monday, 30/4, 1/5
        ("2026-03-03 09:00:00.5", "2026-03-03 09:00:01", timedelta(microseconds=500_000)),
        ("2025-01-01 00:00", "2026-01-01 00:00", 2008 * H),  # 251 working days in 2025
        ("2026-01-01 00:00", "2027-01-01 00:00", 1992 * H),  # 249 working days in 2026
        ("2026-03-04 10:00", "2026-03-03 10:00", timedelta(0)),  # b before a
        ("2026-03-03 10:00", "2026-03-03 10:00", timedelta(0)),
    ],
)
def test_working_time_between(a: str, b: str, expected: timedelta) -> None:
    assert CAL.working_time_between(vn(a), vn(b)) == expected


def test_working_time_between_converts_time_zones() -> None:
    # 01:00–09:00 UTC is 08:00–16:00 in Vietnam: 3.5 h + 2.5 h
    assert CAL.working_time_between(utc("2026-03-03 01:00"), utc("2026-03-03 09:00")) == 6 * H


@pytest.mark.parametrize(
    ("due", "paused", "expected"),
    [
        ("2026-03-03 10:00", 2 * H, "2026-03-03 14:00"),  # lunch skipped
        ("2026-03-03 17:00", timedelta(0), "2026-03-03 17:00"),  # nothing paused: unchanged
        ("2026-03-03 11:30", timedelta(0), "2026-03-03 11:30"),
        ("2026-03-03 17:00", 1 * H, "2026-03-04 08:00"),
        ("2026-03-03 11:30", 1 * H, "2026-03-03 14:30"),
        ("2026-03-03 16:00", 1 * H, "2026-03-03 17:00"),  # closing edge
        ("2026-03-06 16:00", 9 * H, "2026-03-09 17:00"),
        ("2026-02-13 16:00", 3 * H, "2026-02-23 09:00"),  # over Tết
        ("2026-08-21 16:00", 9 * H, "2026-08-22 17:00"),  # onto the swapped working Saturday
    ],
)
def test_shift_by_pause(due: str, paused: timedelta, expected: str) -> None:
    assert CAL.shift_by_pause(vn(due), paused) == vn(expected)


def test_shift_by_pause_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.shift_by_pause(vn("2026-03-03 10:00"), -H)


def test_supplement_pause_moves_due_by_paused_working_time() -> None:
    received = CAL.normalise_receipt(vn("2026-03-03 08:00"))
    due = CAL.due_at(received, 5, "working_days")
    assert due == vn("2026-03-10 08:00")
    # supplement requested Wed 10:00, supplied Mon 10:00: Wed 5 h + Thu 8 h + Fri 8 h + Mon 3 h
    paused = CAL.working_time_between(vn("2026-03-04 10:00"), vn("2026-03-09 10:00"))
    assert paused == 24 * H
    assert CAL.shift_by_pause(due, paused) == vn("2026-03-13 08:00")


# -- §4 early / on time / late -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "due", "expected"),
    [
        (vn("2026-03-03 16:00"), vn("2026-03-03 10:00"), "on_time"),  # same date, later time
        (vn("2026-03-03 08:00"), vn("2026-03-03 10:00"), "on_time"),  # same date, earlier time
        (vn("2026-03-03 23:59:59"), vn("2026-03-03 17:00"), "on_time"),
        (vn("2026-03-02 16:59"), vn("2026-03-03 07:00"), "early"),  # earlier date
        (vn("2026-02-01 10:00"), vn("2026-03-03 10:00"), "early"),
        (vn("2026-03-04 00:00"), vn("2026-03-03 17:00"), "late"),  # next date
        (vn("2026-03-04 07:00"), vn("2026-03-03 17:00"), "late"),
        (vn("2027-01-01 07:00"), vn("2026-03-03 17:00"), "late"),
        # UTC inputs are compared on Vietnam dates
        (utc("2026-03-03 18:00"), vn("2026-03-04 10:00"), "on_time"),  # 01:00 on 4/3 in Vietnam
        (utc("2026-03-03 16:59"), vn("2026-03-03 17:00"), "on_time"),  # 23:59 on 3/3
        (utc("2026-03-03 17:00"), vn("2026-03-03 17:00"), "late"),  # 00:00 on 4/3
        (utc("2026-03-03 16:00"), utc("2026-03-03 17:00"), "early"),  # 23:00 on 3/3 vs 00:00 on 4/3
    ],
)
def test_outcome_compares_local_dates(finished: datetime, due: datetime, expected: str) -> None:
    assert outcome(finished, due) == expected
    assert step_outcome(finished, due) == expected


def test_outcome_in_another_time_zone() -> None:
    assert outcome(utc("2026-03-03 16:00"), utc("2026-03-03 17:00"), tz=ZoneInfo("UTC")) == "on_time"


# -- §3 configurable working hours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "periods", "per_day", "canonical"),
    [
        ("07:00-11:30,13:30-17:00", ((time(7), time(11, 30)), (time(13, 30), time(17))), 8 * H, None),
        ("07:30-11:30,13:00-17:00", ((time(7, 30), time(11, 30)), (time(13), time(17))), 8 * H, None),
        (" 7:30 - 11:30 , 13:00-17:00 ", ((time(7, 30), time(11, 30)), (time(13), time(17))), 8 * H,
         "07:30-11:30,13:00-17:00"),
        ("08:00-16:00", ((time(8), time(16)),), 8 * H, None),
        ("07:00-12:00,12:00-17:00", ((time(7), time(12)), (time(12), time(17))), 10 * H, None),
        ("07:00-09:00,10:00-11:00,13:00-14:00", ((time(7), time(9)), (time(10), time(11)), (time(13), time(14))),
         4 * H, None),
        ("07:00:30-11:30", ((time(7, 0, 30), time(11, 30)),), timedelta(hours=4, minutes=29, seconds=30), None),
    ],
)
def test_working_hours_parse(text: str, periods: tuple[tuple[time, time], ...], per_day: timedelta,
                             canonical: str | None) -> None:
    hours = WorkingHours.parse(text)
    assert hours.periods == periods
    assert hours.per_day == per_day
    assert str(hours) == (canonical or text)
    assert WorkingHours.parse(str(hours)) == hours


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "07:00",
        "07:00-",
        "07:00-11:30,",
        "11:30-07:00",  # ends before it starts
        "07:00-07:00",
        "07:00-11:30,11:00-17:00",  # overlapping
        "13:30-17:00,07:00-11:30",  # unsorted
        "25:00-26:00",
        "07:60-08:00",
        "07:00-24:00",
        "7h-11h",
        "07.00-11.30",
        "０７:００-11:30",  # full-width digits
        "07:00-11:30;13:30-17:00",
    ],
)
def test_working_hours_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        WorkingHours.parse(text)


def test_working_hours_constructor_validates() -> None:
    assert WorkingHours().per_day == 8 * H
    assert str(WorkingHours()) == "07:00-11:30,13:30-17:00"
    with pytest.raises(ValueError):
        WorkingHours(())
    with pytest.raises(ValueError):
        WorkingHours(((time(13), time(17)), (time(7), time(11))))
    with pytest.raises(ValueError):
        WorkingHours(((time(7), time(7)),))


CUSTOM = calendar_from_entries(((e.day, e.kind) for e in ENTRIES), WorkingHours.parse("07:30-11:30,13:00-17:00"))
SINGLE = calendar_from_entries(((e.day, e.kind) for e in ENTRIES), WorkingHours.parse("08:00-16:00"))
HALF_DAY = calendar_from_entries(((e.day, e.kind) for e in ENTRIES), WorkingHours.parse("08:00-12:00"))


@pytest.mark.parametrize(
    ("cal", "at", "expected"),
    [
        (CUSTOM, "2026-03-03 07:00", "2026-03-03 07:30"),
        (CUSTOM, "2026-03-03 07:30", "2026-03-03 07:30"),
        (CUSTOM, "2026-03-03 11:30", "2026-03-03 13:00"),
        (CUSTOM, "2026-03-03 12:59", "2026-03-03 13:00"),
        (CUSTOM, "2026-03-03 13:15", "2026-03-03 13:15"),
        (CUSTOM, "2026-03-03 17:00", "2026-03-04 07:30"),
        (SINGLE, "2026-03-03 07:59", "2026-03-03 08:00"),
        (SINGLE, "2026-03-03 12:00", "2026-03-03 12:00"),
        (SINGLE, "2026-03-03 16:00", "2026-03-04 08:00"),
        (SINGLE, "2026-03-06 16:00", "2026-03-09 08:00"),
    ],
)
def test_custom_hours_normalise(cal: WorkCalendar, at: str, expected: str) -> None:
    assert cal.normalise_receipt(vn(at)) == vn(expected)


@pytest.mark.parametrize(
    ("cal", "start", "amount", "unit", "expected"),
    [
        (CUSTOM, "2026-03-03 07:30", 1, "working_days", "2026-03-03 17:00"),
        (CUSTOM, "2026-03-03 10:00", 4, "working_hours", "2026-03-03 15:30"),
        (CUSTOM, "2026-03-03 10:00", Decimal("1.5"), "working_hours", "2026-03-03 11:30"),
        (CUSTOM, "2026-02-13 10:00", 3, "working_days", "2026-02-25 10:00"),
        (CUSTOM, "2026-03-03 10:00", 0, "working_days", "2026-03-03 17:00"),
        (CUSTOM, "2026-03-07 10:00", 2, "calendar_days", "2026-03-11 17:00"),
        (SINGLE, "2026-03-03 08:00", 1, "working_days", "2026-03-03 16:00"),
        (SINGLE, "2026-03-03 12:00", 1, "working_days", "2026-03-04 12:00"),
        (SINGLE, "2026-03-03 12:00", 0, "working_days", "2026-03-03 16:00"),
        (SINGLE, "2026-03-03 12:00", 3, "calendar_days", "2026-03-06 16:00"),
        (HALF_DAY, "2026-03-02 08:00", 1, "working_days", "2026-03-03 12:00"),  # 8 h over two mornings
        (HALF_DAY, "2026-03-02 13:00", Decimal("0.5"), "working_days", "2026-03-03 12:00"),
    ],
)
def test_custom_hours_due_at(cal: WorkCalendar, start: str, amount: Decimal | int, unit: LimitUnit,
                             expected: str) -> None:
    assert cal.due_at(vn(start), amount, unit) == vn(expected)


def test_custom_hours_pauses() -> None:
    assert CUSTOM.working_time_between(vn("2026-03-03 11:00"), vn("2026-03-03 14:00")) == 1.5 * H
    assert SINGLE.working_time_between(vn("2026-03-03 15:00"), vn("2026-03-04 09:00")) == 2 * H
    assert CUSTOM.shift_by_pause(vn("2026-03-03 17:00"), 1 * H) == vn("2026-03-04 08:30")


# -- properties ------------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2024, 12, 1), max_value=datetime(2027, 12, 31), timezones=st.just(VN_TZ)
)
amounts = st.integers(min_value=0, max_value=600 * 3_600_000_000).map(lambda us: timedelta(microseconds=us))
calendars = st.sampled_from([CAL, CUSTOM, SINGLE, PLAIN])


def _inside_or_at_close(cal: WorkCalendar, at: datetime) -> bool:
    """``at`` is inside a working period of a working day, or exactly at the end of one."""
    if not cal.is_working_day(at.date()):
        return False
    t = at.time()
    return any(s <= t <= e for s, e in cal.hours.periods)


def _reference_add(cal: WorkCalendar, start: datetime, amount: timedelta) -> datetime:
    """Slow and obvious: walk every period of every day."""
    current = cal.normalise_receipt(start)
    day, remaining = current.date(), amount
    while True:
        if cal.is_working_day(day):
            for s, e in cal.hours.periods:
                begin = max(datetime.combine(day, s, tzinfo=VN_TZ), current)
                end = datetime.combine(day, e, tzinfo=VN_TZ)
                if end <= begin:
                    continue
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        day += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=instants, amount=amounts)
def test_add_then_measure_round_trips(cal: WorkCalendar, start: datetime, amount: timedelta) -> None:
    end = cal.add_working_time(start, amount)
    assert cal.working_time_between(start, end) == amount
    assert end == _reference_add(cal, start, amount)
    assert _inside_or_at_close(cal, end)
    assert end >= start


@settings(max_examples=200, deadline=None)
@given(cal=calendars, at=instants, cutoff=st.none() | st.times())
def test_normalise_is_idempotent_and_lands_in_a_period(cal: WorkCalendar, at: datetime, cutoff: time | None) -> None:
    start = cal.normalise_receipt(at, cutoff)
    assert start >= at
    assert cal.normalise_receipt(start) == start
    assert cal.is_working_day(start.date())
    assert any(s <= start.time() < e for s, e in cal.hours.periods)
    assert cal.working_time_between(at, start) == timedelta(0) or cutoff is not None


@settings(max_examples=200, deadline=None)
@given(
    cal=calendars,
    start=instants,
    unit=st.sampled_from(["working_days", "working_hours", "calendar_days"]),
    a=st.integers(min_value=1, max_value=400),
    b=st.integers(min_value=1, max_value=400),
)
def test_due_at_is_monotonic(cal: WorkCalendar, start: datetime, unit: LimitUnit, a: int, b: int) -> None:
    low, high = sorted((a, b))
    due_low = cal.due_at(start, low, unit)
    assert due_low <= cal.due_at(start, high, unit)
    assert _inside_or_at_close(cal, due_low)
    # "within the day" (0) is never later than the close of the first day
    assert cal.due_at(start, 0, unit) <= cal.close_of_day(cal.normalise_receipt(start).date())


@settings(max_examples=200, deadline=None)
@given(cal=calendars, points=st.lists(instants, min_size=3, max_size=3))
def test_working_time_between_is_additive(cal: WorkCalendar, points: list[datetime]) -> None:
    a, b, c = sorted(points)
    assert cal.working_time_between(a, c) == cal.working_time_between(a, b) + cal.working_time_between(b, c)


@settings(max_examples=200, deadline=None)
@given(due=instants, a=amounts, b=amounts)
def test_shifts_by_pause_compose(due: datetime, a: timedelta, b: timedelta) -> None:
    once = CAL.shift_by_pause(due, a + b)
    if a and b:
        assert once == CAL.shift_by_pause(CAL.shift_by_pause(due, a), b)
    assert once >= due


@given(finished=instants, due=instants)
def test_outcome_agrees_with_dates(finished: datetime, due: datetime) -> None:
    result = outcome(finished, due)
    assert (result == "early") == (finished.date() < due.date())
    assert (result == "late") == (finished.date() > due.date())
