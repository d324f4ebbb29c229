"""The action registry agrees with the status gate and with its services: adding an action is one
registry entry and its service, and nothing can be half added (the interfaces' side:
tests/api/test_actions.py and tests/pages/test_desk_steps.py)."""

from __future__ import annotations

import inspect

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers.services import ACTION_SPECS, ACTIONS, action_input, action_spec
from motcua.workflow.domain import TRANSITIONS, Action


def test_every_action_of_the_gate_has_one_entry_and_every_entry_is_in_the_gate() -> None:
    assert [spec.action for spec in ACTION_SPECS].count(Action.FORWARD) == 1
    assert {spec.action for spec in ACTION_SPECS} == set(Action) == {a for (_s, a) in TRANSITIONS}
    assert set(ACTIONS) == {a.value for a in Action}


@pytest.mark.parametrize("spec", ACTION_SPECS, ids=[s.name for s in ACTION_SPECS])
def test_each_service_takes_its_input(spec) -> None:
    """The registry calls `service(actor=, code=, at=, expected_version=, **input fields)`."""
    params = inspect.signature(spec.service).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values()), spec.name
    fields = set(spec.input.model_fields)
    assert {"actor", "code", "at", "expected_version"} | fields <= set(params), spec.name
    required = {n for n, p in params.items() if p.default is inspect.Parameter.empty}
    assert required <= {"actor", "code"} | fields, spec.name
    assert spec.statuses and spec.parties, spec.name
    assert str(spec.label) and str(spec.button), spec.name


def test_inputs_come_from_plain_bodies() -> None:
    assert action_input("forward", {"note": "Chuyển", "hours": 1000}).model_dump() == {"note": "Chuyển",
                                                                                        "assignee": None}
    items = action_input("request-supplement", {"reason": "Thiếu", "items": [{"name": "Tờ khai"}]})
    assert items.items[0].name == "Tờ khai"  # type: ignore[attr-defined]
    for action, body in [("refuse", {"reason": 5}), ("request-supplement", {"items": [1]}),
                         ("resolve", {"decision": "perhaps"}), ("apologize", {"new_due_at": "2026-03-10T09:00"})]:
        with pytest.raises(DomainError) as exc:
            action_input(action, body)
        assert (exc.value.code, exc.value.status) == ("invalid_request", 400)
    with pytest.raises(DomainError) as exc:
        action_spec("teleport")
    assert (exc.value.code, exc.value.status) == ("unknown_action", 404)
