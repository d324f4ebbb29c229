"""Who may do what to a dossier now: the parties an actor stands as, the conditions some actions add
to the transition table, and the actions possible for an actor.

The services assert exactly these (`motcua.dossiers.services.common.check_transition` and the
`refusal` checks of each service) and the selector `dossier_available_actions` lists what passes
them, so a page never offers an action the service would refuse, and the API's
`available_actions` keeps the contract's promise (each listed action succeeds with a valid body).

Pure: the dossier is read through `DossierState`, the actor through `ActorView`; what needs the
database (an open consultation for the actor's units) is asked for only when an action depends on
it. No ORM, no settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from .domain import PREVIOUS, RULES_BY_STATUS, TRANSITIONS, Action, Party, Status
from .steps import Step, StepRole, Steps, forward_refusal, resolves_here, send_back_targets, step_at


class ActorView(Protocol):
    """What the rules read of an actor (`motcua.accounts.selectors.Actor`)."""

    @property
    def system(self) -> bool: ...

    @property
    def user_id(self) -> int | None: ...

    def has_role(self, role: str, unit_id: int | None) -> bool: ...


@dataclass(frozen=True)
class DossierState:
    """What the rules read of a dossier (built from a model instance or from a row of columns by
    `motcua.dossiers.state`)."""

    status: int
    paused_from: int | None
    applicant_id: int | None
    receiving_unit_id: int
    handling_unit_id: int
    steps: Steps
    step_index: int | None
    step_unit_id: int | None
    assignee_id: int | None
    apology_count: int
    due_at: datetime | None

    @property
    def step(self) -> Step | None:
        return step_at(self.steps, self.step_index)


def parties(actor: ActorView, state: DossierState, *, consulted: bool = False) -> frozenset[Party]:
    """How the actor stands towards the dossier. `consulted`: one of the actor's units was asked
    for an opinion on it and has not answered yet."""
    found: set[Party] = set()
    if actor.system:
        found.add(Party.SYSTEM)
    if actor.user_id is not None and state.applicant_id == actor.user_id:
        found.add(Party.APPLICANT)
    if actor.has_role(StepRole.RECEPTION, state.receiving_unit_id):
        found.add(Party.RECEPTION)
    step = state.step
    if step is not None and actor.has_role(step.role, state.step_unit_id):
        found.add(Party.POOL)
        # A step assigned to a named official is theirs; unassigned, the whole pool may act.
        if state.assignee_id is None or (actor.user_id is not None and state.assignee_id == actor.user_id):
            found.add(Party.HANDLER)
    if consulted:
        found.add(Party.CONSULTED)
    if actor.has_role(StepRole.LEADER, state.handling_unit_id):
        found.add(Party.LEADER)
    leader_now = step is not None and step.role == StepRole.LEADER
    if resolves_here(state.steps, state.step_index) and (
            Party.LEADER in found or (leader_now and Party.HANDLER in found)):
        found.add(Party.LEADER_AT_STEP)
    return frozenset(found)


def needs_consultation(status: int, action: str) -> bool:
    """Whether the table lets a consulted unit do `action` in `status` (only then is it worth asking
    the database whether the actor's units were consulted)."""
    try:
        rule = TRANSITIONS.get((Status(status), Action(action)))
    except ValueError:
        return False
    return rule is not None and Party.CONSULTED in rule.parties


class Refusal(StrEnum):
    """Why an action the table allows is still impossible now (each service raises its own error
    for it: see `motcua.dossiers.services.common.REFUSALS`)."""

    NO_NEXT_STEP = "no_next_step"
    APPROVAL_ENDS_WITH_RESOLVE = "approval_ends_with_resolve"
    ALREADY_CLAIMED = "already_claimed"
    NO_EARLIER_STEP = "no_earlier_step"
    NOT_RECEIVED = "not_received"  # no due date yet to apologise for (paused before receipt)
    APOLOGY_ALREADY_ISSUED = "apology_already_issued"
    APOLOGY_TOO_LATE = "apology_too_late"


def refusal(action: str, state: DossierState, *, at: datetime, max_apologies: int) -> Refusal | None:
    """The condition `action` adds to the table, checked for `state` at moment `at`."""
    if action == Action.FORWARD:
        why = forward_refusal(state.steps, state.step_index)
        return None if why is None else Refusal(why.value)
    if action == Action.CLAIM and state.assignee_id is not None:
        return Refusal.ALREADY_CLAIMED  # a step someone holds is given on with `reassign`
    if action == Action.SEND_BACK and not send_back_targets(state.steps, state.step_index):
        return Refusal.NO_EARLIER_STEP
    if action == Action.APOLOGIZE:
        if state.apology_count >= max_apologies:
            return Refusal.APOLOGY_ALREADY_ISSUED
        if state.due_at is None:
            return Refusal.NOT_RECEIVED
        if at > state.due_at:
            return Refusal.APOLOGY_TOO_LATE
    return None


def may_draft_result(state: DossierState, found: Iterable[Party]) -> bool:
    """The draft result is uploaded by the current step's handler (or the leader resolving it)
    while the dossier is being handled."""
    return state.status == Status.IN_PROGRESS and bool({Party.HANDLER, Party.LEADER_AT_STEP} & set(found))


def possible_actions(actor: ActorView, state: DossierState, candidates: Iterable[str], *, at: datetime,
                     max_apologies: int, consulted: Callable[[], bool]) -> list[str]:
    """The candidates the actor may do now, in their order: allowed by the table for the actor's
    parties (exactly as `next_status` decides) and not refused by a condition. `consulted()` is
    called at most once, and only when a candidate depends on it. Cheap: it runs on every read of a
    dossier's detail."""
    rules = RULES_BY_STATUS.get(state.status)
    if not rules:
        return []
    found = parties(actor, state)
    asked: bool | None = None
    allowed: list[str] = []
    for action in candidates:
        rule = rules.get(action)
        if rule is None:
            continue
        who = found
        if Party.CONSULTED in rule.parties and not rule.parties & found:
            if asked is None:
                asked = consulted()
            who = found | {Party.CONSULTED} if asked else found
        if not rule.parties & who or (rule.to == PREVIOUS and state.paused_from is None):
            continue
        if refusal(action, state, at=at, max_apologies=max_apologies) is None:
            allowed.append(action)
    return allowed
