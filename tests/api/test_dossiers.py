"""Dossiers: creation, representation, visibility, list, events, optimistic locking."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .conftest import APPLICANT, CENTRE, CITIZEN_AN, CITIZEN_BINH, STP, VIETTRI, VINHYEN, at, error_of

DOSSIER_KEYS = {
    "code", "procedure", "status", "channel", "applicant", "receiving_unit", "handling_unit", "submitted_at",
    "received_at", "clock_start", "due_at", "original_due_at", "finished_at", "returned_at", "pauses",
    "supplement_requests", "current_step", "outcome", "attachments", "fees",
}


def assert_dossier_shape(d: dict[str, Any]) -> None:
    assert set(d) >= DOSSIER_KEYS, DOSSIER_KEYS - set(d)
    assert set(d["procedure"]) >= {"code", "name", "version"}
    assert set(d["status"]) == {"code", "name"}
    assert set(d["applicant"]) >= {"name", "id_number", "phone", "email", "address"}
    for unit in (d["receiving_unit"], d["handling_unit"]):
        assert set(unit) == {"code", "name"}
    for key in ("submitted_at", "received_at", "clock_start", "due_at", "original_due_at", "finished_at",
                "returned_at"):
        assert d[key] is None or d[key].endswith("+07:00"), (key, d[key])
    for fee in d["fees"]:
        assert set(fee) >= {"code", "amount", "paid"}
    for pause in d["pauses"]:
        assert set(pause) >= {"kind", "from", "to"}


# --- creation ---------------------------------------------------------------------------


def test_citizen_submits_online(world):
    d = world.online(result_delivery="online")
    assert_dossier_shape(d)
    assert d["code"] == f"{VIETTRI}-260223-0001"
    assert d["status"] == {"code": 1, "name": "Mới đăng ký"}
    assert d["channel"] == "online"
    assert d["procedure"] == {"code": "9.000001", "name": "Thủ tục thử nghiệm hợp đồng API", "version": 1}
    assert d["applicant"] == {"name": "Nguyễn Văn An", "id_number": CITIZEN_AN, "phone": "0912345678",
                              "email": "an@example.vn", "address": "Phường Việt Trì, tỉnh Phú Thọ"}
    assert d["receiving_unit"]["code"] == VIETTRI
    assert d["handling_unit"]["code"] == VIETTRI
    assert d["submitted_at"] == "2026-02-23T09:00:00+07:00"
    assert d["received_at"] is None and d["clock_start"] is None
    assert d["due_at"] is None and d["original_due_at"] is None
    assert d["finished_at"] is None and d["returned_at"] is None and d["outcome"] is None
    assert d["pauses"] == [] and d["supplement_requests"] == 0 and d["attachments"] == []
    assert d["fees"] == [{"code": "LP01", "name": "Lệ phí", "amount": 8000, "paid": False}]
    assert d["result_delivery"] == "online"
    # The same object as its GET.
    assert world(CITIZEN_AN).get(f"/dossiers/{d['code']}").json() == d


def test_citizen_may_give_contact_details_but_not_another_identity(world):
    d = world.online(applicant={"name": "Nguyễn Văn An", "id_number": CITIZEN_BINH, "phone": "0911111111"})
    assert d["applicant"]["id_number"] == CITIZEN_AN
    assert d["applicant"]["phone"] == "0911111111"


def test_reception_receives_at_the_desk(world):
    d = world.direct(sets=2)
    assert_dossier_shape(d)
    assert d["code"] == f"{VIETTRI}-260223-0001"
    assert d["status"] == {"code": 2, "name": "Được tiếp nhận"}
    assert d["channel"] == "direct"
    assert d["applicant"] == {k: APPLICANT[k] for k in ("name", "id_number", "phone", "email", "address")}
    assert d["submitted_at"] == d["received_at"] == d["clock_start"] == "2026-02-23T09:00:00+07:00"
    assert d["due_at"] == d["original_due_at"] == "2026-02-26T09:00:00+07:00"
    assert d["current_step"]["name"] == "Tiếp nhận"
    assert d["current_step"]["unit"] == VIETTRI
    assert d["current_step"]["due_at"] == "2026-02-23T15:00:00+07:00"  # 4 working hours
    assert d["outcome"] is None
    assert d["sets"] == 2
    assert world("tiepnhan.viettri").get(f"/dossiers/{d['code']}").json() == d


def test_postal_channel_and_codes_count_per_unit_and_day(world, clock):
    first = world.direct()
    second = world.direct(channel="postal")
    assert second["channel"] == "postal" and second["status"]["code"] == 2
    other_unit = world.direct(desk="tiepnhan.vinhyen", unit=VINHYEN)
    online = world.online()
    assert [first["code"], second["code"], online["code"]] == [
        f"{VIETTRI}-260223-0001", f"{VIETTRI}-260223-0002", f"{VIETTRI}-260223-0003"]
    assert other_unit["code"] == f"{VINHYEN}-260223-0001"
    clock.move_to(at("2026-02-24 08:00"))
    nxt = world.direct()
    assert nxt["code"] == f"{VIETTRI}-260224-0001"


def test_code_uses_the_vietnam_date(world, clock):
    clock.move_to(at("2026-02-24 06:30"))  # 23:30 UTC the day before
    assert world.online()["code"] == f"{VIETTRI}-260224-0001"


def test_any_reception_unit_receives_any_procedure(world):
    # A provincial procedure handled by the Sở Tư pháp, received at a commune centre.
    d = world.direct(procedure="3.000333")
    assert d["receiving_unit"]["code"] == VIETTRI
    assert d["handling_unit"]["code"] == STP
    d = world.direct(desk="tiepnhan.tinh", procedure="1.001193", unit=CENTRE)
    assert d["handling_unit"]["code"] == CENTRE


def test_unknown_procedure_or_unit_is_400(world):
    desk = world("tiepnhan.viettri")
    base = {"procedure": "9.000001", "channel": "direct", "receiving_unit": VIETTRI, "applicant": APPLICANT}
    error_of(desk.post("/dossiers", {**base, "procedure": "0.000000"}), 400, "unknown_procedure")
    error_of(desk.post("/dossiers", {**base, "receiving_unit": "999.99.99.H99"}), 400, "unknown_unit")
    citizen = world(CITIZEN_AN)
    online = {"procedure": "9.000001", "channel": "online", "receiving_unit": VIETTRI}
    error_of(citizen.post("/dossiers", {**online, "procedure": "0.000000"}), 400, "unknown_procedure")
    error_of(citizen.post("/dossiers", {**online, "receiving_unit": "999.99.99.H99"}), 400, "unknown_unit")
    from motcua.dossiers.models import Dossier

    assert Dossier.objects.count() == 0


def test_who_may_create_what(world):
    base = {"procedure": "9.000001", "receiving_unit": VIETTRI, "applicant": APPLICANT}
    # Citizens only online; officials only at their own unit's desk, with the reception role.
    error_of(world(CITIZEN_AN).post("/dossiers", {**base, "channel": "direct"}), 403)
    error_of(world("tiepnhan.viettri").post("/dossiers", {**base, "channel": "online"}), 403)
    error_of(world("chuyenvien.viettri").post("/dossiers", {**base, "channel": "direct"}), 403)
    error_of(world("tiepnhan.vinhyen").post("/dossiers", {**base, "channel": "direct"}), 403)
    error_of(world("admin").post("/dossiers", {**base, "channel": "online"}), 403)


def test_offline_procedure_cannot_be_submitted_online(world):
    r = world(CITIZEN_AN).post("/dossiers", {"procedure": "2.000884", "channel": "online", "receiving_unit": VIETTRI})
    error_of(r, 400, "online_not_available")


@pytest.mark.parametrize(("patch", "code"), [
    ({"applicant": {**APPLICANT, "id_number": "12345"}}, "invalid_id_number"),
    ({"applicant": {**APPLICANT, "phone": "12"}}, "invalid_phone"),
    ({"applicant": {**APPLICANT, "email": "x@"}}, "invalid_email"),
    ({"applicant": {**APPLICANT, "name": "   "}}, None),
    ({"applicant": None}, None),
    ({"channel": "fax"}, None),
    ({"result_delivery": "pigeon"}, None),
    ({"sets": 0}, None),
    ({"sets": 101}, None),
    ({"sets": "two"}, None),
    ({"procedure": ""}, None),
    ({"form_data": "not an object"}, None),
])
def test_dossier_body_is_validated(world, patch, code):
    body = {"procedure": "9.000001", "channel": "direct", "receiving_unit": VIETTRI, "applicant": APPLICANT, **patch}
    error_of(world("tiepnhan.viettri").post("/dossiers", body), 400, code)


def test_applicant_text_is_nfc_normalised(world):
    import unicodedata

    d = world.direct(applicant={**APPLICANT, "name": unicodedata.normalize("NFD", "Lê Văn Cường"),
                                "address": unicodedata.normalize("NFD", "Phường Việt Trì")})
    assert d["applicant"]["name"] == unicodedata.normalize("NFC", "Lê Văn Cường")
    assert d["applicant"]["address"] == unicodedata.normalize("NFC", "Phường Việt Trì")


# --- visibility -------------------------------------------------------------------------


def test_citizen_sees_only_their_own_dossiers(world):
    mine = world.online()
    error_of(world(CITIZEN_BINH).get(f"/dossiers/{mine['code']}"), 404, "not_found")
    error_of(world(CITIZEN_BINH).get(f"/dossiers/{mine['code']}/events"), 404)
    error_of(world(CITIZEN_BINH).act(mine["code"], "withdraw", {"reason": "x"}), 404)
    assert world(CITIZEN_BINH).get("/dossiers").json() == {"items": [], "count": 0}
    assert world(CITIZEN_AN).get("/dossiers").json()["count"] == 1
    # A dossier received at the desk for someone is not the citizen's, even with their ID number.
    world.direct(applicant={"name": "Nguyễn Văn An", "id_number": CITIZEN_AN, "phone": "0912345678"})
    assert world(CITIZEN_AN).get("/dossiers").json()["count"] == 1


def test_officials_of_unrelated_units_get_404(world):
    d = world.direct()
    for who in ("tiepnhan.vinhyen", "lanhdao.vinhyen", "chuyenvien.stp", "lanhdao.stp", "giamsat.tinh"):
        if who == "giamsat.tinh":
            continue
        error_of(world(who).get(f"/dossiers/{d['code']}"), 404)
        error_of(world(who).act(d["code"], "forward"), 404)
        assert world(who).get("/dossiers").json()["count"] == 0


def test_unknown_code_is_404(world):
    error_of(world("admin").get("/dossiers/000.01.31.H45-260223-9999"), 404, "not_found")
    error_of(world("admin").get("/dossiers/nonsense"), 404)


def test_officials_on_the_route_see_the_dossier(world):
    d = world.direct(procedure="3.000333")  # received at Việt Trì, handled by the Sở Tư pháp
    for who in ("tiepnhan.viettri", "chuyenvien.viettri", "lanhdao.viettri", "chuyenvien.stp", "lanhdao.stp",
                "tiepnhan.stp"):
        assert world(who).get(f"/dossiers/{d['code']}").status_code == 200, who
    error_of(world("chuyenvien.sxd").get(f"/dossiers/{d['code']}"), 404)


def test_supervisors_see_units_below_them(world):
    viettri = world.direct()
    vinhyen = world.direct(desk="tiepnhan.vinhyen", unit=VINHYEN)
    assert world("giamsat.viettri").get(f"/dossiers/{viettri['code']}").status_code == 200
    error_of(world("giamsat.viettri").get(f"/dossiers/{vinhyen['code']}"), 404)
    listed = world("giamsat.viettri").get("/dossiers").json()
    assert [d["code"] for d in listed["items"]] == [viettri["code"]]
    province_wide = world("giamsat.tinh").get("/dossiers").json()
    assert province_wide["count"] == 2
    assert world("admin").get("/dossiers").json()["count"] == 2
    # Seeing is not acting.
    error_of(world("giamsat.tinh").act(viettri["code"], "forward"), 403)


# --- list -------------------------------------------------------------------------------


def test_list_filters_and_paging(world, clock, long_tokens):
    world.publish(procedure_body_for("9.000002"))
    a = world.direct(applicant={**APPLICANT, "name": "Hoàng Thị Ánh"})
    b = world.direct(procedure="9.000002")
    c = world.online()
    world.act("tiepnhan.viettri", b["code"], "forward")
    desk = world("tiepnhan.viettri")

    def listed(**params: Any) -> list[str]:
        r = desk.get("/dossiers", **params)
        assert r.status_code == 200, r.content
        body = r.json()
        assert set(body) == {"items", "count"}
        return [d["code"] for d in body["items"]]

    assert set(listed()) == {a["code"], b["code"], c["code"]}
    assert listed(status=2) == [a["code"]]
    assert listed(status=4) == [b["code"]]
    assert listed(status=1) == [c["code"]]
    assert set(listed(procedure="9.000001")) == {a["code"], c["code"]}
    assert listed(procedure="9.000002") == [b["code"]]
    assert set(listed(unit=VIETTRI)) == {a["code"], b["code"], c["code"]}
    assert listed(unit=VINHYEN) == []
    assert listed(q="hoang thi anh") == [a["code"]]
    assert listed(q="HOÀNG") == [a["code"]]
    assert listed(q=a["code"]) == [a["code"]]
    assert listed(q="260223-0002") == [b["code"]]
    assert listed(q="nobody") == []
    assert listed(overdue="true") == []
    assert set(listed(overdue="false")) == {a["code"], b["code"], c["code"]}
    # Paging.
    page1 = desk.get("/dossiers", page=1, page_size=2).json()
    page2 = desk.get("/dossiers", page=2, page_size=2).json()
    assert page1["count"] == page2["count"] == 3
    assert len(page1["items"]) == 2 and len(page2["items"]) == 1
    assert {d["code"] for d in page1["items"] + page2["items"]} == {a["code"], b["code"], c["code"]}
    for params in ({"page": 0}, {"page_size": 201}, {"page_size": 0}, {"status": 11}, {"status": "x"},
                   {"overdue": "maybe"}, {"page": 10**20}):
        error_of(desk.get("/dossiers", **params), 400)
    # Overdue: Thursday 26/2 09:00 is the due time of a and b; the online one has no due date.
    clock.move_to(at("2026-02-26 09:01"))
    assert set(listed(overdue="true")) == {a["code"], b["code"]}
    assert listed(overdue="false") == [c["code"]]
    assert set(listed(overdue="true", status=2)) == {a["code"]}


def procedure_body_for(code: str) -> dict[str, Any]:
    from .conftest import procedure_body

    return procedure_body(code=code, name="Thủ tục thứ hai")


def test_citizen_list_shows_own_dossiers_in_every_status(world):
    d1 = world.online()
    d2 = world.online()
    world.act("tiepnhan.viettri", d2["code"], "accept")
    listed = world(CITIZEN_AN).get("/dossiers").json()
    assert {d["code"] for d in listed["items"]} == {d1["code"], d2["code"]}
    assert world(CITIZEN_AN).get("/dossiers", status=2).json()["count"] == 1


# --- events -----------------------------------------------------------------------------

EVENT_KEYS = {"at", "action", "from_status", "to_status", "actor", "from_unit", "to_unit", "step", "step_outcome",
              "note"}


def test_events_shape_and_order(world, clock):
    d = world.online()
    clock.move_to(at("2026-02-23 10:00"))
    world.act("tiepnhan.viettri", d["code"], "accept", {"note": "Hồ sơ đầy đủ"})
    clock.move_to(at("2026-02-23 10:30"))
    world.act("tiepnhan.viettri", d["code"], "forward", {"note": "Chuyển thẩm định"})
    clock.move_to(at("2026-02-23 16:00"))
    world.act("chuyenvien.viettri", d["code"], "forward")
    r = world(CITIZEN_AN).get(f"/dossiers/{d['code']}/events")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"items", "count"}
    events = body["items"]
    assert body["count"] == len(events) == 4
    for e in events:
        assert set(e) >= EVENT_KEYS
        assert set(e["actor"]) >= {"username", "full_name", "unit"}
        assert e["at"].endswith("+07:00")
        assert e["step"] is None or set(e["step"]) >= {"name", "due_at"}
        assert e["step_outcome"] in (None, "early", "on_time", "late")
    assert [e["action"] for e in events] == ["create", "accept", "forward", "forward"]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    create, accept, forward1, forward2 = events
    assert create["from_status"] is None and create["to_status"] == 1
    assert create["actor"]["username"] == CITIZEN_AN
    assert accept["from_status"] == 1 and accept["to_status"] == 2
    assert accept["actor"] == {"username": "tiepnhan.viettri", "full_name": "Nguyễn Thị Thu", "unit": VIETTRI}
    assert accept["note"] == "Hồ sơ đầy đủ"
    assert forward1["from_status"] == 2 and forward1["to_status"] == 4
    assert forward1["step"] == {"name": "Tiếp nhận", "due_at": "2026-02-23T16:00:00+07:00"}
    assert forward1["step_outcome"] == "on_time"
    assert forward1["from_unit"] == VIETTRI and forward1["to_unit"] == VIETTRI
    assert forward2["from_status"] == 4 and forward2["to_status"] == 4
    assert forward2["step"]["name"] == "Thẩm định"
    assert forward2["actor"]["username"] == "chuyenvien.viettri"
    current = world(CITIZEN_AN).get(f"/dossiers/{d['code']}").json()["current_step"]
    assert current["name"] == "Phê duyệt"


def test_late_step_is_marked_late(world, clock):
    d = world.direct()
    clock.move_to(at("2026-02-24 08:00"))  # the first step was due Monday 15:00
    world.act("tiepnhan.viettri", d["code"], "forward")
    events = world("tiepnhan.viettri").get(f"/dossiers/{d['code']}/events").json()["items"]
    assert events[-1]["step_outcome"] == "late"


# --- optimistic locking -----------------------------------------------------------------


def test_if_match_with_a_stale_version_is_409(world):
    d = world.direct()
    desk = world("tiepnhan.viettri")
    version = d["version"]
    r = desk.act(d["code"], "request-supplement", {"reason": "Thiếu tờ khai"}, headers={"If-Match": f'"{version}"'})
    assert r.status_code == 200
    assert r.json()["version"] == version + 1
    error_of(desk.act(d["code"], "supplement", {}, headers={"If-Match": str(version)}), 409)
    assert desk.get(f"/dossiers/{d['code']}").json()["status"]["code"] == 5
    assert desk.act(d["code"], "supplement", {}, headers={"If-Match": str(version + 1)}).status_code == 200
    error_of(desk.act(d["code"], "forward", {}, headers={"If-Match": "not-a-version"}), 400)


def test_no_if_match_means_last_writer_wins(world):
    d = world.direct()
    assert world("tiepnhan.viettri").act(d["code"], "forward").status_code == 200


def test_dossier_list_needs_a_token():
    error_of(Client().get("/api/v1/dossiers"), 401)


def test_action_text_is_nfc_normalised(world):
    import unicodedata

    d = world.direct()
    reason = unicodedata.normalize("NFD", "Thiếu tờ khai có chữ ký")
    world.act("tiepnhan.viettri", d["code"], "request-supplement", {"reason": reason, "items": [{"name": reason}]})
    event = world("tiepnhan.viettri").get(f"/dossiers/{d['code']}/events").json()["items"][-1]
    assert event["note"] == unicodedata.normalize("NFC", reason)
