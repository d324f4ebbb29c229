"""766 group 5 on the crafted histories (histories.py) with ratings and petitions, worked out by hand.

February 2026, Việt Trì (the commune 000.00.31.H45 and its centre). Petitions to the centre (its
deadlines: 2 / 5 / 15 working days from the receipt, Tết closing 14/2–22/2):

| petition | received | what happened | kept its deadlines by 1/3 00:00 |
|---|---|---|---|
| P1 | Mon 2/2 09:00 (decide by Wed 4/2 09:00) | accepted 3/2, answered 10/2 as public, published 11/2 | yes |
| P2 | Mon 2/2 09:00 | nothing | no: undecided after 4/2 09:00 |
| P3 | Thu 26/2 10:00 (decide by Mon 2/3 10:00) | nothing | yes (not due yet) |
| P4 | Mon 2/2 09:00, about M | refused 2/2 11:00 | yes; a refused petition is no complaint |
| P5 | Fri 13/2 10:00, about D (decide by Tue 24/2 10:00) | accepted 23/2 | yes |
| P6 | Mon 2/2 10:00, about H | accepted 2/2 11:00 | yes (answer due 2/3 10:00) |
| P7 | Mon 5/1 09:00 | accepted and answered privately in January | not in February (closed before) |

Ratings: C "dissatisfied" on 6/2, A "very satisfied" on 3/2.

Satisfaction over the 11 dossiers of the period: late or overdue E, H, K, P (4); on time but
complained about C (disliked) and D (petition P5) (2); H's petition P6 changes nothing (already
late), M's refused petition counts for nothing. Numerator 11 − 4 − 2 = 5: A, G, I, J, M.
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.accounts.selectors import system_actor
from motcua.feedback.services import Contact, petition_create, petition_perform, rating_submit

from .conftest import period
from .histories import PROVINCE, VIET_TRI, VIET_TRI_COMMUNE, at

pytestmark = pytest.mark.django_db
FEB = period("2026-02-01", "2026-02-28")
ANON = Contact(name="Lê Thị Hồng", phone="0977000111")


def _petition(when: str, about: str | None = None, steps: list[tuple[str, str, dict[str, Any]]] | None = None) -> Any:
    p = petition_create(actor=system_actor(), category="dossier" if about else "other", title="Phản ánh thử",
                        content="Nội dung phản ánh", unit_code=VIET_TRI, dossier_code=about, contact=ANON,
                        at=at(when))
    for action, moment, body in steps or []:
        p = petition_perform(actor=system_actor(), petition_id=p.pk, action=action, body=body, at=at(moment))
    return p


@pytest.fixture
def feedback(imported: Any) -> dict[str, Any]:
    codes = imported.codes
    made = {
        "P1": _petition("2026-02-02 09:00", steps=[
            ("accept", "2026-02-03 08:00", {}),
            ("answer", "2026-02-10 09:00", {"answer": "Đã xử lý.", "public": True}),
            ("publish", "2026-02-11 09:00", {})]),
        "P2": _petition("2026-02-02 09:00"),
        "P3": _petition("2026-02-26 10:00"),
        "P4": _petition("2026-02-02 09:00", about=codes["M"], steps=[("refuse", "2026-02-02 11:00",
                                                                       {"reason": "Không có căn cứ"})]),
        "P5": _petition("2026-02-13 10:00", about=codes["D"], steps=[("accept", "2026-02-23 08:00", {})]),
        "P6": _petition("2026-02-02 10:00", about=codes["H"], steps=[("accept", "2026-02-02 11:00", {})]),
        "P7": _petition("2026-01-05 09:00", steps=[("accept", "2026-01-05 10:00", {}),
                                                   ("answer", "2026-01-09 10:00", {"answer": "Xong", "public": False})]),
    }
    rating_submit(actor=system_actor(), code=codes["C"], overall="dissatisfied", verify="5678", channel="qr",
                  criteria={"attitude": "dissatisfied", "timeliness": "satisfied", "clarity": "dissatisfied"},
                  at=at("2026-02-06 09:00"))
    rating_submit(actor=system_actor(), code=codes["A"], overall="very_satisfied", verify="5678", channel="kiosk",
                  criteria={"attitude": "very_satisfied", "timeliness": "very_satisfied", "clarity": "satisfied"},
                  at=at("2026-02-03 09:00"))
    return {k: p.code for k, p in made.items()}


def indicators(body: dict[str, Any]) -> dict[str, Any]:
    return {f"{g['key']}.{i['key']}": i for g in body["groups"] for i in g["indicators"]}


def test_group_5_by_hand(imported: Any, feedback: dict[str, str]) -> None:
    body = imported.admin.get("/reports/index-766", unit=VIET_TRI_COMMUNE, **FEB).json()
    group = next(g for g in body["groups"] if g["key"] == "satisfaction")
    ind = indicators(body)
    in_time = ind["satisfaction.feedback_in_time"]
    assert (in_time["numerator"], in_time["denominator"]) == (5, 6) and not in_time["no_data"]
    assert in_time["rate"] == pytest.approx(5 / 6, abs=1e-4)
    assert in_time["points"] == pytest.approx(5 / 6 * 6, abs=0.01)  # full points at 100 %
    assert "/api/v1/reports/petitions?" in in_time["petitions"]
    sat = ind["satisfaction.satisfaction"]
    assert (sat["numerator"], sat["denominator"]) == (5, 11)
    assert sat["points"] == pytest.approx(5 / 11 * 12 / 0.9, abs=0.01)  # full points at 90 %
    parts = {p["key"]: p["count"] for p in sat["parts"]}
    assert parts == {"satisfaction.late": 4, "satisfaction.complaints": 2}
    assert group["points"] == pytest.approx(in_time["points"] + sat["points"], abs=0.02)

    def letters(set_key: str, part: str = "numerator") -> set[str]:
        r = imported.admin.get("/reports/dossiers", unit=VIET_TRI_COMMUNE, set=set_key, part=part, **FEB)
        assert r.status_code == 200, r.content
        return imported.letters([d["code"] for d in r.json()["items"]])

    assert letters("satisfaction.satisfaction") == {"A", "G", "I", "J", "M"}
    assert len(letters("satisfaction.satisfaction", "denominator")) == 11
    assert letters("satisfaction.late") == {"E", "H", "K", "P"}
    assert letters("satisfaction.complaints") == {"C", "D"}


def test_the_petitions_behind_feedback_in_time(imported: Any, feedback: dict[str, str]) -> None:
    def codes(part: str) -> set[str]:
        r = imported.admin.get("/reports/petitions", unit=VIET_TRI_COMMUNE, set="satisfaction.feedback_in_time",
                               part=part, **FEB)
        assert r.status_code == 200, r.content
        back = {v: k for k, v in feedback.items()}
        return {back[p["code"]] for p in r.json()["items"]}

    assert codes("denominator") == {"P1", "P2", "P3", "P4", "P5", "P6"}
    assert codes("numerator") == {"P1", "P3", "P4", "P5", "P6"}
    assert codes("late") == {"P2"}
    r = imported.admin.get("/reports/petitions", unit=VIET_TRI_COMMUNE, set="satisfaction.feedback_in_time",
                           part="late", **FEB).json()
    assert r["items"][0]["missed"] == ["decide"]
    bad = imported.admin.get("/reports/petitions", unit=VIET_TRI_COMMUNE, set="progress.on_time", **FEB)
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_set"
    bad = imported.admin.get("/reports/petitions", unit=VIET_TRI_COMMUNE, set="satisfaction.feedback_in_time",
                             part="all", **FEB)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_part"
    # January: P7 (closed in January) is the one petition; answered within 15 working days.
    jan = indicators(imported.admin.get("/reports/index-766", unit=PROVINCE, **period("2026-01-01", "2026-01-31"))
                     .json())["satisfaction.feedback_in_time"]
    assert (jan["numerator"], jan["denominator"]) == (1, 1)


def test_a_unit_without_petitions_or_ratings(imported: Any, feedback: dict[str, str]) -> None:
    ind = indicators(imported.admin.get("/reports/index-766", unit="000.00.12.H45", **FEB).json())
    assert (ind["satisfaction.feedback_in_time"]["numerator"], ind["satisfaction.feedback_in_time"]["denominator"]) \
        == (0, 0)
    assert ind["satisfaction.feedback_in_time"]["rate"] is None
    # Sở Tư pháp handles O only: within time, no complaint.
    assert (ind["satisfaction.satisfaction"]["numerator"], ind["satisfaction.satisfaction"]["denominator"]) == (1, 1)


def test_dashboard_satisfaction_by_unit_and_chart(imported: Any, feedback: dict[str, str]) -> None:
    body = imported.admin.get("/reports/dashboard", unit=VIET_TRI_COMMUNE, **FEB).json()
    rows = {r["unit"]["code"]: r for r in body["satisfaction"]}
    centre = rows[VIET_TRI]
    assert (centre["ratings"], centre["very_satisfied"], centre["dissatisfied"]) == (2, 1, 1)
    assert centre["satisfaction_rate"] == 0.5
    assert (centre["petitions"], centre["in_time"], centre["in_time_rate"]) == (6, 5, pytest.approx(5 / 6, abs=1e-4))
    assert "satisfaction" in body["charts"]
    svg = imported.admin.client.get(body["charts"]["satisfaction"], headers=imported.admin.headers)
    assert svg.status_code == 200 and b"<svg" in svg.content
    assert "Trung tâm Phục vụ hành chính công phường Việt Trì".encode() in svg.content
