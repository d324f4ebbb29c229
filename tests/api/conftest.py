"""Fixtures and helpers of the v1 API contract tests (api-contract.md).

The demo province and its catalogue are written once for this package (and removed again at its
end); every test runs in a transaction that is rolled back, at a fixed moment (Monday 23/2/2026
09:00, Vietnam time, the first working day after Tết 2026) with the clock frozen. The login and
look-up counters (in the cache) and the process copies of the unit tree, the calendar and the
catalogue are cleared around each test (tests/fixtures.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.fixtures import clear_process_caches

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = "2026-02-23 09:00"

VIETTRI = "000.01.31.H45"  # commune centre: reception, specialist, leader
VIETTRI_UBND = "000.00.31.H45"  # its parent: supervisor giamsat.viettri
VINHYEN = "000.01.32.H45"
PROVINCE = "000.00.00.H45"
STP = "000.00.12.H45"  # Sở Tư pháp: specialist, leader, reception
CENTRE = "000.00.01.H45"  # provincial centre: reception tiepnhan.tinh

CITIZEN_AN = "025090000123"
CITIZEN_BINH = "025195000456"


def at(text: str) -> datetime:
    """A wall-clock time in Vietnam: at("2026-02-23 09:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def iso(text: str) -> str:
    return at(text).isoformat()


def error_of(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert the contract's error shape and return the body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["details"], dict)
    if code is not None:
        assert body["code"] == code, body
    return body


def procedure_body(code: str = "9.000001", **overrides: Any) -> dict[str, Any]:
    """A procedure in the contract's shape: 3 working days, steps of 4 + 12 + 4 + 4 hours,
    handled by the receiving unit, one fee and two documents."""
    body: dict[str, Any] = {
        "code": code,
        "name": "Thủ tục thử nghiệm hợp đồng API",
        "field": {"code": "THUNGHIEM", "name": "Thử nghiệm"},
        "level": "commune",
        "time_limit": {"value": 3, "unit": "working_days"},
        "online_time_limit": None,
        "cutoff_time": None,
        "online_mode": "full",
        "pause_rule": "pause",
        "handling_unit": "receiving",
        "fees": [{"code": "LP01", "name": "Lệ phí", "amount": 8000, "collect_at": "receipt"}],
        "documents": [
            {"code": "TK01", "name": "Tờ khai", "copy_type": "original", "count": 1, "required": True},
            {"code": "GT01", "name": "Giấy tờ tùy thân", "copy_type": "copy", "count": 1, "required": False},
        ],
        "workflow": [
            {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 4},
            {"name": "Thẩm định", "role": "specialist", "unit": "handling", "hours": 12},
            {"name": "Phê duyệt", "role": "leader", "unit": "handling", "hours": 4},
            {"name": "Trả kết quả", "role": "reception", "unit": "receiving", "hours": 4},
        ],
    }
    body.update(overrides)
    return body


APPLICANT = {"name": "Lê Văn Cường", "id_number": "025088001234", "phone": "0901234567",
             "email": "cuong@example.vn", "address": "Phường Việt Trì, tỉnh Phú Thọ"}


@pytest.fixture(scope="package")
def _demo_province(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo province with its calendar and catalogue, committed once for the package."""
    from django.core.management import call_command

    from motcua.accounts.selectors import system_actor
    from motcua.calendar.services import calendar_load_defaults
    from motcua.catalog.services import procedure_import_file
    from motcua.demo.seed import seed_units_and_people

    with django_db_blocker.unblock(), time_machine.travel(at("2026-01-05 08:00"), tick=False):
        seed_units_and_people()
        calendar_load_defaults()
        procedure_import_file(actor=system_actor())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    clear_process_caches()


@pytest.fixture
def province(_demo_province: None, db: None) -> None:
    """Overrides the suite's fixture: the province is already there (and each test rolls back)."""


@pytest.fixture
def catalogue(province: None) -> None:
    """Overrides the suite's fixture: the catalogue is already there."""


@pytest.fixture(autouse=True)
def _routes_cover_units(route_invariant: Any) -> None:
    """Every contract test also checks that dossier routes cover their units."""


@pytest.fixture
def clock() -> Iterator[Any]:
    """The frozen clock, at START; `clock.move_to(at(...))` moves it."""
    traveller = time_machine.travel(at(START), tick=False)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


@pytest.fixture
def files_dir(settings: Any, tmp_path: Path) -> Path:
    """A private FILES_DIR for the test, so that what is left behind can be listed."""
    path = tmp_path / "files"
    settings.MOTCUA = {**settings.MOTCUA, "FILES_DIR": path}
    return path


@pytest.fixture
def long_tokens(settings: Any) -> None:
    """Tokens that outlive the clock moves of a test."""
    settings.MOTCUA = {**settings.MOTCUA, "TOKEN_TTL_HOURS": 24 * 60}


class World:
    """Logged-in clients of the demo province and helpers to make dossiers."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self._clients: dict[str, Any] = {}

    def __call__(self, username: str) -> Any:
        if username not in self._clients:
            self._clients[username] = self.api(username)
        return self._clients[username]

    @property
    def admin(self) -> Any:
        return self("admin")

    def publish(self, body: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        r = self.admin.post("/admin/procedures", body or procedure_body(**overrides))
        assert r.status_code == 201, r.content
        return r.json()

    def online(self, citizen: str = CITIZEN_AN, procedure: str = "9.000001", unit: str = VIETTRI,
               **extra: Any) -> dict[str, Any]:
        r = self(citizen).post("/dossiers", {"procedure": procedure, "channel": "online", "receiving_unit": unit,
                                             **extra})
        assert r.status_code == 201, r.content
        return r.json()

    def direct(self, desk: str = "tiepnhan.viettri", procedure: str = "9.000001", unit: str = VIETTRI,
               applicant: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        r = self(desk).post("/dossiers", {"procedure": procedure, "channel": "direct", "receiving_unit": unit,
                                          "applicant": applicant or APPLICANT, **extra})
        assert r.status_code == 201, r.content
        return r.json()

    def act(self, who: str, code: str, action: str, body: dict[str, Any] | None = None,
            status: int = 200) -> dict[str, Any]:
        r = self(who).act(code, action, body or {})
        assert r.status_code == status, (who, action, r.status_code, r.content[:400])
        return r.json()


@pytest.fixture
def world(catalogue: None, api: Any, clock: Any, long_tokens: None) -> World:
    """The demo province with its catalogue, the test procedure 9.000001 published, time frozen."""
    w = World(api)
    w.publish()
    return w
