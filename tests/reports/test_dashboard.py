"""Dashboard data and charts on the crafted histories (histories.py); time frozen on 10/4/2026."""

from __future__ import annotations

import pytest

from motcua.reports import charts

from .conftest import period
from .histories import PROVINCE, SO_TU_PHAP, VIET_TRI, VIET_TRI_COMMUNE

pytestmark = pytest.mark.django_db
FEB = period("2026-02-01", "2026-02-28")


def test_dashboard_figures_by_hand(imported):
    r = imported.admin.get("/reports/dashboard", unit=VIET_TRI_COMMUNE, **period("2026-01-01", "2026-03-31"))
    assert r.status_code == 200, r.content
    body = r.json()
    # Resolved by month: January B (on time); February A, G, M early, C, I on time, H, P late;
    # March K late, L on time.
    assert body["on_time_by_month"] == [
        {"month": "2026-01", "resolved": 1, "on_time": 1, "rate": 1.0},
        {"month": "2026-02", "resolved": 7, "on_time": 5, "rate": round(5 / 7, 4)},
        {"month": "2026-03", "resolved": 2, "on_time": 1, "rate": 0.5},
    ]
    # Open now (10/4) past the due date: D, E, J at Việt Trì.
    assert body["overdue"]["by_unit"] == [{"unit": {"code": VIET_TRI, "name": body["overdue"]["by_unit"][0]["unit"][
        "name"]}, "overdue": 3}]
    assert {p["procedure"]["code"]: p["overdue"] for p in body["overdue"]["by_procedure"]} == {"1.004222": 2,
                                                                                              "1.001193": 1}
    # No hand-over for 3 days, not paused: D (since 12/2) and E (since 3/2); J waits for the applicant.
    assert [(u["unit"]["code"], u["idle"]) for u in body["idle"]["by_unit"]] == [(VIET_TRI, 2)]
    assert set(body["charts"]) == {"on-time", "units", "channels", "overdue-units", "satisfaction"}

    feb = imported.admin.get("/reports/dashboard", unit=PROVINCE, **FEB).json()
    # New in February: E online; M by post; C, D, G, H, I, J, K at Việt Trì, N, O elsewhere at the desk.
    assert feb["channels"] == {"online": 1, "direct": 9, "postal": 1}
    # On time = (received − late − overdue) / received: Sở Tư pháp 1/1, Lạc Sơn 1/1, Việt Trì 7/11.
    assert [(u["unit"]["code"], u["received"], u["rate"]) for u in feb["units"]] == [
        (SO_TU_PHAP, 1, 1.0), ("000.01.33.H45", 1, 1.0), (VIET_TRI, 11, round(7 / 11, 4))]
    # The import replays every event as the admin: six resolutions in February (A, C, I, M, N, P).
    admin = next(o for o in feb["officials"] if o["official"]["username"] == "admin")
    assert admin["resolved"] == 6


def test_charts_are_svg_without_javascript(imported):
    for name in ("on-time", "units", "channels", "overdue-units", "satisfaction"):
        r = imported.admin.get(f"/reports/charts/{name}.svg", unit=PROVINCE, **FEB)
        assert r.status_code == 200, (name, r.content)
        assert r["Content-Type"].startswith("image/svg+xml")
        text = r.content.decode()
        assert text.startswith("<svg") and "<title" in text and "<script" not in text
    text = imported.admin.get("/reports/charts/units.svg", unit=PROVINCE, **FEB).content.decode()
    assert "Sở Tư pháp tỉnh Phú Thọ" in text and "63,6%" in text  # Việt Trì 7/11
    assert imported.admin.get("/reports/charts/pie.svg", unit=PROVINCE, **FEB).status_code == 404
    assert imported.api("chuyenvien.viettri").get("/reports/charts/units.svg", unit=PROVINCE, **FEB).status_code == 403


def test_chart_functions_escape_labels_and_show_gaps():
    svg = charts.bar_chart("A <b>", [("x & y", 0.5), ("none", None)], percent=True)
    assert "A &lt;b&gt;" in svg and "x &amp; y" in svg and "không có dữ liệu" in svg and "50,0%" in svg
    line = charts.line_chart("Tỷ lệ", [("2026-01", 1.0), ("2026-02", None), ("2026-03", 0.5)])
    assert line.count("<circle") == 2 and "<polyline" not in line  # no segment across the gap
