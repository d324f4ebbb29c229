"""The step engine: a procedure version's workflow as typed steps, and the rules that move a dossier
through them (domain-rules §4; architecture.md, "Where rules live").

A workflow is the ordered list of steps a procedure version pins. Each step has a name, the role
that handles it, the unit it runs at and its working hours. The unit is one of:

- `receiving` — the unit that received the dossier (reception, the return of the result);
- `handling` — the unit competent to decide (see `handling_route`);
- `@<function>` — the nearest unit with that function, looked up from the handling unit
  (`@police`: the commune police of a linked procedure);
- an agency code — that unit.

Pure: no ORM, no settings. `motcua.dossiers` calls these functions (it stores the current step's
index, unit and deadline on the dossier row); nothing else re-derives them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final


class StepRole(StrEnum):
    """The roles a step can ask for (the names of `accounts.models.Role` for officials)."""

    RECEPTION = "reception"
    SPECIALIST = "specialist"
    LEADER = "leader"


RECEIVING: Final = "receiving"
HANDLING: Final = "handling"
FUNCTION_PREFIX: Final = "@"


@dataclass(frozen=True)
class Step:
    name: str
    role: StepRole
    unit: str  # "receiving", "handling", "@<function>" or an agency code
    hours: Decimal

    @classmethod
    def of(cls, raw: Mapping[str, object]) -> Step:
        """A step from its stored JSON (`ProcedureVersion.workflow` items)."""
        return cls(name=str(raw["name"]), role=StepRole(str(raw["role"])), unit=str(raw["unit"]),
                   hours=Decimal(str(raw.get("hours", 0))))

    @property
    def function(self) -> str | None:
        """The unit function a `@<function>` step runs at, else None."""
        return self.unit[len(FUNCTION_PREFIX):] if self.unit.startswith(FUNCTION_PREFIX) else None


Steps = tuple[Step, ...]


def steps_of(workflow: Sequence[Mapping[str, object]]) -> Steps:
    return tuple(Step.of(raw) for raw in workflow)


def step_at(steps: Steps, index: int | None) -> Step | None:
    """The step at `index`; None when there is no current step (before, after or between)."""
    if index is None or not 0 <= index < len(steps):
        return None
    return steps[index]


def next_index(steps: Steps, index: int | None) -> int | None:
    """The index of the step after `index`; None after the last one."""
    if index is None or index + 1 >= len(steps):
        return None
    return index + 1


def is_approval(steps: Steps, index: int | None) -> bool:
    """The leader's approval step: a leader step with no leader step after it. It ends with
    `resolve`, never with `forward` (a linked procedure may have an earlier leader step that
    forwards to another unit)."""
    step = step_at(steps, index)
    if step is None or step.role != StepRole.LEADER:
        return False
    assert index is not None
    return not any(s.role == StepRole.LEADER for s in steps[index + 1:])


class ForwardRefusal(StrEnum):
    NO_NEXT_STEP = "no_next_step"
    APPROVAL_ENDS_WITH_RESOLVE = "approval_ends_with_resolve"


def forward_refusal(steps: Steps, index: int | None) -> ForwardRefusal | None:
    """Why the current step cannot be forwarded, or None when it can."""
    if next_index(steps, index) is None:
        return ForwardRefusal.NO_NEXT_STEP
    if is_approval(steps, index):
        return ForwardRefusal.APPROVAL_ENDS_WITH_RESOLVE
    return None


def can_forward(steps: Steps, index: int | None) -> bool:
    return forward_refusal(steps, index) is None


def send_back_targets(steps: Steps, index: int | None) -> range:
    """The steps a dossier may be sent back to from step `index`: every earlier one."""
    if index is None:
        return range(0)
    return range(min(index, len(steps)))


def send_back_target(steps: Steps, index: int | None, wanted: int | None) -> int | None:
    """The step to go back to (`wanted`, default the previous one), or None when it is not an
    earlier step."""
    targets = send_back_targets(steps, index)
    target = (index - 1) if (wanted is None and index is not None) else wanted
    return target if target is not None and target in targets else None


def resolves_here(steps: Steps, index: int | None) -> bool:
    """Whether the dossier is resolved at its current step: the current step is a leader's, or the
    workflow has no leader step at all (then the leader of the handling unit resolves it)."""
    step = step_at(steps, index)
    leader_now = step is not None and step.role == StepRole.LEADER
    return leader_now or not any(s.role == StepRole.LEADER for s in steps)


def starts_at_the_desk(steps: Steps) -> bool:
    """Received (and so returned) through the one-stop desk: the first step is reception at the
    receiving unit."""
    return bool(steps) and steps[0].role == StepRole.RECEPTION and steps[0].unit == RECEIVING


def step_unit(step: Step, *, receiving: int, handling: int, with_function: Callable[[str], int | None],
              by_code: Callable[[str], int]) -> int | None:
    """The id of the unit a step runs at: the receiving or handling unit, the nearest unit with the
    step's function (`with_function`; None when there is none) or the unit with the step's agency
    code (`by_code`)."""
    if step.unit == RECEIVING:
        return receiving
    if step.unit == HANDLING:
        return handling
    function = step.function
    if function is not None:
        return with_function(function)
    return by_code(step.unit)


# -- Competence: which unit decides ----------------------------------------------------------------

# The levels of unit competent for a procedure of each level: after the 2025 reform a commune
# procedure is decided by a commune or its public-administration centre, a provincial one by a
# department, the province or the provincial centre.
COMPETENT_LEVELS: Final[Mapping[str, frozenset[str]]] = {
    "commune": frozenset({"commune", "centre"}),
    "centre": frozenset({"commune", "centre"}),
    "department": frozenset({"department", "province", "centre"}),
    "province": frozenset({"department", "province", "centre"}),
}


def competent(procedure_level: str, unit_level: str) -> bool:
    """Whether a unit of `unit_level` may decide a procedure of `procedure_level` (a procedure level
    the table does not know limits nothing)."""
    return unit_level in COMPETENT_LEVELS.get(procedure_level, frozenset({unit_level}))


@dataclass(frozen=True)
class HandlingRoute:
    code: str  # the agency code of the handling unit
    check_level: bool  # chosen at the desk: its level must be competent for the procedure


class RoutingRefused(Exception):
    """The desk asked for a handling unit the procedure does not allow (`named`: the procedure names
    another unit)."""

    def __init__(self, named: str) -> None:
        self.named = named
        super().__init__(f"the procedure is handled by {named}")


def handling_route(*, named: str, receiving: str, override: str | None) -> HandlingRoute:
    """The unit competent to decide. A procedure may name it (`named` is its agency code); otherwise
    (`named == "receiving"`) the receiving unit decides, unless the desk routes the dossier to the
    competent unit of the applicant's place (receipt regardless of administrative boundary): then
    reception stays with the receiving unit and the handling steps go to that unit, whose level
    must be competent."""
    if named != RECEIVING:
        if override and override != named:
            raise RoutingRefused(named)
        return HandlingRoute(named, check_level=False)
    if not override or override == receiving:
        return HandlingRoute(receiving, check_level=False)
    return HandlingRoute(override, check_level=True)
