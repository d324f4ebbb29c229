"""Import of historical dossiers (role admin): replayed through the same rules, all or nothing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from .conftest import CITIZEN_AN, VIETTRI, VINHYEN, error_of

AN = {"name": "Nguyễn Văn An", "id_number": CITIZEN_AN, "phone": "0912345678", "email": "an@example.vn",
      "address": "Phường Việt Trì, tỉnh Phú Thọ"}
CUONG = {"name": "Lê Văn Cường", "phone": "0901234567", "address": "Phường Việt Trì"}

ONLINE_DONE: dict[str, Any] = {
    "procedure": "1.001193", "channel": "online", "receiving_unit": VIETTRI, "applicant": AN,
    "submitted_at": "2025-03-03T20:00:00+07:00",
    "events": [
        {"at": "2025-03-04T08:00:00+07:00", "action": "accept", "actor": "tiepnhan.viettri"},
        {"at": "2025-03-04T08:30:00+07:00", "action": "forward", "actor": "tiepnhan.viettri"},
        {"at": "2025-03-04T10:00:00+07:00", "action": "forward", "actor": "chuyenvien.viettri", "note": "Đủ"},
        {"at": "2025-03-04T14:00:00+07:00", "action": "resolve", "actor": "lanhdao.viettri"},
        {"at": "2025-03-05T09:00:00+07:00", "action": "return", "actor": "tiepnhan.viettri"},
    ],
}
DIRECT_LONG: dict[str, Any] = {
    "procedure": "1.004194", "channel": "direct", "receiving_unit": VIETTRI, "applicant": CUONG,
    "submitted_at": "2025-03-03T09:00:00+07:00", "received_at": "2025-03-03T09:00:00+07:00",
    "events": [
        {"at": "2025-03-03T09:30:00+07:00", "action": "forward"},
        {"at": "2025-03-04T10:00:00+07:00", "action": "request-supplement", "reason": "Thiếu giấy tờ",
         "items": [{"document": "GT01", "name": "Giấy tờ chứng minh chỗ ở"}]},
        {"at": "2025-03-05T10:00:00+07:00", "action": "supplement", "note": "Đã bổ sung"},
        {"at": "2025-03-05T14:00:00+07:00", "action": "request-payment", "fees": [{"code": "LP01", "amount": 15000}]},
        {"at": "2025-03-05T16:00:00+07:00", "action": "confirm-payment"},
        {"at": "2025-03-06T09:00:00+07:00", "action": "apologize", "reason": "Cần xác minh",
         "new_due_at": "2025-03-12T17:00:00+07:00"},
        {"at": "2025-03-10T09:00:00+07:00", "action": "forward"},
        {"at": "2025-03-11T10:00:00+07:00", "action": "resolve", "decision": "denied", "note": "Không đủ điều kiện"},
        {"at": "2025-03-11T15:00:00+07:00", "action": "return"},
    ],
}
POSTAL_WITHDRAWN: dict[str, Any] = {
    "procedure": "1.001193", "channel": "postal", "receiving_unit": VINHYEN, "applicant": CUONG,
    "submitted_at": "2025-03-04T09:00:00+07:00", "received_at": "2025-03-04T09:00:00+07:00",
    "events": [{"at": "2025-03-04T10:00:00+07:00", "action": "withdraw", "reason": "Không có nhu cầu"}],
}
ONLINE_REFUSED: dict[str, Any] = {
    "procedure": "1.001193", "channel": "online", "receiving_unit": VIETTRI, "applicant": AN,
    "submitted_at": "2025-03-03T10:00:00+07:00",
    "events": [{"at": "2025-03-03T11:00:00+07:00", "action": "refuse", "reason": "Không thuộc thẩm quyền",
                "actor": "tiepnhan.viettri"}],
}


def batch(*items: dict[str, Any]) -> dict[str, Any]:
    return {"dossiers": [copy.deepcopy(i) for i in items]}


def counts() -> tuple[int, int, int]:
    from motcua.dossiers.models import Dossier, DossierEvent, DossierRoute

    return Dossier.objects.count(), DossierEvent.objects.count(), DossierRoute.objects.count()


def test_import_replays_histories_and_returns_codes_in_input_order(world):
    admin = world.admin
    r = admin.post("/import/dossiers", batch(ONLINE_DONE, DIRECT_LONG, POSTAL_WITHDRAWN, ONLINE_REFUSED))
    assert r.status_code in (200, 201), r.content
    codes = r.json()["codes"]
    assert codes == [f"{VIETTRI}-250303-0001", f"{VIETTRI}-250303-0002", f"{VINHYEN}-250304-0001",
                     f"{VIETTRI}-250303-0003"]

    done = admin.get(f"/dossiers/{codes[0]}").json()
    assert done["status"]["code"] == 10
    assert done["channel"] == "online"
    assert done["submitted_at"] == "2025-03-03T20:00:00+07:00"
    assert done["received_at"] == "2025-03-04T08:00:00+07:00"
    assert done["due_at"] == "2025-03-05T08:00:00+07:00"
    assert done["finished_at"] == "2025-03-04T14:00:00+07:00"
    assert done["returned_at"] == "2025-03-05T09:00:00+07:00"
    assert done["outcome"] == "early"
    assert done["decision"] == "approved"  # the default decision
    events = admin.get(f"/dossiers/{codes[0]}/events").json()["items"]
    assert [e["action"] for e in events] == ["create", "accept", "forward", "forward", "resolve", "return"]
    assert [e["at"] for e in events] == ["2025-03-03T20:00:00+07:00", "2025-03-04T08:00:00+07:00",
                                         "2025-03-04T08:30:00+07:00", "2025-03-04T10:00:00+07:00",
                                         "2025-03-04T14:00:00+07:00", "2025-03-05T09:00:00+07:00"]
    assert [e["to_status"] for e in events] == [1, 2, 4, 4, 9, 10]
    assert events[3]["actor"]["username"] == "chuyenvien.viettri"

    long = admin.get(f"/dossiers/{codes[1]}").json()
    assert long["status"]["code"] == 10
    assert long["received_at"] == "2025-03-03T09:00:00+07:00"
    # 3 working days from Monday 09:00, + 8 h of supplement, + 2 h of payment.
    assert long["original_due_at"] == "2025-03-07T11:00:00+07:00"
    assert long["due_at"] == "2025-03-12T17:00:00+07:00"  # the apology's new date
    assert long["outcome"] == "late"  # finished after the original date
    assert long["decision"] == "denied"
    assert long["supplement_requests"] == 1
    assert [p["kind"] for p in long["pauses"]] == ["supplement", "payment"]
    assert long["pauses"][0] == {"kind": "supplement", "from": "2025-03-04T10:00:00+07:00",
                                 "to": "2025-03-05T10:00:00+07:00"}
    assert long["fees"][0]["amount"] == 15000 and long["fees"][0]["paid"] is True
    long_events = admin.get(f"/dossiers/{codes[1]}/events").json()["items"]
    assert [e["action"] for e in long_events] == ["create", "forward", "request-supplement", "supplement",
                                                  "request-payment", "confirm-payment", "apologize", "forward",
                                                  "resolve", "return"]

    withdrawn = admin.get(f"/dossiers/{codes[2]}").json()
    assert withdrawn["status"]["code"] == 7 and withdrawn["channel"] == "postal"
    assert withdrawn["finished_at"] == "2025-03-04T10:00:00+07:00"

    refused = admin.get(f"/dossiers/{codes[3]}").json()
    assert refused["status"]["code"] == 3
    assert refused["received_at"] is None and refused["due_at"] is None and refused["outcome"] is None

    # Imported dossiers are visible like live ones.
    assert world("tiepnhan.viettri").get(f"/dossiers/{codes[1]}").status_code == 200
    # Live numbering for today is not affected.
    assert world.direct()["code"] == f"{VIETTRI}-260223-0001"


def test_import_continues_numbering_after_live_dossiers_of_the_same_day(world):
    first = world.direct()["code"]
    item = copy.deepcopy(POSTAL_WITHDRAWN)
    item.update(receiving_unit=VIETTRI, submitted_at="2026-02-23T08:00:00+07:00",
                received_at="2026-02-23T08:00:00+07:00")
    item["events"] = []
    codes = world.admin.post("/import/dossiers", batch(item)).json()["codes"]
    assert first == f"{VIETTRI}-260223-0001"
    assert codes == [f"{VIETTRI}-260223-0002"]


IMPOSSIBLE = [
    # (label, mutate(item list), index, event_index)
    ("return-before-resolve", lambda items: items[1].__setitem__("events", [
        {"at": "2025-03-03T09:30:00+07:00", "action": "forward"},
        {"at": "2025-03-03T10:00:00+07:00", "action": "return"}]), 1, 1),
    ("events-out-of-order", lambda items: items[0]["events"].__setitem__(
        2, {**items[0]["events"][2], "at": "2025-03-04T08:10:00+07:00"}), 0, 2),
    ("event-before-creation", lambda items: items[2]["events"].__setitem__(
        0, {**items[2]["events"][0], "at": "2025-03-04T08:00:00+07:00"}), 2, 0),
    ("accept-on-a-desk-dossier", lambda items: items[2]["events"].insert(
        0, {"at": "2025-03-04T09:30:00+07:00", "action": "accept"}), 2, 0),
    ("resolve-before-handling", lambda items: items[0]["events"].__setitem__(
        1, {"at": "2025-03-04T08:30:00+07:00", "action": "resolve"}), 0, 1),
    ("forward-past-the-leader-step", lambda items: items[0]["events"].__setitem__(
        3, {"at": "2025-03-04T14:00:00+07:00", "action": "forward"}), 0, 3),
    ("reason-not-text", lambda items: items[2]["events"][0].__setitem__("reason", 5), 2, 0),
    ("items-not-objects", lambda items: items[1]["events"][1].__setitem__("items", [1, 2]), 1, 1),
    ("unknown-action", lambda items: items[0]["events"].__setitem__(
        1, {"at": "2025-03-04T08:30:00+07:00", "action": "teleport"}), 0, 1),
    ("unknown-actor", lambda items: items[0]["events"].__setitem__(
        0, {**items[0]["events"][0], "actor": "nobody.at.all"}), 0, 0),
    ("naive-time", lambda items: items[0]["events"].__setitem__(
        0, {**items[0]["events"][0], "at": "2025-03-04T08:00:00"}), 0, 0),
    ("bad-time", lambda items: items[0]["events"].__setitem__(
        0, {**items[0]["events"][0], "at": "sáng thứ ba"}), 0, 0),
    ("missing-time", lambda items: items[0]["events"][0].pop("at"), 0, 0),
    ("second-apology", lambda items: items[1]["events"].insert(
        6, {"at": "2025-03-06T10:00:00+07:00", "action": "apologize", "reason": "x",
            "new_due_at": "2025-03-14T17:00:00+07:00"}), 1, 6),
    ("apology-not-later", lambda items: items[1]["events"].__setitem__(
        5, {**items[1]["events"][5], "new_due_at": "2025-03-05T17:00:00+07:00"}), 1, 5),
    ("refuse-without-reason", lambda items: items[3]["events"][0].pop("reason"), 3, 0),
    ("bad-decision", lambda items: items[0]["events"][3].__setitem__("decision", "perhaps"), 0, 3),
    ("supplement-twice", lambda items: items[1]["events"].insert(
        3, {"at": "2025-03-05T10:30:00+07:00", "action": "supplement"}), 1, 3),
    ("event-not-an-object", lambda items: items[0]["events"].__setitem__(1, "forward"), 0, 1),
    ("fees-not-a-list", lambda items: items[1]["events"][3].__setitem__("fees", "LP01"), 1, 3),
]


@pytest.mark.parametrize(("label", "mutate", "index", "event_index"), IMPOSSIBLE, ids=[i[0] for i in IMPOSSIBLE])
def test_impossible_history_is_refused_whole(world, label, mutate, index, event_index):
    items = batch(ONLINE_DONE, DIRECT_LONG, POSTAL_WITHDRAWN, ONLINE_REFUSED)["dossiers"]
    mutate(items)
    before = counts()
    body = error_of(world.admin.post("/import/dossiers", {"dossiers": items}), 400, "invalid_import")
    assert body["details"]["index"] == index
    assert body["details"]["event_index"] == event_index
    assert body["details"]["reason"]
    assert counts() == before
    # And the good batch still goes through afterwards, with the first numbers.
    codes = world.admin.post("/import/dossiers", batch(ONLINE_DONE)).json()["codes"]
    assert codes == [f"{VIETTRI}-250303-0001"]


ITEM_PROBLEMS = [
    ("unknown-procedure", {"procedure": "0.000000"}),
    ("unknown-unit", {"receiving_unit": "999.99.99.H99"}),
    ("unknown-handling-unit", {"handling_unit": "999.99.99.H99"}),
    ("bad-channel", {"channel": "fax"}),
    ("direct-without-received-at", {"channel": "direct"}),
    ("naive-submitted-at", {"submitted_at": "2025-03-03T20:00:00"}),
    ("no-dates", {"submitted_at": None}),
    ("applicant-not-an-object", {"applicant": "Nguyễn Văn An"}),
    ("applicant-without-name", {"applicant": {"phone": "0912345678"}}),
    ("bad-id-number", {"applicant": {**AN, "id_number": "123"}}),
    ("sets-not-a-number", {"sets": "nhiều"}),
    ("events-not-a-list", {"events": "accept"}),
]


@pytest.mark.parametrize(("label", "patch"), ITEM_PROBLEMS, ids=[p[0] for p in ITEM_PROBLEMS])
def test_a_bad_item_is_refused_with_its_index(world, label, patch):
    bad = {**copy.deepcopy(ONLINE_DONE), **patch}
    before = counts()
    body = error_of(world.admin.post("/import/dossiers", {"dossiers": [copy.deepcopy(ONLINE_REFUSED), bad]}), 400,
                    "invalid_import")
    assert body["details"]["index"] == 1
    assert "event_index" in body["details"]
    assert counts() == before


@pytest.mark.parametrize("payload", [
    {},
    {"dossiers": "all of them"},
    {"dossiers": [1, 2]},
    {"dossiers": [{}] * 1001},
    [],
])
def test_import_body_shape(world, payload):
    r = world.admin.post("/import/dossiers", payload)
    error_of(r, 400)
    assert counts()[0] == 0


def test_import_is_for_admins(world):
    error_of(world("tiepnhan.viettri").post("/import/dossiers", batch(ONLINE_DONE)), 403)
    assert counts()[0] == 0


def test_import_with_a_handling_unit(world):
    item = copy.deepcopy(POSTAL_WITHDRAWN)
    item["handling_unit"] = "000.01.31.H45"  # received in Vĩnh Yên, decided in Việt Trì
    item["events"] = [{"at": "2025-03-04T09:30:00+07:00", "action": "forward", "actor": "tiepnhan.vinhyen"}]
    code = world.admin.post("/import/dossiers", batch(item)).json()["codes"][0]
    d = world.admin.get(f"/dossiers/{code}").json()
    assert d["handling_unit"]["code"] == "000.01.31.H45"
    assert d["current_step"]["unit"] == "000.01.31.H45"
    assert d["status"]["code"] == 4
    # The handling unit's officials see it, as with live dossiers.
    assert world("chuyenvien.viettri").get(f"/dossiers/{code}").status_code == 200
    events = world.admin.get(f"/dossiers/{code}/events").json()["items"]
    assert events[-1]["actor"]["username"] == "tiepnhan.vinhyen"
    assert events[-1]["to_unit"] == "000.01.31.H45"
