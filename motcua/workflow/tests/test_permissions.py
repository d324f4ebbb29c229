"""Who stands as which party (workflow.permissions.parties), the conditions some actions add to the
transition table (`refusal`), and the actions possible for an actor (`possible_actions`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.workflow.domain import Action, Party, Status
from motcua.workflow.permissions import (
    DossierState,
    Refusal,
    may_draft_result,
    needs_consultation,
    parties,
    possible_actions,
    refusal,
)
from motcua.workflow.steps import steps_of

P = Party
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=VN)
RECEIVING, HANDLING, OTHER = 10, 20, 30
STEPS = steps_of([
    {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 4},
    {"name": "Thẩm định", "role": "specialist", "unit": "handling", "hours": 12},
    {"name": "Phê duyệt", "role": "leader", "unit": "handling", "hours": 4},
    {"name": "Trả kết quả", "role": "reception", "unit": "receiving", "hours": 4},
])
STEP_UNITS = [RECEIVING, HANDLING, HANDLING, RECEIVING]


@dataclass(frozen=True)
class Someone:
    user_id: int | None
    roles: dict[int, set[str]] = field(default_factory=dict)
    system: bool = False

    def has_role(self, role: str, unit_id: int | None) -> bool:
        return unit_id is not None and role in self.roles.get(unit_id, set())


APPLICANT = Someone(1)
DESK = Someone(2, {RECEIVING: {"reception"}})
SPECIALIST = Someone(3, {HANDLING: {"specialist"}})
COLLEAGUE = Someone(4, {HANDLING: {"specialist"}})
LEADER = Someone(5, {HANDLING: {"leader"}})
STRANGER = Someone(6, {OTHER: {"specialist", "leader", "reception"}})
SYSTEM = Someone(None, system=True)


def state(status: int = Status.IN_PROGRESS, index: int | None = 1, assignee: int | None = None,
          **changes: object) -> DossierState:
    base = DossierState(status=status, paused_from=None, applicant_id=APPLICANT.user_id, receiving_unit_id=RECEIVING,
                        handling_unit_id=HANDLING, steps=STEPS, step_index=index,
                        step_unit_id=STEP_UNITS[index] if index is not None else None, assignee_id=assignee,
                        apology_count=0, due_at=NOW + timedelta(days=3))
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(("who", "at", "expected"), [
    (APPLICANT, state(), {P.APPLICANT}),
    (DESK, state(index=0), {P.RECEPTION, P.POOL, P.HANDLER}),
    (DESK, state(), {P.RECEPTION}),
    (SPECIALIST, state(), {P.POOL, P.HANDLER}),
    (SPECIALIST, state(assignee=3), {P.POOL, P.HANDLER}),
    (COLLEAGUE, state(assignee=3), {P.POOL}),  # the step is someone else's
    (LEADER, state(), {P.LEADER}),
    (LEADER, state(index=2), {P.LEADER, P.POOL, P.HANDLER, P.LEADER_AT_STEP}),
    (LEADER, state(index=2, assignee=99), {P.LEADER, P.POOL, P.LEADER_AT_STEP}),  # the unit's leader all the same
    (STRANGER, state(), set()),
    (SYSTEM, state(), {P.SYSTEM}),
    (LEADER, state(index=None, status=Status.RESOLVED), {P.LEADER}),
])
def test_parties(who: Someone, at: DossierState, expected: set[Party]) -> None:
    assert parties(who, at) == expected
    assert parties(who, at, consulted=True) == expected | {P.CONSULTED}


def test_without_a_leader_step_the_handling_units_leader_resolves() -> None:
    flat = steps_of([{"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 2},
                     {"name": "Xử lý", "role": "specialist", "unit": "handling", "hours": 2}])
    assert P.LEADER_AT_STEP in parties(LEADER, state(steps=flat, index=1))


def test_only_answering_a_consultation_depends_on_one() -> None:
    needing = {(s, a) for s in Status for a in Action if needs_consultation(s, a)}
    assert needing == {(s, Action.ANSWER_CONSULTATION) for s in
                       (Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT, Status.PAYMENT)}
    assert not needs_consultation(4, "teleport")


@pytest.mark.parametrize(("action", "at", "expected"), [
    (Action.FORWARD, state(index=1), None),
    (Action.FORWARD, state(index=2), Refusal.APPROVAL_ENDS_WITH_RESOLVE),
    (Action.FORWARD, state(index=3), Refusal.NO_NEXT_STEP),
    (Action.CLAIM, state(), None),
    (Action.CLAIM, state(assignee=3), Refusal.ALREADY_CLAIMED),
    (Action.SEND_BACK, state(index=0), Refusal.NO_EARLIER_STEP),
    (Action.SEND_BACK, state(index=2), None),
    (Action.APOLOGIZE, state(), None),
    (Action.APOLOGIZE, state(apology_count=1), Refusal.APOLOGY_ALREADY_ISSUED),
    (Action.APOLOGIZE, state(due_at=None), Refusal.NOT_RECEIVED),
    (Action.APOLOGIZE, state(due_at=NOW - timedelta(minutes=1)), Refusal.APOLOGY_TOO_LATE),
    (Action.APOLOGIZE, state(due_at=NOW), None),  # on the due date itself it is not late yet
    (Action.RESOLVE, state(index=2), None),
])
def test_refusals(action: Action, at: DossierState, expected: Refusal | None) -> None:
    assert refusal(action, at, at=NOW, max_apologies=1) == expected


def test_the_draft_result_is_the_handlers() -> None:
    assert may_draft_result(state(), {P.HANDLER})
    assert may_draft_result(state(index=2), {P.LEADER_AT_STEP})
    assert not may_draft_result(state(), {P.POOL, P.LEADER})
    assert not may_draft_result(state(status=Status.RECEIVED), {P.HANDLER})


def _possible(who: Someone, at: DossierState, consulted: bool = False) -> list[str]:
    asked: list[bool] = []

    def ask() -> bool:
        asked.append(True)
        return consulted

    found = possible_actions(who, at, [a.value for a in Action], at=NOW, max_apologies=1, consulted=ask)
    assert len(asked) <= 1
    return found


@pytest.mark.parametrize(("who", "at", "expected"), [
    (APPLICANT, state(status=Status.SUBMITTED, index=0, due_at=None), ["withdraw"]),
    (DESK, state(status=Status.SUBMITTED, index=0, due_at=None),
     ["accept", "refuse", "request-supplement", "withdraw"]),
    (DESK, state(status=Status.RECEIVED, index=0),
     ["request-supplement", "forward", "withdraw", "claim", "reassign"]),
    (SPECIALIST, state(), ["request-supplement", "forward", "request-payment", "claim", "reassign", "send-back",
                           "consult"]),
    (SPECIALIST, state(assignee=3), ["request-supplement", "forward", "request-payment", "reassign", "send-back",
                                     "consult"]),
    (COLLEAGUE, state(assignee=3), []),
    (COLLEAGUE, state(), ["request-supplement", "forward", "request-payment", "claim", "reassign", "send-back",
                          "consult"]),
    (LEADER, state(), ["stop", "apologize", "reassign"]),
    (LEADER, state(index=2), ["request-supplement", "request-payment", "resolve", "stop", "apologize", "claim",
                              "reassign", "send-back", "consult"]),
    (LEADER, state(status=Status.SUPPLEMENT, paused_from=Status.IN_PROGRESS), ["stop", "apologize"]),
    (APPLICANT, state(status=Status.SUPPLEMENT, paused_from=Status.IN_PROGRESS), ["supplement", "withdraw"]),
    (DESK, state(status=Status.PAYMENT, paused_from=Status.IN_PROGRESS), ["confirm-payment", "withdraw"]),
    (DESK, state(status=Status.RESOLVED, index=3), ["return"]),
    (STRANGER, state(), []),
    (LEADER, state(status=Status.RETURNED, index=None), []),
])
def test_possible_actions(who: Someone, at: DossierState, expected: list[str]) -> None:
    assert _possible(who, at) == expected


def test_a_consulted_unit_may_answer() -> None:
    assert _possible(STRANGER, state(), consulted=True) == ["answer-consultation"]
    assert _possible(STRANGER, state(status=Status.SUBMITTED, index=0), consulted=True) == []
