"""The step engine (workflow.steps), table by table: typed steps, the next step, which step may be
forwarded or sent back, where a dossier is resolved, the unit of a step, competence routing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.workflow.steps import (
    COMPETENT_LEVELS,
    ForwardRefusal,
    HandlingRoute,
    RoutingRefused,
    Step,
    StepRole,
    can_forward,
    competent,
    forward_refusal,
    handling_route,
    is_approval,
    next_index,
    resolves_here,
    send_back_target,
    send_back_targets,
    starts_at_the_desk,
    step_at,
    step_unit,
    steps_of,
)

STANDARD = steps_of([
    {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 4},
    {"name": "Thẩm định", "role": "specialist", "unit": "handling", "hours": 12},
    {"name": "Phê duyệt", "role": "leader", "unit": "handling", "hours": "4.5"},
    {"name": "Trả kết quả", "role": "reception", "unit": "receiving", "hours": 4},
])
# A linked procedure: the commune's leader forwards to the police, whose leader approves.
LINKED = steps_of([
    {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 2},
    {"name": "Ký giấy khai sinh", "role": "leader", "unit": "handling", "hours": 4},
    {"name": "Đăng ký thường trú", "role": "specialist", "unit": "@police", "hours": 8},
    {"name": "Phê duyệt thường trú", "role": "leader", "unit": "@police", "hours": 4},
])
NO_LEADER = steps_of([
    {"name": "Tiếp nhận", "role": "reception", "unit": "receiving", "hours": 2},
    {"name": "Chứng thực", "role": "specialist", "unit": "000.00.12.H45", "hours": 2},
])


def test_steps_are_typed_from_their_json() -> None:
    assert STANDARD[2] == Step("Phê duyệt", StepRole.LEADER, "handling", Decimal("4.5"))
    assert LINKED[2].function == "police" and STANDARD[0].function is None
    assert Step.of({"name": "x", "role": "leader", "unit": "handling"}).hours == 0
    with pytest.raises(ValueError):
        Step.of({"name": "x", "role": "janitor", "unit": "handling"})


@pytest.mark.parametrize(("index", "expected"), [(None, None), (-1, None), (0, 0), (3, 3), (4, None)])
def test_step_at(index: int | None, expected: int | None) -> None:
    assert step_at(STANDARD, index) == (None if expected is None else STANDARD[expected])


@pytest.mark.parametrize(("steps", "index", "following", "refusal"), [
    (STANDARD, 0, 1, None),
    (STANDARD, 1, 2, None),
    (STANDARD, 2, 3, ForwardRefusal.APPROVAL_ENDS_WITH_RESOLVE),  # the approval ends with `resolve`
    (STANDARD, 3, None, ForwardRefusal.NO_NEXT_STEP),  # the last step has nowhere to go
    (STANDARD, None, None, ForwardRefusal.NO_NEXT_STEP),
    (LINKED, 1, 2, None),  # an earlier leader step forwards (to the police)
    (LINKED, 3, None, ForwardRefusal.NO_NEXT_STEP),
    (NO_LEADER, 0, 1, None),
    (NO_LEADER, 1, None, ForwardRefusal.NO_NEXT_STEP),
])
def test_forwarding(steps: tuple[Step, ...], index: int | None, following: int | None,
                    refusal: ForwardRefusal | None) -> None:
    assert next_index(steps, index) == following
    assert forward_refusal(steps, index) == refusal
    assert can_forward(steps, index) == (refusal is None)


@pytest.mark.parametrize(("steps", "index", "approval", "resolves"), [
    (STANDARD, 1, False, False), (STANDARD, 2, True, True), (STANDARD, 3, False, False),
    (LINKED, 1, False, True),  # a leader's step: its leader may resolve (the table's LEADER_AT_STEP)
    (LINKED, 3, True, True),
    (NO_LEADER, 0, False, True), (NO_LEADER, 1, False, True),  # no leader step: resolved wherever it stands
])
def test_approval_and_where_a_dossier_is_resolved(steps: tuple[Step, ...], index: int, approval: bool,
                                                  resolves: bool) -> None:
    assert is_approval(steps, index) == approval
    assert resolves_here(steps, index) == resolves


@pytest.mark.parametrize(("index", "wanted", "targets", "target"), [
    (0, None, [], None), (1, None, [0], 0), (3, None, [0, 1, 2], 2), (3, 0, [0, 1, 2], 0),
    (3, 3, [0, 1, 2], None), (3, 5, [0, 1, 2], None), (2, -1, [0, 1], None), (None, None, [], None),
])
def test_sending_back(index: int | None, wanted: int | None, targets: list[int], target: int | None) -> None:
    assert list(send_back_targets(STANDARD, index)) == targets
    assert send_back_target(STANDARD, index, wanted) == target


def test_the_unit_of_a_step() -> None:
    looked_up: list[str] = []

    def with_function(function: str) -> int | None:
        looked_up.append(function)
        return 77 if function == "police" else None

    units = {"000.00.12.H45": 12}
    kwargs = {"receiving": 1, "handling": 2, "with_function": with_function, "by_code": units.__getitem__}
    assert step_unit(STANDARD[0], **kwargs) == 1
    assert step_unit(STANDARD[1], **kwargs) == 2
    assert step_unit(LINKED[2], **kwargs) == 77 and looked_up == ["police"]
    assert step_unit(NO_LEADER[1], **kwargs) == 12
    assert step_unit(Step("x", StepRole.SPECIALIST, "@tax", Decimal(1)), **kwargs) is None


@pytest.mark.parametrize(("procedure", "unit", "expected"), [
    ("commune", "commune", True), ("commune", "centre", True), ("commune", "department", False),
    ("department", "department", True), ("department", "province", True), ("department", "commune", False),
    ("province", "centre", True),
    ("district", "district", True), ("district", "commune", True),  # a level the table does not know: no limit
])
def test_competence(procedure: str, unit: str, expected: bool) -> None:
    assert competent(procedure, unit) is expected
    assert set(COMPETENT_LEVELS) == {"commune", "centre", "department", "province"}


@pytest.mark.parametrize(("named", "override", "expected"), [
    ("receiving", None, HandlingRoute("R", check_level=False)),
    ("receiving", "R", HandlingRoute("R", check_level=False)),
    ("receiving", "O", HandlingRoute("O", check_level=True)),  # receipt regardless of boundary
    ("N", None, HandlingRoute("N", check_level=False)),
    ("N", "N", HandlingRoute("N", check_level=False)),
])
def test_handling_route(named: str, override: str | None, expected: HandlingRoute) -> None:
    assert handling_route(named=named, receiving="R", override=override) == expected


def test_a_procedure_that_names_its_unit_cannot_be_routed_elsewhere() -> None:
    with pytest.raises(RoutingRefused) as exc:
        handling_route(named="N", receiving="R", override="O")
    assert exc.value.named == "N"


def test_a_workflow_that_starts_at_the_desk() -> None:
    assert starts_at_the_desk(STANDARD) and starts_at_the_desk(NO_LEADER)
    assert not starts_at_the_desk(STANDARD[1:]) and not starts_at_the_desk(())
    assert not starts_at_the_desk(steps_of([{"name": "x", "role": "reception", "unit": "000.00.12.H45"}]))
