"""The dashboard page: charts as inline SVG with a data table under each, numbers by hand."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.reports.histories import PROVINCE, VIET_TRI

from .conftest import text, visible

pytestmark = pytest.mark.django_db


def rows(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-testid="{testid}"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, testid
    return [[visible(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)]


def test_the_commune_supervisor_sees_this_year_by_default(imported, page):
    r = page("giamsat.viettri").get("/bao-cao/")
    assert r.status_code == 200
    html = text(r)
    assert '<option value="000.00.31.H45" selected>' in html and 'value="2026-01-01"' in html
    # 1/1–10/4/2026 at Việt Trì: every dossier but F (refused) and N, O (other units): 13 in the period.
    cards = re.findall(r'<span class="n">([^<]+)</span>', html)
    # Resolved: A, B, C, G, H, I, K, L, M, P; late: H, K, P; open past due at 10/4 24:00: D, E, J.
    assert cards[:4] == ["13", "10", "3", "3"]
    # Resolved by month: January B; February A, G, M (early), C, I (on time), H, P (late); March K (late), L.
    assert rows(html, "on-time") == [["01/2026", "1", "1", "100,0%"], ["02/2026", "7", "5", "71,4%"],
                                     ["03/2026", "2", "1", "50,0%"]]
    # One handling unit: (13 − 3 late − 3 overdue) / 13.
    assert rows(html, "ranking") == [["1", "Trung tâm Phục vụ hành chính công phường Việt Trì", "13", "10", "3", "3",
                                      "53,8%"]]
    # New in the period: E, P online; M by post; the other ten at the desk.
    assert [r[:2] for r in rows(html, "channels")] == [["Trực tuyến", "2"], ["Trực tiếp", "10"],
                                                        ["Bưu chính công ích", "1"]]
    assert rows(html, "overdue-units") == [["Trung tâm Phục vụ hành chính công phường Việt Trì", "3"]]
    assert {r[0]: r[2] for r in rows(html, "overdue-procedures")} == {"1.004222": "2", "1.001193": "1"}


def test_charts_are_inline_svg_with_titles_and_unique_ids(imported, page):
    html = text(page("giamsat.tinh").get("/bao-cao/", {"unit": PROVINCE, "date_from": "2026-02-01",
                                                        "date_to": "2026-02-28"}))
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 7  # six about dossiers, one about satisfaction (ratings, petitions)
    for svg in svgs:
        labelled = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', svg)
        assert f'<title id="{labelled.group(1)}">' in svg and f'<desc id="{labelled.group(2)}">' in svg
        assert 'role="img"' in svg and "max-width:100%" in svg
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert "<script" not in "".join(svgs)
    assert "Sở Tư pháp tỉnh Phú Thọ" in svgs[1] and "63,6%" in svgs[1]  # Việt Trì 7/11 in February
    # The ranking links each unit to its own dashboard and each number to its dossiers.
    assert f"/bao-cao/?unit={VIET_TRI}&amp;date_from=2026-02-01&amp;date_to=2026-02-28" in html
    admin_row = re.search(r'<tr data-official="admin">(.*?)</tr>', html, re.S)
    assert admin_row  # the import replays every event as the admin
    assert [visible(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", admin_row.group(1), re.S)][3] == "6"  # resolutions


def test_a_period_too_long_for_the_dashboard(imported, page):
    r = page("giamsat.tinh").get("/bao-cao/", {"unit": PROVINCE, "date_from": "2024-01-01", "date_to": "2026-03-31"})
    assert r.status_code == 400
    assert "Bảng điều khiển xem được kỳ tối đa 366 ngày" in text(r)

