"""Biểu II.06a on crafted histories whose counts are worked out by hand (see histories.py)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.dossiers.models import Dossier
from motcua.reports import domain
from motcua.reports.selectors import ii06a, report_scope

from .conftest import by_field, period
from .histories import (
    FEB_PROVINCE,
    FEB_PROVINCE_TOTALS,
    FEB_VIET_TRI,
    FEB_VIET_TRI_TOTALS,
    LAC_SON,
    MAR_VIET_TRI_TOTALS,
    PROVINCE,
    SO_TU_PHAP,
    VIET_TRI,
    VIET_TRI_COMMUNE,
    iso,
)

pytestmark = pytest.mark.django_db
FEB = period("2026-02-01", "2026-02-28")


def test_the_histories_have_the_due_dates_and_outcomes_worked_out_by_hand(imported):
    def get(letter):
        r = imported.admin.get(f"/dossiers/{imported.codes[letter]}")
        assert r.status_code == 200, r.content
        return r.json()

    a = get("A")
    assert (a["original_due_at"], a["outcome"], a["status"]["code"]) == (iso("2026-02-04 08:00"), "early", 9)
    d = get("D")  # across Tết: 5 h + 8 h before, 40 h after, 3 h on Monday 2/3
    assert (d["due_at"], d["finished_at"]) == (iso("2026-03-02 10:00"), None)
    e = get("E")
    assert (e["received_at"], e["due_at"], e["status"]["code"]) == (iso("2026-02-03 08:00"), iso("2026-02-04 08:00"), 4)
    f = get("F")
    assert (f["status"]["code"], f["received_at"], f["outcome"]) == (3, None, None)
    g = get("G")
    assert (g["status"]["code"], g["original_due_at"], g["outcome"]) == (7, iso("2026-02-25 08:00"), "early")
    h = get("H")
    assert (h["status"]["code"], h["original_due_at"], h["outcome"]) == (8, iso("2026-02-11 08:00"), "late")
    i = get("I")  # 16 working hours paused move the due date from Tue 10/2 08:00 to Thu 12/2 08:00
    assert (i["original_due_at"], i["finished_at"], i["outcome"], i["status"]["code"]) == (
        iso("2026-02-12 08:00"), iso("2026-02-12 15:00"), "on_time", 10)
    j = get("J")
    assert (j["status"]["code"], j["due_at"]) == (5, iso("2026-03-04 08:00"))
    k = get("K")
    assert (k["due_at"], k["outcome"]) == (iso("2026-02-27 09:00"), "late")
    m = get("M")
    assert (m["channel"], m["due_at"], m["outcome"]) == ("postal", iso("2026-02-13 09:00"), "early")
    o = get("O")
    assert (o["handling_unit"]["code"], o["due_at"]) == (SO_TU_PHAP, iso("2026-03-03 08:00"))
    p = get("P")
    assert (p["received_at"], p["due_at"], p["outcome"]) == (iso("2026-01-30 08:00"), iso("2026-02-04 08:00"), "late")


def test_february_for_viet_tri_matches_the_hand_count(imported):
    for unit in (VIET_TRI_COMMUNE, VIET_TRI):  # the commune covers its centre
        r = imported.admin.get("/reports/ii06a", unit=unit, **FEB)
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["unit"]["code"] == unit
        assert (body["from"], body["to"]) == ("2026-02-01", "2026-02-28")
        assert by_field(body) == FEB_VIET_TRI
        assert body["totals"] == FEB_VIET_TRI_TOTALS
        assert [row["field"]["name"] for row in body["rows"]] == ["Đăng ký, quản lý cư trú", "Hộ tịch"]
        assert domain.identity_holds(body["totals"])
        for row in body["rows"]:
            assert domain.identity_holds(row)
    totals = FEB_VIET_TRI_TOTALS
    assert totals["received"]["total"] == totals["resolved"]["total"] + totals["in_progress"]["total"] == 11


def test_the_province_adds_other_units_and_a_department_sees_its_own(imported):
    body = imported.admin.get("/reports/ii06a", unit=PROVINCE, **FEB).json()
    assert by_field(body) == FEB_PROVINCE
    assert body["totals"] == FEB_PROVINCE_TOTALS
    assert {row["field"]["code"]: row["field"]["name"] for row in body["rows"]}["LLTP"] == "Lý lịch tư pháp"
    # O was received at Việt Trì but is decided by Sở Tư pháp: it counts there, not at Việt Trì.
    sotp = imported.admin.get("/reports/ii06a", unit=SO_TU_PHAP, **FEB).json()
    assert by_field(sotp) == {"LLTP": FEB_PROVINCE["LLTP"]}
    lacson = imported.admin.get("/reports/ii06a", unit=LAC_SON, **FEB).json()
    assert lacson["totals"]["resolved"] == {"total": 1, "early": 1, "on_time": 0, "late": 0}


def test_march_carries_over_februarys_open_dossiers(imported):
    body = imported.admin.get("/reports/ii06a", unit=VIET_TRI_COMMUNE, **period("2026-03-01", "2026-03-31")).json()
    assert body["totals"] == MAR_VIET_TRI_TOTALS
    # February's in-progress figure is March's carried-over figure.
    assert FEB_VIET_TRI_TOTALS["in_progress"]["total"] == MAR_VIET_TRI_TOTALS["received"]["carried_over"]


def test_the_dossiers_behind_a_cell(imported):
    def letters(cell, **extra):
        r = imported.admin.get("/reports/dossiers", unit=VIET_TRI_COMMUNE, set=cell, **FEB, **extra)
        assert r.status_code == 200, r.content
        assert r.json()["count"] == len(r.json()["items"])
        return imported.letters([d["code"] for d in r.json()["items"]])

    assert letters("in_progress.overdue") == {"E", "K"}
    assert letters("in_progress.within_time") == {"D", "J"}
    assert letters("received.carried_over") == {"A", "P"}
    assert letters("resolved.early") == {"A", "G", "M"}
    assert letters("resolved.late") == {"H", "P"}
    assert letters("resolved.on_time") == {"C", "I"}
    assert letters("received.total", field="HOTICH") == {"C", "E", "I", "K"}
    r = imported.admin.get("/reports/dossiers", unit=VIET_TRI_COMMUNE, set="nonsense", **FEB)
    assert (r.status_code, r.json()["code"]) == (400, "unknown_set")


def _facts(d: Dossier) -> domain.DossierFacts:
    return domain.DossierFacts(status=d.status, channel=d.channel, received_at=d.received_at,
                               finished_at=d.finished_at, due_at=d.due_at, original_due_at=d.original_due_at,
                               outcome=d.outcome)


def test_sql_counts_equal_the_pure_rule_and_the_identity_holds_for_every_period(imported):
    dossiers = list(Dossier.objects.all())
    scope = report_scope(PROVINCE)
    periods = [domain.Period(date(2026, 1, 1), date(2026, 12, 31))]
    periods += [domain.Period(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 5)]
    periods += [domain.Period(date(2026, 2, d), date(2026, 2, d)) for d in range(1, 29)]
    periods += [domain.Period(date(2026, 1, 20), date(2026, 2, 13)), domain.Period(date(2026, 2, 14), date(2026, 3, 2))]
    for p in periods:
        report = ii06a(scope, p)
        expected = domain.counts_from_cells(domain.classify(_facts(d), p) for d in dossiers)
        assert report["totals"] == expected, p
        assert domain.identity_holds(report["totals"]), p


def test_excel_matches_the_json(imported):
    body = imported.admin.get("/reports/ii06a", unit=PROVINCE, **FEB).json()
    r = imported.admin.get("/reports/ii06a", unit=PROVINCE, **FEB, format="xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "bieu-II.06a" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    texts = [str(ws.cell(row=i, column=1).value or "") for i in range(1, 6)]
    assert "Biểu số II.06a/VPCP/KSTT" in texts[0]
    assert "01/02/2026" in texts[2] and "28/02/2026" in texts[2]
    assert "Ủy ban nhân dân tỉnh Phú Thọ" in texts[3]
    assert ws["C7"].value == "Số hồ sơ nhận giải quyết" and ws["D9"].value == "Trực tuyến"
    columns = [("received", "total"), ("received", "online"), ("received", "direct_postal"),
               ("received", "carried_over"), ("resolved", "total"), ("resolved", "early"), ("resolved", "on_time"),
               ("resolved", "late"), ("in_progress", "total"), ("in_progress", "within_time"),
               ("in_progress", "overdue")]
    sheet_rows = {}
    for row in ws.iter_rows(min_row=11, values_only=True):
        if row[1] in {r["field"]["name"] for r in body["rows"]} or row[0] == "Tổng cộng":
            sheet_rows[row[1] if row[0] != "Tổng cộng" else "Tổng cộng"] = list(row[2:13])
    for item in body["rows"]:
        assert sheet_rows[item["field"]["name"]] == [item[g][k] for g, k in columns]
    assert sheet_rows["Tổng cộng"] == [body["totals"][g][k] for g, k in columns]
    assert sheet_rows["Tổng cộng"] == [13, 1, 10, 2, 8, 4, 2, 2, 5, 3, 2]


def test_pdf_shows_the_numbers(imported):
    r = imported.admin.get("/reports/ii06a", unit=VIET_TRI_COMMUNE, **FEB, format="pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in reader.pages))
    assert "Biểu số II.06a/VPCP/KSTT" in text
    assert "Ủy ban nhân dân phường Việt Trì" in text
    assert "Tổng cộng 11 1 8 2 7 3 2 2 4 2 2" in text
    assert "Hộ tịch 4 1 3 0 2 0 2 0 2 0 2" in text


def test_who_may_see_reports(imported):
    api = imported.api
    feb = {"unit": VIET_TRI_COMMUNE, **FEB}
    assert api("giamsat.tinh").get("/reports/ii06a", **feb).status_code == 200
    viettri = api("giamsat.viettri")
    assert viettri.get("/reports/ii06a", **feb).status_code == 200
    assert viettri.get("/reports/ii06a", unit=VIET_TRI, **FEB).status_code == 200
    assert viettri.get("/reports/ii06a", unit=PROVINCE, **FEB).status_code == 403
    assert viettri.get("/reports/index-766", unit=LAC_SON, **FEB).status_code == 403
    leader = api("lanhdao.viettri")
    assert leader.get("/reports/ii06a", unit=VIET_TRI, **FEB).status_code == 200
    assert leader.get("/reports/ii06a", **feb).status_code == 403  # the commune is above the leader's centre
    for username in ("chuyenvien.viettri", "tiepnhan.viettri", "025090000123"):
        r = api(username).get("/reports/ii06a", **feb)
        assert (r.status_code, r.json()["code"]) == (403, "forbidden"), username
        assert api(username).get("/reports/index-766", **feb).status_code == 403
    assert api().get("/reports/ii06a", **feb).status_code == 401


def test_bad_parameters_are_400(imported):
    admin = imported.admin
    r = admin.get("/reports/ii06a", unit=VIET_TRI, **period("2026-03-01", "2026-02-01"))
    assert (r.status_code, r.json()["code"]) == (400, "invalid_period")
    r = admin.get("/reports/ii06a", unit="000.99.99.H45", **FEB)
    assert (r.status_code, r.json()["code"]) == (400, "unknown_unit")
    r = admin.get("/reports/ii06a", unit=VIET_TRI, **FEB, format="doc")
    assert (r.status_code, r.json()["code"]) == (400, "invalid_format")
    assert admin.get("/reports/ii06a", unit=VIET_TRI, **period("2026-02-30", "2026-03-01")).status_code == 400
    assert admin.get("/reports/ii06a", unit=VIET_TRI).status_code == 400
    assert admin.get("/reports/index-766", unit=VIET_TRI, **{"from": "x", "to": "y"}).status_code == 400
