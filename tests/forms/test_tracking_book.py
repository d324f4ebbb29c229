"""Mẫu 06: the tracking book of a unit for a period, as PDF and Excel, a view of the events."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest

from .conftest import VIETTRI, Desk, pdf_page_size_mm, pdf_pages, pdf_text, vn

BOOK = f"/units/{VIETTRI}/tracking-book"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
DESK_NAME = "Trung tâm Phục vụ hành chính công phường Việt Trì"
DEPT_NAME = "Sở Tư pháp tỉnh Phú Thọ"


@pytest.fixture
def book(desk: Desk) -> dict[str, str]:
    """Three dossiers received at Việt Trì in March (one walk-in returned, one online accepted
    Monday and withdrawn, one sent to the department), plus dossiers that must not appear."""
    codes: dict[str, str] = {}
    walk_in = desk.create("tiepnhan.viettri", vn(2026, 3, 2, 8, 0), {
        "procedure": "1.001193", "channel": "direct", "receiving_unit": VIETTRI, "sets": 2,
        "applicant": {"name": "Lê Thị Hoa", "phone": "0912000111", "address": "Phường Việt Trì"}})
    codes["walk_in"] = walk_in["code"]
    desk.act("tiepnhan.viettri", vn(2026, 3, 2, 8, 20), walk_in["code"], "forward")
    desk.act("chuyenvien.viettri", vn(2026, 3, 2, 10, 0), walk_in["code"], "forward")
    desk.act("lanhdao.viettri", vn(2026, 3, 2, 14, 0), walk_in["code"], "resolve", {"decision": "approved"})
    desk.act("tiepnhan.viettri", vn(2026, 3, 2, 15, 30), walk_in["code"], "return")

    online = desk.create("025090000123", vn(2026, 3, 1, 20, 0), {
        "procedure": "1.001193", "channel": "online", "receiving_unit": VIETTRI, "result_delivery": "postal"})
    codes["online"] = online["code"]
    desk.act("tiepnhan.viettri", vn(2026, 3, 2, 8, 10), online["code"], "accept")
    desk.act("025090000123", vn(2026, 3, 2, 9, 0), online["code"], "withdraw", {"reason": "Nộp nhầm thủ tục"})

    dept = desk.create("tiepnhan.viettri", vn(2026, 3, 2, 9, 0), {
        "procedure": "3.000333", "channel": "direct", "receiving_unit": VIETTRI,
        "applicant": {"name": "Phạm Quốc Bảo", "address": "Xã Lạc Sơn"}})
    codes["dept"] = dept["code"]
    desk.act("tiepnhan.viettri", vn(2026, 3, 2, 10, 5), dept["code"], "forward")

    # Not in the March book of Việt Trì: refused (never received), another unit, another month.
    refused = desk.create("025195000456", vn(2026, 3, 3, 8, 0), {
        "procedure": "1.000894", "channel": "online", "receiving_unit": VIETTRI})
    desk.act("tiepnhan.viettri", vn(2026, 3, 3, 9, 0), refused["code"], "refuse", {"reason": "Sai nơi nộp"})
    desk.create("tiepnhan.vinhyen", vn(2026, 3, 3, 8, 0), {
        "procedure": "1.001193", "channel": "direct", "receiving_unit": "000.01.32.H45",
        "applicant": {"name": "Cao Thị Mơ"}})
    april = desk.create("tiepnhan.viettri", vn(2026, 4, 1, 8, 0), {
        "procedure": "1.001193", "channel": "direct", "receiving_unit": VIETTRI, "applicant": {"name": "Đỗ Văn Tư"}})
    codes["april"] = april["code"]
    return codes


def _xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "TT")
    return rows[header + 1:]


def test_excel_rows_are_the_events(desk: Desk, book: dict[str, str]) -> None:
    r = desk.get("tiepnhan.viettri", vn(2026, 4, 2, 9), BOOK, **MARCH, format="xlsx")
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"] == f'attachment; filename="so-theo-doi-{VIETTRI}-20260301-20260331.xlsx"'
    rows = _xlsx_rows(r.content)
    assert rows == [
        (1, book["walk_in"], "Đăng ký khai sinh", 2, "Lê Thị Hoa", "Phường Việt Trì; 0912000111", DESK_NAME,
         datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 3, 8, 0), datetime(2026, 3, 2, 8, 20),
         datetime(2026, 3, 2, 14, 0), datetime(2026, 3, 2, 15, 30), None, None),
        (2, book["online"], "Đăng ký khai sinh", 1, "Nguyễn Văn An", "Phường Việt Trì, tỉnh Phú Thọ; 0912345678",
         DESK_NAME, datetime(2026, 3, 2, 8, 10), datetime(2026, 3, 3, 8, 10), None, None, None, None,
         "Nộp trực tuyến; Trả kết quả qua bưu chính; Đã rút hồ sơ"),
        (3, book["dept"], "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
         1, "Phạm Quốc Bảo", "Xã Lạc Sơn", DEPT_NAME, datetime(2026, 3, 2, 9, 0), datetime(2026, 3, 16, 9, 0),
         datetime(2026, 3, 2, 10, 5), None, None, None, None),
    ]
    # The book runs through the year: April continues at 4, as Mẫu 01 of that dossier says.
    april = _xlsx_rows(desk.get("tiepnhan.viettri", vn(2026, 4, 2, 9), BOOK, **{"from": "2026-04-01", "to": "2026-04-30"},
                                format="xlsx").content)
    assert [(row[0], row[1]) for row in april] == [(4, book["april"])]
    receipt = pdf_pages(
        desk.get("tiepnhan.viettri", vn(2026, 4, 2, 9), f"/dossiers/{book['april']}/forms/mau-01").content)[0]
    assert "Quyển số: 2026 Số thứ tự: 4" in receipt


def test_pdf_book_is_a4_landscape_with_the_rows(desk: Desk, book: dict[str, str]) -> None:
    r = desk.get("giamsat.viettri", vn(2026, 4, 2, 9), BOOK, **MARCH)  # PDF by default
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/pdf"
    assert pdf_page_size_mm(r.content) == (297, 210)
    text = pdf_text(r.content)
    for part in ("ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Phú Thọ, ngày 02 tháng 4 năm 2026", "SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/03/2026 đến ngày 31/03/2026",
                 "Quyển số: 2026",
                 "Chuyển hồ sơ đến cơ quan giải quyết", "Trả kết quả cho tổ chức, cá nhân"):
        assert part in text, part
    positions = [text.find(f"{n} {book[key]}") for n, key in ((1, "walk_in"), (2, "online"), (3, "dept"))]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), text
    assert "08:00 02/03/2026 08:00 03/03/2026 08:20 02/03/2026 14:00 02/03/2026 15:30 02/03/2026" in text
    assert "09:00 02/03/2026 09:00 16/03/2026 10:05 02/03/2026" in text
    assert book["april"] not in text and "Cao Thị Mơ" not in text and "Trần Thị Bình" not in text


def test_who_may_read_the_book(desk: Desk, book: dict[str, str], api: Any) -> None:
    moment = vn(2026, 4, 2, 9)
    for username in ("tiepnhan.viettri", "chuyenvien.viettri", "giamsat.viettri", "giamsat.tinh", "admin"):
        assert desk.get(username, moment, BOOK, **MARCH, format="xlsx").status_code == 200, username
    for username in ("tiepnhan.vinhyen", "chuyenvien.stp", "025090000123"):
        r = desk.get(username, moment, BOOK, **MARCH, format="xlsx")
        assert r.status_code == 403 and r.json()["code"] == "forbidden", username
    assert api().get(BOOK, **MARCH).status_code == 401


def test_bad_requests(desk: Desk, book: dict[str, str]) -> None:
    moment = vn(2026, 4, 2, 9)
    r = desk.get("tiepnhan.viettri", moment, BOOK, **MARCH, format="docx")
    assert r.status_code == 400 and r.json()["code"] == "invalid_format"
    r = desk.get("tiepnhan.viettri", moment, BOOK, **{"from": "2026-03-31", "to": "2026-03-01"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_period"
    r = desk.get("tiepnhan.viettri", moment, BOOK, **{"from": "2024-01-01", "to": "2026-03-01"})
    assert r.status_code == 400 and r.json()["code"] == "period_too_long"
    r = desk.get("tiepnhan.viettri", moment, BOOK, **{"from": "9999-12-01", "to": "9999-12-31"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_period"
    r = desk.get("tiepnhan.viettri", moment, BOOK, **{"from": "2026-13-01"})
    assert r.status_code == 400
    r = desk.get("admin", moment, "/units/999.99.99.H99/tracking-book", **MARCH)
    assert r.status_code == 404


def test_default_period_is_this_month(desk: Desk, book: dict[str, str]) -> None:
    r = desk.get("tiepnhan.viettri", vn(2026, 3, 20, 9), BOOK, format="xlsx")
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('-20260301-20260320.xlsx"')
    assert [row[0] for row in _xlsx_rows(r.content)] == [1, 2, 3]
