"""Public look-up of a dossier and Idempotency-Key on writes."""

from __future__ import annotations

import json

from django.test import Client

from .conftest import APPLICANT, CITIZEN_AN, VIETTRI, at, error_of

DESK = "tiepnhan.viettri"


def lookup(code: str, verify: str, address: str = "192.0.2.10") -> object:
    return Client(REMOTE_ADDR=address).get(f"/api/v1/public/dossiers/{code}", {"verify": verify})


# --- public look-up -----------------------------------------------------------------------


def test_lookup_shows_only_public_fields(world):
    d = world.direct()  # applicant phone 0901234567
    r = lookup(d["code"], "4567")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"code", "procedure", "status", "received_at", "due_at", "finished_at"}
    assert body["code"] == d["code"]
    assert body["procedure"]["code"] == "9.000001"
    assert body["status"] == {"code": 2, "name": "Được tiếp nhận"}
    assert body["received_at"] == "2026-02-23T09:00:00+07:00"
    assert body["due_at"] == "2026-02-26T09:00:00+07:00"
    assert body["finished_at"] is None
    text = r.content.decode()
    for secret in (APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"], APPLICANT["address"],
                   APPLICANT["name"], "id_number", "phone", "email", "address", "applicant"):
        assert secret not in text, secret


def test_lookup_of_an_online_citizen_dossier_reveals_nothing_personal(world):
    d = world.online()
    r = lookup(d["code"], "5678")  # Nguyễn Văn An, 0912345678
    assert r.status_code == 200
    text = r.content.decode()
    for secret in (CITIZEN_AN, "0912345678", "an@example.vn", "Phường Việt Trì", "Nguyễn Văn An"):
        assert secret not in text
    assert r.json()["received_at"] is None


def test_wrong_or_unknown_lookup_is_404(world):
    d = world.direct()
    for code, verify in ((d["code"], "0000"), (d["code"], ""), (d["code"], "567"), (d["code"], "34567"),
                         (d["code"], "abcd"), (d["code"], "0901234567"), (f"{VIETTRI}-260223-9999", "4567"),
                         ("nonsense", "4567")):
        body = error_of(lookup(code, verify), 404)
        assert body["code"] == "not_found"
    # Unknown and wrong look the same.
    assert lookup(d["code"], "0000").json() == lookup(f"{VIETTRI}-260223-9999", "0000").json()


def test_sixty_lookups_a_minute_then_429(world, clock):
    d = world.direct()
    for i in range(60):
        r = lookup(d["code"], "4567" if i % 2 else "0000")
        assert r.status_code in (200, 404), i
    error_of(lookup(d["code"], "4567"), 429)
    # Another address is not affected.
    assert lookup(d["code"], "4567", address="192.0.2.11").status_code == 200
    # A minute later the address may look up again.
    clock.move_to(at("2026-02-23 09:01:01"))
    assert lookup(d["code"], "4567").status_code == 200


def test_lookup_needs_no_token(world):
    d = world.direct()
    assert Client().get(f"/api/v1/public/dossiers/{d['code']}", {"verify": "4567"}).status_code == 200


# --- idempotency ----------------------------------------------------------------------------

BODY = {"procedure": "9.000001", "channel": "direct", "receiving_unit": VIETTRI, "applicant": APPLICANT}


def dossier_count() -> int:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.count()


def test_same_key_and_body_returns_the_first_result(world):
    desk = world(DESK)
    first = desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-001"})
    assert first.status_code == 201
    second = desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-001"})
    assert second.status_code == 201
    assert second.json() == first.json()
    assert dossier_count() == 1
    # Without a key, or with another key, a new dossier is made.
    assert desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-002"}).json()["code"] != first.json()["code"]
    assert desk.post("/dossiers", BODY).status_code == 201
    assert dossier_count() == 3


def test_same_key_with_another_body_is_409(world):
    desk = world(DESK)
    assert desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-003"}).status_code == 201
    other = {**BODY, "sets": 2}
    error_of(desk.post("/dossiers", other, headers={"Idempotency-Key": "phieu-003"}), 409, "idempotency_key_reused")
    assert dossier_count() == 1


def test_idempotent_replay_after_a_clock_move_within_a_day(world, clock):
    desk = world(DESK)
    first = desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-004"})
    clock.move_to(at("2026-02-23 17:00"))
    again = desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-004"})
    assert again.json() == first.json()
    assert dossier_count() == 1


def test_key_expires_after_24_hours(world, clock):
    desk = world(DESK)
    first = desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-005"}).json()
    clock.move_to(at("2026-02-24 09:01"))
    later = desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-005"})
    assert later.status_code == 201
    assert later.json()["code"] != first["code"]


def test_a_failed_write_does_not_burn_the_key(world):
    desk = world(DESK)
    bad = {**BODY, "procedure": "0.000000"}
    error_of(desk.post("/dossiers", bad, headers={"Idempotency-Key": "phieu-006"}), 400, "unknown_procedure")
    error_of(desk.post("/dossiers", bad, headers={"Idempotency-Key": "phieu-006"}), 400, "unknown_procedure")
    assert dossier_count() == 0


def test_keys_are_per_caller(world):
    a = world(DESK).post("/dossiers", BODY, headers={"Idempotency-Key": "shared-key"})
    b = world("tiepnhan.viettri")  # the same client: same token
    assert b.post("/dossiers", BODY, headers={"Idempotency-Key": "shared-key"}).json() == a.json()
    citizen = world(CITIZEN_AN).post("/dossiers", {"procedure": "9.000001", "channel": "online",
                                                    "receiving_unit": VIETTRI}, headers={"Idempotency-Key": "shared-key"})
    assert citizen.status_code == 201
    assert citizen.json()["channel"] == "online"


def test_idempotent_action(world):
    code = world.direct()["code"]
    desk = world(DESK)
    first = desk.act(code, "forward", {"note": "x"}, headers={"Idempotency-Key": "fw-1"})
    assert first.status_code == 200
    again = desk.act(code, "forward", {"note": "x"}, headers={"Idempotency-Key": "fw-1"})
    assert again.status_code == 200
    assert again.json() == first.json()
    events = desk.get(f"/dossiers/{code}/events").json()["items"]
    assert [e["action"] for e in events].count("forward") == 1


def test_overlong_key_is_400(world):
    error_of(world(DESK).post("/dossiers", BODY, headers={"Idempotency-Key": "k" * 300}), 400)
    assert dossier_count() == 0


def test_replayed_body_is_byte_identical(world):
    desk = world(DESK)
    first = desk.post("/dossiers", BODY, headers={"Idempotency-Key": "phieu-007"})
    second = desk.post("/dossiers", json.loads(json.dumps(BODY)), headers={"Idempotency-Key": "phieu-007"})
    assert second.content == first.content
