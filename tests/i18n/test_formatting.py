"""Dates, amounts, time limits and sizes of the pages in both languages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.core.clock import VN_TZ
from motcua.portal.templatetags.ui import filesize, limit_text, status_name, vnd, vndt

MOMENT = datetime(2026, 3, 11, 9, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(("language", "expected"), [
    ("vi", ["Thứ Tư, 11/03/2026 lúc 09:00", "8.000 đồng", "1.250.000 đồng", "Miễn phí", "1 ngày làm việc",
            "0,5 ngày làm việc", "16 giờ làm việc", "30 ngày", "Trong ngày làm việc", "1,5 MB", "Đã trả kết quả"]),
    ("en", ["Wednesday, 11/03/2026 at 09:00", "VND 8,000", "VND 1,250,000", "Free of charge", "1 working day",
            "0.5 working days", "16 working hours", "30 days", "Within the working day", "1.5 MB",
            "Result returned"]),
])
def test_formats(language, expected):
    with translation.override(language):
        got = [vndt(MOMENT), vnd(8000), vnd(1_250_000), vnd(0), limit_text(1, "working_days"),
               limit_text(Decimal("0.5"), "working_days"), limit_text(16, "working_hours"),
               limit_text(30, "calendar_days"), limit_text(0, "working_days"), filesize(1572864), status_name(10)]
    assert got == expected
