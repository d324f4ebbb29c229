"""The status gate: statuses, actions and the transition table (domain-rules §2, contract).

`next_status` is the only place that decides whether an action may move a dossier; services ask
it and never set a status by other means. The step engine is `steps.py`; who stands as which party
and the conditions some actions add to this table are `permissions.py`. Pure: no ORM, no settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Status(IntEnum):
    SUBMITTED = 1  # Mới đăng ký
    RECEIVED = 2  # Được tiếp nhận
    REFUSED = 3  # Không được tiếp nhận
    IN_PROGRESS = 4  # Đang xử lý
    SUPPLEMENT = 5  # Yêu cầu bổ sung giấy tờ
    PAYMENT = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    RESOLVED = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả


STATUS_NAMES: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

FINAL = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
# Statuses whose reaching sets `finished_at` (the end time of the national rule).
FINISHING = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED})
PAUSED = frozenset({Status.SUPPLEMENT, Status.PAYMENT})
# Not finished yet: the legal clock is (or will be) running; overdue means one of these past `due_at`.
UNFINISHED = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT, Status.PAYMENT})
# At a step and not paused: someone has to handle it now.
AT_STEP = frozenset({Status.RECEIVED, Status.IN_PROGRESS})


class Action(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request-supplement"
    SUPPLEMENT = "supplement"
    FORWARD = "forward"
    REQUEST_PAYMENT = "request-payment"
    CONFIRM_PAYMENT = "confirm-payment"
    RESOLVE = "resolve"
    RETURN = "return"
    WITHDRAW = "withdraw"
    STOP = "stop"
    APOLOGIZE = "apologize"
    # Step-level actions (the status does not change).
    CLAIM = "claim"
    REASSIGN = "reassign"
    SEND_BACK = "send-back"
    CONSULT = "consult"
    ANSWER_CONSULTATION = "answer-consultation"


class Party(StrEnum):
    """How an actor stands towards a dossier, worked out by the service from roles and units."""

    APPLICANT = "applicant"  # the citizen whose dossier it is
    RECEPTION = "reception"  # reception at the receiving unit
    HANDLER = "handler"  # holds the role of the current step at the step's unit (and is its assignee, if any)
    POOL = "pool"  # holds the role of the current step at the step's unit, whoever it is assigned to
    CONSULTED = "consulted"  # an official of a unit whose opinion was asked and not yet given
    LEADER = "leader"  # leader of the handling unit
    LEADER_AT_STEP = "leader_at_step"  # leader of the handling unit while the current step's role is leader
    SYSTEM = "system"  # payment callbacks, imports


# Marker targets.
SAME = 0  # status unchanged
PREVIOUS = -1  # the status the dossier was paused from


@dataclass(frozen=True)
class Rule:
    to: int
    parties: frozenset[Party]


def _rule(to: int, *parties: Party) -> Rule:
    return Rule(to, frozenset(parties) | {Party.SYSTEM})


S, A, P = Status, Action, Party
TRANSITIONS: dict[tuple[Status, Action], Rule] = {
    (S.SUBMITTED, A.ACCEPT): _rule(S.RECEIVED, P.RECEPTION),
    (S.SUBMITTED, A.REFUSE): _rule(S.REFUSED, P.RECEPTION),
    **{(s, A.REQUEST_SUPPLEMENT): _rule(S.SUPPLEMENT, P.RECEPTION, P.HANDLER)
       for s in (S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS)},
    (S.SUPPLEMENT, A.SUPPLEMENT): _rule(PREVIOUS, P.APPLICANT, P.RECEPTION),
    (S.RECEIVED, A.FORWARD): _rule(S.IN_PROGRESS, P.HANDLER),
    (S.IN_PROGRESS, A.FORWARD): _rule(S.IN_PROGRESS, P.HANDLER),
    (S.IN_PROGRESS, A.REQUEST_PAYMENT): _rule(S.PAYMENT, P.HANDLER),
    (S.PAYMENT, A.CONFIRM_PAYMENT): _rule(S.IN_PROGRESS, P.RECEPTION),
    (S.IN_PROGRESS, A.RESOLVE): _rule(S.RESOLVED, P.LEADER_AT_STEP),
    (S.RESOLVED, A.RETURN): _rule(S.RETURNED, P.RECEPTION),
    **{(s, A.WITHDRAW): _rule(S.WITHDRAWN, P.APPLICANT, P.RECEPTION)
       for s in (S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT, S.PAYMENT)},
    **{(s, A.STOP): _rule(S.STOPPED, P.LEADER) for s in (S.IN_PROGRESS, S.SUPPLEMENT, S.PAYMENT)},
    **{(s, A.APOLOGIZE): _rule(SAME, P.LEADER)
       for s in (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT, S.PAYMENT)},
    **{(s, A.CLAIM): _rule(SAME, P.POOL) for s in (S.RECEIVED, S.IN_PROGRESS)},
    **{(s, A.REASSIGN): _rule(SAME, P.HANDLER, P.LEADER) for s in (S.RECEIVED, S.IN_PROGRESS)},
    (S.IN_PROGRESS, A.SEND_BACK): _rule(S.IN_PROGRESS, P.HANDLER),
    (S.IN_PROGRESS, A.CONSULT): _rule(S.IN_PROGRESS, P.HANDLER),
    **{(s, A.ANSWER_CONSULTATION): _rule(SAME, P.CONSULTED)
       for s in (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT, S.PAYMENT)},
}


# The same table by status: the rules of the actions possible from each status (a lookup with the
# plain values works: Status and Action hash and compare as their int and str).
RULES_BY_STATUS: dict[int, dict[str, Rule]] = {}
for (_status, _action), _rule_of in TRANSITIONS.items():
    RULES_BY_STATUS.setdefault(_status, {})[_action] = _rule_of


class TransitionError(Exception):
    """`code` is "invalid_transition" (409: not allowed in this status) or "forbidden" (403)."""

    def __init__(self, code: str, status: int, action: str) -> None:
        self.code = code
        self.status = status
        self.action = action
        super().__init__(f"{code}: {action} from status {status}")


def allowed_actions(status: int) -> list[Action]:
    return [action for (s, action) in TRANSITIONS if s == status]


def next_status(status: int, action: str, parties: frozenset[Party] | set[Party],
                paused_from: int | None = None) -> int:
    """The status after `action`, or TransitionError. The status is checked before the party,
    so an action that is impossible now is a 409 whoever asks."""
    try:
        key = (Status(status), Action(action))
    except ValueError as exc:
        raise TransitionError("invalid_transition", status, action) from exc
    rule = TRANSITIONS.get(key)
    if rule is None:
        raise TransitionError("invalid_transition", status, action)
    if not (rule.parties & set(parties)):
        raise TransitionError("forbidden", status, action)
    if rule.to == SAME:
        return status
    if rule.to == PREVIOUS:
        if paused_from is None:
            raise TransitionError("invalid_transition", status, action)
        return paused_from
    return rule.to
