"""Biểu II.07b: procedures by level under a unit's authority."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from motcua.catalog.models import Procedure

from .conftest import period
from .histories import PROVINCE, SO_TU_PHAP, VIET_TRI_COMMUNE

pytestmark = pytest.mark.django_db
Q1 = period("2026-01-01", "2026-03-31")
NEW = {
    "code": "9.000001", "name": "Thủ tục thử nghiệm không có quy trình riêng", "field": {"code": "HOTICH",
                                                                                          "name": "Hộ tịch"},
    "level": "commune", "time_limit": {"value": 2, "unit": "working_days"}, "online_mode": "none",
    "handling_unit": "receiving",
}


def _commune_receiving() -> list[Procedure]:
    return [p for p in Procedure.objects.filter(is_active=True).select_related("current")
            if p.current.level == "commune" and p.current.handling_unit == "receiving"]


def test_commune_counts_and_a_procedure_without_its_own_workflow(imported):
    admin = imported.admin
    before = admin.get("/reports/ii07b", unit=VIET_TRI_COMMUNE, **Q1).json()
    mine = _commune_receiving()
    (row,) = before["rows"]
    assert row["level"] == {"code": "commune", "name": "Cấp xã"}
    assert row["total"] == len(mine) and row["one_stop"] == len(mine)
    assert row["online_full"] == sum(p.current.online_mode == "full" for p in mine)
    assert row["online_partial"] == sum(p.current.online_mode == "partial" for p in mine)
    assert before["totals"]["total"] == row["total"]

    assert admin.post("/admin/procedures", NEW).status_code == 201  # published with the generated workflow
    after = admin.get("/reports/ii07b", unit=VIET_TRI_COMMUNE, **Q1).json()["rows"][0]
    assert after["total"] == row["total"] + 1 and after["one_stop"] == row["one_stop"] + 1
    assert after["with_workflow"] == row["with_workflow"]  # the generated one is not an approved workflow
    assert after["online_full"] + after["online_partial"] == row["online_full"] + row["online_partial"]


def test_a_department_answers_for_the_procedures_it_handles(imported):
    body = imported.admin.get("/reports/ii07b", unit=SO_TU_PHAP, **Q1).json()
    expected = Procedure.objects.filter(is_active=True, current__handling_unit=SO_TU_PHAP).count()
    assert expected > 0 and body["totals"]["total"] == expected
    province = imported.admin.get("/reports/ii07b", unit=PROVINCE, **Q1).json()
    assert province["totals"]["total"] == Procedure.objects.filter(is_active=True).count()
    r = imported.admin.get("/reports/ii07b", unit=PROVINCE, **Q1, format="xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert "II.07b" in ws["A1"].value
    total = next(row for row in ws.iter_rows(min_row=9, values_only=True) if row[0] == "Tổng cộng")
    assert list(total[2:7]) == [province["totals"][k] for k in ("total", "one_stop", "with_workflow",
                                                                 "online_full", "online_partial")]
    assert imported.admin.get("/reports/ii07b", unit=PROVINCE, **Q1, format="pdf").status_code == 400
    assert imported.api("chuyenvien.viettri").get("/reports/ii07b", unit=PROVINCE, **Q1).status_code == 403
