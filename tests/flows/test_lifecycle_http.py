"""A whole dossier through the HTTP API: online submission during Tết, acceptance, every
workflow step, a supplement round, an apology, resolution and return — with the due dates,
step deadlines, events and outcome worked out by hand (domain-rules §3–4)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.files import pdf_bytes

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = pdf_bytes("to khai")

PROCEDURE = {
    "code": "1.000001",
    "name": "Thủ tục thử nghiệm quy trình",
    "field": {"code": "HOTICH", "name": "Hộ tịch"},
    "level": "commune",
    "time_limit": {"value": 3, "unit": "working_days"},
    "online_mode": "full",
    "pause_rule": "pause",
    "handling_unit": "receiving",
    "fees": [{"code": "LP01", "name": "Lệ phí", "amount": 8000, "collect_at": "receipt"}],
    "documents": [{"code": "TK01", "name": "Tờ khai", "copy_type": "original", "count": 1, "required": True}],
    "workflow": [
        {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 4},
        {"name": "Thẩm định", "role": "specialist", "unit": "handling", "hours": 12},
        {"name": "Phê duyệt", "role": "leader", "unit": "handling", "hours": 4},
        {"name": "Trả kết quả", "role": "reception", "unit": "receiving", "hours": 4},
    ],
}
UNIT = "000.01.31.H45"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def iso(text: str) -> str:
    return at(text).isoformat()


@pytest.mark.django_db(transaction=True)
def test_dossier_from_online_submission_to_return(catalogue, api, settings):
    settings.MOTCUA = {**settings.MOTCUA, "TOKEN_TTL_HOURS": 24 * 30}  # one login for the whole fortnight
    with time_machine.travel(at("2026-02-20 09:00"), tick=False):
        admin = api("admin")
        assert admin.post("/admin/procedures", PROCEDURE).status_code == 201
        citizen = api("025090000123")
        desk = api("tiepnhan.viettri")
        specialist = api("chuyenvien.viettri")
        leader = api("lanhdao.viettri")

    # Sunday evening during Tết: submitted, not received.
    with time_machine.travel(at("2026-02-22 20:00"), tick=False):
        r = citizen.post("/dossiers", {"procedure": "1.000001", "channel": "online", "receiving_unit": UNIT,
                                        "result_delivery": "online"})
        assert r.status_code == 201, r.content
        d = r.json()
        code = d["code"]
        assert code == f"{UNIT}-260222-0001"
        assert d["status"] == {"code": 1, "name": "Mới đăng ký"}
        assert d["applicant"]["id_number"] == "025090000123"
        assert d["applicant"]["name"] == "Nguyễn Văn An"
        assert d["submitted_at"] == iso("2026-02-22 20:00")
        assert d["received_at"] is None and d["due_at"] is None
        r = citizen.upload(f"/dossiers/{code}/attachments", {"document": "TK01", "file": _file("to-khai.pdf")})
        assert r.status_code == 201, r.content

    # Monday 08:10: accepted; the clock starts now, 3 working days = 24 working hours.
    with time_machine.travel(at("2026-02-23 08:10"), tick=False):
        assert specialist.act(code, "accept").status_code == 403
        r = desk.act(code, "accept")
        assert r.status_code == 200, r.content
        d = r.json()
        assert d["status"]["code"] == 2
        assert d["received_at"] == iso("2026-02-23 08:10")
        assert d["clock_start"] == iso("2026-02-23 08:10")
        assert d["due_at"] == d["original_due_at"] == iso("2026-02-26 08:10")
        assert d["current_step"]["name"] == "Tiếp nhận"
        assert d["current_step"]["due_at"] == iso("2026-02-23 14:10")

    with time_machine.travel(at("2026-02-23 09:00"), tick=False):
        r = desk.act(code, "forward", {"note": "Chuyển thẩm định"})
        assert r.status_code == 200, r.content
        d = r.json()
        assert d["status"]["code"] == 4
        assert d["current_step"] == {"name": "Thẩm định", "role": "specialist", "unit": UNIT,
                                     "due_at": iso("2026-02-24 15:00"), "started_at": iso("2026-02-23 09:00")}

    # The specialist finds a document missing: clock paused.
    with time_machine.travel(at("2026-02-23 14:00"), tick=False):
        r = specialist.act(code, "request-supplement", {
            "reason": "Tờ khai thiếu chữ ký", "items": [{"document": "TK01", "name": "Tờ khai có chữ ký"}]})
        assert r.status_code == 200, r.content
        assert r.json()["status"]["code"] == 5
        assert r.json()["supplement_requests"] == 1
        assert specialist.act(code, "forward").status_code == 409

    # Wednesday 10:00: supplemented after 3 + 8 + 3 = 14 paused working hours.
    with time_machine.travel(at("2026-02-25 10:00"), tick=False):
        r = citizen.upload(f"/dossiers/{code}/attachments", {"document": "TK01", "file": _file("to-khai-ky.pdf")})
        assert r.status_code == 201, r.content
        r = citizen.act(code, "supplement", {"note": "Đã bổ sung tờ khai có chữ ký"})
        assert r.status_code == 200, r.content
        d = r.json()
        assert d["status"]["code"] == 4
        assert d["due_at"] == d["original_due_at"] == iso("2026-02-27 16:10")
        assert d["current_step"]["due_at"] == iso("2026-02-26 11:00")
        assert d["pauses"] == [{"kind": "supplement", "from": iso("2026-02-23 14:00"), "to": iso("2026-02-25 10:00")}]

    with time_machine.travel(at("2026-02-26 10:00"), tick=False):
        r = specialist.act(code, "forward", {"note": "Đủ điều kiện"})
        assert r.status_code == 200, r.content
        assert r.json()["current_step"]["name"] == "Phê duyệt"
        assert r.json()["current_step"]["due_at"] == iso("2026-02-26 16:00")
        assert leader.act(code, "forward").status_code == 409  # the approval step ends with resolve

    # The leader sees it will be late and apologises once, with a new date.
    with time_machine.travel(at("2026-02-26 11:00"), tick=False):
        assert leader.act(code, "apologize", {"reason": "Cần xác minh", "new_due_at": "2026-02-27T10:00:00+07:00"}
                          ).json()["code"] == "invalid_new_due_at"
        r = leader.act(code, "apologize", {"reason": "Cần xác minh thêm thông tin",
                                            "new_due_at": "2026-03-02T17:00:00+07:00"})
        assert r.status_code == 200, r.content
        d = r.json()
        assert d["due_at"] == iso("2026-03-02 17:00")
        assert d["original_due_at"] == iso("2026-02-27 16:10")
        r = leader.act(code, "apologize", {"reason": "Lần hai", "new_due_at": "2026-03-05T17:00:00+07:00"})
        assert (r.status_code, r.json()["code"]) == (409, "apology_already_issued")

    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        assert specialist.act(code, "resolve", {"decision": "approved"}).status_code == 403
        r = leader.act(code, "resolve", {"decision": "approved", "note": "Đồng ý"})
        assert r.status_code == 200, r.content
        d = r.json()
        assert d["status"] == {"code": 9, "name": "Đã xử lý xong"}
        assert d["finished_at"] == iso("2026-03-02 09:00")
        assert d["outcome"] == "late"  # finished after the original due date, apology or not
        assert d["current_step"]["name"] == "Trả kết quả"
        assert d["current_step"]["due_at"] == iso("2026-03-02 15:00")

    with time_machine.travel(at("2026-03-02 10:00"), tick=False):
        assert citizen.act(code, "return").status_code == 403
        r = desk.act(code, "return", {"note": "Trả kết quả trực tuyến"})
        assert r.status_code == 200, r.content
        d = r.json()
        assert d["status"]["code"] == 10
        assert d["returned_at"] == iso("2026-03-02 10:00")
        assert d["current_step"] is None
        assert len(d["attachments"]) == 2

        events = citizen.get(f"/dossiers/{code}/events").json()
    rows = [(e["action"], e["from_status"], e["to_status"], (e["step"] or {}).get("name"), e["step_outcome"])
            for e in events["items"]]
    assert rows == [
        ("create", None, 1, "Tiếp nhận", None),
        ("accept", 1, 2, "Tiếp nhận", "on_time"),
        ("forward", 2, 4, "Tiếp nhận", "on_time"),
        ("request-supplement", 4, 5, None, None),
        ("supplement", 5, 4, None, None),
        ("forward", 4, 4, "Thẩm định", "on_time"),
        ("apologize", 4, 4, None, None),
        ("resolve", 4, 9, "Phê duyệt", "late"),
        ("return", 9, 10, "Trả kết quả", "on_time"),
    ]
    assert events["count"] == 9
    forward = events["items"][5]
    assert forward["actor"] == {"username": "chuyenvien.viettri", "full_name": "Trần Minh Quân", "unit": UNIT}
    assert forward["from_unit"] == UNIT and forward["to_unit"] == UNIT
    assert forward["step"]["due_at"] == iso("2026-02-26 11:00")
    assert [e["at"] for e in events["items"]] == sorted(e["at"] for e in events["items"])


def _file(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
