"""Biểu II.07b page: procedures by level under a unit's authority."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from motcua.catalog.models import Procedure
from tests.reports.histories import SO_TU_PHAP, VIET_TRI_COMMUNE

from .conftest import cell, text

pytestmark = pytest.mark.django_db
Q1 = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
KEYS = ("total", "one_stop", "with_workflow", "online_full", "online_partial")


def test_the_commune_and_a_department(imported, page):
    client = page("giamsat.tinh")
    html = text(client.get("/bao-cao/ii07b/", {"unit": VIET_TRI_COMMUNE, **Q1}))
    mine = [p for p in Procedure.objects.filter(is_active=True).select_related("current")
            if p.current.level == "commune" and p.current.handling_unit == "receiving"]
    assert cell(html, "level", "commune", "total") == str(len(mine))
    assert cell(html, "level", "commune", "one_stop") == str(len(mine))
    assert cell(html, "level", "commune", "online_full") == str(sum(p.current.online_mode == "full" for p in mine))
    assert cell(html, "level", "total", "total") == str(len(mine))
    body = imported.api("giamsat.tinh").get("/reports/ii07b", unit=SO_TU_PHAP, **{"from": "2026-01-01",
                                                                                  "to": "2026-03-31"}).json()
    html = text(client.get("/bao-cao/ii07b/", {"unit": SO_TU_PHAP, **Q1}))
    expected = Procedure.objects.filter(is_active=True, current__handling_unit=SO_TU_PHAP).count()
    assert expected > 0 and cell(html, "level", "total", "total") == str(expected)
    assert [cell(html, "level", "total", k) for k in KEYS] == [str(body["totals"][k]) for k in KEYS]


def test_excel_download(imported, page):
    r = page("giamsat.viettri").get("/bao-cao/ii07b/", {"unit": VIET_TRI_COMMUNE, **Q1, "dinh-dang": "xlsx"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(r.content)).active
    assert "II.07b" in ws["A1"].value
    total = next(row for row in ws.iter_rows(min_row=9, values_only=True) if row[0] == "Tổng cộng")
    assert total[2] > 0
