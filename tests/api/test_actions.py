"""Dossier actions: the contract's table of (action, from status, who) → to status, with 200 for
the right party, 403 for the wrong role or unit, 409 `invalid_transition` for the wrong status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .conftest import CITIZEN_AN, STP, World, at, error_of

DESK, SPECIALIST, LEADER = "tiepnhan.viettri", "chuyenvien.viettri", "lanhdao.viettri"
FEES = {"fees": [{"code": "LP01", "amount": 8000}]}
LATER = "2026-03-31T17:00:00+07:00"

BODIES: dict[str, dict[str, Any]] = {
    "accept": {"note": "Đủ"},
    "refuse": {"reason": "Không thuộc thẩm quyền"},
    "request-supplement": {"reason": "Thiếu giấy tờ", "items": [{"document": "TK01", "name": "Tờ khai",
                                                                   "note": "Bản chính"}]},
    "supplement": {"note": "Đã bổ sung"},
    "forward": {"note": "Chuyển"},
    "request-payment": FEES,
    "confirm-payment": {},
    "resolve": {"decision": "approved", "note": "Đồng ý"},
    "return": {"note": "Đã trả"},
    "withdraw": {"reason": "Không có nhu cầu"},
    "stop": {"reason": "Dừng theo yêu cầu"},
    "apologize": {"reason": "Cần xác minh thêm", "new_due_at": LATER},
}


# --- bringing a dossier to a status -----------------------------------------------------


def s1(w: World) -> str:
    return w.online()["code"]


def s2(w: World) -> str:
    return w.direct()["code"]


def s2_online(w: World) -> str:
    code = s1(w)
    w.act(DESK, code, "accept")
    return code


def s3(w: World) -> str:
    code = s1(w)
    w.act(DESK, code, "refuse", BODIES["refuse"])
    return code


def s4(w: World) -> str:
    code = s2(w)
    w.act(DESK, code, "forward")
    return code


def s4_online(w: World) -> str:
    code = s2_online(w)
    w.act(DESK, code, "forward")
    return code


def s4_leader(w: World) -> str:
    code = s4(w)
    w.act(SPECIALIST, code, "forward")
    return code


def s5(w: World) -> str:
    code = s4(w)
    w.act(SPECIALIST, code, "request-supplement", BODIES["request-supplement"])
    return code


def s5_online(w: World) -> str:
    code = s4_online(w)
    w.act(SPECIALIST, code, "request-supplement", BODIES["request-supplement"])
    return code


def s6(w: World) -> str:
    code = s4(w)
    w.act(SPECIALIST, code, "request-payment", FEES)
    return code


def s7(w: World) -> str:
    code = s2(w)
    w.act(DESK, code, "withdraw", BODIES["withdraw"])
    return code


def s8(w: World) -> str:
    code = s4(w)
    w.act(LEADER, code, "stop", BODIES["stop"])
    return code


def s9(w: World) -> str:
    code = s4_leader(w)
    w.act(LEADER, code, "resolve", BODIES["resolve"])
    return code


def s9_online(w: World) -> str:
    code = s4_online(w)
    w.act(SPECIALIST, code, "forward")
    w.act(LEADER, code, "resolve", BODIES["resolve"])
    return code


def s10(w: World) -> str:
    code = s9(w)
    w.act(DESK, code, "return")
    return code


STATES: dict[str, Callable[[World], str]] = {
    "1": s1, "2": s2, "2-online": s2_online, "3": s3, "4": s4, "4-online": s4_online, "4-leader": s4_leader,
    "5": s5, "5-online": s5_online, "6": s6, "7": s7, "8": s8, "9": s9, "9-online": s9_online, "10": s10,
}

# --- the right party: 200 and the new status ---------------------------------------------

ALLOWED = [
    # (state, action, who, new status)
    ("1", "accept", DESK, 2),
    ("1", "refuse", DESK, 3),
    ("1", "request-supplement", DESK, 5),
    ("2", "request-supplement", DESK, 5),
    ("4", "request-supplement", SPECIALIST, 5),
    ("4", "request-supplement", DESK, 5),
    ("5", "supplement", DESK, 4),
    ("5-online", "supplement", CITIZEN_AN, 4),
    ("2", "forward", DESK, 4),
    ("2-online", "forward", DESK, 4),
    ("4", "forward", SPECIALIST, 4),
    ("4", "request-payment", SPECIALIST, 6),
    ("6", "confirm-payment", DESK, 4),
    ("4-leader", "resolve", LEADER, 9),
    ("9", "return", DESK, 10),
    ("1", "withdraw", CITIZEN_AN, 7),
    ("2-online", "withdraw", CITIZEN_AN, 7),
    ("4-online", "withdraw", CITIZEN_AN, 7),
    ("5-online", "withdraw", CITIZEN_AN, 7),
    ("2", "withdraw", DESK, 7),
    ("4", "withdraw", DESK, 7),
    ("5", "withdraw", DESK, 7),
    ("6", "withdraw", DESK, 7),
    ("4", "stop", LEADER, 8),
    ("5", "stop", LEADER, 8),
    ("6", "stop", LEADER, 8),
    ("2", "apologize", LEADER, 2),
    ("4", "apologize", LEADER, 4),
    ("5", "apologize", LEADER, 5),
    ("6", "apologize", LEADER, 6),
]


@pytest.mark.parametrize(("state", "action", "who", "to"), ALLOWED,
                         ids=[f"{s}-{a}-{w}" for s, a, w, _ in ALLOWED])
def test_the_right_party_may_act(world, state, action, who, to):
    code = STATES[state](world)
    r = world(who).act(code, action, BODIES[action])
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["code"] == code
    assert body["status"]["code"] == to
    # The response is the updated dossier, as GET shows it (what each caller may do next differs).
    seen = world("admin").get(f"/dossiers/{code}").json()
    assert {**seen, "available_actions": None} == {**body, "available_actions": None}
    assert body["available_actions"] == world(who).get(f"/dossiers/{code}").json()["available_actions"]
    events = world("admin").get(f"/dossiers/{code}/events").json()["items"]
    assert events[-1]["action"] == action
    assert events[-1]["to_status"] == to
    assert events[-1]["actor"]["username"] == who


# --- the wrong party: 403 ---------------------------------------------------------------

FORBIDDEN = [
    ("1", "accept", SPECIALIST), ("1", "accept", LEADER), ("1", "accept", CITIZEN_AN),
    ("1", "refuse", SPECIALIST), ("1", "refuse", CITIZEN_AN),
    ("2", "request-supplement", SPECIALIST), ("2-online", "request-supplement", CITIZEN_AN),
    ("4", "request-supplement", LEADER),
    ("5", "supplement", SPECIALIST), ("5", "supplement", LEADER), ("5-online", "supplement", SPECIALIST),
    ("2", "forward", SPECIALIST), ("2", "forward", LEADER), ("2-online", "forward", CITIZEN_AN),
    ("4", "forward", DESK), ("4", "forward", LEADER), ("4-leader", "forward", SPECIALIST),
    ("4", "request-payment", DESK), ("4", "request-payment", LEADER),
    ("6", "confirm-payment", SPECIALIST), ("6", "confirm-payment", LEADER),
    ("4-leader", "resolve", SPECIALIST), ("4-leader", "resolve", DESK),
    ("9", "return", LEADER), ("9", "return", SPECIALIST),
    ("2", "withdraw", SPECIALIST), ("2", "withdraw", LEADER), ("4-online", "withdraw", SPECIALIST),
    ("4", "stop", DESK), ("4", "stop", SPECIALIST), ("4-online", "stop", CITIZEN_AN),
    ("4", "apologize", DESK), ("4", "apologize", SPECIALIST), ("4-online", "apologize", CITIZEN_AN),
    ("4", "forward", "giamsat.viettri"), ("4", "stop", "giamsat.tinh"), ("4", "forward", "admin"),
]


@pytest.mark.parametrize(("state", "action", "who"), FORBIDDEN, ids=[f"{s}-{a}-{w}" for s, a, w in FORBIDDEN])
def test_the_wrong_party_gets_403(world, state, action, who):
    code = STATES[state](world)
    before = world("admin").get(f"/dossiers/{code}").json()
    error_of(world(who).act(code, action, BODIES[action]), 403, "forbidden")
    assert world("admin").get(f"/dossiers/{code}").json() == before


def test_leader_of_the_receiving_unit_is_not_the_leader_of_the_handling_unit(world):
    d = world.direct(procedure="3.000333")  # handled by the Sở Tư pháp
    world.act(DESK, d["code"], "forward")
    assert world(DESK).get(f"/dossiers/{d['code']}").json()["current_step"]["unit"] == STP
    error_of(world(LEADER).act(d["code"], "stop", BODIES["stop"]), 403)
    error_of(world(LEADER).act(d["code"], "apologize", BODIES["apologize"]), 403)
    error_of(world(SPECIALIST).act(d["code"], "forward"), 403)
    # Reception of the handling unit is on the route, but not the receiving unit's desk.
    error_of(world("tiepnhan.stp").act(d["code"], "withdraw", BODIES["withdraw"]), 403)
    assert world("chuyenvien.stp").act(d["code"], "forward").status_code == 200
    assert world("lanhdao.stp").act(d["code"], "stop", BODIES["stop"]).status_code == 200


# --- the wrong status: 409 invalid_transition ---------------------------------------------

WRONG_STATUS = [
    ("2", "accept", DESK), ("4", "accept", DESK), ("2", "refuse", DESK), ("4", "refuse", DESK),
    ("6", "request-supplement", SPECIALIST), ("5", "request-supplement", DESK), ("9", "request-supplement", DESK),
    ("2", "supplement", DESK), ("4", "supplement", DESK), ("6", "supplement", DESK),
    ("1", "forward", DESK), ("5", "forward", SPECIALIST), ("6", "forward", SPECIALIST), ("9", "forward", DESK),
    ("2", "request-payment", DESK), ("6", "request-payment", SPECIALIST),
    ("4", "confirm-payment", DESK), ("2", "confirm-payment", DESK),
    ("2", "resolve", LEADER), ("6", "resolve", LEADER), ("9", "resolve", LEADER),
    ("4", "return", DESK), ("2", "return", DESK),
    ("9", "withdraw", DESK), ("9-online", "withdraw", CITIZEN_AN), ("9-online", "supplement", CITIZEN_AN),
    ("1", "stop", LEADER), ("2", "stop", LEADER), ("9", "stop", LEADER),
    ("1", "apologize", LEADER), ("9", "apologize", LEADER),
] + [(state, action, who) for state in ("3", "7", "8", "10") for action, who in (
    ("accept", DESK), ("refuse", DESK), ("request-supplement", DESK), ("supplement", DESK), ("forward", DESK),
    ("request-payment", SPECIALIST), ("confirm-payment", DESK), ("resolve", LEADER), ("return", DESK),
    ("withdraw", DESK), ("stop", LEADER), ("apologize", LEADER))]


@pytest.mark.parametrize(("state", "action", "who"), WRONG_STATUS, ids=[f"{s}-{a}-{w}" for s, a, w in WRONG_STATUS])
def test_the_wrong_status_is_409(world, state, action, who):
    code = STATES[state](world)
    before = world("admin").get(f"/dossiers/{code}").json()
    error_of(world(who).act(code, action, BODIES[action]), 409, "invalid_transition")
    assert world("admin").get(f"/dossiers/{code}").json() == before


def test_withdraw_by_the_applicant_from_every_status_of_the_table(world):
    for state in ("1", "2-online", "4-online", "5-online"):
        code = STATES[state](world)
        assert world(CITIZEN_AN).act(code, "withdraw", BODIES["withdraw"]).json()["status"]["code"] == 7
    code = s4_online(world)
    world.act(SPECIALIST, code, "request-payment", FEES)
    assert world(CITIZEN_AN).act(code, "withdraw", BODIES["withdraw"]).json()["status"]["code"] == 7


def test_unknown_action_is_4xx_with_a_code(world):
    code = s2(world)
    for action in ("explode", "ACCEPT", "accept ", "%20", "forward%2F..", "x" * 300):
        r = world(DESK).act(code, action, {})
        assert 400 <= r.status_code < 500, (action, r.status_code)
        error_of(r, r.status_code)


# --- what each action does ----------------------------------------------------------------


def test_accept_starts_the_clock(world, clock):
    code = s1(world)
    clock.move_to(at("2026-02-23 13:00"))  # lunch: the clock starts at 13:30
    d = world.act(DESK, code, "accept")
    assert d["submitted_at"] == "2026-02-23T09:00:00+07:00"
    assert d["received_at"] == "2026-02-23T13:00:00+07:00"
    assert d["clock_start"] == "2026-02-23T13:30:00+07:00"
    assert d["due_at"] == d["original_due_at"] == "2026-02-26T11:30:00+07:00"  # ends at the close of a period
    assert d["current_step"]["name"] == "Tiếp nhận"  # stays at the reception step


def test_refused_dossier_was_never_received(world, clock):
    code = s1(world)
    clock.move_to(at("2026-02-23 10:00"))
    d = world.act(DESK, code, "refuse", BODIES["refuse"])
    assert d["status"] == {"code": 3, "name": "Không được tiếp nhận"}
    assert d["finished_at"] == "2026-02-23T10:00:00+07:00"
    assert d["received_at"] is None and d["due_at"] is None and d["outcome"] is None
    assert d["current_step"] is None
    error_of(world(DESK).act(code, "refuse", {}), 409)
    code2 = s1(world)
    error_of(world(DESK).act(code2, "refuse", {}), 400)  # a reason is required


def test_supplement_pauses_the_clock(world, clock):
    code = s2(world)  # received Monday 09:00, due Thursday 26/2 09:00
    clock.move_to(at("2026-02-23 10:00"))
    d = world.act(DESK, code, "request-supplement", BODIES["request-supplement"])
    assert d["status"]["code"] == 5
    assert d["supplement_requests"] == 1
    assert d["pauses"] == [{"kind": "supplement", "from": "2026-02-23T10:00:00+07:00", "to": None}]
    clock.move_to(at("2026-02-24 10:00"))  # 8 working hours later
    d = world.act(DESK, code, "supplement", {"note": "Đã nộp"})
    assert d["status"]["code"] == 2  # back where it came from
    assert d["pauses"] == [{"kind": "supplement", "from": "2026-02-23T10:00:00+07:00",
                            "to": "2026-02-24T10:00:00+07:00"}]
    assert d["due_at"] == d["original_due_at"] == "2026-02-27T09:00:00+07:00"
    # A second request is allowed (and counted).
    d = world.act(DESK, code, "request-supplement", BODIES["request-supplement"])
    assert d["supplement_requests"] == 2


def test_request_supplement_body_is_validated(world):
    code = s2(world)
    error_of(world(DESK).act(code, "request-supplement", {}), 400)
    error_of(world(DESK).act(code, "request-supplement", {"reason": "x", "items": [{"note": "no name"}]}), 400)
    error_of(world(DESK).act(code, "request-supplement", {"reason": "x", "items": "TK01"}), 400)
    assert world(DESK).get(f"/dossiers/{code}").json()["status"]["code"] == 2


def test_payment_pauses_the_clock_and_marks_fees_paid(world, clock):
    code = s4(world)
    clock.move_to(at("2026-02-23 14:00"))
    d = world.act(SPECIALIST, code, "request-payment", {"fees": [{"code": "LP01", "amount": 10000}]})
    assert d["status"]["code"] == 6
    assert d["fees"][0]["amount"] == 10000 and d["fees"][0]["paid"] is False
    clock.move_to(at("2026-02-23 16:00"))
    error_of(world(CITIZEN_AN).act(code, "confirm-payment", {}), 404)  # not the applicant's dossier
    d = world.act(DESK, code, "confirm-payment")
    assert d["status"]["code"] == 4
    assert d["fees"][0]["paid"] is True
    assert d["pauses"][0]["kind"] == "payment"
    assert d["due_at"] == "2026-02-26T11:00:00+07:00"  # moved by 2 working hours
    error_of(world(SPECIALIST).act(code, "request-payment", {}), 400)
    error_of(world(SPECIALIST).act(code, "request-payment", {"fees": [{"code": "LP01", "amount": -1}]}), 400)


def test_forward_walks_the_workflow_and_resolve_finishes(world, clock):
    code = s2(world)
    clock.move_to(at("2026-02-23 10:00"))
    d = world.act(DESK, code, "forward")
    assert d["status"]["code"] == 4
    assert d["current_step"]["name"] == "Thẩm định"
    assert d["current_step"]["due_at"] == "2026-02-24T16:00:00+07:00"  # 12 working hours from 10:00
    clock.move_to(at("2026-02-24 10:00"))
    d = world.act(SPECIALIST, code, "forward")
    assert d["current_step"]["name"] == "Phê duyệt"
    # The last step before the leader cannot be skipped: the leader resolves, not forwards.
    error_of(world(LEADER).act(code, "forward"), 409, "invalid_transition")
    clock.move_to(at("2026-02-24 11:00"))
    d = world.act(LEADER, code, "resolve", {"decision": "approved"})
    assert d["status"] == {"code": 9, "name": "Đã xử lý xong"}
    assert d["finished_at"] == "2026-02-24T11:00:00+07:00"
    assert d["outcome"] == "early"
    assert d["current_step"]["name"] == "Trả kết quả"
    clock.move_to(at("2026-02-24 14:00"))
    d = world.act(DESK, code, "return")
    assert d["status"] == {"code": 10, "name": "Đã trả kết quả"}
    assert d["returned_at"] == "2026-02-24T14:00:00+07:00"
    assert d["finished_at"] == "2026-02-24T11:00:00+07:00"
    assert d["current_step"] is None
    error_of(world(LEADER).act(s4_leader(world), "resolve", {"decision": "maybe"}), 400)


@pytest.mark.parametrize(("finish", "outcome"), [
    ("2026-02-25 16:00", "early"),
    ("2026-02-26 16:00", "on_time"),  # after 09:00 but on the due date
    ("2026-02-27 08:00", "late"),
])
def test_outcome_by_the_date_rule(world, clock, finish, outcome):
    code = s4_leader(world)
    clock.move_to(at(finish))
    assert world.act(LEADER, code, "resolve", {"decision": "denied"})["outcome"] == outcome


def test_apology_reschedules_once(world, clock):
    code = s4(world)  # due Thursday 26/2 09:00
    error_of(world(LEADER).act(code, "apologize", {"reason": "x", "new_due_at": "2026-02-26T09:00:00+07:00"}), 400,
             "invalid_new_due_at")
    error_of(world(LEADER).act(code, "apologize", {"reason": "x", "new_due_at": "2026-02-25T09:00:00+07:00"}), 400,
             "invalid_new_due_at")
    error_of(world(LEADER).act(code, "apologize", {"reason": "x"}), 400, "invalid_new_due_at")
    error_of(world(LEADER).act(code, "apologize", {"reason": "x", "new_due_at": "2026-03-05T09:00:00"}), 400,
             "datetime_without_offset")
    error_of(world(LEADER).act(code, "apologize", {"reason": "x", "new_due_at": "soon"}), 400)
    error_of(world(LEADER).act(code, "apologize", {"new_due_at": LATER}), 400)
    d = world.act(LEADER, code, "apologize", {"reason": "Cần xác minh", "new_due_at": "2026-03-05T02:00:00Z"})
    assert d["status"]["code"] == 4
    assert d["due_at"] == "2026-03-05T09:00:00+07:00"
    assert d["original_due_at"] == "2026-02-26T09:00:00+07:00"
    error_of(world(LEADER).act(code, "apologize", {"reason": "Lần hai", "new_due_at": "2026-03-10T09:00:00+07:00"}),
             409, "apology_already_issued")
    # Finished after the original date but before the new one: still late.
    world.act(SPECIALIST, code, "forward")
    clock.move_to(at("2026-03-02 09:00"))
    d = world.act(LEADER, code, "resolve")
    assert d["outcome"] == "late"


def test_stop_and_withdraw_finish(world, clock):
    code = s5(world)
    clock.move_to(at("2026-02-23 15:00"))
    d = world.act(LEADER, code, "stop", BODIES["stop"])
    assert d["status"] == {"code": 8, "name": "Dừng xử lý"}
    assert d["finished_at"] == "2026-02-23T15:00:00+07:00"
    assert d["pauses"][0]["to"] == "2026-02-23T15:00:00+07:00"
    error_of(world(LEADER).act(s4(world), "stop", {}), 400)
    code = s1(world)
    d = world.act(CITIZEN_AN, code, "withdraw", BODIES["withdraw"])
    assert d["status"] == {"code": 7, "name": "Công dân yêu cầu rút hồ sơ"}
    assert d["finished_at"] == "2026-02-23T15:00:00+07:00"
    error_of(world(CITIZEN_AN).act(s1(world), "withdraw", {}), 400)


def test_forward_to_a_named_assignee(world):
    code = s2(world)
    d = world.act(DESK, code, "forward", {"assignee": SPECIALIST})
    assert d["current_step"]["name"] == "Thẩm định"
    error_of(world(DESK).act(s2(world), "forward", {"assignee": LEADER}), 400)
    error_of(world(DESK).act(s2(world), "forward", {"assignee": "nobody.here"}), 400)


def test_action_body_types_are_validated(world):
    code = s2(world)
    for body in ({"note": 5}, {"note": ["x"]}, {"reason": {"a": 1}}, {"items": [{"name": None}]}, [1, 2], "text"):
        error_of(world(DESK).act(code, "request-supplement", body), 400)
    error_of(world(DESK).act(code, "forward", {"note": "x" * 6000}), 400)
    assert world(DESK).get(f"/dossiers/{code}").json()["status"]["code"] == 2


def test_the_action_body_has_every_field_of_every_action_input() -> None:
    from motcua.api.schemas import ActionIn
    from motcua.dossiers.services import ACTION_SPECS

    for spec in ACTION_SPECS:
        assert set(spec.input.model_fields) <= set(ActionIn.model_fields), spec.name
