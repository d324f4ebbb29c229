"""Accounts: tokens, login throttling, registration, /me (api-contract.md, Accounts)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from .conftest import CITIZEN_AN, VIETTRI, at, error_of

PASSWORD = "motcua-demo"


def login(username: str, password: str = PASSWORD, client: Client | None = None) -> Any:
    return (client or Client()).post("/api/v1/auth/token", {"username": username, "password": password},
                                     content_type="application/json")


def me(token: str) -> Any:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


# --- tokens -----------------------------------------------------------------------------


def test_token_is_issued_with_an_expiry_in_vietnam_time(province, clock):
    r = login("tiepnhan.viettri")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"token", "expires_at"}
    assert len(body["token"]) >= 32
    assert body["expires_at"] == "2026-02-23T21:00:00+07:00"  # 12 hours (TOKEN_TTL_HOURS)
    assert me(body["token"]).status_code == 200


def test_citizen_logs_in_with_the_id_number(province, clock):
    r = login(CITIZEN_AN)
    assert r.status_code == 200
    assert me(r.json()["token"]).json()["username"] == CITIZEN_AN


def test_wrong_password_and_unknown_user_are_401(province, clock):
    error_of(login("tiepnhan.viettri", "wrong-password"), 401, "invalid_credentials")
    error_of(login("no.such.user", "whatever-pass"), 401, "invalid_credentials")


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer not-a-real-token"},
    {"Authorization": "Bearer "},
    {"Authorization": "Basic dGllcG5oYW46bW90Y3Vh"},
    {"Authorization": "Token abc"},
])
def test_missing_or_invalid_token_is_401(province, clock, headers):
    for path in ("/api/v1/me", "/api/v1/dossiers"):
        error_of(Client().get(path, headers=headers), 401)
    error_of(Client().post("/api/v1/dossiers", {}, content_type="application/json", headers=headers), 401)


def test_expired_token_is_401(province, clock):
    token = login("tiepnhan.viettri").json()["token"]
    clock.move_to(at("2026-02-23 20:59"))
    assert me(token).status_code == 200
    clock.move_to(at("2026-02-23 21:00"))
    error_of(me(token), 401)


def test_token_of_a_deactivated_user_is_401(province, clock):
    from motcua.accounts.models import User

    token = login("tiepnhan.viettri").json()["token"]
    User.objects.filter(username="tiepnhan.viettri").update(is_active=False)
    error_of(me(token), 401)


# --- login throttling -------------------------------------------------------------------


def test_ten_failures_lock_the_account_for_fifteen_minutes(province, clock):
    for _ in range(10):
        error_of(login("tiepnhan.viettri", "wrong-password"), 401, "invalid_credentials")
    # Locked: even the right password is refused, with 429.
    error_of(login("tiepnhan.viettri"), 429)
    error_of(login("tiepnhan.viettri", "wrong-password"), 429)
    # Another account is not affected.
    assert login("chuyenvien.viettri").status_code == 200
    assert login(CITIZEN_AN).status_code == 200
    clock.move_to(at("2026-02-23 09:14:59"))
    error_of(login("tiepnhan.viettri"), 429)
    clock.move_to(at("2026-02-23 09:15:01"))
    assert login("tiepnhan.viettri").status_code == 200


def test_nine_failures_do_not_lock(province, clock):
    for _ in range(9):
        error_of(login("tiepnhan.viettri", "wrong-password"), 401)
    assert login("tiepnhan.viettri").status_code == 200


def test_failures_are_counted_per_account(province, clock):
    for _ in range(6):
        error_of(login("tiepnhan.viettri", "wrong-password"), 401)
        error_of(login("chuyenvien.viettri", "wrong-password"), 401)
    assert login("tiepnhan.viettri").status_code == 200
    assert login("chuyenvien.viettri").status_code == 200


def test_citizen_account_is_locked_by_id_number(province, clock):
    for _ in range(10):
        error_of(login(CITIZEN_AN, "wrong-password"), 401)
    error_of(login(CITIZEN_AN), 429)
    assert login("025195000456").status_code == 200


def test_successful_logins_are_not_limited_and_do_not_count(province, clock):
    for _ in range(30):
        assert login("tiepnhan.viettri").status_code == 200
    # Successes in between do not add failures: nine failures, then still allowed.
    for _ in range(9):
        error_of(login("tiepnhan.viettri", "wrong-password"), 401)
        assert login("tiepnhan.viettri").status_code == 200


def test_failures_older_than_the_window_are_forgotten(province, clock):
    for _ in range(9):
        error_of(login("tiepnhan.viettri", "wrong-password"), 401)
    clock.move_to(at("2026-02-23 09:16"))
    for _ in range(9):
        error_of(login("tiepnhan.viettri", "wrong-password"), 401)
    assert login("tiepnhan.viettri").status_code == 200


def test_login_body_is_validated(province, clock):
    c = Client()
    error_of(c.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json"), 400)
    error_of(c.post("/api/v1/auth/token", {"username": "", "password": "x"}, content_type="application/json"), 400)
    error_of(c.post("/api/v1/auth/token", "not json", content_type="application/json"), 400)
    error_of(c.post("/api/v1/auth/token", {"username": 5, "password": ["x"]}, content_type="application/json"), 400)


# --- /me --------------------------------------------------------------------------------


def test_me_for_a_citizen(province, clock, api):
    body = api(CITIZEN_AN).get("/me").json()
    assert body["username"] == CITIZEN_AN
    assert body["full_name"] == "Nguyễn Văn An"
    assert body["kind"] == "citizen"
    assert body.get("unit") is None
    assert body["roles"] == []


def test_me_for_an_official(province, clock, api):
    body = api("tiepnhan.viettri").get("/me").json()
    assert body["username"] == "tiepnhan.viettri"
    assert body["full_name"] == "Nguyễn Thị Thu"
    assert body["kind"] == "official"
    assert body["unit"] == {"code": VIETTRI, "name": "Trung tâm Phục vụ hành chính công phường Việt Trì"}
    assert body["roles"] == ["reception"]
    assert api("admin").get("/me").json()["roles"] == ["admin"]


# --- registration -----------------------------------------------------------------------

REGISTRATION = {"id_number": "001201000789", "full_name": "Phạm Thị Dung", "phone": "0934567890",
                "email": "dung@example.vn", "password": "mat-khau-rat-dai-2026", "birth_date": "2001-03-04"}


def register(**overrides: Any) -> Any:
    return Client().post("/api/v1/auth/register", {**REGISTRATION, **overrides}, content_type="application/json")


def test_register_creates_a_citizen_who_can_log_in(province, clock):
    r = register()
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["username"] == "001201000789"
    assert body["full_name"] == "Phạm Thị Dung"
    assert body["kind"] == "citizen"
    token = login("001201000789", "mat-khau-rat-dai-2026").json()["token"]
    profile = me(token).json()
    assert profile["kind"] == "citizen"
    assert profile["full_name"] == "Phạm Thị Dung"
    # Created in the shape of its GET (/me).
    assert {k: body[k] for k in profile if k != "units"} == {k: v for k, v in profile.items() if k != "units"}
    assert body["unit"] is None and body["roles"] == []


def test_register_without_birth_date(province, clock):
    r = register(birth_date=None)
    assert r.status_code == 201, r.content


def test_register_normalises_the_name_to_nfc(province, clock):
    import unicodedata

    r = register(full_name=unicodedata.normalize("NFD", "Phạm Thị Dung"))
    assert r.status_code == 201
    assert r.json()["full_name"] == unicodedata.normalize("NFC", "Phạm Thị Dung")


@pytest.mark.parametrize("id_number", [
    "00120100078",  # 11 digits
    "0012010007890",  # 13 digits
    "00120100078A",  # a letter
    "ABCDEFGHIJKL",
    "097201000789",  # province 097 does not exist
    "000201000789",  # province 000
    "001701000789",  # century digit 7
    "001601000789",  # century digit 6
    "001 01000789",
    "",
    "００１２０１０００７８９",  # full-width digits
])
def test_register_refuses_an_invalid_id_number(province, clock, id_number):
    body = error_of(register(id_number=id_number, birth_date=None), 400, "invalid_id_number")
    assert body["message"]


@pytest.mark.parametrize(("id_number", "birth_date"), [
    ("001201000789", "2002-03-04"),  # year 2001 in the number
    ("001101000789", "2001-03-04"),  # 1901
    ("001301000789", "1901-03-04"),  # 2001
])
def test_register_refuses_an_id_number_that_disagrees_with_the_birth_date(province, clock, id_number, birth_date):
    error_of(register(id_number=id_number, birth_date=birth_date), 400, "id_number_birth_mismatch")


def test_register_twice_is_409(province, clock):
    assert register().status_code == 201
    error_of(register(full_name="Người khác"), 409)
    error_of(register(id_number=CITIZEN_AN, birth_date="1990-05-12"), 409)


@pytest.mark.parametrize(("field", "value", "code"), [
    ("phone", "12345", "invalid_phone"),
    ("email", "not-an-email", "invalid_email"),
    ("password", "123", "weak_password"),
])
def test_register_validates_contact_and_password(province, clock, field, value, code):
    error_of(register(**{field: value}), 400, code)


def test_register_validates_shape(province, clock):
    error_of(register(full_name=""), 400)
    error_of(register(full_name="x" * 10_000), 400)
    error_of(register(birth_date="04/03/2001"), 400)
    error_of(Client().post("/api/v1/auth/register", {"id_number": "001201000789"}, content_type="application/json"),
             400)


def test_lock_expires_and_failures_do_not_leak_into_registration(province, clock):
    for _ in range(10):
        login("001201000789", "x-wrong-password")
    assert register().status_code == 201
    error_of(login("001201000789", "mat-khau-rat-dai-2026"), 429)
    clock.move_to(at("2026-02-23 09:00") + timedelta(minutes=15, seconds=1))
    assert login("001201000789", "mat-khau-rat-dai-2026").status_code == 200
