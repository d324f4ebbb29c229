"""`dossier_available_actions` against what the services actually do: for every status (and the
points within a status that change the answer: a held step, the approval step, an open consultation,
an apology given, a due date passed) and every kind of actor, each action listed succeeds with a
valid input, and each action not listed is refused with 403, 404 or 409 (the contract's promise)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import ACTION_NAMES, dossier_available_actions
from motcua.dossiers.services import ACTIONS, dossier_act
from motcua.units.models import Unit

from .conftest import (
    AN,
    BINH,
    DESK,
    FEES,
    ITEMS,
    LATER,
    LEADER,
    NOW,
    SPEC,
    SPEC2,
    STP,
    act,
    actor,
    online,
    s2_online,
    s4,
    s4_leader,
    s4_online,
    s4_second,
    then,
    walk_in,
)

pytestmark = pytest.mark.django_db

# Everyone who may look at a dossier of Việt Trì, and some who may not.
ACTORS = [DESK, SPEC, SPEC2, LEADER, AN, BINH, "chuyenvien.stp", "giamsat.viettri", "tiepnhan.vinhyen", "admin"]


STATES: dict[str, Any] = {
    "1-submitted": online,
    "2-received-at-desk": walk_in,
    "2-accepted-online": s2_online,
    "3-refused": then(online, DESK, "refuse", reason="Không thuộc thẩm quyền"),
    "4-specialist-step": s4,
    "4-online": s4_online,
    "4-claimed": then(s4, SPEC, "claim"),
    "4-second-specialist-step": s4_second,
    "4-approval-step": s4_leader,
    "4-consulting": then(s4, SPEC, "consult", unit=STP, question="Xin ý kiến?"),
    "4-apologized": then(s4, LEADER, "apologize", reason="Cần xác minh", new_due_at=LATER),
    "4-overdue": s4,
    "5-supplement": then(s4_online, SPEC, "request-supplement", reason="Thiếu", items=ITEMS),
    "5-before-receipt": then(online, DESK, "request-supplement", reason="Thiếu", items=ITEMS),
    "6-payment": then(s4, SPEC, "request-payment", fees=FEES),
    "7-withdrawn": then(walk_in, DESK, "withdraw", reason="Không có nhu cầu"),
    "8-stopped": then(s4, LEADER, "stop", reason="Dừng"),
    "9-resolved": then(s4_leader, LEADER, "resolve", decision="approved"),
    "10-returned": then(then(s4_leader, LEADER, "resolve", decision="approved"), DESK, "return"),
}


def valid_input(action: str, dossier: Dossier, who: Any) -> Any:
    """An input the action's service accepts when the action is possible."""
    open_ids = list(dossier.consultations.filter(unit_id__in=who.unit_ids() or [0], answered_at__isnull=True)
                    .values_list("id", flat=True)) or list(dossier.consultations.values_list("id", flat=True))
    due = dossier.due_at or dossier.submitted_at
    assert due is not None
    stp_id = Unit.objects.get(code=STP).pk
    bodies: dict[str, dict[str, Any]] = {
        "refuse": {"reason": "Lý do"}, "withdraw": {"reason": "Lý do"}, "stop": {"reason": "Lý do"},
        "request-supplement": {"reason": "Thiếu", "items": ITEMS}, "request-payment": {"fees": FEES},
        "resolve": {"decision": "approved"}, "apologize": {"reason": "Xác minh", "new_due_at": due + timedelta(days=30)},
        "send-back": {"reason": "Thiếu xác minh"},
        "consult": {"unit": STP if dossier.current_step_unit_id != stp_id else "000.00.15.H45", "question": "?"},
        "answer-consultation": {"consultation": open_ids[0] if open_ids else 999_999, "answer": "Đồng ý"},
    }
    return ACTIONS[action].input.model_validate(bodies.get(action, {}))


class _Undo(Exception):
    pass


def attempt(who: Any, dossier: Dossier, action: str, at: datetime) -> tuple[int, str]:
    """Do the action in a savepoint that is then rolled back: (200, "") or the error's status and code."""
    payload = valid_input(action, dossier, who)
    try:
        with transaction.atomic():
            dossier_act(actor=who, code=dossier.code, action=action, payload=payload, at=at)
            raise _Undo
    except _Undo:
        return 200, ""
    except DomainError as exc:
        return exc.status, exc.code


@pytest.mark.parametrize("state", list(STATES))
def test_listed_actions_succeed_and_the_others_are_refused(frozen: Any, state: str) -> None:
    dossier = STATES[state]()
    dossier = Dossier.objects.select_related("current_step_unit").get(pk=dossier.pk)
    moment = NOW
    if state == "4-overdue":
        assert dossier.due_at is not None
        moment = dossier.due_at + timedelta(days=2)
    problems = []
    offered: dict[str, list[str]] = {}
    for username in ACTORS:
        who = actor(username)
        listed = dossier_available_actions(who, dossier, at=moment)
        offered[username] = listed
        assert set(listed) <= set(ACTION_NAMES)
        for action in ACTION_NAMES:
            status, code = attempt(who, dossier, action, moment)
            if (action in listed) != (status == 200):
                problems.append((username, action, "listed" if action in listed else "not listed", status, code))
            elif status != 200 and status not in {403, 404, 409}:
                problems.append((username, action, "refused with", status, code))
    assert not problems, problems
    # Someone may always do something while the dossier is open; nobody may once it is closed.
    anything = {name for names in offered.values() for name in names}
    assert bool(anything) == (state not in {"3-refused", "7-withdrawn", "8-stopped", "10-returned"}), offered


def test_the_consulted_unit_may_answer_and_nobody_else(frozen: Any) -> None:
    dossier = Dossier.objects.get(pk=STATES["4-consulting"]().pk)
    assert dossier.open_consultations == 1
    assert "answer-consultation" in dossier_available_actions(actor("chuyenvien.stp"), dossier)
    assert "answer-consultation" not in dossier_available_actions(actor(SPEC), dossier)
    act("chuyenvien.stp", dossier.code, "answer-consultation",
        consultation=dossier.consultations.get().pk, answer="Đồng ý")
    dossier.refresh_from_db()
    assert dossier.open_consultations == 0
    assert "answer-consultation" not in dossier_available_actions(actor("lanhdao.stp"), dossier)


def test_a_citizen_never_causes_a_consultation_query(frozen: Any, django_assert_num_queries: Any) -> None:
    """The state comes from the row: a caller without units costs no query at all."""
    dossier = Dossier.objects.select_related("procedure_version").get(pk=s4_online().pk)
    citizen = actor(AN)
    with django_assert_num_queries(0):
        assert dossier_available_actions(citizen, dossier) == ["withdraw"]
