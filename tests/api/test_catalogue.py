"""Public procedures, units and calendar (api-contract.md, Procedures and calendar)."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.test import Client

from .conftest import error_of

c = Client()


def procedures(**params: Any) -> Any:
    return c.get("/api/v1/procedures", params)


def codes(body: dict[str, Any]) -> list[str]:
    return [p["code"] for p in body["items"]]


# --- search and filters -----------------------------------------------------------------


@pytest.mark.parametrize("q", [
    "dang ky khai sinh",
    "Đăng ký khai sinh",
    "ĐĂNG KÝ KHAI SINH",
    "  đăng   ký khai  sinh ",
    unicodedata.normalize("NFD", "Đăng ký khai sinh"),
    unicodedata.normalize("NFD", "ĐĂNG KÝ khai sinh"),
    "DANG KY KHAI SINH",
])
def test_q_ignores_case_and_diacritics(catalogue, q):
    r = procedures(q=q, page_size=200)
    assert r.status_code == 200
    found = codes(r.json())
    assert "1.001193" in found
    assert "1.000656" not in found  # khai tử
    for item in r.json()["items"]:
        from motcua.core.text import fold

        assert all(word in fold(item["code"] + " " + item["name"]) for word in fold(q).split())


def test_q_upper_case_without_accents_finds_the_same(catalogue):
    assert codes(procedures(q="ĐĂNG KÝ", page_size=200).json()) == codes(procedures(q="dang ky", page_size=200).json())
    assert len(codes(procedures(q="dang ky", page_size=200).json())) >= 8


def test_q_matches_the_code(catalogue):
    assert codes(procedures(q="1.001193").json()) == ["1.001193"]
    assert codes(procedures(q="no such procedure at all").json()) == []


def test_list_shape_and_items_are_the_detail(catalogue):
    body = procedures(q="khai sinh").json()
    assert set(body) == {"items", "count"}
    assert body["count"] == len(body["items"])
    for item in body["items"]:
        assert item == c.get(f"/api/v1/procedures/{item['code']}").json()
        for key in ("code", "name", "version", "field", "level", "time_limit", "online_time_limit", "cutoff_time",
                    "online_mode", "pause_rule", "handling_unit", "fees", "documents", "workflow"):
            assert key in item


def test_filters(catalogue):
    total = procedures(page_size=200).json()["count"]
    assert total == 24
    hotich = procedures(field="HOTICH", page_size=200).json()
    assert hotich["count"] > 0
    assert all(p["field"]["code"] == "HOTICH" for p in hotich["items"])
    province_level = procedures(level="province", page_size=200).json()
    assert province_level["count"] > 0
    assert all(p["level"] == "province" for p in province_level["items"])
    offline = procedures(online_mode="none").json()
    assert codes(offline) == ["2.000884"]
    both = procedures(level="commune", online_mode="partial", page_size=200).json()
    assert both["count"] > 0
    assert all(p["level"] == "commune" and p["online_mode"] == "partial" for p in both["items"])
    assert procedures(field="NOPE").json() == {"items": [], "count": 0}
    combined = procedures(q="dang ky", field="HOTICH", page_size=200).json()
    assert "1.001193" in codes(combined)
    assert "1.004222" not in codes(combined)  # thường trú is another field


def test_paging(catalogue):
    everything = codes(procedures(page_size=200).json())
    first = procedures(page_size=10).json()
    assert first["count"] == 24
    assert codes(first) == everything[:10]
    third = procedures(page=3, page_size=10).json()
    assert third["count"] == 24
    assert codes(third) == everything[20:]
    assert procedures(page=4, page_size=10).json() == {"items": [], "count": 24}
    assert len(procedures().json()["items"]) == 20  # default page size


@pytest.mark.parametrize("params", [
    {"page": 0}, {"page": -1}, {"page": "abc"}, {"page": "1.5"},
    {"page_size": 0}, {"page_size": 201}, {"page_size": -3}, {"page_size": "x"},
    {"page": 10**30}, {"page_size": 10**30},
])
def test_bad_paging_values_are_400(catalogue, params):
    error_of(procedures(**params), 400)


def test_page_size_200_is_allowed(catalogue):
    assert procedures(page_size=200).status_code == 200


def test_procedure_detail(catalogue):
    body = c.get("/api/v1/procedures/1.001193").json()
    assert body["code"] == "1.001193"
    assert body["name"] == "Đăng ký khai sinh"
    assert body["version"] == 1
    assert body["time_limit"] == {"value": 1, "unit": "working_days"}
    error_of(c.get("/api/v1/procedures/0.000000"), 404, "not_found")


# --- due dates --------------------------------------------------------------------------


def due(status: int = 200, **params: Any) -> dict[str, Any]:
    r = c.get("/api/v1/calendar/due-date", params)
    assert r.status_code == status, r.content
    return r.json()


def test_due_date_across_tet(province):
    # domain-rules §4: Friday 13/2/2026 10:00 + 3 working days → Wednesday 25/2/2026 10:00.
    body = due(received_at="2026-02-13T10:00:00+07:00", amount=3, unit="working_days")
    assert body == {"received_at": "2026-02-13T10:00:00+07:00", "clock_start": "2026-02-13T10:00:00+07:00",
                    "due_at": "2026-02-25T10:00:00+07:00"}


def test_due_date_input_in_another_offset_is_shown_in_vietnam_time(province):
    body = due(received_at="2026-02-13T03:00:00Z", amount=3)
    assert body["received_at"] == "2026-02-13T10:00:00+07:00"
    assert body["due_at"] == "2026-02-25T10:00:00+07:00"
    body = due(received_at="2026-02-13T05:00:00+02:00", amount=3)
    assert body["clock_start"] == "2026-02-13T10:00:00+07:00"


def test_default_unit_is_working_days(province):
    assert due(received_at="2026-02-13T10:00:00+07:00", amount=3)["due_at"] == "2026-02-25T10:00:00+07:00"


@pytest.mark.parametrize(("received", "clock_start"), [
    ("2026-02-23T06:00:00+07:00", "2026-02-23T07:00:00+07:00"),  # before opening
    ("2026-02-23T11:30:00+07:00", "2026-02-23T13:30:00+07:00"),  # lunch starts at 11:30 exactly
    ("2026-02-23T12:15:00+07:00", "2026-02-23T13:30:00+07:00"),  # lunch
    ("2026-02-23T17:00:00+07:00", "2026-02-24T07:00:00+07:00"),  # closing, exactly
    ("2026-02-23T16:59:59+07:00", "2026-02-23T16:59:59+07:00"),
    ("2026-02-21T09:00:00+07:00", "2026-02-23T07:00:00+07:00"),  # Saturday during Tết
    ("2026-02-14T10:00:00+07:00", "2026-02-23T07:00:00+07:00"),  # Tết
])
def test_receipt_is_normalised(province, received, clock_start):
    body = due(received_at=received, amount=1)
    assert body["clock_start"] == clock_start


def test_due_time_is_the_close_of_a_period_not_the_next_opening(province):
    # Monday 23/2 13:30 + 3.5 h fills the afternoon: due Monday 17:00.
    body = due(received_at="2026-02-23T13:30:00+07:00", amount="3.5", unit="working_hours")
    assert body["due_at"] == "2026-02-23T17:00:00+07:00"
    body = due(received_at="2026-02-23T07:00:00+07:00", amount=2, unit="working_days")
    assert body["due_at"] == "2026-02-24T17:00:00+07:00"


@pytest.mark.parametrize(("received", "expected"), [
    ("2026-02-23T14:00:00+07:00", "2026-02-23T17:00:00+07:00"),
    ("2026-02-23T15:00:00+07:00", "2026-02-23T17:00:00+07:00"),  # 15:00 exactly is still in time
    ("2026-02-23T15:00:01+07:00", "2026-02-24T17:00:00+07:00"),
    ("2026-02-23T15:30:00+07:00", "2026-02-24T17:00:00+07:00"),
    ("2026-02-27T15:30:00+07:00", "2026-03-02T17:00:00+07:00"),  # Friday → Monday
])
def test_same_day_cutoff_with_zero_working_days(province, received, expected):
    body = due(received_at=received, amount=0, unit="working_days", cutoff="15:00")
    assert body["due_at"] == expected


def test_zero_working_days_without_cutoff(province):
    assert due(received_at="2026-02-23T15:30:00+07:00", amount=0)["due_at"] == "2026-02-23T17:00:00+07:00"


@pytest.mark.parametrize(("received", "amount", "expected"), [
    ("2026-03-02T09:00:00+07:00", 3, "2026-03-05T17:00:00+07:00"),  # Thursday
    ("2026-03-02T09:00:00+07:00", 5, "2026-03-09T17:00:00+07:00"),  # Saturday → Monday
    ("2026-03-02T09:00:00+07:00", 6, "2026-03-09T17:00:00+07:00"),  # Sunday → Monday
    ("2026-04-20T09:00:00+07:00", 10, "2026-05-04T17:00:00+07:00"),  # 30/4 (Thursday) → next working day 4/5
    ("2026-02-10T10:00:00+07:00", 5, "2026-02-23T17:00:00+07:00"),  # Sunday 15/2 in Tết → Monday 23/2
])
def test_calendar_day_limits(province, received, amount, expected):
    assert due(received_at=received, amount=amount, unit="calendar_days")["due_at"] == expected


def test_agency_selects_its_working_hours(province, api, clock):
    from motcua.units.models import Unit

    Unit.objects.filter(code="000.01.33.H45").update(working_hours="08:00-12:00,13:00-17:00")
    from motcua.units.selectors import invalidate

    invalidate()
    body = due(received_at="2026-02-23T07:30:00+07:00", amount=1, unit="working_hours", agency="000.01.33.H45")
    assert body["clock_start"] == "2026-02-23T08:00:00+07:00"
    assert body["due_at"] == "2026-02-23T09:00:00+07:00"
    default = due(received_at="2026-02-23T07:30:00+07:00", amount=1, unit="working_hours")
    assert default["due_at"] == "2026-02-23T08:30:00+07:00"
    error_of(c.get("/api/v1/calendar/due-date", {"received_at": "2026-02-23T07:30:00+07:00", "amount": 1,
                                                  "agency": "999.99.99.H99"}), 400, "unknown_unit")


@pytest.mark.parametrize("received_at", ["2026-02-13T10:00:00", "2026-02-13 10:00", "2026-02-13T10:00"])
def test_received_at_without_an_offset_is_400(province, received_at):
    body = error_of(c.get("/api/v1/calendar/due-date", {"received_at": received_at, "amount": 3}), 400,
                    "datetime_without_offset")
    assert "+07:00" in body["message"]


@pytest.mark.parametrize("params", [
    {"received_at": "yesterday", "amount": 3},
    {"received_at": "2026-02-30T10:00:00+07:00", "amount": 3},
    {"received_at": "2026-02-13T10:00:00+07:00", "amount": -1},
    {"received_at": "2026-02-13T10:00:00+07:00", "amount": "NaN"},
    {"received_at": "2026-02-13T10:00:00+07:00", "amount": "Infinity"},
    {"received_at": "2026-02-13T10:00:00+07:00", "amount": "1e400"},
    {"received_at": "2026-02-13T10:00:00+07:00", "amount": "three"},
    {"received_at": "2026-02-13T10:00:00+07:00", "amount": 3, "unit": "fortnights"},
    {"received_at": "2026-02-13T10:00:00+07:00", "amount": 0, "cutoff": "3pm"},
    {"received_at": "2026-02-13T10:00:00+07:00"},
    {"amount": 3},
])
def test_due_date_bad_input_is_400(province, params):
    error_of(c.get("/api/v1/calendar/due-date", params), 400)


# --- calendar days ----------------------------------------------------------------------


def test_calendar_days_shape(province):
    r = c.get("/api/v1/calendar/days", {"from": "2026-02-13", "to": "2026-02-23"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 11
    days = {d["date"]: d for d in body["items"]}
    assert [d["date"] for d in body["items"]] == sorted(days)
    for d in body["items"]:
        assert set(d) == {"date", "working", "name"}
        assert isinstance(d["working"], bool)
        assert isinstance(d["name"], str)
    assert days["2026-02-13"]["working"] is True
    assert days["2026-02-23"]["working"] is True
    for day in range(14, 23):
        assert days[f"2026-02-{day:02d}"]["working"] is False
    assert days["2026-02-17"]["name"]  # Tết has a name


def test_calendar_days_known_swaps(province):
    body = c.get("/api/v1/calendar/days", {"from": "2026-01-01", "to": "2026-01-10"}).json()
    days = {d["date"]: d["working"] for d in body["items"]}
    assert days["2026-01-01"] is False
    assert days["2026-01-02"] is False  # Friday off by swap
    assert days["2026-01-05"] is True
    assert days["2026-01-10"] is True  # Saturday worked


@pytest.mark.parametrize("params", [
    {"from": "2026-02-23", "to": "2026-02-13"},
    {"from": "2026-02-13"},
    {"to": "2026-02-13"},
    {"from": "13/02/2026", "to": "2026-02-23"},
    {"from": "2020-01-01", "to": "2030-01-01"},
])
def test_calendar_days_bad_input_is_400(province, params):
    error_of(c.get("/api/v1/calendar/days", params), 400)
