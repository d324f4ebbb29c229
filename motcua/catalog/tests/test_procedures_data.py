"""Checks of the demo procedure catalogue (motcua/catalog/data/procedures.json).

Plain pytest: reads the JSON file only, no database and no Django.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "procedures.json"

CODE_RE = re.compile(r"^\d\.\d{6}$")
UNIT_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
CUTOFF_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

SO_TU_PHAP = "000.00.12.H45"
SO_XAY_DUNG = "000.00.15.H45"
DEPARTMENTS = {SO_TU_PHAP, SO_XAY_DUNG}

BODY_KEYS = {
    "code", "name", "field", "level", "time_limit", "online_time_limit", "cutoff_time", "online_mode",
    "pause_rule", "handling_unit", "fees", "documents", "workflow",
}
EXTRA_KEYS = {"description", "legal_basis", "result", "agency"}
LIMIT_UNITS = {"working_days", "working_hours", "calendar_days"}
ONLINE_MODES = {"full", "partial", "none"}
PAUSE_RULES = {"pause", "restart"}
LEVELS = {"province", "commune"}
COLLECT_AT = {"receipt", "result"}
COPY_TYPES = {"original", "certified_copy", "copy", "electronic"}
ROLES = {"reception", "specialist", "leader"}
MAX_TEXT = 500  # NonEmpty limit of the procedure body schema


def _load() -> list[dict[str, Any]]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


PROCEDURES = _load()


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [str(p.get("code")) for p in items]


def limit_hours(limit: dict[str, Any]) -> float:
    """A time limit in working hours, by the catalogue rule.

    Working days × 8 (0 working days, "within the day", counts as 8); working hours as they are;
    calendar days counted as value × 8 × 5/7, rounded down, to be safe.
    """
    value, unit = limit["value"], limit["unit"]
    if unit == "working_days":
        return 8.0 if value == 0 else value * 8.0
    if unit == "working_hours":
        return float(value)
    assert unit == "calendar_days"
    return float(math.floor(value * 8 * 5 / 7))


def _find(fragment: str) -> list[dict[str, Any]]:
    needle = unicodedata.normalize("NFC", fragment).casefold()
    return [p for p in PROCEDURES if needle in p["name"].casefold()]


def _one(fragment: str, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    found = [p for p in _find(fragment) if not any(x.casefold() in p["name"].casefold() for x in exclude)]
    assert found, f"no procedure whose name contains {fragment!r}"
    return found[0]


def _strings(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


# ------------------------------------------------------------------ the file as a whole


def test_file_is_a_list_of_enough_procedures() -> None:
    assert isinstance(PROCEDURES, list)
    assert len(PROCEDURES) >= 20


def test_codes_are_unique_and_national_format() -> None:
    codes = _ids(PROCEDURES)
    assert len(codes) == len(set(codes)), "duplicate procedure codes"
    for code in codes:
        assert CODE_RE.match(code), code


def test_file_text_is_nfc() -> None:
    raw = DATA_FILE.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)


# ------------------------------------------------------------------ each procedure


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_keys_and_enums(proc: dict[str, Any]) -> None:
    assert set(proc) >= BODY_KEYS | EXTRA_KEYS, sorted(BODY_KEYS | EXTRA_KEYS - set(proc))
    assert set(proc) == BODY_KEYS | EXTRA_KEYS, sorted(set(proc) - BODY_KEYS - EXTRA_KEYS)

    assert isinstance(proc["name"], str) and 0 < len(proc["name"]) <= MAX_TEXT
    assert set(proc["field"]) == {"code", "name"}
    assert proc["field"]["code"] and proc["field"]["name"]
    assert proc["level"] in LEVELS
    assert proc["online_mode"] in ONLINE_MODES
    assert proc["pause_rule"] in PAUSE_RULES

    for key in ("time_limit", "online_time_limit"):
        limit = proc[key]
        if key == "online_time_limit" and limit is None:
            continue
        assert set(limit) == {"value", "unit"}, key
        assert limit["unit"] in LIMIT_UNITS, key
        assert isinstance(limit["value"], (int, float)) and limit["value"] >= 0, key

    cutoff = proc["cutoff_time"]
    assert cutoff is None or (isinstance(cutoff, str) and CUTOFF_RE.match(cutoff)), cutoff

    assert isinstance(proc["description"], str) and proc["description"].strip()
    assert isinstance(proc["result"], str) and proc["result"].strip()
    assert isinstance(proc["agency"], str) and proc["agency"].strip()
    assert isinstance(proc["legal_basis"], list) and proc["legal_basis"]
    assert all(isinstance(x, str) and x.strip() for x in proc["legal_basis"])


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_text_is_nfc(proc: dict[str, Any]) -> None:
    for text in _strings(proc):
        assert unicodedata.is_normalized("NFC", text), text


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_handling_unit_matches_level(proc: dict[str, Any]) -> None:
    if proc["level"] == "commune":
        assert proc["handling_unit"] == "receiving"
    else:
        assert proc["handling_unit"] in DEPARTMENTS


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_fees(proc: dict[str, Any]) -> None:
    codes = [f["code"] for f in proc["fees"]]
    assert len(codes) == len(set(codes)), "duplicate fee codes"
    for f in proc["fees"]:
        assert set(f) == {"code", "name", "amount", "collect_at"}
        assert re.match(r"^(LP|PHI)\d{2}$", f["code"]), f["code"]
        assert f["name"].strip() and len(f["name"]) <= MAX_TEXT
        assert isinstance(f["amount"], int) and f["amount"] >= 0
        assert f["collect_at"] in COLLECT_AT


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_documents(proc: dict[str, Any]) -> None:
    docs = proc["documents"]
    assert docs, "a procedure needs at least one document"
    codes = [d["code"] for d in docs]
    assert len(codes) == len(set(codes)), "duplicate document codes"
    for d in docs:
        assert {"code", "name", "copy_type", "count", "required"} <= set(d)
        assert set(d) <= {"code", "name", "copy_type", "count", "required", "template"}
        assert re.match(r"^[A-Z]{2}\d{2}$", d["code"]), d["code"]
        assert d["name"].strip() and len(d["name"]) <= MAX_TEXT
        assert d["copy_type"] in COPY_TYPES
        assert isinstance(d["count"], int) and d["count"] >= 1
        assert isinstance(d["required"], bool)
        if "template" in d:
            assert isinstance(d["template"], str) and d["template"].strip()
    assert any(d["required"] for d in docs)


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_workflow_shape(proc: dict[str, Any]) -> None:
    steps = proc["workflow"]
    assert len(steps) >= 4
    for s in steps:
        assert set(s) == {"name", "role", "unit", "hours"}
        assert s["name"].strip() and len(s["name"]) <= MAX_TEXT
        assert s["role"] in ROLES
        assert s["unit"] in {"receiving", "handling", "@police", "@social_insurance"} or UNIT_CODE_RE.match(
            s["unit"]), s["unit"]
        assert isinstance(s["hours"], (int, float)) and s["hours"] >= 0

    first, last = steps[0], steps[-1]
    assert (first["role"], first["unit"]) == ("reception", "receiving")
    assert first["name"].startswith("Tiếp nhận")
    assert (last["role"], last["unit"], last["name"]) == ("reception", "receiving", "Trả kết quả")

    roles = [s["role"] for s in steps]
    assert roles.count("leader") == 1, "exactly one leader step"
    leader_at = roles.index("leader")
    assert "specialist" in roles[:leader_at], "the leader step must follow a specialist step"
    assert leader_at == len(steps) - 2, "the leader step resolves; only the return step follows it"
    assert steps[leader_at]["unit"] == "handling"


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_workflow_fits_time_limits(proc: dict[str, Any]) -> None:
    total = sum(s["hours"] for s in proc["workflow"])
    assert total <= limit_hours(proc["time_limit"]), (total, proc["time_limit"])
    if proc["online_time_limit"] is not None:
        assert total <= limit_hours(proc["online_time_limit"]), (total, proc["online_time_limit"])


@pytest.mark.parametrize("proc", PROCEDURES, ids=_ids(PROCEDURES))
def test_online_limit_not_longer(proc: dict[str, Any]) -> None:
    if proc["online_time_limit"] is not None:
        assert limit_hours(proc["online_time_limit"]) <= limit_hours(proc["time_limit"])


# ------------------------------------------------------------------ the catalogue covers the demo


REQUIRED_NAMES = [
    "Đăng ký khai sinh",
    "Đăng ký khai tử",
    "Đăng ký kết hôn",
    "Đăng ký lại khai sinh",
    "Đăng ký nhận cha, mẹ, con",
    "bản sao Trích lục hộ tịch",
    "Chứng thực bản sao từ bản chính",
    "Chứng thực chữ ký",
    "Chứng thực hợp đồng, giao dịch",
    "hộ kinh doanh",
    "nhà ở riêng lẻ",
    "Phiếu lý lịch tư pháp",
    "giấy phép xây dựng mới đối với công trình cấp I, cấp II",
    "chứng chỉ hành nghề",
    "Đăng ký thường trú",
    "xác nhận tình trạng hôn nhân",
    "Thay đổi, cải chính, bổ sung",
    "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "đăng ký khai tử, xóa đăng ký thường trú",
    "Đăng ký giám hộ",
    "Cấp bản sao từ sổ gốc",
]


@pytest.mark.parametrize("fragment", REQUIRED_NAMES)
def test_required_procedure_present(fragment: str) -> None:
    assert _find(fragment), fragment


def test_same_day_procedures_have_a_cutoff() -> None:
    for fragment in ("bản sao Trích lục hộ tịch", "Chứng thực bản sao từ bản chính"):
        p = _one(fragment)
        assert p["cutoff_time"] == "15:00", fragment
        assert p["time_limit"] == {"value": 0, "unit": "working_days"}, fragment


def test_specific_limits_and_fees() -> None:
    copy = _one("Chứng thực bản sao từ bản chính")
    assert any(f["amount"] == 2000 for f in copy["fees"])
    assert copy["online_mode"] in {"partial", "none"}

    hkd = _one("Đăng ký thành lập hộ kinh doanh")
    assert hkd["time_limit"] == {"value": 3, "unit": "working_days"}
    assert any(f["amount"] == 100000 for f in hkd["fees"])

    house = _one("nhà ở riêng lẻ")
    assert house["level"] == "commune" and house["handling_unit"] == "receiving"
    assert house["time_limit"]["value"] == 15
    assert any(f["amount"] == 75000 for f in house["fees"])

    lltp = _one("Phiếu lý lịch tư pháp")
    assert lltp["level"] == "province" and lltp["handling_unit"] == SO_TU_PHAP
    assert lltp["time_limit"] == {"value": 10, "unit": "working_days"}
    assert any(f["amount"] == 200000 for f in lltp["fees"])

    works = _one("giấy phép xây dựng mới đối với công trình cấp I, cấp II")
    assert works["level"] == "province" and works["handling_unit"] == SO_XAY_DUNG

    cert = _one("chứng chỉ hành nghề")
    assert cert["handling_unit"] == SO_XAY_DUNG

    residence = _one("Đăng ký thường trú", exclude=("Liên thông",))
    assert residence["level"] == "commune" and residence["handling_unit"] == "receiving"

    birth_linked = _one("cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi")
    assert birth_linked["time_limit"] == {"value": 3, "unit": "working_days"}
    assert birth_linked["field"]["code"] == "LIENTHONG"
    assert _one("đăng ký khai tử, xóa đăng ký thường trú")["field"]["code"] == "LIENTHONG"


def test_catalogue_exercises_every_rule() -> None:
    units = {p["time_limit"]["unit"] for p in PROCEDURES}
    assert {"working_days", "working_hours", "calendar_days"} <= units
    assert any(p["time_limit"]["value"] == 0 and p["time_limit"]["unit"] == "working_days" for p in PROCEDURES)
    assert any(
        p["online_time_limit"] is not None
        and limit_hours(p["online_time_limit"]) < limit_hours(p["time_limit"])
        for p in PROCEDURES
    )
    assert any(p["pause_rule"] == "restart" for p in PROCEDURES)
    assert {p["level"] for p in PROCEDURES} == LEVELS
    assert {p["online_mode"] for p in PROCEDURES} == ONLINE_MODES
    assert {p["handling_unit"] for p in PROCEDURES} >= DEPARTMENTS | {"receiving"}


def test_field_codes_are_consistent() -> None:
    names: dict[str, str] = {}
    for p in PROCEDURES:
        code, name = p["field"]["code"], p["field"]["name"]
        assert names.setdefault(code, name) == name, f"field {code} has two names"
    assert {"HOTICH", "CHUNGTHUC", "LLTP", "HKD", "XAYDUNG", "CUTRU", "LIENTHONG"} <= set(names)
