"""The contract's "Queue (bốc số) and kiosk": areas and counters, tickets, the counter's actions and
the board, with their error codes."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import CENTRE

pytestmark = pytest.mark.django_db


def test_admin_creates_areas_and_counters(province: None, api: Any) -> None:
    admin = api("admin")
    r = admin.post("/admin/queue/areas", {"centre": CENTRE, "code": "ho-tich", "name": "Hộ tịch", "letter": "A"})
    assert r.status_code == 201, r.content
    assert r.json() == {"code": "ho-tich", "name": "Hộ tịch", "letter": "A"}
    r = admin.post("/admin/queue/areas", {"centre": CENTRE, "code": "khac", "name": "Khác", "letter": "A"})
    assert (r.status_code, r.json()["code"]) == (409, "letter_taken")
    r = admin.post("/admin/queue/areas", {"centre": CENTRE, "code": "khac", "name": "Khác", "letter": "7"})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_letter")
    # The same letter at another centre is another area.
    r = admin.post("/admin/queue/areas", {"centre": "000.01.32.H45", "code": "ho-tich", "name": "Hộ tịch",
                                          "letter": "A"})
    assert r.status_code == 201
    r = admin.post("/admin/queue/areas", {"centre": "000.00.31.H45", "code": "x", "name": "X", "letter": "B"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")  # a commune is not a centre
    r = admin.post("/admin/queue/counters", {"centre": CENTRE, "name": "Quầy 1", "areas": ["ho-tich"],
                                             "officials": ["tiepnhan.viettri"]})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "Quầy 1" and body["areas"] == ["ho-tich"] and body["officials"] == ["tiepnhan.viettri"]
    assert isinstance(body["id"], int)
    r = admin.post("/admin/queue/counters", {"centre": CENTRE, "name": "Quầy 2", "areas": ["ho-tich"],
                                             "officials": ["tiepnhan.vinhyen"]})
    assert (r.status_code, r.json()["code"]) == (400, "not_at_centre")
    r = admin.post("/admin/queue/counters", {"centre": CENTRE, "name": "Quầy 2", "areas": ["nope"]})
    assert (r.status_code, r.json()["code"]) == (400, "unknown_area")
    r = api("tiepnhan.viettri").post("/admin/queue/areas", {"centre": CENTRE, "code": "y", "name": "Y", "letter": "Y"})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")


def test_tickets_are_numbered_per_area_and_day(counter_ids: dict[str, int], api: Any) -> None:
    kiosk = api()
    numbers = []
    for service in ["ho-tich", "ho-tich", "dat-dai-xay-dung", "ho-tich"]:
        r = kiosk.post("/queue/tickets", {"centre": CENTRE, "service": service})
        assert r.status_code == 201, r.content
        numbers.append((r.json()["number"], r.json()["waiting_before"], r.json()["service"]))
    assert numbers == [("A001", 0, "ho-tich"), ("A002", 1, "ho-tich"), ("B001", 0, "dat-dai-xay-dung"),
                       ("A003", 2, "ho-tich")]
    body = r.json()
    assert set(body) >= {"id", "number", "centre", "service", "issued_at", "waiting_before"}
    assert body["centre"] == CENTRE and body["issued_at"].endswith("+07:00")
    r = kiosk.post("/queue/tickets", {"centre": CENTRE, "service": "nope"})
    assert (r.status_code, r.json()["code"]) == (400, "unknown_service")
    r = kiosk.post("/queue/tickets", {"centre": "999.99.99.H99", "service": "ho-tich"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")


def test_counter_calls_recalls_skips_transfers_and_finishes(counter_ids: dict[str, int], api: Any) -> None:
    kiosk, desk = api(), api("tiepnhan.viettri")
    quay1, quay2 = counter_ids["Quầy 1"], counter_ids["Quầy 2"]
    r = desk.post(f"/queue/counters/{quay1}/call-next")
    assert (r.status_code, r.json()["code"]) == (404, "queue_empty")
    ids = [kiosk.post("/queue/tickets", {"centre": CENTRE, "service": s}).json()["id"]
           for s in ["ho-tich", "kinh-doanh", "ho-tich", "dat-dai-xay-dung"]]
    r = desk.post(f"/queue/counters/{quay1}/call-next")
    assert r.status_code == 200 and r.json()["number"] == "A001" and r.json()["counter"] == "Quầy 1"
    assert kiosk.get("/queue/board", centre=CENTRE).json() == {
        "called": [{"number": "A001", "counter": "Quầy 1"}],
        "waiting": {"ho-tich": 1, "dat-dai-xay-dung": 1, "kinh-doanh": 1}}
    assert desk.post(f"/queue/tickets/{ids[0]}/actions/recall").status_code == 200
    assert desk.post(f"/queue/tickets/{ids[0]}/actions/skip").json()["state"] == "skipped"
    r = desk.post(f"/queue/tickets/{ids[0]}/actions/done")
    assert (r.status_code, r.json()["code"]) == (409, "invalid_ticket_state")
    # Oldest of the counter's areas first: C001 was taken before A002.
    assert desk.post(f"/queue/counters/{quay1}/call-next").json()["number"] == "C001"
    r = desk.post(f"/queue/tickets/{ids[1]}/actions/transfer", {"service": "dat-dai-xay-dung"})
    assert r.status_code == 200 and r.json()["state"] == "waiting" and r.json()["service"] == "dat-dai-xay-dung"
    # Transferred, it keeps its place by the time it was issued: before B001 at counter 2.
    assert desk.post(f"/queue/counters/{quay2}/call-next").json()["number"] == "C001"
    r = desk.post(f"/queue/counters/{quay2}/call-next")  # C001 is done by calling the next
    assert r.json()["number"] == "B001"
    assert kiosk.get("/queue/board", centre=CENTRE).json()["called"] == [{"number": "B001", "counter": "Quầy 2"}]
    r = desk.post(f"/queue/tickets/{ids[3]}/actions/transfer", {"service": "nope"})
    assert (r.status_code, r.json()["code"]) == (400, "unknown_service")
    r = desk.post(f"/queue/tickets/{ids[3]}/actions/done", {"dossier": "000.01.31.H45-260101-9999"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert desk.post(f"/queue/tickets/{ids[3]}/actions/done").json()["state"] == "done"
    # Only the officials of the counter act at it.
    other = api("tiepnhan.vinhyen")
    r = other.post(f"/queue/counters/{quay1}/call-next")
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = other.post(f"/queue/tickets/{ids[2]}/actions/recall")
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = desk.post(f"/queue/tickets/{ids[2]}/actions/fly")
    assert r.status_code in (403, 404)
    assert api().post(f"/queue/counters/{quay1}/call-next").status_code == 401
    # Ids no column can hold name nothing.
    assert desk.post(f"/queue/counters/{2**64}/call-next").status_code == 404
    assert desk.post(f"/queue/tickets/{2**64}/actions/done").status_code == 404


def test_a_ticket_is_linked_to_the_dossier_it_produced(counter_ids: dict[str, int], api: Any, catalogue: None) -> None:
    from tests.pages.helpers import walk_in_dossier

    desk = api("tiepnhan.viettri")
    tid = api().post("/queue/tickets", {"centre": CENTRE, "service": "ho-tich"}).json()["id"]
    desk.post(f"/queue/counters/{counter_ids['Quầy 1']}/call-next")
    code = walk_in_dossier().code
    r = desk.post(f"/queue/tickets/{tid}/actions/done", {"dossier": code})
    assert r.status_code == 200 and r.json()["dossier"] == code
