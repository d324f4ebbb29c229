"""The Decision 766 index page on the crafted histories (numbers worked out in tests/reports)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from motcua.reports.selectors import NO_DATA_NOTES
from tests.reports.histories import VIET_TRI_COMMUNE

from .conftest import cell, codes_listed, href, text, visible

pytestmark = pytest.mark.django_db
FEB = {"unit": VIET_TRI_COMMUNE, "date_from": "2026-02-01", "date_to": "2026-02-28"}


def test_groups_indicators_and_their_points(imported, page):
    client = page("giamsat.viettri")
    r = client.get("/bao-cao/chi-so-766/", FEB)
    assert r.status_code == 200
    html = text(r)
    body = imported.api("giamsat.viettri").get("/reports/index-766", unit=VIET_TRI_COMMUNE, **{
        "from": "2026-02-01", "to": "2026-02-28"}).json()
    # Five groups, each with its points out of its maximum.
    for number, (name, maximum) in enumerate([("Công khai, minh bạch", 18), ("Tiến độ giải quyết", 20),
                                              ("Dịch vụ trực tuyến", 22), ("Số hóa hồ sơ", 22),
                                              ("Mức độ hài lòng", 18)], start=1):
        assert re.search(rf"Nhóm {number}\. {name}: [0-9,]+/{maximum} điểm", html), name
    total = f"{body['total_points']}".replace(".", ",")
    assert visible(re.search(r'data-testid="total-points"[^>]*>(.*?)</li>', html, re.S).group(1)) == f"{total}/100 điểm"
    # Progress, by hand: finished early or on time A, G, M, C, I; in progress within time D, J; of 11.
    assert cell(html, "indicator", "progress.on_time", "numerator") == "7"
    assert cell(html, "indicator", "progress.on_time", "denominator") == "11"
    assert cell(html, "indicator", "progress.on_time", "rate") == "63,6%"
    assert cell(html, "indicator", "progress.on_time", "points") == "12,73/20"
    # Online share: E of the 9 received in February; full points at 50 %.
    assert [cell(html, "indicator", "online.online_share", k) for k in ("numerator", "denominator", "rate", "points")] \
        == ["1", "9", "11,1%", "1,33/6"]
    assert cell(html, "indicator", "online.procedures_online", "points") == "4/4"  # 19/20 ≥ 80 %


def test_indicators_without_data_say_why(imported, page):
    html = text(page("giamsat.viettri").get("/bao-cao/chi-so-766/", FEB))
    for key in ("publicity.published_on_time", "publicity.synced_to_portal", "online.paid_online"):
        row = re.search(rf'<tr data-indicator="{re.escape(key)}" data-no-data>(.*?)</tr>', html, re.S)
        assert row, key
        assert f"Chưa có dữ liệu: {NO_DATA_NOTES[key]}" in visible(row.group(1))
        assert cell(html, "indicator", key, "rate") == "Chưa có dữ liệu"
        assert cell(html, "indicator", key, "numerator") == "—"


def test_the_dossiers_behind_an_indicator(imported, page):
    client = page("giamsat.viettri")
    html = text(client.get("/bao-cao/chi-so-766/", FEB))
    numerator = text(client.get(href(html, "indicator", "progress.on_time", "numerator")))
    assert "Hồ sơ giải quyết đúng hạn và đang giải quyết trong hạn (tử số)" in numerator
    assert imported.letters(codes_listed(numerator)) == {"A", "G", "M", "C", "I", "D", "J"}
    denominator = text(client.get(href(html, "indicator", "progress.on_time", "denominator")))
    assert "(mẫu số)" in denominator and "11 hồ sơ" in denominator and len(codes_listed(denominator)) == 11
    assert href(html, "indicator", "online.procedures_online", "numerator") is None  # procedures, not dossiers
    assert href(html, "indicator", "digitisation.electronic_result", "numerator") is None  # 0


def test_downloads(imported, page):
    client = page("giamsat.viettri")
    r = client.get("/bao-cao/chi-so-766/", {**FEB, "dinh-dang": "xlsx"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(r.content)).active
    values = {row[0]: row for row in ws.iter_rows(min_row=6, values_only=True) if row[0]}
    assert values["progress.on_time"][2:4] == (7, 11)
    r = client.get("/bao-cao/chi-so-766/", {**FEB, "dinh-dang": "pdf"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
