"""Biểu II.06a page on the crafted histories: the numbers counted by hand in tests/reports/histories.py,
each number a link to its dossiers, and the Excel and PDF files."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

from tests.reports.histories import (
    FEB_PROVINCE,
    FEB_PROVINCE_TOTALS,
    FEB_VIET_TRI,
    FEB_VIET_TRI_TOTALS,
    PROVINCE,
    VIET_TRI_COMMUNE,
)

from .conftest import cell, codes_listed, field_error, href, text

pytestmark = pytest.mark.django_db
FEB = {"unit": VIET_TRI_COMMUNE, "date_from": "2026-02-01", "date_to": "2026-02-28"}
CELLS = [f"{group}.{key}" for group, keys in (
    ("received", ("total", "online", "direct_postal", "carried_over")),
    ("resolved", ("total", "early", "on_time", "late")),
    ("in_progress", ("total", "within_time", "overdue"))) for key in keys]


def numbers(html: str, row: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key in CELLS:
        group, name = key.split(".")
        out.setdefault(group, {})[name] = int(cell(html, "field", row, key).replace(".", ""))
    return out


def test_february_at_viet_tri_matches_the_hand_count(imported, page):
    client = page("giamsat.viettri")
    r = client.get("/bao-cao/ii06a/", FEB)
    assert r.status_code == 200
    html = text(r)
    assert numbers(html, "CUTRU") == FEB_VIET_TRI["CUTRU"]
    assert numbers(html, "HOTICH") == FEB_VIET_TRI["HOTICH"]
    assert numbers(html, "total") == FEB_VIET_TRI_TOTALS
    assert html.index("Đăng ký, quản lý cư trú") < html.index("Hộ tịch")  # alphabetical, as in the JSON
    # The form's structure: column groups, headers tied to every cell.
    for header in ("Số hồ sơ nhận giải quyết", "Từ kỳ trước chuyển qua", "Kết quả giải quyết: số hồ sơ đã giải quyết",
                   "Số hồ sơ đang giải quyết", "Chưa đến hạn", "Trực tiếp, dịch vụ bưu chính"):
        assert header in html
    assert 'scope="colgroup"' in html and 'headers="r2 h-rec h-rec-new h-rec-online"' in html
    assert "<caption" in html


def test_every_number_links_to_the_dossiers_behind_it(imported, page):
    client = page("giamsat.viettri")
    html = text(client.get("/bao-cao/ii06a/", FEB))
    link = href(html, "field", "HOTICH", "received.online")
    assert parse_qs(urlsplit(link).query) == {"unit": [VIET_TRI_COMMUNE], "date_from": ["2026-02-01"],
                                              "date_to": ["2026-02-28"], "set": ["received.online"],
                                              "field": ["HOTICH"]}
    listed = text(client.get(link))
    assert "Hồ sơ mới tiếp nhận trực tuyến" in listed
    assert imported.letters(codes_listed(listed)) == {"E"}
    assert imported.letters(codes_listed(text(client.get(href(html, "field", "total", "resolved.late"))))) == {"H", "P"}
    assert imported.letters(codes_listed(text(client.get(href(html, "field", "HOTICH", "in_progress.overdue"))))) \
        == {"E", "K"}
    carried = text(client.get(href(html, "field", "total", "received.carried_over")))
    assert imported.letters(codes_listed(carried)) == {"A", "P"} and "2 hồ sơ" in carried
    assert href(html, "field", "HOTICH", "received.carried_over") is None  # 0: nothing to list


def test_the_whole_province_for_its_supervisor(imported, page):
    html = text(page("giamsat.tinh").get("/bao-cao/ii06a/", {**FEB, "unit": PROVINCE}))
    assert numbers(html, "total") == FEB_PROVINCE_TOTALS
    assert numbers(html, "LLTP") == FEB_PROVINCE["LLTP"]  # O, received at Việt Trì, handled by Sở Tư pháp


def test_downloads_are_the_official_files(imported, page):
    client = page("giamsat.viettri")
    r = client.get("/bao-cao/ii06a/", {**FEB, "dinh-dang": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"] == f'attachment; filename="bieu-II.06a_{VIET_TRI_COMMUNE}_20260201-20260228.xlsx"'
    ws = load_workbook(io.BytesIO(r.content)).active
    total = next(row for row in ws.iter_rows(min_row=11, values_only=True) if row[0] == "Tổng cộng")
    assert list(total[2:13]) == [FEB_VIET_TRI_TOTALS[c.split(".")[0]][c.split(".")[1]] for c in CELLS]
    r = client.get("/bao-cao/ii06a/", {**FEB, "dinh-dang": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    html = text(client.get("/bao-cao/ii06a/", FEB))
    assert 'href="?unit=000.00.31.H45&amp;date_from=2026-02-01&amp;date_to=2026-02-28&amp;dinh-dang=xlsx"' in html


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "id_date_to", "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."),
    ({"date_from": "31/02/2026"}, "id_date_from", "Ngày không hợp lệ."),
    ({"date_to": ""}, "id_date_to", "Vui lòng nhập ngày kết thúc."),
    ({"date_to": "2026-05-01"}, "id_date_to", "Ngày kết thúc không được sau ngày hôm nay."),
    ({"date_from": "1999-12-31"}, "id_date_from", "Ngày bắt đầu phải từ năm 2000 trở đi."),
    ({"unit": "khong-co"}, "id_unit", "Bạn không có quyền xem báo cáo của đơn vị này, hoặc đơn vị không tồn tại."),
])
def test_bad_input_is_explained_next_to_the_field(frozen, page, query, field, message):
    r = page("giamsat.viettri").get("/bao-cao/ii06a/", {**FEB, **query})
    assert r.status_code == 400
    html = text(r)
    assert field_error(html, field) == message
    assert 'class="error-summary"' in html and 'data-testid="ii06a"' not in html


def test_the_dossier_list_refuses_an_unknown_figure(frozen, page):
    r = page("giamsat.viettri").get("/bao-cao/ho-so/", {**FEB, "set": "received.everything"})
    assert r.status_code == 400
    assert "Không có số liệu này." in text(r)
    r = page("giamsat.viettri").get("/bao-cao/ho-so/", {**FEB, "set": "received.total", "part": "half"})
    assert r.status_code == 400 and "Chỉ chọn được tử số hoặc mẫu số." in text(r)
