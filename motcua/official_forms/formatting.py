"""How the forms print times and labels (pure).

Dates follow the administrative-document rule of Decree 30/2020/NĐ-CP: a day below 10 and the
months 1 and 2 get a leading zero ("ngày 05 tháng 02 năm 2026", "ngày 12 tháng 3 năm 2026");
hours and minutes always have two digits.
"""

from __future__ import annotations

from datetime import date, datetime

from motcua.core.clock import local

OUTCOME_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

COPY_TYPE_LABELS = {
    "original": "Bản chính",
    "certified_copy": "Bản sao có chứng thực",
    "copy": "Bản sao",
    "electronic": "Bản điện tử",
}


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return local(value).date()
    return value


def date_words(value: date | datetime) -> str:
    """`ngày 05 tháng 02 năm 2026`."""
    d = _as_date(value)
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def time_words(value: datetime) -> str:
    """`08 giờ 15 phút, ngày 12 tháng 02 năm 2026` (Vietnam time)."""
    t = local(value)
    return f"{t.hour:02d} giờ {t.minute:02d} phút, {date_words(t)}"


def time_short(value: datetime) -> str:
    """`08:15 12/02/2026` (hh:mm dd/mm/yyyy, Vietnam time)."""
    t = local(value)
    return f"{t:%H:%M %d/%m/%Y}"


def date_short(value: date | datetime) -> str:
    """`12/02/2026`."""
    return f"{_as_date(value):%d/%m/%Y}"


def place_date(place: str, value: date | datetime) -> str:
    """`Phú Thọ, ngày 12 tháng 02 năm 2026`."""
    return f"{place}, {date_words(value)}" if place else date_words(value).capitalize()


def outcome_label(code: str | None) -> str:
    return OUTCOME_LABELS.get(code or "", "")


def copy_type_label(code: str | None) -> str:
    return COPY_TYPE_LABELS.get(code or "", code or "")


def vn_upper(text: str) -> str:
    """Upper case for headers (Python's upper() handles Vietnamese diacritics)."""
    return text.upper()
