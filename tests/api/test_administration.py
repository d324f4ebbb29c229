"""Administration (role admin): units, officials, calendar days, procedures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from .conftest import CITIZEN_AN, PROVINCE, VIETTRI, error_of, procedure_body

NEW_UNIT = {"code": "000.09.99.H45", "name": "Ủy ban nhân dân xã Thử Nghiệm", "level": "commune",
            "parent": PROVINCE}


# --- units ------------------------------------------------------------------------------


def test_admin_creates_a_unit_and_it_is_listed(province, clock, api):
    admin = api("admin")
    r = admin.post("/admin/units", NEW_UNIT)
    assert r.status_code == 201, r.content
    created = r.json()
    assert {k: created[k] for k in ("code", "name", "level", "parent")} == NEW_UNIT
    listed = Client().get("/api/v1/units", {"parent": PROVINCE, "level": "commune"}).json()
    assert set(listed) == {"items", "count"}
    assert listed["count"] == len(listed["items"])
    match = [u for u in listed["items"] if u["code"] == NEW_UNIT["code"]]
    assert match == [created]
    child = admin.post("/admin/units", {"code": "000.01.02.H45", "name": "Trung tâm xã Thử Nghiệm",
                                        "level": "centre", "parent": NEW_UNIT["code"]})
    assert child.status_code == 201
    assert child.json()["parent"] == NEW_UNIT["code"]


def test_unit_list_filters(province, clock):
    from motcua.units.models import Unit

    c = Client()
    all_units = c.get("/api/v1/units").json()
    assert all_units["count"] == Unit.objects.count() == len(all_units["items"])
    for item in all_units["items"]:
        assert set(item) >= {"code", "name", "level", "parent"}
    departments = c.get("/api/v1/units", {"level": "department"}).json()
    assert {"000.00.12.H45", "000.00.15.H45"} <= {u["code"] for u in departments["items"]}
    assert all(u["level"] == "department" for u in departments["items"])
    assert departments["count"] == Unit.objects.filter(level="department").count()
    below = c.get("/api/v1/units", {"parent": "000.00.31.H45"}).json()
    assert VIETTRI in [u["code"] for u in below["items"]]
    assert all(u["parent"] == "000.00.31.H45" for u in below["items"])
    assert c.get("/api/v1/units", {"parent": VIETTRI}).json() == {"items": [], "count": 0}
    both = c.get("/api/v1/units", {"parent": PROVINCE, "level": "centre"}).json()
    assert [u["code"] for u in both["items"]] == ["000.00.01.H45"]
    top = next(u for u in all_units["items"] if u["code"] == PROVINCE)
    assert top["parent"] is None
    error_of(c.get("/api/v1/units", {"level": "galaxy"}), 400)


@pytest.mark.parametrize("code", ["000.02.33.h45", "00.02.33.H45", "000.02.33.H4", "000-02-33-H45", "",
                                  "000.09.99.H45 ", "abc", "000.02.33.HH5", "000.02.333.H45"])
def test_unit_code_must_be_an_agency_code(province, clock, api, code):
    error_of(api("admin").post("/admin/units", {**NEW_UNIT, "code": code}), 400)


def test_unit_with_an_unknown_parent_is_400(province, clock, api):
    error_of(api("admin").post("/admin/units", {**NEW_UNIT, "parent": "999.99.99.H99"}), 400, "unknown_unit")


def test_duplicate_unit_is_409(province, clock, api):
    admin = api("admin")
    assert admin.post("/admin/units", NEW_UNIT).status_code == 201
    error_of(admin.post("/admin/units", {**NEW_UNIT, "name": "Tên khác"}), 409)
    error_of(admin.post("/admin/units", {**NEW_UNIT, "code": VIETTRI}), 409)


def test_unit_body_is_validated(province, clock, api):
    admin = api("admin")
    error_of(admin.post("/admin/units", {**NEW_UNIT, "level": "ministry"}), 400)
    error_of(admin.post("/admin/units", {**NEW_UNIT, "name": ""}), 400)
    error_of(admin.post("/admin/units", {"code": NEW_UNIT["code"]}), 400)


@pytest.mark.parametrize("who", ["tiepnhan.viettri", "giamsat.tinh", "lanhdao.stp", CITIZEN_AN])
def test_non_admins_cannot_administer(province, clock, api, who):
    client = api(who)
    error_of(client.post("/admin/units", NEW_UNIT), 403, "forbidden")
    error_of(client.post("/admin/officials", {"username": "x.y", "password": "mat-khau-dai-2026",
                                              "full_name": "X", "unit": VIETTRI, "roles": ["reception"]}), 403)
    error_of(client.post("/admin/calendar", {"date": "2026-03-03", "kind": "holiday", "name": "Nghỉ"}), 403)
    error_of(client.post("/admin/procedures", procedure_body()), 403)
    error_of(client.post("/import/dossiers", {"dossiers": []}), 403)


def test_administration_needs_a_token(province, clock):
    error_of(Client().post("/api/v1/admin/units", NEW_UNIT, content_type="application/json"), 401)
    error_of(Client().post("/api/v1/admin/procedures", procedure_body(), content_type="application/json"), 401)


# --- officials --------------------------------------------------------------------------

OFFICIAL = {"username": "chuyenvien2.viettri", "password": "mat-khau-rat-dai-2026", "full_name": "Võ Thị Hằng",
            "unit": VIETTRI, "roles": ["specialist", "reception"]}


def test_admin_creates_an_official_who_logs_in(province, clock, api):
    r = api("admin").post("/admin/officials", OFFICIAL)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["username"] == OFFICIAL["username"]
    assert body["full_name"] == "Võ Thị Hằng"
    assert body["unit"]["code"] == VIETTRI
    assert sorted(body["roles"]) == ["reception", "specialist"]
    profile = api(OFFICIAL["username"], password=OFFICIAL["password"]).get("/me").json()
    assert profile["kind"] == "official"
    assert profile["unit"]["code"] == VIETTRI
    assert sorted(profile["roles"]) == ["reception", "specialist"]


def test_official_errors(province, clock, api):
    admin = api("admin")
    error_of(admin.post("/admin/officials", {**OFFICIAL, "unit": "999.99.99.H99"}), 400, "unknown_unit")
    error_of(admin.post("/admin/officials", {**OFFICIAL, "roles": ["emperor"]}), 400)
    error_of(admin.post("/admin/officials", {**OFFICIAL, "roles": []}), 400)
    error_of(admin.post("/admin/officials", {**OFFICIAL, "password": "123"}), 400, "weak_password")
    error_of(admin.post("/admin/officials", {**OFFICIAL, "username": "tiepnhan.viettri"}), 409)
    assert admin.post("/admin/officials", OFFICIAL).status_code == 201
    error_of(admin.post("/admin/officials", OFFICIAL), 409)


def test_an_official_created_as_admin_can_administer(province, clock, api):
    assert api("admin").post("/admin/officials", {**OFFICIAL, "roles": ["admin"]}).status_code == 201
    other = api(OFFICIAL["username"], password=OFFICIAL["password"])
    assert other.post("/admin/units", NEW_UNIT).status_code == 201


# --- calendar ---------------------------------------------------------------------------


def due(received_at: str, amount: Any, unit: str = "working_days") -> str:
    r = Client().get("/api/v1/calendar/due-date", {"received_at": received_at, "amount": amount, "unit": unit})
    assert r.status_code == 200, r.content
    return r.json()["due_at"]


def test_a_new_holiday_changes_due_dates_at_once(province, clock, api):
    # Monday 2/3/2026 08:00 + 3 working days → Thursday 5/3 08:00.
    assert due("2026-03-02T08:00:00+07:00", 3) == "2026-03-05T08:00:00+07:00"
    r = api("admin").post("/admin/calendar", {"date": "2026-03-03", "kind": "holiday", "name": "Nghỉ bù thử nghiệm"})
    assert r.status_code == 201, r.content
    assert r.json() == {"date": "2026-03-03", "working": False, "name": "Nghỉ bù thử nghiệm"}
    assert due("2026-03-02T08:00:00+07:00", 3) == "2026-03-06T08:00:00+07:00"
    days = Client().get("/api/v1/calendar/days", {"from": "2026-03-03", "to": "2026-03-03"}).json()
    assert days["items"] == [{"date": "2026-03-03", "working": False, "name": "Nghỉ bù thử nghiệm"}]


def test_a_made_up_working_saturday_changes_due_dates_at_once(province, clock, api):
    # Friday 13/3/2026 08:00 + 2 working days → Tuesday 17/3 08:00; with Saturday 14/3 worked → Monday 16/3.
    assert due("2026-03-13T08:00:00+07:00", 2) == "2026-03-17T08:00:00+07:00"
    r = api("admin").post("/admin/calendar", {"date": "2026-03-14", "kind": "working", "name": "Làm bù"})
    assert r.status_code == 201
    assert r.json()["working"] is True
    assert due("2026-03-13T08:00:00+07:00", 2) == "2026-03-16T08:00:00+07:00"
    # A dossier received at the desk that Saturday starts its clock then.
    r = Client().get("/api/v1/calendar/due-date", {"received_at": "2026-03-14T09:00:00+07:00", "amount": 1})
    assert r.json()["clock_start"] == "2026-03-14T09:00:00+07:00"


def test_calendar_day_errors(province, clock, api):
    admin = api("admin")
    error_of(admin.post("/admin/calendar", {"date": "2026-13-01", "kind": "holiday", "name": "x"}), 400)
    error_of(admin.post("/admin/calendar", {"date": "2026-03-03", "kind": "vacation", "name": "x"}), 400)
    error_of(admin.post("/admin/calendar", {"date": "2026-03-03", "kind": "holiday", "name": ""}), 400)
    assert admin.post("/admin/calendar", {"date": "2026-03-03", "kind": "holiday", "name": "x"}).status_code == 201
    error_of(admin.post("/admin/calendar", {"date": "2026-03-03", "kind": "working", "name": "y"}), 409)
    # A shipped holiday is already there too.
    error_of(admin.post("/admin/calendar", {"date": "2026-04-30", "kind": "holiday", "name": "30/4"}), 409)


# --- procedures -------------------------------------------------------------------------


def test_publish_a_procedure_returns_it_as_get_does(catalogue, clock, api):
    r = api("admin").post("/admin/procedures", procedure_body())
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["version"] == 1
    fetched = Client().get("/api/v1/procedures/9.000001").json()
    assert created == fetched
    sent = procedure_body()
    for key in ("code", "name", "field", "level", "time_limit", "online_time_limit", "cutoff_time", "online_mode",
                "pause_rule", "handling_unit", "fees", "documents", "workflow"):
        assert fetched[key] == sent[key], key


def test_published_times_are_in_vietnam_time(catalogue, clock, api):
    api("admin").post("/admin/procedures", procedure_body())
    fetched = Client().get("/api/v1/procedures/9.000001").json()
    assert fetched["effective_from"] == "2026-02-23T09:00:00+07:00"


def test_workflow_over_the_time_limit_is_400(catalogue, clock, api):
    body = procedure_body()
    body["workflow"][1]["hours"] = 12.5  # 24.5 h > 3 working days
    error_of(api("admin").post("/admin/procedures", body), 400, "workflow_exceeds_time_limit")
    error_of(Client().get("/api/v1/procedures/9.000001"), 404)
    body["workflow"][1]["hours"] = 12  # exactly 24 h
    assert api("admin").post("/admin/procedures", body).status_code == 201


@pytest.mark.parametrize(("hours", "status"), [(Decimal("8"), 201), (Decimal("8.25"), 400)])
def test_zero_working_days_counts_as_eight_hours(catalogue, clock, api, hours, status):
    body = procedure_body(time_limit={"value": 0, "unit": "working_days"}, cutoff_time="15:00", workflow=[
        {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 0.5},
        {"name": "Xử lý", "role": "specialist", "unit": "handling", "hours": float(hours - Decimal("2.5"))},
        {"name": "Phê duyệt", "role": "leader", "unit": "handling", "hours": 1},
        {"name": "Trả kết quả", "role": "reception", "unit": "receiving", "hours": 1},
    ])
    r = api("admin").post("/admin/procedures", body)
    if status == 201:
        assert r.status_code == 201, r.content
        assert r.json()["time_limit"] == {"value": 0, "unit": "working_days"}
        assert r.json()["cutoff_time"] == "15:00"
    else:
        error_of(r, 400, "workflow_exceeds_time_limit")


def test_working_hours_limit(catalogue, clock, api):
    body = procedure_body(time_limit={"value": 6, "unit": "working_hours"}, workflow=[
        {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 1},
        {"name": "Xử lý", "role": "specialist", "unit": "handling", "hours": 5.5},
    ])
    error_of(api("admin").post("/admin/procedures", body), 400, "workflow_exceeds_time_limit")
    body["workflow"][1]["hours"] = 5
    assert api("admin").post("/admin/procedures", body).status_code == 201


def test_procedure_body_is_validated(catalogue, clock, api):
    admin = api("admin")
    bad: list[dict[str, Any]] = [
        procedure_body(time_limit={"value": 3, "unit": "fortnights"}),
        procedure_body(time_limit={"value": -1, "unit": "working_days"}),
        procedure_body(online_mode="sometimes"),
        procedure_body(pause_rule="forever"),
        procedure_body(cutoff_time="25:00"),
        procedure_body(cutoff_time="3pm"),
        procedure_body(level="galaxy"),
        procedure_body(name=""),
        procedure_body(fees=[{"code": "LP01", "name": "Lệ phí", "amount": -5, "collect_at": "receipt"}]),
        procedure_body(fees=[{"code": "LP01", "name": "Lệ phí", "amount": 5, "collect_at": "never"}]),
        procedure_body(documents=[{"code": "TK01", "name": "Tờ khai", "copy_type": "fax", "count": 1,
                                   "required": True}]),
        procedure_body(workflow=[{"name": "X", "role": "reception", "unit": "receiving", "hours": -1}]),
        procedure_body(workflow=[{"name": "X", "role": "janitor", "unit": "receiving", "hours": 1}]),
        procedure_body(workflow=[{"name": "X", "role": "reception", "unit": "somewhere", "hours": 1}]),
        procedure_body(handling_unit="elsewhere"),
        procedure_body(code=""),
        procedure_body(code="1.001 193"),
    ]
    for body in bad:
        error_of(admin.post("/admin/procedures", body), 400)
    missing = procedure_body()
    del missing["time_limit"]
    error_of(admin.post("/admin/procedures", missing), 400)
    error_of(admin.post("/admin/procedures", procedure_body(handling_unit="999.99.99.H99")), 400, "unknown_unit")
    error_of(admin.post("/admin/procedures", procedure_body(workflow=[
        {"name": "X", "role": "reception", "unit": "999.99.99.H99", "hours": 1}])), 400, "unknown_unit")


def test_reposting_a_code_makes_a_new_version_and_old_dossiers_keep_theirs(catalogue, clock, api):
    admin = api("admin")
    assert admin.post("/admin/procedures", procedure_body()).json()["version"] == 1
    desk = api("tiepnhan.viettri")
    first = desk.post("/dossiers", {"procedure": "9.000001", "channel": "direct", "receiving_unit": VIETTRI,
                                    "applicant": {"name": "Lê Văn Cường", "phone": "0901234567"}}).json()
    assert first["procedure"]["version"] == 1
    assert first["due_at"] == "2026-02-26T09:00:00+07:00"  # 3 working days

    second_body = procedure_body(name="Thủ tục thử nghiệm hợp đồng API (sửa đổi)",
                                 time_limit={"value": 5, "unit": "working_days"})
    r = admin.post("/admin/procedures", second_body)
    assert r.status_code == 201
    assert r.json()["version"] == 2
    current = Client().get("/api/v1/procedures/9.000001").json()
    assert current["version"] == 2
    assert current["time_limit"] == {"value": 5, "unit": "working_days"}
    assert current["name"] == "Thủ tục thử nghiệm hợp đồng API (sửa đổi)"

    again = desk.get(f"/dossiers/{first['code']}").json()
    assert again["procedure"] == {"code": "9.000001", "name": "Thủ tục thử nghiệm hợp đồng API", "version": 1}
    assert again["due_at"] == "2026-02-26T09:00:00+07:00"
    newer = desk.post("/dossiers", {"procedure": "9.000001", "channel": "direct", "receiving_unit": VIETTRI,
                                    "applicant": {"name": "Lê Văn Cường", "phone": "0901234567"}}).json()
    assert newer["procedure"]["version"] == 2
    assert newer["due_at"] == "2026-03-02T09:00:00+07:00"  # 5 working days
    # Handling the old dossier still follows version 1's workflow.
    moved = desk.act(first["code"], "forward", {})
    assert moved.status_code == 200
    assert moved.json()["current_step"]["name"] == "Thẩm định"
    # The list shows the procedure once, at its current version.
    listed = Client().get("/api/v1/procedures", {"q": "9.000001"}).json()
    assert listed["count"] == 1
    assert listed["items"][0]["version"] == 2
