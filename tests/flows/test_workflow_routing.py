"""Issue 4 workflow: linked procedures across units, routing by competence, claim/reassign,
send-back, consultation and the at-risk worklist — all through the HTTP API."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = "000.01.31.H45"  # TTPVHCC phường Việt Trì
POLICE = "000.02.31.H45"  # Công an phường Việt Trì
BHXH = "000.00.40.H45"  # Bảo hiểm xã hội tỉnh


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def iso(text: str) -> str:
    return at(text).isoformat()


@pytest.fixture
def long_tokens(settings):
    settings.MOTCUA = {**settings.MOTCUA, "TOKEN_TTL_HOURS": 24 * 30}


@pytest.mark.django_db
def test_linked_group_1_birth_residence_health_insurance(catalogue, api, long_tokens):
    """Khai sinh → thường trú → thẻ BHYT: one dossier crossing the commune, the commune police and
    the provincial social insurance, 3 working days in all, each unit with its own step deadline."""
    with time_machine.travel(at("2026-03-02 07:50"), tick=False):
        citizen, desk = api("025090000123"), api("tiepnhan.viettri")
        specialist, leader = api("chuyenvien.viettri"), api("lanhdao.viettri")
        police, bhxh = api("congan.viettri"), api("chuyenvien.bhxh")
        outsider = api("chuyenvien.lacson")
        code = citizen.post("/dossiers", {"procedure": "3.000722", "channel": "online",
                                          "receiving_unit": CENTRE}).json()["code"]
    with time_machine.travel(at("2026-03-02 08:00"), tick=False):
        d = desk.act(code, "accept").json()
        assert d["due_at"] == iso("2026-03-05 08:00")
    with time_machine.travel(at("2026-03-02 08:30"), tick=False):
        d = desk.act(code, "forward").json()
        assert d["current_step"]["unit"] == CENTRE and d["current_step"]["due_at"] == iso("2026-03-02 15:30")
    with time_machine.travel(at("2026-03-02 10:00"), tick=False):
        assert police.get(f"/dossiers/{code}").status_code == 404  # not on its route yet
        d = specialist.act(code, "forward", {"note": "Đã đăng ký khai sinh"}).json()
        assert d["current_step"]["unit"] == POLICE
        assert d["current_step"]["due_at"] == iso("2026-03-03 08:00")
        assert specialist.act(code, "forward").status_code == 403  # now the police's step
    with time_machine.travel(at("2026-03-02 15:00"), tick=False):
        r = police.act(code, "forward", {"note": "Đã đăng ký thường trú"})
        assert r.status_code == 200, r.content
        assert r.json()["current_step"]["unit"] == BHXH
        assert r.json()["current_step"]["due_at"] == iso("2026-03-03 11:00")
    with time_machine.travel(at("2026-03-03 09:00"), tick=False):
        d = bhxh.act(code, "forward", {"note": "Đã cấp thẻ BHYT"}).json()
        assert d["current_step"]["unit"] == CENTRE and d["current_step"]["role"] == "leader"
        assert d["current_step"]["due_at"] == iso("2026-03-03 14:00")
    with time_machine.travel(at("2026-03-03 10:00"), tick=False):
        d = leader.act(code, "resolve", {"decision": "approved"}).json()
        assert d["status"]["code"] == 9 and d["outcome"] == "early"
    with time_machine.travel(at("2026-03-03 11:00"), tick=False):
        assert desk.act(code, "return").json()["status"]["code"] == 10
        events = desk.get(f"/dossiers/{code}/events").json()["items"]
        for who in (police, bhxh, citizen):
            assert who.get(f"/dossiers/{code}").status_code == 200
        assert outsider.get(f"/dossiers/{code}").status_code == 404
    handovers = [(e["action"], e["from_unit"], e["to_unit"], e["step_outcome"]) for e in events
                 if e["action"] in {"forward", "resolve"}]
    assert handovers == [
        ("forward", CENTRE, CENTRE, "on_time"),
        ("forward", CENTRE, POLICE, "on_time"),
        ("forward", POLICE, BHXH, "early"),
        ("forward", BHXH, CENTRE, "on_time"),
        ("resolve", CENTRE, CENTRE, "on_time"),
    ]
    assert [e["actor"]["unit"] for e in events if e["action"] == "forward"] == [CENTRE, CENTRE, POLICE, BHXH]


@pytest.mark.django_db
def test_receipt_regardless_of_boundary_goes_to_the_competent_unit(catalogue, api, long_tokens):
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        provincial_desk, lacson = api("tiepnhan.tinh"), api("chuyenvien.lacson")
        body = {"procedure": "1.001193", "channel": "direct", "receiving_unit": "000.00.01.H45",
                "handling_unit": "000.01.33.H45", "applicant": {"name": "Bùi Văn Nam", "phone": "0911222333"}}
        r = provincial_desk.post("/dossiers", {**body, "handling_unit": "000.00.12.H45"})
        assert (r.status_code, r.json()["code"]) == (400, "invalid_handling_unit")
        r = provincial_desk.post("/dossiers", body)
        assert r.status_code == 201, r.content
        d = r.json()
        assert d["code"].startswith("000.00.01.H45-260302-")
        assert d["receiving_unit"]["code"] == "000.00.01.H45" and d["handling_unit"]["code"] == "000.01.33.H45"
        code = d["code"]
        d = provincial_desk.act(code, "forward").json()
        assert d["current_step"]["unit"] == "000.01.33.H45"
        assert lacson.get(f"/dossiers/{code}").status_code == 200
        assert provincial_desk.get(f"/dossiers/{code}").status_code == 200
        assert lacson.act(code, "forward").status_code == 200


@pytest.mark.django_db
def test_claim_reassign_send_back_and_consult(catalogue, api, long_tokens):
    with time_machine.travel(at("2026-03-02 08:00"), tick=False):
        desk, specialist, leader = api("tiepnhan.viettri"), api("chuyenvien.viettri"), api("lanhdao.viettri")
        admin = api("admin")
        r = admin.post("/admin/officials", {"username": "chuyenvien2.viettri", "password": "x-motcua-demo",
                                            "full_name": "Đào Thị Xuân", "unit": CENTRE, "roles": ["specialist"]})
        assert r.status_code == 201
        colleague = api("chuyenvien2.viettri", password="x-motcua-demo")
        stp = api("chuyenvien.stp")
        code = desk.post("/dossiers", {"procedure": "1.004884", "channel": "direct", "receiving_unit": CENTRE,
                                       "applicant": {"name": "Nguyễn Văn An"}}).json()["code"]
        desk.act(code, "forward")
        # The pool: both specialists see it in "my steps"; one claims it.
        assert code in [d["code"] for d in colleague.get("/worklists/my_steps").json()["items"]]
        assert specialist.act(code, "claim").status_code == 200
        assert code not in [d["code"] for d in colleague.get("/worklists/my_steps").json()["items"]]
        assert colleague.act(code, "forward").status_code == 403
        assert (colleague.act(code, "claim").status_code, colleague.act(code, "claim").json()["code"]) == (
            409, "already_claimed")
        # The leader of the handling unit hands it to the colleague.
        r = leader.act(code, "reassign", {"assignee": "chuyenvien2.viettri"})
        assert r.status_code == 200, r.content
        assert leader.act(code, "reassign", {"assignee": "tiepnhan.viettri"}).json()["code"] == "invalid_assignee"
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        # The colleague asks Sở Tư pháp's opinion, 4 working hours.
        r = colleague.act(code, "consult", {"unit": "000.00.12.H45", "question": "Xin ý kiến về hồ sơ gốc",
                                            "hours": 4})
        assert r.status_code == 200, r.content
        consultations = colleague.get(f"/dossiers/{code}/consultations").json()["items"]
        assert consultations[0]["due_at"] == iso("2026-03-02 15:00")
        assert stp.get("/worklists/consultations").json()["count"] == 1
    with time_machine.travel(at("2026-03-02 16:00"), tick=False):
        r = stp.act(code, "answer-consultation", {"consultation": consultations[0]["id"], "answer": "Thống nhất"})
        assert r.status_code == 200, r.content
        answered = stp.get(f"/dossiers/{code}/consultations").json()["items"][0]
        assert answered["answer"] == "Thống nhất" and answered["outcome"] == "late"
        assert stp.act(code, "answer-consultation", {"consultation": answered["id"], "answer": "x"}).status_code == 403
        # Forward to the second specialist step, which sends it back with a reason.
        assert colleague.act(code, "forward").status_code == 200
        assert specialist.act(code, "send-back", {}).json()["code"] == "reason_required"
        r = specialist.act(code, "send-back", {"reason": "Cần bổ sung kết quả xác minh"})
        assert r.status_code == 200, r.content
        assert r.json()["current_step"]["name"] == "Tra cứu Cơ sở dữ liệu hộ tịch, xác minh"
        events = desk.get(f"/dossiers/{code}/events").json()["items"]
    assert [e["action"] for e in events] == ["create", "forward", "claim", "reassign", "consult",
                                            "answer-consultation", "forward", "send-back"]
    consult = events[4]
    assert (consult["from_unit"], consult["to_unit"]) == (CENTRE, "000.00.12.H45")


@pytest.mark.django_db
def test_at_risk_and_overdue_worklists(catalogue, api, long_tokens):
    with time_machine.travel(at("2026-03-02 08:00"), tick=False):
        desk = api("tiepnhan.viettri")
        code = desk.post("/dossiers", {"procedure": "1.001193", "channel": "direct", "receiving_unit": CENTRE,
                                       "applicant": {"name": "Nguyễn Văn An"}}).json()["code"]
        assert desk.get("/worklists/at_risk").json()["count"] == 1  # 1 working day: due within a day
    with time_machine.travel(at("2026-03-03 09:00"), tick=False):
        counts = {i["key"]: i["count"] for i in desk.get("/worklists").json()["items"]}
        assert counts["overdue"] == 1 and counts["at_risk"] == 1
        assert desk.get("/worklists/overdue").json()["items"][0]["code"] == code
        assert desk.get("/worklists/nope").status_code == 404
